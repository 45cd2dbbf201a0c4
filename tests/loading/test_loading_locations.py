"""`LoadedSpec.locate`: positions of bundled nodes in their own files."""

from __future__ import annotations

import os
from pathlib import Path

from renkei.loading import SourceLocation, load_spec

ROOT = """
openapi: 3.1.0
info:
  title: t
  version: 1.0.0
paths:
  /cards:
    get:
      summary: list
      tags: [cards, more]
      responses:
        '200':
          $ref: 'lib/common.yaml#/components/responses/Ok'
"""

COMMON = """
components:
  responses:
    Ok:
      description: ok
      content:
        application/json:
          schema:
            $ref: '#/components/schemas/Card'
  schemas:
    Card:
      type: object
      properties:
        cardId:
          type: string
"""


def test_locate_root_nodes_points_at_keys_and_items(write_files):
    root = write_files(**{"api.yaml": ROOT, "lib/common.yaml": COMMON})
    spec = load_spec(root / "api.yaml")
    api = spec.path
    assert spec.locate([]) == SourceLocation(api.absolute(), 1, 1)
    assert spec.locate(["info", "version"]) == SourceLocation(api.absolute(), 4, 3)
    assert spec.locate(["paths", "/cards", "get"]) == SourceLocation(api.absolute(), 7, 5)
    assert spec.locate(["paths", "/cards", "get", "tags", 1]) == SourceLocation(api.absolute(), 9, 21)
    assert spec.locate(["paths", "/cards", "get", "tags", "1"]) == SourceLocation(api.absolute(), 9, 21)


def test_locate_copied_components_points_into_the_component_file(write_files):
    root = write_files(**{"api.yaml": ROOT, "lib/common.yaml": COMMON})
    spec = load_spec(root / "api.yaml")
    common = (root / "lib/common.yaml").absolute()
    assert spec.locate(["components", "responses", "Ok"]) == SourceLocation(common, 3, 5)
    assert spec.locate(["components", "schemas", "Card", "properties", "cardId", "type"]) == SourceLocation(
        common, 14, 11
    )


def test_locate_falls_back_to_the_nearest_located_ancestor(write_files):
    root = write_files(**{"api.yaml": ROOT, "lib/common.yaml": COMMON})
    spec = load_spec(root / "api.yaml")
    assert spec.locate(["paths", "/cards", "get", "security", 0]) == spec.locate(["paths", "/cards", "get"])
    assert spec.locate(["nowhere"]) == spec.locate([])


def test_source_location_prints_path_relative_to_cwd(write_files, monkeypatch):
    root = write_files(**{"api.yaml": ROOT, "lib/common.yaml": COMMON})
    monkeypatch.chdir(root)
    location = SourceLocation(root / "lib" / "common.yaml", 12, 5)
    assert str(location) == f"lib{os.sep}common.yaml:12:5"
    assert str(SourceLocation(Path("/elsewhere/x.yaml"), 1, 2)) == "/elsewhere/x.yaml:1:2"


def test_multi_megabyte_spec_loads_and_locates(tmp_path):
    """Not a benchmark: a 2 MB document must load in well under the test timeout, with positions."""
    lines = ["openapi: 3.1.0", "info: {title: big, version: 1.0.0}", "paths: {}", "components:", "  schemas:"]
    for number in range(4000):
        lines += [
            f"    S{number}:",
            "      type: object",
            "      description: 説明文",
            "      properties:",
            *[
                f"        field{field}: {{type: string, description: 項目, example: abc}}"
                for field in range(6)
            ],
            f"        next: {{$ref: '#/components/schemas/S{(number + 1) % 4000}'}}",
        ]
    (tmp_path / "big.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    spec = load_spec(tmp_path / "big.yaml")
    location = spec.locate(["components", "schemas", "S3999", "properties", "field2"])
    assert location is not None
    assert location.line == 6 + 3999 * 11 + 4 + 2
    assert location.column == 9
