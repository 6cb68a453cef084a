"""The OpenAPI document types every JSON success response, so clients can be generated from it.

Every operation that answers JSON on a 2xx documents a model (a $ref, an array of $ref, or a choice
of $refs), never a bare object; and every model a success response reaches forbids fields it does
not declare, so a field the code adds without declaring it fails validation (a 500 the fuzz test
catches) instead of being dropped silently or left undocumented.
"""
from typing import Any

import pytest

from services.gateway.main import create_app
from shared.settings import Settings


@pytest.fixture(scope="module")
def document(tmp_path_factory) -> dict[str, Any]:
    return create_app(Settings(data_dir=tmp_path_factory.mktemp("openapi"))).openapi()


def success_schemas(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """"METHOD /path status" -> the JSON schema of each 2xx answer with a JSON body."""
    found = {}
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            for status, response in operation["responses"].items():
                schema = (response.get("content") or {}).get("application/json", {}).get("schema")
                if status.startswith("2") and schema is not None:  # not 204, PDFs, files, SVG, SSE
                    found[f"{method.upper()} {path} {status}"] = schema
    return found


def typed(schema: dict[str, Any]) -> bool:
    if "$ref" in schema:
        return True
    if schema.get("type") == "array":
        return "$ref" in schema.get("items", {})
    return bool(schema.get("anyOf")) and all("$ref" in choice for choice in schema["anyOf"])


def refs(schema: Any) -> set[str]:
    if isinstance(schema, dict):
        return {schema["$ref"].rsplit("/", 1)[-1]} if "$ref" in schema else set().union(
            *(refs(value) for value in schema.values()))
    if isinstance(schema, list):
        return set().union(*(refs(value) for value in schema))
    return set()


def test_every_json_success_response_has_a_model(document):
    schemas = success_schemas(document)
    assert len(schemas) > 40  # the document really lists the API
    assert [label for label, schema in schemas.items() if not typed(schema)] == []


def test_every_response_model_forbids_undeclared_fields(document):
    components = document["components"]["schemas"]
    todo, seen = set().union(*(refs(schema) for schema in success_schemas(document).values())), set()
    while todo:
        name = todo.pop()
        seen.add(name)
        todo |= refs(components[name]) - seen
    models = [name for name in seen if components[name].get("type") == "object"]
    assert models
    assert [name for name in sorted(models) if components[name].get("additionalProperties") is not False] == []
