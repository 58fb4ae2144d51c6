"""JSON Schemas of show.yaml and episode.yaml, made from the models, for editors.

An editor with the YAML language server (VS Code's YAML extension, Neovim, Helix...) reads a
manifest's first line `# yaml-language-server: $schema=PATH` and then completes and checks
its fields. The schemas come from the pydantic models, so they never lag the fields; the
shorthands the models accept (`speaker: MCEVERS` for a list of one, `image: cover.jpg` for
`{file: cover.jpg}`, `start: "1:15"` for seconds) are added, since pydantic describes only the
value after them. The checks the schema cannot express stay the build's, which is the judge.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from stationcast.models import Episode, Show

#: The manifests, by the name `stationcast schema` takes.
MODELS: dict[str, type[BaseModel]] = {"show": Show, "episode": Episode}

_STRING = {"type": "string"}
# Before-validators that also take a string for the value (or for each item of a list).
_STRING_FOR_VALUE = {"to_list", "_license", "_image", "_seconds", "_txt"}
_STRING_FOR_ITEMS = {"_txt", "_alternate"}


class _ManifestSchema(GenerateJsonSchema):
    def function_before_schema(
        self, schema: core_schema.BeforeValidatorFunctionSchema
    ) -> JsonSchemaValue:
        inner = super().function_before_schema(schema)
        name = getattr(schema["function"].get("function"), "__name__", "")
        if name in _STRING_FOR_ITEMS and inner.get("type") == "array" and "items" in inner:
            inner = {**inner, "items": {"anyOf": [inner["items"], _STRING]}}
        if name in _STRING_FOR_VALUE:
            return {"anyOf": [inner, _STRING]}
        return inner


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the manifest `name` ("show" or "episode")."""
    model = MODELS[name]
    schema = model.model_json_schema(schema_generator=_ManifestSchema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"stationcast {name}.yaml",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def schema_text(name: str) -> str:
    """The schema as the bytes `stationcast schema` prints and `init` writes: sorted, stable."""
    return json.dumps(json_schema(name), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


#: Where `init` (and `stationcast schema --write`) put the schemas: a hidden folder of the
#: show, which the build does not read.
SCHEMA_FOLDER = ".schema"


def schema_line(name: str, *, depth: int) -> str:
    """The first line of a manifest `depth` folders below the show folder (show.yaml: 0,
    episode.yaml: 1) pointing editors at its schema."""
    up = "../" * depth
    return f"yaml-language-server: $schema={up}{SCHEMA_FOLDER}/{name}.json"
