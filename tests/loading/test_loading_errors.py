"""Every load failure is a SpecError with a rule, a one-line message and (when known) a location."""

from __future__ import annotations

import pytest

from renkei.loading import SpecError, load_spec


def load_error(path) -> SpecError:
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    error = caught.value
    assert "\n" not in error.message
    assert "Traceback" not in str(error)
    return error


def test_broken_yaml(write_files):
    root = write_files(**{"api.yaml": "openapi: 3.1.0\npaths: [1, 2\ninfo: {}\n"})
    error = load_error(root / "api.yaml")
    assert error.rule == "yaml-syntax"
    assert error.location is not None and error.location.line == 3


def test_tab_indentation_is_broken_yaml(write_files):
    root = write_files(**{"api.yaml": "openapi: 3.1.0\npaths:\n\t/a: {}\n"})
    error = load_error(root / "api.yaml")
    assert error.rule == "yaml-syntax"
    assert error.location is not None and error.location.line == 3


def test_duplicate_key(write_files):
    root = write_files(**{"api.yaml": "openapi: 3.1.0\npaths:\n  /a: {}\n  /a: {}\n"})
    error = load_error(root / "api.yaml")
    assert error.rule == "yaml-duplicate-key"
    assert error.location is not None and (error.location.line, error.location.column) == (4, 3)


def test_missing_file(tmp_path):
    error = load_error(tmp_path / "nope.yaml")
    assert error.rule == "file-missing"
    assert "nope.yaml" in error.message


def test_directory_is_not_a_document(tmp_path):
    assert load_error(tmp_path).rule == "file-unreadable"


def test_not_utf8(write_files, tmp_path):
    (tmp_path / "api.yaml").write_bytes("openapi: 3.1.0\ninfo: 説明\n".encode("shift_jis"))
    error = load_error(tmp_path / "api.yaml")
    assert error.rule == "yaml-syntax"
    assert error.location is not None and error.location.line == 2


@pytest.mark.parametrize("text", ["", "- a\n- b\n", "just a string\n"])
def test_document_must_be_a_mapping(write_files, text):
    root = write_files(**{"api.yaml": text})
    assert load_error(root / "api.yaml").rule in {"document-not-mapping", "yaml-syntax"}


def test_ref_to_missing_file_is_located_at_the_ref(write_files):
    root = write_files(**{"api.yaml": "openapi: 3.1.0\npaths:\n  /a:\n    $ref: 'missing.yaml#/x'\n"})
    error = load_error(root / "api.yaml")
    assert error.rule == "ref-unresolvable"
    assert "missing.yaml" in error.message
    assert error.location is not None and (error.location.line, error.location.column) == (4, 5)


def test_ref_to_missing_pointer_in_another_file(write_files):
    root = write_files(
        **{
            "api.yaml": "openapi: 3.1.0\npaths: {}\nx:\n  $ref: 'lib.yaml#/components/schemas/Nope'\n",
            "lib.yaml": "components:\n  schemas:\n    Yes: {type: string}\n",
        }
    )
    error = load_error(root / "api.yaml")
    assert error.rule == "ref-unresolvable"
    assert "#/components/schemas/Nope" in error.message
    assert error.location is not None and error.location.line == 4


def test_ref_to_missing_pointer_inside_a_component_file_is_located_there(write_files):
    root = write_files(
        **{
            "api.yaml": "openapi: 3.1.0\npaths: {}\nx:\n  $ref: 'lib.yaml#/components/schemas/A'\n",
            "lib.yaml": "components:\n  schemas:\n    A:\n      $ref: '#/components/schemas/B'\n",
        }
    )
    error = load_error(root / "api.yaml")
    assert error.rule == "ref-unresolvable"
    assert error.location is not None
    assert error.location.file.name == "lib.yaml" and error.location.line == 4


def test_local_ref_to_missing_pointer(write_files):
    root = write_files(**{"api.yaml": "openapi: 3.1.0\npaths: {}\nx: {$ref: '#/components/schemas/A'}\n"})
    assert load_error(root / "api.yaml").rule == "ref-unresolvable"


def test_ref_cycle_across_files(write_files):
    root = write_files(
        **{
            "api.yaml": "openapi: 3.1.0\npaths: {}\nx:\n  $ref: 'lib.yaml#/components/schemas/A'\n",
            "lib.yaml": (
                "components:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n"
                "    B: {$ref: '#/components/schemas/A'}\n"
            ),
        }
    )
    error = load_error(root / "api.yaml")
    assert error.rule == "ref-cycle"
    assert "#/components/schemas/A" in error.message and "#/components/schemas/B" in error.message


def test_self_ref_is_a_cycle(write_files):
    root = write_files(
        **{
            "api.yaml": (
                "openapi: 3.1.0\npaths: {}\ncomponents:\n  schemas:\n"
                "    A:\n      $ref: '#/components/schemas/A'\n"
            )
        }
    )
    error = load_error(root / "api.yaml")
    assert error.rule == "ref-cycle"
    assert error.location is not None and error.location.line == 6


def test_recursion_through_properties_is_not_a_cycle(write_files):
    root = write_files(
        **{
            "api.yaml": """
                openapi: 3.1.0
                paths: {}
                components:
                  schemas:
                    Node:
                      type: object
                      properties:
                        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
                        parent: {$ref: '#/components/schemas/Parent'}
                    Parent: {$ref: '#/components/schemas/Node'}
            """
        }
    )
    assert "Node" in load_spec(root / "api.yaml").document["components"]["schemas"]


def test_remote_ref(write_files):
    root = write_files(
        **{"api.yaml": "openapi: 3.1.0\npaths: {}\nx: {$ref: 'https://example.com/s.yaml#/A'}\n"}
    )
    error = load_error(root / "api.yaml")
    assert error.rule == "ref-remote"
    assert "remote $ref not supported" in error.message


def test_component_name_clash_names_both_spots(write_files):
    root = write_files(
        **{
            "api.yaml": """
                openapi: 3.1.0
                paths: {}
                components:
                  schemas:
                    Amount: {type: number}
                    Price: {$ref: 'lib.yaml#/components/schemas/Amount'}
            """,
            "lib.yaml": "components:\n  schemas:\n    Amount: {type: string}\n",
        }
    )
    error = load_error(root / "api.yaml")
    assert error.rule == "ref-name-clash"
    assert "api.yaml:5:5" in error.message and "lib.yaml:3:5" in error.message
