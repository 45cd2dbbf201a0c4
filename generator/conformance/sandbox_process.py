"""`python -m generator.conformance.sandbox_process URL PORT`: serve a prepared sandbox database on
127.0.0.1:PORT, wrapped in the faults named by RENKEI_SANDBOX_FAULTS (see sandbox/faults.py)."""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    import uvicorn

    from sandbox.app import create_app
    from sandbox.config import Settings
    from sandbox.db.engine import Database
    from sandbox.faults import UnknownFault, with_faults_from_env

    database_url, port = argv[0], int(argv[1])
    base_url = f"http://127.0.0.1:{port}"
    db = Database.from_url(database_url)
    try:
        app = with_faults_from_env(create_app(db, Settings(database_url=database_url, issuer=base_url)))
    except UnknownFault as error:
        print(f"renkei sandbox: {error}", file=sys.stderr)
        return 2
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False, log_config=None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
