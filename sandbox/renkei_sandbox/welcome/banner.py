"""The start-up banner of `renkei serve`: where to go, whom to log in as, what to run next (on stdout;
the JSON log lines go to stderr)."""

from __future__ import annotations

from collections.abc import Sequence

from renkei_sandbox.welcome.demo_logins import DemoLogin


def banner(base_url: str, logins: Sequence[DemoLogin], password: str, docs: bool) -> str:
    """The text printed once the database is ready."""
    lines = [
        "",
        f"renkei sandbox — ろうきん連携サンドボックス on {base_url}",
        "",
        f"  start here     {base_url}/",
        f"  API            {base_url}/v2  (bank inquiry, bank transfer, card)",
        f"  OAuth metadata {base_url}/.well-known/oauth-authorization-server",
        f"  connected apps {base_url}/account/connections",
    ]
    if docs:
        lines.append(f"  API docs       {base_url}/docs")
    lines += ["", f"  demo logins (password {password}), one per bank:"]
    for login in logins:
        lines.append(f"    {login.login_id:<8} {login.bank_code} {login.bank_name}")
    lines += [
        "",
        "  next, in another terminal (log in, tick the accounts, press 許可する):",
        f"    .venv/bin/renkei sandbox authorize --base-url {base_url}",
        "",
    ]
    return "\n".join(lines)
