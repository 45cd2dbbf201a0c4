"""README's quick start and walk-through, run as a newcomer runs them: in a fresh clone (a temporary
directory), on a random port, with the commands read from README.md itself so that they cannot drift.

`make serve` (which sets up .venv, migrates, seeds and prints the banner), then the walk-through's
`renkei sandbox authorize` with Chromium (Playwright, /usr/bin/chromium) playing the customer, then the
walk-through's Python example against the sandbox, and mypy --strict on that example without MYPYPATH.
README's other command, `make test`, is what CI runs in its own fresh clone (.ci/run); set
RENKEI_WALKTHROUGH_MAKE_TEST=1 to run it in this clone too.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from live_server import bind_free_socket

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
MARKER = "<!-- tests/walkthrough/test_readme_walkthrough.py runs the two blocks below"
_BLOCK = re.compile(r"^```(sh|python)\n(.*?)^```", re.MULTILINE | re.DOTALL)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
    pytest.mark.timeout(2400),
]


def commands(block: str) -> list[str]:
    """The shell commands of a README block, comments stripped."""
    lines = [line.split("  #", 1)[0].split(" # ", 1)[0].strip() for line in block.splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def readme_steps(readme: str) -> tuple[list[str], list[str], str]:
    """(quick-start commands, walk-through commands, walk-through Python example)."""
    quick_start = readme[readme.index("## Quick start") :]
    first = _BLOCK.search(quick_start)
    assert first is not None and first.group(1) == "sh", "README's quick start has no sh block"
    walk = readme[readme.index(MARKER) :]
    blocks = _BLOCK.findall(walk)
    assert blocks[0][0] == "sh" and blocks[1][0] == "python", "README's walk-through blocks moved"
    return commands(first.group(2)), commands(blocks[0][1]), blocks[1][1]


def newcomer_env(port: int) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DATABASE_URL", "RENKEI_", "VIRTUAL_ENV", "MYPYPATH", "PYTHONPATH"))
    }
    env["RENKEI_PORT"] = str(port)
    env["BROWSER"] = "true"  # webbrowser.open() runs `true URL`: Playwright is the browser here
    return env


@contextmanager
def background(command: str, cwd: Path, env: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        ["bash", "-c", command],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def read_until(process: subprocess.Popen[str], wanted: str, timeout: float) -> str:
    """The process's output up to the first line containing `wanted` (fails after `timeout` seconds)."""
    seen: list[str] = []
    found = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            seen.append(line)
            if wanted in line:
                found.set()
                return

    threading.Thread(target=read, daemon=True).start()
    assert found.wait(timeout), f"never printed {wanted!r}; output:\n{''.join(seen)[-3000:]}"
    return "".join(seen)


def test_readme_quick_start_and_walkthrough_in_a_fresh_clone(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    clone = tmp_path / "renkei"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True, timeout=300)
    quick_start, walkthrough, example = readme_steps((clone / "README.md").read_text(encoding="utf-8"))
    assert quick_start == ["make serve", "make test"], quick_start
    serve_command, authorize_command = walkthrough
    assert serve_command == "make serve"
    with bind_free_socket() as sock:
        port = sock.getsockname()[1]
    env = newcomer_env(port)
    base = f"http://127.0.0.1:{port}"

    with background(serve_command, clone, env) as server:
        banner = read_until(server, "sandbox authorize", timeout=1500)  # set-up, migrations, seeding
        assert f"start here     {base}/" in banner and "demo01   2963 中央労働金庫" in banner

        with background(authorize_command, clone, env) as authorize:
            text = read_until(authorize, f"{base}/oauth/authorize?", timeout=120)
            url = next(
                line.strip() for line in text.splitlines() if line.startswith(f"{base}/oauth/authorize?")
            )
            with sync_api.sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
                try:
                    page = browser.new_page()
                    page.set_default_timeout(30_000)
                    page.goto(url)
                    page.select_option("#bank_code", "2963")
                    page.fill("#login_id", "demo01")
                    page.fill("#password", "renkei-demo")
                    page.click("#login")
                    page.wait_for_selector("#approve")
                    for box in page.locator("input[name=account_ids]").all():
                        box.check()
                    page.click("#approve")
                    page.wait_for_url("http://127.0.0.1:*/callback?*")
                    assert "連携の手続きが完了しました" in page.inner_text("h1")
                finally:
                    browser.close()
            rest, _ = authorize.communicate(timeout=60)
            assert authorize.returncode == 0, text + rest
        assert (clone / "var" / "renkei-tokens.json").is_file()

        (clone / "example.py").write_text(example, encoding="utf-8")
        ran = subprocess.run(
            [".venv/bin/python", "example.py"],
            cwd=clone,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert ran.returncode == 0, ran.stderr
        lines = ran.stdout.splitlines()
        accounts = [line for line in lines if not line.startswith(" ")]
        transactions = [line for line in lines if line.startswith("  ")]
        assert accounts and transactions, ran.stdout[:2000]
        assert all(re.fullmatch(r"\S+ \S+ -?\d+", line) for line in accounts), accounts

    typed = subprocess.run(
        [".venv/bin/mypy", "--strict", "--no-error-summary", "example.py"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert typed.returncode == 0, typed.stdout + typed.stderr

    if os.environ.get("RENKEI_WALKTHROUGH_MAKE_TEST") == "1":
        tested = subprocess.run(["bash", "-c", quick_start[1]], cwd=clone, env=env, timeout=3600)
        assert tested.returncode == 0
