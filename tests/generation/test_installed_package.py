"""`renkei generate` from a built wheel, not the source tree: the built-in templates are package data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "tests" / "generation" / "corpus" / "petstore-30.yaml"


def test_a_wheel_carries_the_templates_and_generates(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q", "-w", str(tmp_path / "dist")],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [wheel] = (tmp_path / "dist").glob("renkei-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    templates = {f"generator/templates/{t}.py.jinja" for t in ("__init__", "client", "server", "service")}
    assert templates <= set(names)
    installed = tmp_path / "installed"
    zipfile.ZipFile(wheel).extractall(installed)  # a pure-Python wheel's install is its contents on sys.path
    work = tmp_path / "elsewhere"
    work.mkdir()
    shutil.copy(SPEC, work / "petstore.yaml")
    # -S: no site processing, so the editable install's finder cannot point back at the source tree
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(installed), sysconfig.get_paths()["purelib"]])}
    code = (
        "import sys, generator; assert generator.__file__.startswith(sys.argv[1]), generator.__file__;"
        "sys.argv = ['renkei', 'generate', 'petstore.yaml', '-o', 'out'];"
        "from generator.entry import main; main()"
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
    assert "class PetstoreService" in (work / "out" / "petstore" / "service.py").read_text()
    assert (work / "out" / "petstore" / "client.py").read_text().startswith('"""Clients of')
