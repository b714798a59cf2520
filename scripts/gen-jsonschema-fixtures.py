#!/usr/bin/env python3
"""Regenerates Tests/TemplatingTests/Fixtures/jsonschema-oracle-cases.json.

Each case is a (schema, instance) pair with what PyPI's `jsonschema` (Draft202012Validator, the
oracle) says about it: whether the instance is valid, and the JSON Pointers of the top-level
errors. The Swift test `JSONSchemaOracleTests` checks that `JSONSchema.validate` agrees.

Run from the repository root:

    python3 scripts/gen-jsonschema-fixtures.py

It creates `.venv/` with the pinned `jsonschema` when the running interpreter lacks it, and
re-runs itself there. The output is deterministic (hand-written cases plus generated ones from a
fixed seed), so a regeneration without changes leaves the file identical.

The cases stay where ECMA-262 (our `pattern` dialect) and Python's `re` agree: ASCII strings, no
`\\d`/`\\w` on non-ASCII text, no string ending in a newline matched against `$`; and numbers stay
below 2^53, where a double is exact.
"""

import json
import os
import random
import subprocess
import sys

JSONSCHEMA_VERSION = "4.26.0"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(ROOT, "Tests", "TemplatingTests", "Fixtures", "jsonschema-oracle-cases.json")
VENV = os.path.join(ROOT, ".venv")
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def ensure_oracle():
    """Imports jsonschema, or re-runs this script inside .venv/ with it installed."""
    try:
        from importlib.metadata import version

        import jsonschema  # noqa: F401

        if version("jsonschema") == JSONSCHEMA_VERSION:
            return
    except ImportError:
        pass
    python = os.path.join(VENV, "bin", "python")
    if os.path.realpath(sys.executable) == os.path.realpath(python) and os.environ.get(
        "GEN_JSONSCHEMA_IN_VENV"
    ):
        sys.exit(f"jsonschema=={JSONSCHEMA_VERSION} is not importable even inside {VENV}")
    if not os.path.exists(python):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
    subprocess.check_call(
        [python, "-m", "pip", "install", "--quiet", f"jsonschema=={JSONSCHEMA_VERSION}"]
    )
    env = dict(os.environ, GEN_JSONSCHEMA_IN_VENV="1")
    os.execve(python, [python, os.path.abspath(__file__)] + sys.argv[1:], env)


def pointer(path):
    return "".join("/" + str(token).replace("~", "~0").replace("/", "~1") for token in path)


# ---------------------------------------------------------------------------------------------
# Hand-written cases: (description, schema, [instances]). Every keyword, alone and nested.

PERSON = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 20},
        "age": {"type": "integer", "minimum": 0, "maximum": 150},
        "email": {"type": "string", "pattern": "^[^@ ]+@[^@ ]+\\.[a-z]+$"},
        "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True, "maxItems": 3},
    },
    "required": ["name", "age"],
    "additionalProperties": False,
}

TREE = {
    "$defs": {
        "node": {
            "type": "object",
            "properties": {
                "value": {"type": "number"},
                "children": {"type": "array", "items": {"$ref": "#/$defs/node"}},
            },
            "required": ["value"],
        }
    },
    "$ref": "#/$defs/node",
}

