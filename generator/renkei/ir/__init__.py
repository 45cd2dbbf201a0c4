"""The intermediate representation: typed, immutable operations of one API."""

from renkei.ir.model import (
    Api,
    Link,
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
    "Link",
    "Operation",
    "Pagination",
    "Parameter",
    "RequestBody",
    "Response",
    "SecurityRequirement",
    "SecurityScheme",
    "Server",
]
