"""Tolerant loading (what `renkei check` uses): every bad `$ref` is collected, located, reported once, and
the rest of the document is still bundled."""

from __future__ import annotations

import pytest

from renkei.loading import SpecError, load_spec

ROOT = """\
openapi: 3.1.0
paths: {}
components:
  schemas:
    A:
      $ref: 'lib.yaml#/components/schemas/Nope'
    B:
      $ref: 'missing.yaml#/x'
    C:
      $ref: 'lib.yaml#/components/schemas/Yes'
    D:
      $ref: 'broken.yaml#/x'
    E:
      $ref: 'broken.yaml#/y'
    F:
      $ref: '#/components/schemas/G'
    G:
      $ref: '#/components/schemas/F'
"""


def test_every_bad_reference_is_one_problem_and_the_rest_is_bundled(write_files):
    root = write_files(
        **{
            "api.yaml": ROOT,
            "lib.yaml": "components:\n  schemas:\n    Yes: {type: string}\n",
            "broken.yaml": "x: [1, 2\n",
        }
    )
    spec = load_spec(root / "api.yaml", tolerant=True)
    found = [(error.rule, error.location.file.name, error.location.line) for error in spec.problems]
    assert found == [
        ("ref-unresolvable", "api.yaml", 6),
        ("ref-unresolvable", "api.yaml", 8),
        ("yaml-syntax", "broken.yaml", 2),  # once, though two references lead into it
        ("ref-cycle", "api.yaml", 16),  # once, though both of its references are walked
    ]
    schemas = spec.document["components"]["schemas"]
    assert schemas["C"] == {"$ref": "#/components/schemas/Yes"} and schemas["Yes"] == {"type": "string"}
    for name in ("A", "B", "D", "E"):
        assert "$ref" not in schemas[name]
        assert spec.through_unresolved(("components", "schemas", name, "type"))
    assert not spec.through_unresolved(("components", "schemas", "C"))


def test_strict_loading_still_raises_the_first_problem(write_files):
    root = write_files(**{"api.yaml": ROOT, "lib.yaml": "components: {schemas: {}}\n"})
    with pytest.raises(SpecError) as caught:
        load_spec(root / "api.yaml")
    assert caught.value.rule == "ref-unresolvable"
    assert caught.value.location is not None and caught.value.location.line == 6


def test_a_root_document_that_cannot_be_read_raises_even_when_tolerant(write_files):
    root = write_files(**{"api.yaml": "openapi: 3.1.0\npaths: [\n"})
    with pytest.raises(SpecError):
        load_spec(root / "api.yaml", tolerant=True)