HAND_WRITTEN = [
    ("type string", {"type": "string"}, ["a", "", 1, None, True, [], {}]),
    ("type integer", {"type": "integer"}, [1, 1.0, 1.5, -3, 0, "1", True, 1e10]),
    ("type number", {"type": "number"}, [1, 2.5, -0.0, "2", None, False]),
    ("type boolean", {"type": "boolean"}, [True, False, 0, 1, "true", None]),
    ("type null", {"type": "null"}, [None, 0, "", False, [], {}]),
    ("type array", {"type": "array"}, [[], [1, "a"], {}, "[]"]),
    ("type object", {"type": "object"}, [{}, {"a": 1}, [], "{}", None]),
    ("type list", {"type": ["string", "null"]}, ["x", None, 1, [], {}]),
    ("type list with integer", {"type": ["integer", "boolean"]}, [1, 2.0, 2.5, True, "x"]),
    ("enum mixed", {"enum": [1, "two", None, [3], {"four": 4}]},
     [1, 1.0, "two", None, [3], {"four": 4}, {"four": 4.0}, 2, "one", [3, 3], True]),
    ("enum bool vs number", {"enum": [False, 1]}, [False, 0, 1, True, 1.0]),
    ("enum empty", {"enum": []}, [1, None, "x"]),
    ("const object", {"const": {"a": 1, "b": [1, 2]}},
     [{"a": 1, "b": [1, 2]}, {"b": [1, 2], "a": 1}, {"a": 1, "b": [2, 1]}, {"a": 1}]),
    ("const null", {"const": None}, [None, 0, False, ""]),
    ("const number", {"const": 2}, [2, 2.0, "2", 3, True]),
    ("minLength", {"minLength": 3}, ["abc", "ab", "", "abcd", 12, None]),
    ("maxLength", {"maxLength": 3}, ["abc", "abcd", "", 12345]),
    ("length counts code points", {"minLength": 2, "maxLength": 2},
     ["\U0001F600\U0001F600", "\U0001F600", "e\u0301", "\u00e9"]),
    ("pattern unanchored", {"pattern": "b+"}, ["abc", "ac", "", 5]),
    ("pattern anchored", {"pattern": "^[a-z]+-[0-9]{2,4}$"}, ["abc-12", "abc-1", "ABC-12", "x-12345"]),
    ("pattern alternation", {"pattern": "^(cat|dog)s?$"}, ["cat", "dogs", "cats!", "bird"]),
    ("pattern digits and words", {"pattern": "^\\w+\\s\\d+$"}, ["abc 12", "a_b 3", "abc12", "ab  1"]),
    ("pattern class escapes", {"pattern": "^[\\w.-]+$"}, ["a.b-c_d", "a b", "", "x!"]),
    ("pattern quantifier braces", {"pattern": "^a{2}b{1,}$"}, ["aab", "aabbb", "ab", "aaab"]),
    ("minimum", {"minimum": 1.5}, [1.5, 1.4, 2, -1, "0"]),
    ("maximum", {"maximum": 10}, [10, 10.0001, -100, 9.99]),
    ("exclusiveMinimum", {"exclusiveMinimum": 0}, [0, 0.0001, -0.0001, 1]),
    ("exclusiveMaximum", {"exclusiveMaximum": 5}, [5, 4.999, 6, "9"]),
    ("range combined", {"minimum": 1, "maximum": 3, "exclusiveMaximum": 3},
     [1, 2.5, 3, 0.5, 4]),
    ("minItems", {"minItems": 2}, [[1, 2], [1], [], "ab", {}]),
    ("maxItems", {"maxItems": 1}, [[], [1], [1, 2], {"a": 1, "b": 2}]),
    ("uniqueItems", {"uniqueItems": True},
     [[1, 2], [1, 1], [1, 1.0], [0, False], [[1], [1]], [{"a": 1, "b": 2}, {"b": 2, "a": 1}],
      [{"a": 1}, {"a": 2}], ["a", "A"], []]),
    ("uniqueItems false", {"uniqueItems": False}, [[1, 1], []]),
    ("items", {"items": {"type": "integer"}}, [[1, 2], [1, "2", 3.5], [], "x"]),
    ("items false", {"items": False}, [[], [1], [1, 2], "x"]),
    ("items true", {"items": True}, [[1, "a", None]]),
    ("nested items", {"items": {"items": {"type": "string"}}},
     [[["a"], ["b", "c"]], [["a", 1]], [[1], [2, ["x"]]], [1]]),
    ("properties", {"properties": {"a": {"type": "string"}, "b": {"minimum": 0}}},
     [{"a": "x", "b": 1}, {"a": 1, "b": -1}, {"c": 1}, {}, "not an object"]),
    ("properties with special names",
     {"properties": {"a/b": {"type": "string"}, "c~d": {"type": "string"}, "": {"type": "null"}}},
     [{"a/b": "x", "c~d": "y", "": None}, {"a/b": 1, "c~d": 2, "": 3}]),
    ("properties false", {"properties": {"forbidden": False}}, [{"forbidden": 1}, {"other": 1}]),
    ("required", {"required": ["a", "b"]}, [{"a": 1, "b": 2}, {"a": 1}, {}, [], "a"]),
    ("required with properties", {"properties": {"a": {"type": "integer"}}, "required": ["a"]},
     [{"a": 1}, {"a": "x"}, {"b": 1}]),
    ("additionalProperties false", {"properties": {"a": {}}, "additionalProperties": False},
     [{"a": 1}, {"a": 1, "b": 2}, {"b": 2, "c": 3}, {}]),
    ("additionalProperties schema",
     {"properties": {"a": {}}, "additionalProperties": {"type": "boolean"}},
     [{"a": 1, "b": True}, {"a": 1, "b": 1, "c": "x"}, {}]),
    ("additionalProperties alone", {"additionalProperties": {"type": "integer"}},
     [{"x": 1, "y": 2}, {"x": 1.5}, {}]),
    ("allOf", {"allOf": [{"type": "string"}, {"minLength": 2}, {"maxLength": 4}]},
     ["abc", "a", "abcde", 5]),
    ("allOf objects",
     {"allOf": [{"required": ["a"]}, {"properties": {"a": {"type": "integer"}, "b": {"type": "string"}}}]},
     [{"a": 1}, {"a": "x", "b": 2}, {"b": "x"}]),
    ("anyOf", {"anyOf": [{"type": "string"}, {"type": "number", "minimum": 10}]},
     ["x", 10, 5, None, [], 100]),
    ("anyOf types", {"anyOf": [{"type": "string"}, {"type": "null"}]}, ["x", None, 1]),
    ("anyOf with nested errors",
     {"properties": {"v": {"anyOf": [{"type": "integer"}, {"pattern": "^[0-9]+$"}]}}},
     [{"v": 1}, {"v": "12"}, {"v": "x"}, {"v": 1.5}]),
    ("oneOf", {"oneOf": [{"type": "integer"}, {"minimum": 2}]}, [1, 2.5, 3, 1.5]),
    ("oneOf objects",
     {"oneOf": [{"required": ["a"]}, {"required": ["b"]}]},
     [{"a": 1}, {"b": 1}, {"a": 1, "b": 1}, {}]),
    ("not", {"not": {"type": "string"}}, [1, "x", None]),
    ("not nested", {"properties": {"a": {"not": {"enum": [1, 2]}}}}, [{"a": 3}, {"a": 1}, {}]),
    ("not not", {"not": {"not": {"type": "integer"}}}, [1, "x"]),
    ("false schema", False, [1, None, {}]),
    ("true schema", True, [1, None, {}]),
    ("empty schema", {}, [1, "x", [], {}]),
    ("ref to defs", {"$defs": {"pos": {"type": "integer", "minimum": 1}},
                     "properties": {"a": {"$ref": "#/$defs/pos"}, "b": {"$ref": "#/$defs/pos"}}},
     [{"a": 1, "b": 2}, {"a": 0, "b": "x"}, {}]),
    ("ref with siblings", {"$defs": {"s": {"type": "string"}},
                           "properties": {"a": {"$ref": "#/$defs/s", "maxLength": 2}}},
     [{"a": "ab"}, {"a": "abc"}, {"a": 1}]),
    ("ref to root", {"properties": {"child": {"$ref": "#"}, "n": {"type": "integer"}},
                     "additionalProperties": False},
     [{"n": 1, "child": {"n": 2, "child": {}}}, {"child": {"child": {"x": 1}}}, {"n": "a"}]),
    ("ref escaped", {"$defs": {"a/b": {"type": "integer"}, "c~d": {"type": "string"},
                               "e%f": {"type": "null"}},
                     "properties": {"x": {"$ref": "#/$defs/a~1b"}, "y": {"$ref": "#/$defs/c~0d"},
                                    "z": {"$ref": "#/$defs/e%25f"}}},
     [{"x": 1, "y": "s", "z": None}, {"x": "s", "y": 1, "z": 0}]),
    ("ref chain", {"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/c"},
                             "c": {"type": "boolean"}}, "$ref": "#/$defs/a"},
     [True, "x"]),
    ("ref into properties", {"properties": {"a": {"type": "string"}, "b": {"$ref": "#/properties/a"}}},
     [{"b": "x"}, {"b": 1}]),
    ("recursive tree", TREE,
     [{"value": 1}, {"value": 1, "children": [{"value": 2}, {"value": 3, "children": []}]},
      {"value": 1, "children": [{"value": "x"}, {}]}, {"children": []},
      {"value": 1, "children": [{"value": 2, "children": [{"value": None}]}]}]),
    ("person", PERSON,
     [{"name": "Ada", "age": 36},
      {"name": "Ada", "age": 36, "email": "ada@example.org", "tags": ["x", "y"]},
      {"name": "", "age": -1},
      {"name": "Ada"},
      {"name": "Ada", "age": 36.5, "email": "not an email", "tags": ["x", "x", 1, "z"]},
      {"name": "A" * 21, "age": 200, "nickname": "A"},
      {"name": 5, "age": "36", "tags": "x"},
      []]),
    ("nested objects",
     {"type": "object",
      "properties": {"issue": {"type": "object",
                               "properties": {"key": {"type": "string", "pattern": "^[A-Z]+-[0-9]+$"},
                                              "points": {"type": "integer", "minimum": 0}},
                               "required": ["key"]},
                     "options": {"type": "object",
                                 "properties": {"tone": {"enum": ["formal", "casual"]},
                                                "length": {"type": "integer", "exclusiveMinimum": 0}},
                                 "additionalProperties": False}}},
     [{"issue": {"key": "AB-1"}, "options": {"tone": "formal", "length": 3}},
      {"issue": {"key": "ab-1", "points": -1}, "options": {"tone": "rude", "length": 0}},
      {"issue": {}, "options": {"extra": True}},
      {"issue": "AB-1"}]),
    ("array of objects",
     {"type": "array", "minItems": 1,
      "items": {"type": "object", "properties": {"id": {"type": "integer"}, "label": {"type": "string"}},
                "required": ["id"], "additionalProperties": False}},
     [[{"id": 1}, {"id": 2, "label": "x"}], [], [{"label": "x"}, {"id": "1"}, {"id": 3, "other": 1}],
      [{"id": 1}, 5]]),
    ("deeply nested",
     {"properties": {"a": {"properties": {"b": {"properties": {"c": {"items": {"properties": {"d": {"type": "string"}}}}}}}}}},
     [{"a": {"b": {"c": [{"d": "x"}, {"d": 1}]}}}, {"a": {"b": {"c": []}}}, {"a": {"b": {"c": [{"d": None}]}}}]),
    ("annotations only",
     {"$schema": DIALECT, "$comment": "c", "title": "t", "description": "d", "examples": [1],
      "default": 3},
     [1, "x"]),
    ("defaults do not validate", {"properties": {"a": {"type": "string", "default": 5}}},
     [{}, {"a": "x"}, {"a": 1}]),
    ("oneOf with refs",
     {"$defs": {"cat": {"properties": {"kind": {"const": "cat"}, "lives": {"type": "integer"}},
                        "required": ["kind"]},
                "dog": {"properties": {"kind": {"const": "dog"}, "good": {"type": "boolean"}},
                        "required": ["kind"]}},
      "oneOf": [{"$ref": "#/$defs/cat"}, {"$ref": "#/$defs/dog"}]},
     [{"kind": "cat", "lives": 9}, {"kind": "dog", "good": True}, {"kind": "cow"},
      {"kind": "cat", "lives": "nine"}]),
    ("anyOf inside items",
     {"items": {"anyOf": [{"type": "string", "maxLength": 1}, {"type": "integer"}]}},
     [["a", 1], ["ab", 1.5, None], []]),
    ("allOf inside properties with additionalProperties",
     {"properties": {"p": {"allOf": [{"properties": {"x": {"type": "integer"}}},
                                      {"additionalProperties": {"type": "string"}}]}}},
     [{"p": {"x": 1}}, {"p": {"x": "a"}}, {"p": {"y": 1}}]),
    ("not with required", {"not": {"required": ["secret"]}}, [{"a": 1}, {"secret": 1}]),
    ("type and enum disagree", {"type": "string", "enum": [1, "a"]}, ["a", 1, "b"]),
    ("const inside items", {"items": {"const": {"a": [1, {"b": None}]}}},
     [[{"a": [1, {"b": None}]}], [{"a": [1, {"b": 0}]}]]),
    ("unicode strings", {"properties": {"s": {"maxLength": 3, "pattern": "^\\S+$"}}},
     [{"s": "caf\u00e9"}, {"s": "\u00e9t\u00e9"}, {"s": "a b"}]),
    ("property named $ref", {"properties": {"$ref": {"type": "string"}}},
     [{"$ref": "a"}, {"$ref": 1}]),
    ("empty tokens in pointer", {"$defs": {"": {"$defs": {"": {"type": "number"}}}},
                                 "allOf": [{"$ref": "#/$defs//$defs/"}]}, [1, "a"]),
    ("ref to boolean", {"$defs": {"no": False}, "properties": {"x": {"$ref": "#/$defs/no"}}},
     [{"x": 1}, {}]),
]


