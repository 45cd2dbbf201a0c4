"""The intermediate representation: typed, immutable operations of one API."""

from renkei.ir.model import (
    Api,
    Operation,
    Pagination,
    Parameter,
    RequestBody,
    Response,
    SecurityRequirement,
    SecurityScheme,
    Server,
)

__all__ = [
    "Api",
    "Operation",
    "Pagination",
    "Parameter",
    "RequestBody",
    "Response",
    "SecurityRequirement",
    "SecurityScheme",
    "Server",
]
