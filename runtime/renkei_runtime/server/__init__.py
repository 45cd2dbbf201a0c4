"""Shared machinery of generated servers: request context, token verification, errors, endpoints."""

from renkei_runtime.server._app import GeneratedApp, build_app, install_error_handlers, openapi_route
from renkei_runtime.server._context import RequestContext, RequestTokenVerifier, TokenVerifier, VerifiedToken
from renkei_runtime.server._endpoint import Body, Endpoint, Operation, Output, Param, bind
from renkei_runtime.server._implemented import not_implemented_call, unimplemented_operations
from renkei_runtime.server._interaction import (
    INTERACTION_ID_HEADER,
    interaction_id_of,
    is_uuid,
    new_interaction_id,
)
from renkei_runtime.server._limits import DEFAULT_MAX_BODY_SIZE, BodyTooLarge, RequestBodyLimit
from renkei_runtime.server._problems import ApiProblem, ErrorBody, Reply, error_body, problem_response
from renkei_runtime.server._routing import OperationRoute, OperationRouter, RouteTable
from renkei_runtime.server._security import Requirement, SecurityScheme, authorize

__all__ = [
    "DEFAULT_MAX_BODY_SIZE",
    "INTERACTION_ID_HEADER",
    "ApiProblem",
    "Body",
    "BodyTooLarge",
    "Endpoint",
    "ErrorBody",
    "GeneratedApp",
    "Operation",
    "OperationRoute",
    "OperationRouter",
    "Output",
    "Param",
    "Reply",
    "RequestBodyLimit",
    "RequestContext",
    "RequestTokenVerifier",
    "Requirement",
    "RouteTable",
    "SecurityScheme",
    "TokenVerifier",
    "VerifiedToken",
    "authorize",
    "bind",
    "build_app",
    "error_body",
    "install_error_handlers",
    "interaction_id_of",
    "is_uuid",
    "new_interaction_id",
    "not_implemented_call",
    "openapi_route",
    "problem_response",
    "unimplemented_operations",
]
