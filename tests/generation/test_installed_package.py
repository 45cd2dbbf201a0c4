"""`renkei generate` from a built wheel, not the source tree: the built-in templates are package data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

from generic_spec import allow_generic_spec

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "tests" / "generation" / "corpus" / "petstore-30.yaml"


def test_a_wheel_carries_the_templates_and_generates(tmp_path: Path) -> None:
    dist = str(tmp_path / "dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(REPO),
            str(REPO / "runtime"),
            "--no-deps",
            "-q",
            "-w",
            dist,
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [wheel] = (tmp_path / "dist").glob("renkei-0*.whl")
    [runtime_wheel] = (tmp_path / "dist").glob("renkei_runtime-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    built = ("__init__.py", "client.py", "server.py", "service.py", "pyproject.toml", "README.md")
    assert {f"renkei/templates/{t}.jinja" for t in built} <= set(names)
    assert not any(n.startswith(("generator/", "sandbox/", "renkei_sandbox/", "generated/")) for n in names)
    installed = tmp_path / "installed"
    for each in (wheel, runtime_wheel):  # a pure-Python wheel's install is its contents on sys.path
        zipfile.ZipFile(each).extractall(installed)
    work = tmp_path / "elsewhere"
    work.mkdir()
    shutil.copy(SPEC, work / "petstore.yaml")
    allow_generic_spec(work)
    # -S: no site processing, so the editable install's finder cannot point back at the source tree
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(installed), sysconfig.get_paths()["purelib"]])}
    code = (
        "import sys, renkei; assert renkei.__file__.startswith(sys.argv[1]), renkei.__file__;"
        "sys.argv = ['renkei', 'generate', 'petstore.yaml', '-o', 'out'];"
        "from renkei.entry import main; main()"
    )
    process = subprocess.run(
        [sys.executable, "-S", "-c", code, str(installed)],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert process.returncode == 0, process.stderr
    assert "class PetstoreService" in (work / "out" / "petstore" / "petstore" / "service.py").read_text()
    assert (work / "out" / "petstore" / "petstore" / "client.py").read_text().startswith('"""Clients of')
    assert 'name = "petstore"' in (work / "out" / "petstore" / "pyproject.toml").read_text()
