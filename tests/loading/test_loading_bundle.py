"""Bundling: external refs become local refs, their targets are copied under `components`."""

from __future__ import annotations

import json

from renkei.loading import load_spec

ROOT = """
openapi: 3.1.0
info: {title: t, version: 1.0.0}
paths:
  /accounts:
    get:
      parameters:
        - $ref: './components/common.yaml#/components/parameters/Limit'
      responses:
        200:
          description: ok
          content:
            application/json:
              schema:
                $ref: './components/common.yaml#/components/schemas/Tree'
        '400':
          $ref: 'components/common.yaml#/components/responses/BadRequest'
components:
  schemas:
    Local:
      type: object
      properties:
        pet: {$ref: 'pet.yaml'}
        self: {$ref: '#/components/schemas/Local'}
"""

COMMON = """
components:
  parameters:
    Limit:
      name: limit
      in: query
      schema: {type: integer}
  schemas:
    Tree:
      type: object
      properties:
        children:
          type: array
          items: {$ref: '#/components/schemas/Tree'}
        amount: {$ref: '#/components/schemas/JpyAmount'}
    JpyAmount:
      type: string
      format: jpy-amount
    ErrorResponse:
      type: object
    Unused:
      type: string
  responses:
    BadRequest:
      description: bad
      content:
        application/json:
          schema: {$ref: '#/components/schemas/ErrorResponse'}
"""

PET = """
type: object
properties:
  name: {type: string}
"""


def all_refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from all_refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from all_refs(item)


def test_external_refs_become_local_and_targets_are_copied(write_files):
    root = write_files(**{"api.yaml": ROOT, "components/common.yaml": COMMON, "pet.yaml": PET})
    spec = load_spec(root / "api.yaml")
    document = spec.document
    operation = document["paths"]["/accounts"]["get"]
    assert operation["parameters"] == [{"$ref": "#/components/parameters/Limit"}]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Tree"
    }
    assert operation["responses"]["400"] == {"$ref": "#/components/responses/BadRequest"}
    components = document["components"]
    assert components["parameters"]["Limit"]["name"] == "limit"
    assert set(components["schemas"]) == {"Local", "Tree", "JpyAmount", "ErrorResponse", "pet"}
    assert components["schemas"]["pet"]["properties"]["name"] == {"type": "string"}
    assert components["schemas"]["Local"]["properties"]["pet"] == {"$ref": "#/components/schemas/pet"}
    # Internal refs stay refs: the recursive schemas are not inlined.
    assert components["schemas"]["Tree"]["properties"]["children"]["items"] == {
        "$ref": "#/components/schemas/Tree"
    }
    assert components["schemas"]["Local"]["properties"]["self"] == {"$ref": "#/components/schemas/Local"}
    # Self-contained: every ref is local and resolves inside the bundle; JSON-serialisable.
    for ref in all_refs(document):
        assert ref.startswith("#/")
        node = document
        for token in ref[2:].split("/"):
            node = node[token]
    json.dumps(document)


def test_bundling_is_deterministic(write_files):
    root = write_files(**{"api.yaml": ROOT, "components/common.yaml": COMMON, "pet.yaml": PET})
    first = json.dumps(load_spec(root / "api.yaml").document)
    second = json.dumps(load_spec(root / "api.yaml").document)
    assert first == second
    assert list(json.loads(first)["components"]["schemas"]) == [
        "Local",
        "Tree",
        "pet",
        "JpyAmount",
        "ErrorResponse",
    ]


def test_same_component_defined_identically_in_root_and_library_is_shared(write_files):
    root = write_files(
        **{
            "api.yaml": """
                openapi: 3.1.0
                paths: {}
                components:
                  schemas:
                    JpyAmount: {type: string, format: jpy-amount}
                    Price: {$ref: 'lib.yaml#/components/schemas/JpyAmount'}
            """,
            "lib.yaml": """
                components:
                  schemas:
                    JpyAmount: {type: string, format: jpy-amount}
            """,
        }
    )
    document = load_spec(root / "api.yaml").document
    assert document["components"]["schemas"]["Price"] == {"$ref": "#/components/schemas/JpyAmount"}
    assert document["components"]["schemas"]["JpyAmount"] == {"type": "string", "format": "jpy-amount"}


