"""Time `renkei generate` (cold and no-op) beside fastapi-code-generator and openapi-python-client.

Every tool runs as a whole command (interpreter start included) on the same single-file input: our
multi-file specs are bundled first with renkei's loader so that peers without cross-file `$ref` support
get a fair chance. Median of three runs each.
"""

from __future__ import annotations

import json
import shutil
import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench._util import BIN, ROOT, WORK, allow_generic_spec, peer_executable, time_command

API_SPECS = [ROOT / "spec" / f"{name}.yaml" for name in ("bank-inquiry", "bank-transfer", "card")]
CORPUS = ROOT / "tests" / "generation" / "corpus"


@dataclass(frozen=True)
class Row:
    spec: str
    renkei_cold: float | None
    renkei_noop: float | None
    peers: dict[str, float | None]


def _bundle(spec: Path, into: Path) -> Path:
    """A single-file JSON copy of `spec` with cross-file refs bundled (what peers can read)."""
    from renkei.loading import load_spec

    target = into / (spec.stem + ".json")
    target.write_text(json.dumps(load_spec(spec).document, ensure_ascii=False))
    return target


def corpus_specs() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    found = [p for p in sorted(CORPUS.iterdir()) if p.suffix in {".yaml", ".yml", ".json"}]
    found += [p / f"{p.name}.yaml" for p in sorted(CORPUS.iterdir()) if (p / f"{p.name}.yaml").is_file()]
    return found


def large_spec(into: Path) -> Path:
    """The corpus's synthetic multi-megabyte spec (hundreds of operations), written by its own script."""
    import runpy

    target = into / "large.yaml"
    if not target.exists():
        module = runpy.run_path(str(CORPUS / "make_large.py"))
        module["write_large_spec"](target)
        allow_generic_spec(into)
    return target


def _renkei(specs: list[Path], out: Path, repeat: int = 3) -> tuple[float | None, float | None]:
    """Median cold time (from an empty directory each run) and median no-op time (nothing changed)."""
    renkei = BIN / "renkei"
    colds: list[float] = []
    for _ in range(repeat):
        shutil.rmtree(out, ignore_errors=True)
        seconds, ok = time_command([renkei, "generate", *specs, "-o", out], repeat=1)
        if not ok:
            return None, None
        colds.append(seconds)
    noop, ok = time_command([renkei, "generate", *specs, "-o", out], repeat=repeat)
    return sorted(colds)[len(colds) // 2], noop if ok else None


def _peer(name: str, spec: Path, out: Path, repeat: int = 3) -> float | None:
    exe = peer_executable(name)
    if name == "fastapi-code-generator":
        argv: list[str | Path] = [exe, "--input", spec, "--output", out]
    else:
        argv = [exe, "generate", "--path", spec, "--output-path", out, "--overwrite"]
    times: list[float] = []
    for _ in range(repeat):
        shutil.rmtree(out, ignore_errors=True)  # from an empty directory each run, as renkei's cold runs
        seconds, ok = time_command(argv, repeat=1)
        if not ok:
            return None
        times.append(seconds)
    return statistics.median(times)


def run(include_large: bool = True) -> list[Row]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(dir=WORK if WORK.exists() else None) as tmp:
        tmpdir = Path(tmp)
        cold, noop = _renkei(API_SPECS, tmpdir / "renkei-all")
        bundled = [_bundle(s, tmpdir) for s in API_SPECS]
        rows.append(
            Row(
                "3 APIs (make generate)",
                cold,
                noop,
                {
                    peer: _sum([_peer(peer, b, tmpdir / f"{peer}-{b.stem}") for b in bundled])
                    for peer in ("fastapi-code-generator", "openapi-python-client")
                },
            )
        )
        for spec in corpus_specs():
            label = spec.parent.name if spec.name == "openapi.yaml" else spec.stem
            cold, noop = _renkei([spec], tmpdir / f"renkei-{label}")
            try:
                single = _bundle(spec, tmpdir)
            except Exception:  # a spec our loader refuses is not a benchmark input
                continue
            peers = {
                peer: _peer(peer, single, tmpdir / f"{peer}-{label}")
                for peer in ("fastapi-code-generator", "openapi-python-client")
            }
            rows.append(Row(label, cold, noop, peers))
        if include_large:
            large = large_spec(tmpdir)
            cold, noop = _renkei([large], tmpdir / "renkei-large", repeat=1)
            peers = {
                peer: _peer(peer, large, tmpdir / f"{peer}-large", repeat=1)
                for peer in ("fastapi-code-generator", "openapi-python-client")
            }
            rows.append(Row(f"synthetic large ({large.stat().st_size / 1e6:.1f} MB)", cold, noop, peers))
    return rows


def _sum(values: list[float | None]) -> float | None:
    return None if any(v is None for v in values) else sum(v for v in values if v is not None)


def _fmt(value: float | None) -> str:
    return "fails" if value is None else f"{value:.2f} s"


def _ratio(peer: float | None, ours: float | None) -> str:
    if peer is None or ours is None or ours == 0:
        return "–"
    return f"{peer / ours:.1f}x"


def to_markdown(rows: list[Row]) -> str:
    lines = [
        "| spec | renkei cold | renkei no-op | fastapi-code-generator | (÷ renkei) "
        "| openapi-python-client | (÷ renkei) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        fcg = r.peers["fastapi-code-generator"]
        opc = r.peers["openapi-python-client"]
        lines.append(
            f"| {r.spec} | {_fmt(r.renkei_cold)} | {_fmt(r.renkei_noop)} | {_fmt(fcg)} | "
            f"{_ratio(fcg, r.renkei_cold)} | {_fmt(opc)} | {_ratio(opc, r.renkei_cold)} |"
        )
    return "\n".join(lines)
