"""Logs on stderr: JSON lines (the default, for files and log shippers) or one readable line per event for a
console (`--log-format text`). Callers pass only safe fields: never a token, code, secret, password or
verifier."""

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


class TextFormatter(logging.Formatter):
    """`14:05:09.123 info  access method=GET path=/v2/accounts status=200 duration_ms=3.1`: for people."""

    def format(self, record: logging.LogRecord) -> str:
        stamp = datetime.fromtimestamp(record.created, UTC).astimezone().strftime("%H:%M:%S.%f")[:-3]
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            kind = fields.get("kind", record.getMessage())
            rest = " ".join(
                f"{name}={_text_value(value)}"
                for name, value in fields.items()
                if name != "kind" and value is not None
            )
            line = f"{stamp} {record.levelname.lower():<5} {kind} {rest}".rstrip()
        else:
            line = f"{stamp} {record.levelname.lower():<5} {record.name}: {record.getMessage()}"
        if record.exc_info and record.exc_info[0] is not None:
            line += f" exception={record.exc_info[0].__name__}"
        return line


def _text_value(value: Any) -> str:
    text = str(value)
    return json.dumps(text, ensure_ascii=False) if not text or any(c in text for c in ' "=') else text


LOG_FORMATS = ("json", "text")
LOG_FORMAT_ENV = "RENKEI_LOG_FORMAT"


def configure_logging(level: int = logging.INFO, log_format: str = "json") -> None:
    """Send the sandbox's, the generated servers' (`renkei.*`) and uvicorn's logs to stderr, as JSON lines
    or (`log_format="text"`) readable lines."""
    if log_format not in LOG_FORMATS:
        raise ValueError(f"log format must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLinesFormatter() if log_format == "json" else TextFormatter())
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
