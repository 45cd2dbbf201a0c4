"""`renkei serve`'s real path (serve.run_server) with every createTransfer slowed down inside its ledger
transaction: `python slow_transfer_server.py PORT SECONDS` prints `holding` when a transfer reaches it."""

from __future__ import annotations

import sys
import time

from renkei_sandbox.serve import run_server
from renkei_sandbox.services import checkpoints


def main(port: int, seconds: float) -> int:
    def slow(point: str, _key: str) -> None:
        if point == checkpoints.LEDGER_WRITTEN:
            print("holding", flush=True)
            time.sleep(seconds)

    with checkpoints.installed(slow):
        return run_server("127.0.0.1", port, migrate=False)


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]), float(sys.argv[2])))
