"""`.json` documents: parsed on the fast path (json module), positions filled on first use."""

from __future__ import annotations

import pytest

from renkei.loading import SourceLocation, SpecError, load_spec

API = """{
  "openapi": "3.1.0",
  "paths": {
    "/a": {"$ref": "lib.json#/components/pathItems/A"}
  },
  "components": {
    "schemas": {
      "Name": {"type": "string", "example": "\\u30c6\\u30b9\\u30c8"}
    }
  }
}
"""

LIB = """{
  "components": {
    "pathItems": {
      "A": {
        "get": {"responses": {"200": {"description": "ok"}}}
      }
    }
  }
}
"""


def test_json_positions_are_exact_in_both_files(write_files):
    root = write_files(**{"api.json": API, "lib.json": LIB})
    spec = load_spec(root / "api.json")
    assert spec.document["components"]["schemas"]["Name"]["example"] == "テスト"
    api, lib = (root / "api.json").absolute(), (root / "lib.json").absolute()
    assert spec.locate(["components", "schemas", "Name", "example"]) == SourceLocation(api, 8, 34)
    assert spec.locate(["paths", "/a"]) == SourceLocation(api, 4, 5)
    assert spec.locate(["components", "pathItems", "A", "get"]) == SourceLocation(lib, 5, 9)
    assert spec.locate([]) == SourceLocation(api, 1, 1)


def test_tab_indented_json_loads_and_falls_back_to_the_file(write_files):
    root = write_files(**{"api.json": '{\n\t"openapi": "3.1.0",\n\t"paths": {}\n}\n'})
    spec = load_spec(root / "api.json")
    assert spec.document == {"openapi": "3.1.0", "paths": {}}
    location = spec.locate(["paths"])
    assert location is not None and location.file.name == "api.json"


def test_invalid_json_is_located(write_files):
    root = write_files(**{"api.json": '{\n  "openapi": "3.1.0",\n  "paths": {,}\n}\n'})
    with pytest.raises(SpecError) as caught:
        load_spec(root / "api.json")
    assert caught.value.rule == "yaml-syntax"
    assert caught.value.location == SourceLocation(root / "api.json", 3, 13)


def test_duplicate_key_in_json_is_located(write_files):
    root = write_files(**{"api.json": '{\n  "openapi": "3.1.0",\n  "paths": {},\n  "paths": {}\n}\n'})
    with pytest.raises(SpecError) as caught:
        load_spec(root / "api.json")
    assert caught.value.rule == "yaml-duplicate-key"
    assert caught.value.location is not None and caught.value.location.line == 4
