"""JSON-lines logs. Callers pass only safe fields: never a token, code, secret, password or verifier."""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

interaction_id_var: ContextVar[str | None] = ContextVar("interaction_id", default=None)

LOGGER_NAME = "renkei.sandbox"
_logger = logging.getLogger(LOGGER_NAME)


class JsonLinesFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update(fields)
        else:
            entry["message"] = record.getMessage()
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = record.exc_info[0].__name__
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: int = logging.INFO) -> None:
    """Send the sandbox's, the generated servers' (`renkei.*`) and uvicorn's logs to stderr as JSON lines."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLinesFormatter())
    for name in ("renkei", "uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(level)
        logger.propagate = False
    logging.getLogger("uvicorn.access").disabled = True


def log_event(kind: str, **fields: Any) -> None:
    _logger.info(kind, extra={"fields": {"kind": kind, "interaction_id": interaction_id_var.get(), **fields}})


def audit(event: str, outcome: str, **fields: Any) -> None:
    """A security event (PCI DSS 10.2): what happened, to whom, with what outcome."""
    log_event("audit", event=event, outcome=outcome, **fields)
