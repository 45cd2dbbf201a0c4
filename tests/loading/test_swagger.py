"""Swagger 2.0 documents are converted to OpenAPI 3.0.3 by the loader, keeping source positions.

The documents under `swagger/oai/` are the Swagger 2.0 examples of the OpenAPI Specification repository
(Apache-2.0, `examples/v2.0/yaml` before the folder was removed in commit 18bf2771); the GMO Aozora Net Bank
specs are in `tests/generation/corpus/` (MIT).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openapi_spec_validator import OpenAPIV30SpecValidator

from renkei.loading import SourceLocation, SpecError, load_spec

HERE = Path(__file__).parent
SEPARATE = HERE / "swagger/oai/petstore-separate/spec/swagger.yaml"
OAI = [*sorted((HERE / "swagger" / "oai").glob("*.yaml")), SEPARATE]
BANKS = sorted((HERE.parent / "generation" / "corpus").glob("swagger2-*.yaml"))


def _errors(document: dict) -> list[str]:
    validator = OpenAPIV30SpecValidator(document)
    return [error.message for error in validator.iter_errors()]


@pytest.mark.parametrize(
    "spec", OAI + BANKS, ids=lambda path: path.parent.parent.name if path == SEPARATE else path.stem
)
def test_converted_document_is_valid_openapi_30(spec: Path) -> None:
    document = load_spec(spec).document
    assert document["openapi"] == "3.0.3"
    assert "swagger" not in document and "definitions" not in document
    assert _errors(document) == []


def test_bank_spec_conversion_keeps_every_operation_and_schema() -> None:
    [personal] = [spec for spec in BANKS if spec.stem.endswith("personal")]
    import yaml

    original = yaml.safe_load(personal.read_text(encoding="utf-8"))
    document = load_spec(personal).document
    methods = {"get", "put", "post", "delete", "patch", "head", "options"}

    def count(doc: dict) -> int:
        return sum(1 for item in doc["paths"].values() for method in item if method in methods)

    assert count(document) == count(original) > 10
    assert set(document["components"]["schemas"]) == set(original["definitions"])
    assert document["servers"] == [{"url": "https://" + original["host"] + original["basePath"]}]
    [body_operation] = [
        op
        for item in document["paths"].values()
        for m, op in item.items()
        if m == "post" and "requestBody" in op
    ][:1]
    assert list(body_operation["requestBody"]["content"]) == ["application/json;charset=UTF-8"]


PETS = """
swagger: "2.0"
info: {title: pets, version: "1.0"}
host: api.example.com
basePath: /v1
schemes: [http, https]
consumes: [application/json]
produces: [application/json]
securityDefinitions:
  basicAuth: {type: basic}
  key: {type: apiKey, name: X-Key, in: header}
  oauth:
    type: oauth2
    flow: accessCode
    authorizationUrl: https://auth.example.com/authorize
    tokenUrl: https://auth.example.com/token
    scopes: {read: read pets}
  machine: {type: oauth2, flow: application, tokenUrl: https://auth.example.com/token, scopes: {}}
parameters:
  limit:
    name: limit
    in: query
    type: integer
    minimum: 1
    maximum: 100
  petBody:
    name: pet
    in: body
    required: true
    schema: {$ref: '#/definitions/Pet'}
responses:
  NotFound:
    description: no such pet
    schema: {$ref: '#/definitions/Error'}
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - $ref: '#/parameters/limit'
        - name: tags
          in: query
          type: array
          items: {type: string}
          collectionFormat: multi
        - name: ids
          in: query
          type: array
          items: {type: integer}
          collectionFormat: pipes
        - name: X-Request-Id
          in: header
          type: string
          format: uuid
      responses:
        "200":
          description: pets
          schema:
            type: array
            items: {$ref: '#/definitions/Pet'}
          headers:
            X-Total: {type: integer, description: total}
          examples:
            application/json: [{id: 1, name: Tama}]
    post:
      operationId: addPet
      parameters:
        - $ref: '#/parameters/petBody'
      responses:
        "201": {description: created}
  /pets/{petId}:
    parameters:
      - {name: petId, in: path, required: true, type: integer, format: int64}
    get:
      operationId: getPet
      produces: [application/json, application/xml]
      responses:
        "200": {description: a pet, schema: {$ref: '#/definitions/Pet'}}
        "404": {$ref: '#/responses/NotFound'}
    put:
      operationId: updatePet
      parameters:
        - name: pet
          in: body
          description: the new pet
          schema: {$ref: '#/definitions/Pet'}
      responses:
        "200": {description: ok}
  /pets/{petId}/photo:
    post:
      operationId: uploadPhoto
      consumes: [multipart/form-data]
      parameters:
        - {name: petId, in: path, required: true, type: integer}
        - {name: file, in: formData, type: file, required: true, description: the photo}
        - {name: caption, in: formData, type: string, maxLength: 80}
      responses:
        "204": {description: stored}
  /pets/{petId}/rename:
    post:
      operationId: renamePet
      consumes: [application/x-www-form-urlencoded]
      parameters:
        - {name: petId, in: path, required: true, type: integer}
        - {name: name, in: formData, type: string, required: true}
        - {name: aliases, in: formData, type: array, items: {type: string}, collectionFormat: multi}
      responses:
        "204": {description: renamed}
definitions:
  Pet:
    type: object
    required: [id, name]
    discriminator: kind
    properties:
      id: {type: integer, format: int64}
      name: {type: string}
      kind: {type: string}
      nickname: {type: string, x-nullable: true}
      photo: {type: file}
  Error:
    type: object
    properties:
      code: {type: string}
"""


@pytest.fixture
def pets(write_files):
    root = write_files(**{"pets.yaml": PETS})
    return load_spec(root / "pets.yaml")


def test_every_swagger_construct_is_converted(pets) -> None:
    document = pets.document
    assert _errors(document) == []
    assert document["servers"] == [
        {"url": "https://api.example.com/v1"},
        {"url": "http://api.example.com/v1"},
    ]
    schemes = document["components"]["securitySchemes"]
    assert schemes["basicAuth"] == {"type": "http", "scheme": "basic"}
    assert schemes["key"] == {"type": "apiKey", "name": "X-Key", "in": "header"}
    assert schemes["oauth"]["flows"] == {
        "authorizationCode": {
            "authorizationUrl": "https://auth.example.com/authorize",
            "tokenUrl": "https://auth.example.com/token",
            "scopes": {"read": "read pets"},
        }
    }
    assert schemes["machine"]["flows"] == {
        "clientCredentials": {"tokenUrl": "https://auth.example.com/token", "scopes": {}}
    }
    assert document["components"]["parameters"]["limit"] == {
        "name": "limit",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": 100},
    }
    assert document["components"]["requestBodies"]["petBody"] == {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}},
        "required": True,
        "x-codegen-request-body-name": "pet",
    }
    listing = document["paths"]["/pets"]["get"]
    limit, tags, ids, request_id = listing["parameters"]
    assert limit == {"$ref": "#/components/parameters/limit"}
    assert tags["style"] == "form" and tags["explode"] is True
    assert tags["schema"] == {"type": "array", "items": {"type": "string"}}
    assert ids["style"] == "pipeDelimited" and ids["explode"] is False
    assert request_id["schema"] == {"type": "string", "format": "uuid"}
    ok = listing["responses"]["200"]
    assert ok["content"]["application/json"]["example"] == [{"id": 1, "name": "Tama"}]
    assert ok["content"]["application/json"]["schema"]["items"] == {"$ref": "#/components/schemas/Pet"}
    assert ok["headers"]["X-Total"] == {"description": "total", "schema": {"type": "integer"}}
    assert document["paths"]["/pets"]["post"]["requestBody"] == {"$ref": "#/components/requestBodies/petBody"}
    item = document["paths"]["/pets/{petId}"]
    assert item["parameters"][0]["schema"] == {"type": "integer", "format": "int64"}
    assert list(item["get"]["responses"]["200"]["content"]) == ["application/json", "application/xml"]
    assert item["get"]["responses"]["404"] == {"$ref": "#/components/responses/NotFound"}
    assert item["put"]["requestBody"]["description"] == "the new pet"
    assert "required" not in item["put"]["requestBody"]
    upload = document["paths"]["/pets/{petId}/photo"]["post"]
    assert [p["name"] for p in upload["parameters"]] == ["petId"]
    form = upload["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert form["properties"]["file"] == {"type": "string", "format": "binary", "description": "the photo"}
    assert form["properties"]["caption"] == {"type": "string", "maxLength": 80}
    assert form["required"] == ["file"]
    rename = document["paths"]["/pets/{petId}/rename"]["post"]["requestBody"]["content"]
    urlencoded = rename["application/x-www-form-urlencoded"]
    assert urlencoded["encoding"] == {"aliases": {"style": "form", "explode": True}}
    pet = document["components"]["schemas"]["Pet"]
    assert pet["discriminator"] == {"propertyName": "kind"}
    assert pet["properties"]["nickname"] == {"type": "string", "nullable": True}
    assert pet["properties"]["photo"] == {"type": "string", "format": "binary"}


def test_converted_nodes_are_located_in_the_swagger_file(pets) -> None:
    file = pets.path.absolute()

    def line(*pointer: str | int) -> int:
        location = pets.locate(pointer)
        assert location is not None and location.file == file
        return location.line

    text = PETS.lstrip("\n").splitlines()

    def line_of(fragment: str, after: int = 0) -> int:
        return next(
            number for number, content in enumerate(text, 1) if number > after and fragment in content
        )

    assert line("openapi") == line_of('swagger: "2.0"')
    assert line("components", "schemas", "Pet") == line_of("  Pet:", line_of("definitions:"))
    assert line("components", "schemas", "Pet", "properties", "nickname") == line_of("nickname:")
    assert line("components", "securitySchemes", "oauth") == line_of("  oauth:")
    assert line("components", "parameters", "limit", "schema") == line_of(
        "type: integer", line_of("  limit:")
    )
    tags = line_of("- name: tags")
    assert line("paths", "/pets", "get", "parameters", 1) == tags
    assert line("paths", "/pets", "get", "parameters", 1, "schema") == tags + 2
    assert line("paths", "/pets", "get", "parameters", 3, "schema", "format") == line_of("format: uuid")
    assert line("paths", "/pets/{petId}", "put", "requestBody") == line_of(
        "- name: pet", line_of("updatePet")
    )
    assert line("paths", "/pets/{petId}/photo", "post", "parameters", 0) == line_of(
        "{name: petId", line_of("photo:")
    )
    assert line("paths", "/pets", "get", "responses", "200", "content") == line_of(
        "schema:", line_of("listPets")
    )


def test_a_json_swagger_document_keeps_its_positions(tmp_path: Path) -> None:
    import yaml

    spec = tmp_path / "pets.json"
    spec.write_text(json.dumps(yaml.safe_load(PETS), indent=2), encoding="utf-8")
    loaded = load_spec(spec)
    location = loaded.locate(["components", "schemas", "Pet", "properties", "nickname"])
    assert location is not None
    assert spec.read_text(encoding="utf-8").splitlines()[location.line - 1].strip().startswith('"nickname"')


def test_an_error_in_a_swagger_document_names_its_file_and_line(write_files) -> None:
    from typer.testing import CliRunner

    from renkei.cli import app

    broken = PETS.replace("operationId: getPet", "operationId: listPets")  # duplicate operationId
    root = write_files(**{"pets.yaml": broken})
    result = CliRunner().invoke(app, ["generate", str(root / "pets.yaml"), "-o", str(root / "out")])
    assert result.exit_code == 1
    [line] = [
        n for n, text in enumerate(broken.lstrip("\n").splitlines(), 1) if "operationId: listPets" in text
    ][1:]
    assert f"pets.yaml:{line}:" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("version", ["1.2", "3.0"])
def test_other_swagger_versions_are_refused_clearly(write_files, version: str) -> None:
    root = write_files(
        **{"old.yaml": f'swagger: "{version}"\ninfo: {{title: t, version: "1"}}\npaths: {{}}\n'}
    )
    with pytest.raises(SpecError) as raised:
        load_spec(root / "old.yaml")
    assert f"Swagger '{version}' is not supported: only Swagger 2.0" in raised.value.message
    assert raised.value.location == SourceLocation((root / "old.yaml").absolute(), 1, 1)


def test_a_path_level_body_parameter_reaches_every_operation(write_files) -> None:
    root = write_files(
        **{
            "shared.yaml": """
            swagger: "2.0"
            info: {title: t, version: "1"}
            paths:
              /things:
                parameters:
                  - {name: thing, in: body, schema: {type: object}}
                put:
                  responses: {"200": {description: ok}}
                post:
                  parameters:
                    - {name: other, in: body, schema: {type: string}}
                  responses: {"200": {description: ok}}
            """
        }
    )
    document = load_spec(root / "shared.yaml").document
    item = document["paths"]["/things"]
    assert "parameters" not in item
    assert item["put"]["requestBody"]["content"]["application/json"]["schema"] == {"type": "object"}
    assert item["post"]["requestBody"]["content"]["application/json"]["schema"] == {"type": "string"}
    assert _errors(document) == []