def test_non_component_targets_get_a_deterministic_name_in_the_implied_section(write_files):
    root = write_files(
        **{
            "api.yaml": """
                openapi: 3.1.0
                paths:
                  /a:
                    get:
                      parameters:
                        - $ref: 'shared.yaml#/params/page'
                      responses:
                        '200': {$ref: 'shared.yaml#/answers/ok'}
                components:
                  schemas:
                    Name: {$ref: 'shared.yaml#/definitions/Name'}
                    Other: {$ref: 'other/shared.yaml#/definitions/Name'}
            """,
            "shared.yaml": """
                params:
                  page: {name: page, in: query, schema: {type: integer}}
                answers:
                  ok: {description: ok}
                definitions:
                  Name: {type: string}
            """,
            "other/shared.yaml": """
                definitions:
                  Name: {type: integer}
            """,
        }
    )
    document = load_spec(root / "api.yaml").document
    get = document["paths"]["/a"]["get"]
    assert get["parameters"] == [{"$ref": "#/components/parameters/shared_page"}]
    assert get["responses"]["200"] == {"$ref": "#/components/responses/shared_ok"}
    schemas = document["components"]["schemas"]
    assert schemas["Name"] == {"$ref": "#/components/schemas/shared_Name"}
    assert schemas["Other"] == {"$ref": "#/components/schemas/shared_Name_2"}
    assert schemas["shared_Name"] == {"type": "string"}
    assert schemas["shared_Name_2"] == {"type": "integer"}


def test_refs_inside_examples_and_extensions_are_data_not_references(write_files):
    root = write_files(
        **{
            "api.yaml": """
                openapi: 3.1.0
                paths: {}
                components:
                  schemas:
                    Doc:
                      type: object
                      example: {$ref: 'nowhere.yaml'}
                      x-note: {$ref: 'nowhere.yaml'}
                      properties:
                        example: {$ref: 'lib.yaml#/components/schemas/Text'}
            """,
            "lib.yaml": "components: {schemas: {Text: {type: string}}}\n",
        }
    )
    schemas = load_spec(root / "api.yaml").document["components"]["schemas"]
    assert schemas["Doc"]["example"] == {"$ref": "nowhere.yaml"}
    assert schemas["Doc"]["properties"]["example"] == {"$ref": "#/components/schemas/Text"}


def test_scalars_follow_yaml_1_2_core_schema_and_keys_are_strings(write_files):
    root = write_files(
        **{
            "api.yaml": """
                openapi: 3.1.0
                paths: {}
                x-values:
                  date: 2024-01-31
                  yes: yes
                  on: off
                  int: 42
                  neg: -7
                  float: 1.5
                  exp: 1e3
                  bool: true
                  nothing: null
                  tilde: ~
                  empty:
                  quoted: '123'
                  zero_padded: '0123'
                  200: response code key
                  hex: 0x1F
            """
        }
    )
    values = load_spec(root / "api.yaml").document["x-values"]
    assert values == {
        "date": "2024-01-31",
        "yes": "yes",
        "on": "off",
        "int": 42,
        "neg": -7,
        "float": 1.5,
        "exp": 1000.0,
        "bool": True,
        "nothing": None,
        "tilde": None,
        "empty": None,
        "quoted": "123",
        "zero_padded": "0123",
        "200": "response code key",
        "hex": 31,
    }


def test_json_documents_load_too(write_files):
    root = write_files(
        **{
            "api.json": '{"openapi": "3.1.0", "paths": {"/a": {"$ref": "lib.json#/components/pathItems/A"}}}',
            "lib.json": (
                '{"components": {"pathItems": {"A": {"get": {"responses": {"200": {"description": "ok"}}}}}}}'
            ),
        }
    )
    spec = load_spec(root / "api.json")
    assert spec.document["paths"]["/a"] == {"$ref": "#/components/pathItems/A"}
    assert spec.document["components"]["pathItems"]["A"]["get"]["responses"]["200"]["description"] == "ok"
    location = spec.locate(["components", "pathItems", "A", "get"])
    assert location is not None and location.file.name == "lib.json"


def test_discriminator_mapping_values_are_bundled_too(write_files):
    root = write_files(
        **{
            "api.yaml": """
                openapi: 3.1.0
                paths: {}
                components:
                  schemas:
                    Pet:
                      oneOf:
                        - $ref: 'pets.yaml#/components/schemas/Cat'
                      discriminator:
                        propertyName: kind
                        mapping:
                          cat: 'pets.yaml#/components/schemas/Cat'
                          dog: Dog
            """,
            "pets.yaml": "components:\n  schemas:\n    Cat: {type: object}\n",
        }
    )
    pet = load_spec(root / "api.yaml").document["components"]["schemas"]["Pet"]
    assert pet["discriminator"]["mapping"] == {"cat": "#/components/schemas/Cat", "dog": "Dog"}
    assert pet["oneOf"] == [{"$ref": "#/components/schemas/Cat"}]


def test_yaml_anchors_and_merge_keys(write_files):
    root = write_files(
        **{
            "api.yaml": """
                openapi: 3.1.0
                paths: {}
                components:
                  schemas:
                    Base: &base
                      type: object
                      description: base
                    Child:
                      <<: *base
                      description: child
                    Copy: *base
            """
        }
    )
    spec = load_spec(root / "api.yaml")
    schemas = spec.document["components"]["schemas"]
    assert schemas["Child"] == {"type": "object", "description": "child"}
    assert schemas["Copy"] == {"type": "object", "description": "base"}
    assert "<<" not in schemas["Child"]
    merged = spec.locate(["components", "schemas", "Child", "type"])
    assert merged is not None and merged.line == 6