# ---------------------------------------------------------------------------------------------
# Generated cases: random schemas over the supported keywords, random instances near them.

WORDS = ["a", "b", "c", "id", "name", "tags", "x/y", "t~n"]


def random_scalar_schema(rng):
    choice = rng.randrange(9)
    if choice == 0:
        return {"type": rng.choice(["string", "integer", "number", "boolean", "null"])}
    if choice == 1:
        return {"type": rng.sample(["string", "integer", "number", "boolean", "null", "array", "object"], 2)}
    if choice == 2:
        return {"type": "string", "minLength": rng.randrange(0, 3), "maxLength": rng.randrange(2, 6)}
    if choice == 3:
        return {"type": "string", "pattern": rng.choice(["^a", "b$", "^[a-c]+$", "^x?y*$", "[0-9]", "^\\w+$"])}
    if choice == 4:
        schema = {"type": rng.choice(["number", "integer"])}
        keyword = rng.choice(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"])
        schema[keyword] = rng.choice([0, 1, 2.5, -3, 10])
        return schema
    if choice == 5:
        return {"enum": rng.sample([1, 2, "a", "b", None, True, [1], {"k": 1}], 3)}
    if choice == 6:
        return {"const": rng.choice([1, "a", None, False, [1, 2], {"k": "v"}])}
    if choice == 7:
        return {"not": {"type": rng.choice(["string", "number", "null"])}}
    return rng.choice([True, False, {}])


def random_schema(rng, depth):
    if depth <= 0 or rng.random() < 0.3:
        return random_scalar_schema(rng)
    choice = rng.randrange(6)
    if choice == 0:
        names = rng.sample(WORDS, rng.randrange(1, 4))
        schema = {"type": "object", "properties": {n: random_schema(rng, depth - 1) for n in names}}
        if rng.random() < 0.6:
            schema["required"] = rng.sample(names, rng.randrange(0, len(names) + 1))
        if rng.random() < 0.4:
            schema["additionalProperties"] = rng.choice([False, random_schema(rng, depth - 1)])
        return schema
    if choice == 1:
        schema = {"type": "array", "items": random_schema(rng, depth - 1)}
        if rng.random() < 0.4:
            schema["minItems"] = rng.randrange(0, 3)
        if rng.random() < 0.4:
            schema["maxItems"] = rng.randrange(1, 4)
        if rng.random() < 0.3:
            schema["uniqueItems"] = True
        return schema
    keyword = ["allOf", "anyOf", "oneOf", "not"][choice - 2]
    if keyword == "not":
        return {"not": random_schema(rng, depth - 1)}
    return {keyword: [random_schema(rng, depth - 1) for _ in range(rng.randrange(1, 4))]}


SCALARS = [0, 1, -1, 2, 2.5, 3, 10, 11, -3.5, "", "a", "b", "ab", "abc", "abcd", "xyy", "y", "a1",
           "cab", "bcb", None, True, False]


def random_instance(rng, schema, depth=0):
    """An instance that often fits `schema` and sometimes does not."""
    if depth > 4 or rng.random() < 0.15:
        return rng.choice(SCALARS + [[], {}, [1, 1], {"a": 1}])
    if isinstance(schema, dict):
        if "properties" in schema and rng.random() < 0.85:
            result = {}
            for name, subschema in schema["properties"].items():
                if rng.random() < 0.8:
                    result[name] = random_instance(rng, subschema, depth + 1)
            if rng.random() < 0.25:
                result[rng.choice(["extra", "z"])] = rng.choice(SCALARS)
            return result
        if "items" in schema and rng.random() < 0.85:
            return [random_instance(rng, schema["items"], depth + 1) for _ in range(rng.randrange(0, 4))]
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in schema:
                return random_instance(rng, rng.choice(schema[keyword]), depth + 1)
        if "enum" in schema and rng.random() < 0.6:
            return rng.choice(schema["enum"])
        if "const" in schema and rng.random() < 0.6:
            return schema["const"]
    return rng.choice(SCALARS)


def generated_cases(count, seed=20261126):
    rng = random.Random(seed)
    cases = []
    while len(cases) < count:
        schema = random_schema(rng, 3)
        if not isinstance(schema, dict) or len(json.dumps(schema)) < 30:
            continue
        instances = [random_instance(rng, schema) for _ in range(3)]
        cases.append((f"generated {len(cases) + 1}", schema, instances))
    return cases


# ---------------------------------------------------------------------------------------------


def has_false_schema_error(error):
    if error.message.startswith("False schema does not allow"):
        return True
    return any(has_false_schema_error(child) for child in error.context)


def main():
    ensure_oracle()
    from jsonschema import Draft202012Validator

    cases = []
    for description, schema, instances in HAND_WRITTEN + generated_cases(120):
        Draft202012Validator.check_schema(schema)
        validator = Draft202012Validator(schema)
        for instance in instances:
            errors = list(validator.iter_errors(instance))
            case = {
                "description": description,
                "schema": schema,
                "instance": instance,
                "valid": not errors,
                "pointers": sorted({pointer(error.absolute_path) for error in errors}),
                "oracleMessages": sorted({error.message for error in errors}),
            }
            # jsonschema 4.26 reports a `false` subschema reached through `properties` or
            # `additionalProperties` (its `descend`) without the member's path: compare only the
            # validity there.
            if any(has_false_schema_error(error) for error in errors):
                case["comparePointers"] = False
            cases.append(case)
    document = {
        "generator": "scripts/gen-jsonschema-fixtures.py",
        "oracle": f"jsonschema {JSONSCHEMA_VERSION} (Draft202012Validator)",
        "cases": cases,
    }
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    # One case a line: small, and a regeneration shows up in a diff case by case.
    with open(OUTPUT, "w", encoding="utf-8") as handle:
        handle.write("{\n")
        for key in ("generator", "oracle"):
            handle.write(f" {json.dumps(key)}: {json.dumps(document[key])},\n")
        handle.write(' "cases": [\n')
        lines = [json.dumps(case, ensure_ascii=False, separators=(",", ":")) for case in cases]
        handle.write(",\n".join("  " + line for line in lines))
        handle.write("\n ]\n}\n")
    valid = sum(1 for case in cases if case["valid"])
    print(f"wrote {len(cases)} cases ({valid} valid, {len(cases) - valid} invalid) to "
          f"{os.path.relpath(OUTPUT, ROOT)}")


if __name__ == "__main__":
    main()
