"""The one operation walk: document order, shared path items, merged parameters, broken input tolerated."""

from __future__ import annotations

from typing import Any

from renkei.loading.walk import deref, iter_operations, resolve

DOCUMENT: dict[str, Any] = {
    "paths": {
        "/a/{id}": {
            "parameters": [
                {"name": "id", "in": "path", "description": "path level"},
                {"$ref": "#/components/parameters/Limit"},
            ],
            "post": {"operationId": "makeA"},
            "get": {"parameters": [{"name": "id", "in": "path", "description": "operation level"}]},
        },
        "/shared": {"$ref": "#/components/pathItems/Shared"},
        "/broken": {"$ref": "#/components/pathItems/Missing"},
        "/not-a-mapping": ["get"],
    },
    "components": {
        "parameters": {"Limit": {"name": "limit", "in": "query"}},
        "pathItems": {"Shared": {"delete": {"parameters": [{"$ref": "#/nowhere"}]}}},
    },
}


def test_operations_in_document_order_with_methods_in_http_order() -> None:
    labels = [operation.label for operation in iter_operations(DOCUMENT)]
    assert labels == ["GET /a/{id}", "POST /a/{id}", "DELETE /shared"]


def test_an_operation_of_a_shared_path_item_points_where_it_is_written() -> None:
    shared = next(operation for operation in iter_operations(DOCUMENT) if operation.path == "/shared")
    assert shared.pointer == ("components", "pathItems", "Shared", "delete")
    assert shared.parameters(DOCUMENT) == ()  # a reference that leads nowhere is skipped


def test_parameters_merge_path_level_and_operation_level_with_refs_resolved() -> None:
    get = next(iter_operations(DOCUMENT))
    parameters = get.parameters(DOCUMENT)
    assert [(p["in"], p["name"]) for p in parameters] == [("path", "id"), ("query", "limit")]
    assert parameters[0]["description"] == "operation level"


def test_resolve_stops_at_a_reference_that_leads_nowhere_and_deref_gives_an_empty_mapping() -> None:
    broken = {"$ref": "#/components/pathItems/Missing"}
    assert resolve(DOCUMENT, broken, ("paths", "/broken")) == (broken, ("paths", "/broken"))
    assert deref(DOCUMENT, broken) == {}
    assert deref(DOCUMENT, {"$ref": "other.yaml#/x"}) == {}
    cycle = {"components": {"schemas": {"A": {"$ref": "#/components/schemas/A"}}}}
    assert deref(cycle, {"$ref": "#/components/schemas/A"}) == {}
