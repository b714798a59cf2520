#!/usr/bin/env python3
"""Regenerates the Templating differential fixtures from the real handlebars.js.

The reference is Debian's libjs-handlebars (handlebars.js 4.7.7, the UMD build) under node,
through scripts/handlebars-reference.js: it renders with `noEscape: true` and Promptsmith's prompt
helpers registered in JavaScript. (Until December 2026 the reference was PyPI's `handlebars`, a
js2py transpilation of 4.7.8; the cases whose expected result changed with the switch are listed
in handlebars-corpus.json under `changedFromJs2py`.)

A case may pin `js`, the JavaScript result it was written to check, with a `note` on why:
js2py got those wrong. The generator stops if handlebars.js disagrees with a pinned result.

Writes, relative to the repository root:
  Tests/TemplatingTests/Fixtures/handlebars-corpus.json
  Tests/TemplatingTests/Fixtures/mustache-spec-handlebars.json
  Tests/TemplatingTests/Fixtures/handlebars-spec-partials.json (from templating_spec_cases.py
    and the layout cases below)
Run it through scripts/gen-templating-fixtures.sh, which installs libjs-handlebars and node.
"""
import json
import os
import shutil
import subprocess
import sys

from templating_spec_cases import SPEC_CASES

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "TemplatingTests", "Fixtures")
SPEC_COPY = os.path.join(FIXTURES, "mustache-spec")
SPEC_SHARED = os.path.join(os.path.dirname(ROOT), "shared", "conformance", "mustache-spec")
SPEC_FILES = ["comments", "interpolation", "inverted", "partials", "sections"]
REFERENCE = os.path.join(ROOT, "scripts", "handlebars-reference.js")
VERSION = None


def render_all(cases):
    """Renders [{template, data, partials}] with handlebars.js; returns [("ok"|"error", text)]."""
    global VERSION
    payload = json.dumps([{"template": c["template"], "data": c.get("data"),
                           "partials": c.get("partials") or None} for c in cases])
    done = subprocess.run(["node", REFERENCE], input=payload, capture_output=True, text=True,
                          check=True)
    answer = json.loads(done.stdout)
    VERSION = answer["version"]
    return [("error", r["error"]) if "error" in r else ("ok", r["expected"])
            for r in answer["results"]]


ISSUE = {
    "key": "PS-42",
    "title": "Add SSO login",
    "description": "Users want to sign in with their company account.\n\nSee the RFC.",
    "criteria": "- Login button\n- Redirect back",
    "status": "In Progress",
    "statusCategory": "indeterminate",
    "priority": "High",
    "type": "Story",
    "labels": ["auth", "backend"],
    "assignee": {"name": "Ada Lovelace", "email": "ada@example.com"},
    "url": "https://tracker.example.com/PS-42",
    "tracker": "jira",
}

CASES = []


def case(name, template, data=None, partials=None, js=None, note=None):
    CASES.append({"name": name, "template": template, "data": data if data is not None else {},
                  "partials": partials, "js": js, "note": note})


# --- Expressions and paths -------------------------------------------------------------
case("plain text", "Hello, world")
case("empty template", "")
case("simple variable", "Hello {{name}}!", {"name": "Ada"})
case("triple stash", "{{{name}}}", {"name": "<b>&</b>"})
case("ampersand", "{{&name}}", {"name": "<i>\"x\"</i>"})
case("no escaping", "{{name}}", {"name": "<script>&'\"`="})
case("missing variable", "[{{missing}}]")
case("null variable", "[{{x}}]", {"x": None})
case("nested path dot", "{{a.b.c}}", {"a": {"b": {"c": "deep"}}})
case("nested path slash", "{{a/b/c}}", {"a": {"b": {"c": "slash"}}})
case("path through null", "[{{a.b.c}}]", {"a": None})
case("path through missing", "[{{a.b.c}}]", {"a": {}})
case("path through string", "[{{a.b}}]", {"a": "text"})
case("path through number", "[{{a.b}}]", {"a": 5})
case("path through zero", "[{{a.b}}]", {"a": 0})
case("this", "{{this}}", "just a string")
case("dot", "{{.}}", "dot string")
case("this.name", "{{this.name}}", {"name": "via this"})
case("./name", "{{./name}}", {"name": "via dot slash"})
case("this/name", "{{this/name}}", {"name": "via this slash"})
case("segment literal", "{{[odd name]}}", {"odd name": "odd"})
case("segment literal nested", "{{a.[b c].[d]}}", {"a": {"b c": {"d": "lit"}}})
case("segment literal with dot", "{{[a.b]}}", {"a.b": "dotted key"})
case("segment literal escaped bracket", "{{[a\\]b]}}", {"a]b": "bracket"})
case("segment literal this", "{{[this]}}", {"this": "literal this"})
case("array index path", "{{list.[1]}}", {"list": ["a", "b", "c"]})
case("array index dot number", "{{list.0}}", {"list": ["first"]})
case("array length", "{{list.length}}", {"list": [1, 2, 3]})
case("string length", "{{s.length}}", {"s": "hello"})
case("object length missing", "[{{o.length}}]", {"o": {"a": 1}})
case("object length key", "{{o.length}}", {"o": {"length": "own"}})
case("array out of range", "[{{list.[5]}}]", {"list": [1]})
case("hyphen identifier", "{{first-name}}", {"first-name": "Hy"})
case("identifier with colon and dollar", "{{a:b}} {{$x}}", {"a:b": "colon", "$x": "dollar"})
case("unicode identifier", "{{prénom}} {{名前}}", {"prénom": "Zoé", "名前": "Taro"})
case("whitespace inside mustache", "{{  name  }}", {"name": "spaced"})
case("newline inside mustache", "{{\nname\n}}", {"name": "nl"})
case("string literal as path", "{{\"name\"}}", {"name": "from string"})
case("number literal as path", "{{1}}", {"1": "one"})
case("boolean literal as path", "{{true}}", {"true": "t"})
case("null literal as path", "[{{null}}]", {"null": "n"})
case("undefined literal as path", "[{{undefined}}]", {"undefined": "u"})
case("key named like helper is shadowed", "[{{upper}}]", {"upper": "value"})
case("at root", "{{@root.name}}", {"name": "rooted"})
case("at root nested", "{{#with a}}{{@root.name}}-{{name}}{{/with}}", {"name": "R", "a": {"name": "A"}})
case("unknown data variable", "[{{@nothing}}]")
case("index outside each", "[{{@index}}]")
case("root of array", "{{#each this}}{{@root.length}}{{/each}}", [1, 2])

# --- Values: JavaScript String() ------------------------------------------------------------
for label, value in [
    ("zero", 0), ("negative zero", -0.0), ("one point zero", 1.0), ("float", 1.5), ("negative", -42),
    ("tenth", 0.1), ("third", 1 / 3), ("big int", 12345678901234567), ("1e21", 1e21),
    ("1e20", 1e20), ("1e-6", 0.000001), ("1e-7", 1e-7), ("small", 1.5e-10), ("huge", 1.7976931348623157e308),
    ("max safe", 9007199254740991), ("round trip", 0.30000000000000004), ("123e-20", 123e-20),
    ("neg exp", -2.5e-8), ("thousand", 1000), ("true", True), ("false", False),
    ("empty string", ""), ("empty array", []), ("array", [1, "b", None, True]),
    ("nested array", [1, [2, [3, 4]], []]), ("array of objects", [{"a": 1}, {"b": 2}]),
    ("object", {"a": 1}), ("empty object", {}), ("unicode", "é ü ß 中文 😀"),
    ("newlines", "line1\nline2\r\nline3"),
]:
    case("value " + label, "[{{v}}]", {"v": value})
case("value 1e21 large formatted", "[{{v}}]", {"v": 123456789012345680000},
     js="[123456789012345680000]", note="js2py prints 123456789012345683968; JavaScript prints the shortest round-trip digits")
case("value 2^70", "[{{v}}]", {"v": 2 ** 70})
case("number literal param", "{{lookup this 1.50}}", {"1.5": "one and a half"})
case("negative number literal", "{{join (default undefined -3) \"\"}}")
case("number literal rendering via default", "{{default null 0.5}}|{{default null -0}}|{{default null 10}}")

case("adjacent numbers add", "{{a}}{{b}}", {"a": 1, "b": 2})
case("adjacent booleans add", "{{t}}{{f}}{{t}}", {"t": True, "f": False})
case("adjacent number then string", "{{a}}{{s}}{{b}}", {"a": 1, "b": 2, "s": "x"})
case("adjacent string then numbers", "{{s}}{{a}}{{b}}", {"a": 1, "b": 2, "s": "x"})
case("adjacent numbers after text", "x{{a}}{{b}}", {"a": 1, "b": 2})
case("adjacent numbers then text", "{{a}}{{b}}x{{a}}{{b}}", {"a": 1, "b": 2})
case("adjacent null breaks sum", "{{a}}{{n}}{{b}}", {"a": 1, "b": 2, "n": None})
case("adjacent numbers around section", "{{a}}{{b}}{{#s}}-{{/s}}{{a}}{{b}}", {"a": 1, "b": 2, "s": True})
case("adjacent numbers between sections", "{{#s}}-{{/s}}{{a}}{{b}}{{#s}}-{{/s}}{{a}}{{b}}", {"a": 1, "b": 2, "s": True})
case("adjacent helper booleans", "{{eq 1 1}}{{not 0}}", {})
case("adjacent float sum", "{{a}}{{b}}", {"a": 0.1, "b": 0.2})
case("adjacent stripped whitespace", "{{a}} {{~b}}", {"a": 1, "b": 2})
case("block result adds to next number", "{{#if x}}{{n}}{{/if}}{{m}}", {"x": 1, "n": 1, "m": 2})
case("block result sum adds", "{{#with o}}{{a}}{{b}}{{/with}}{{c}}", {"o": {"a": 1, "b": 2}, "c": 4})
case("block boolean result adds", "{{#if x}}{{t}}{{/if}}{{t}}", {"x": 1, "t": True})
case("each result concatenates", "{{#each l}}{{this}}{{/each}}{{n}}", {"l": [1, 2], "n": 3})
case("section result adds", "{{#flag}}{{n}}{{/flag}}{{n}}", {"flag": True, "n": 1})
case("block result with text stays string", "{{#if x}}{{n}} {{/if}}{{m}}", {"x": 1, "n": 1, "m": 2})
case("else result adds", "{{#if x}}a{{else}}{{n}}{{/if}}{{n}}", {"x": 0, "n": 5})
case("each else result adds", "{{#each l}}x{{else}}{{n}}{{/each}}{{n}}", {"l": [], "n": 2})
case("block result then text", "{{#if x}}{{n}}{{/if}}!", {"x": 1, "n": 1})
case("adjacent in each", "{{#each l}}{{@index}}{{this}},{{/each}}", {"l": [5, 6]})

# --- if / unless / else if -------------------------------------------------------------------
VALUES = [("zero", 0), ("one", 1), ("empty string", ""), ("string", "x"), ("empty array", []),
          ("array", [0]), ("empty object", {}), ("object", {"k": 1}), ("null", None),
          ("true", True), ("false", False), ("negative", -1)]
for label, value in VALUES:
    case("if " + label, "{{#if v}}yes{{else}}no{{/if}}", {"v": value})
    case("unless " + label, "{{#unless v}}yes{{else}}no{{/unless}}", {"v": value})
    case("if includeZero " + label, "{{#if v includeZero=true}}yes{{else}}no{{/if}}", {"v": value})
    case("section " + label, "<{{#v}}[{{.}}]{{/v}}>", {"v": value})
    case("inverted " + label, "<{{^v}}empty{{/v}}>", {"v": value})
    case("with " + label, "{{#with v}}[{{this}}]{{else}}none{{/with}}", {"v": value})
    case("each " + label, "{{#each v}}({{this}}){{else}}none{{/each}}", {"v": value})
case("if missing", "{{#if nope}}yes{{else}}no{{/if}}")
case("if without else", "a{{#if x}}b{{/if}}c", {"x": 1})
case("if with caret else", "{{#if x}}y{{^}}n{{/if}}", {"x": 0})
case("else if chain first", "{{#if a}}A{{else if b}}B{{else}}C{{/if}}", {"a": 1, "b": 1})
case("else if chain second", "{{#if a}}A{{else if b}}B{{else}}C{{/if}}", {"a": 0, "b": 1})
case("else if chain last", "{{#if a}}A{{else if b}}B{{else}}C{{/if}}", {"a": 0, "b": 0})
case("else if chain no else", "{{#if a}}A{{else if b}}B{{/if}}", {"a": 0, "b": 0})
case("else unless chain", "{{#if a}}A{{else unless b}}notB{{else}}C{{/if}}", {"a": 0, "b": 0})
case("else with chain", "{{#if a}}A{{else with b}}{{name}}{{/if}}", {"a": 0, "b": {"name": "W"}})
case("else each chain", "{{#if a}}A{{else each list}}{{.}},{{/if}}", {"a": 0, "list": [1, 2]})
case("long else if chain", "{{#if a}}1{{else if b}}2{{else if c}}3{{else if d}}4{{else}}5{{/if}}",
     {"a": 0, "b": 0, "c": 0, "d": 1})
case("unless else", "{{#unless a}}not a{{else}}a{{/unless}}", {"a": 1})
case("if with subexpression", "{{#if (eq status \"Done\")}}closed{{else}}open{{/if}}", {"status": "Done"})
case("if context unchanged", "{{#if user}}{{name}}{{/if}}", {"user": {"name": "inner"}, "name": "outer"})
case("nested ifs", "{{#if a}}{{#if b}}ab{{else}}a{{/if}}{{/if}}", {"a": 1, "b": 0})
case("if too many args error", "{{#if a b}}x{{/if}}", {"a": 1, "b": 1})
case("if no args error", "{{#if}}x{{/if}}")
case("inline if error", "{{if x}}", {"x": 1})
case("with too many args error", "{{#with a b}}x{{/with}}", {"a": 1, "b": 1})
case("each without args error", "{{#each}}x{{/each}}")

# --- each ----------------------------------------------------------------------------------------
case("each array", "{{#each list}}{{this}},{{/each}}", {"list": ["a", "b", "c"]})
case("each index", "{{#each list}}{{@index}}:{{.}} {{/each}}", {"list": ["a", "b"]})
case("each first last", "{{#each list}}{{#if @first}}[{{/if}}{{.}}{{#if @last}}]{{else}},{{/if}}{{/each}}",
     {"list": [1, 2, 3]})
case("each key in array", "{{#each list}}{{@key}}{{/each}}", {"list": ["x", "y"]})
case("each object", "{{#each obj}}{{@key}}={{this}};{{/each}}", {"obj": {"b": 1, "a": 2, "c": 3}})
case("each object index first last", "{{#each obj}}{{@index}}{{@first}}{{@last}} {{/each}}",
     {"obj": {"x": 1, "y": 2}})
case("each object integer keys order", "{{#each obj}}{{@key}},{{/each}}", {"obj": {"b": 1, "2": 2, "a": 3, "1": 4}},
     js="1,2,b,a,", note="JavaScript's Object.keys puts integer-like keys first, ascending; js2py keeps insertion order")
case("each empty array else", "{{#each list}}x{{else}}empty{{/each}}", {"list": []})
case("each empty object else", "{{#each obj}}x{{else}}empty{{/each}}", {"obj": {}})
case("each missing else", "{{#each nothing}}x{{else}}none{{/each}}")
case("each string is not iterated", "{{#each s}}x{{else}}not iterable{{/each}}", {"s": "abc"})
case("each objects", "{{#each people}}{{name}} ({{age}})\n{{/each}}",
     {"people": [{"name": "Ada", "age": 36}, {"name": "Alan", "age": 41}]})
case("each nested", "{{#each rows}}{{#each this}}{{.}}{{/each}};{{/each}}", {"rows": [[1, 2], [3], []]})
case("each nested index parent", "{{#each a}}{{#each b}}{{@../index}}.{{@index}} {{/each}}{{/each}}",
     {"a": [{"b": [1, 2]}, {"b": [3]}]})
case("each parent context", "{{#each items}}{{../prefix}}{{this}} {{/each}}", {"prefix": "#", "items": [1, 2]})
case("each parent of parent", "{{#each a}}{{#each b}}{{../../top}}{{../name}}{{this}} {{/each}}{{/each}}",
     {"top": "T", "a": [{"name": "N", "b": [1]}]})
case("each parent skips if", "{{#each items}}{{#if this}}{{../label}}{{/if}}{{/each}}",
     {"label": "L", "items": [1, 0, 2]})
case("each with null items", "{{#each list}}[{{this}}]{{/each}}", {"list": [None, 1, None]})
case("each null item in if", "{{#each list}}{{#if true}}[{{this}}]{{/if}}{{/each}}", {"list": [None]})
case("each block params", "{{#each list as |item i|}}{{i}}={{item}} {{/each}}", {"list": ["x", "y"]})
case("each block params object", "{{#each obj as |value key|}}{{key}}:{{value}} {{/each}}", {"obj": {"p": 1, "q": 2}})
case("each block params nested", "{{#each a as |x|}}{{#each b as |y|}}{{x}}{{y}} {{/each}}{{/each}}",
     {"a": [1, 2], "b": ["a", "b"]})
case("each block params shadow context", "{{#each list as |name|}}{{name}}/{{this.name}} {{/each}}",
     {"list": [{"name": "ctx"}]})
case("each block param path", "{{#each people as |p|}}{{p.name}} {{/each}}", {"people": [{"name": "A"}, {"name": "B"}]})
case("each block param outer in inner", "{{#each a as |x|}}{{#with ../o}}{{x}}{{v}}{{/with}}{{/each}}",
     {"a": [1], "o": {"v": "V"}})
case("each block params in else not bound", "{{#each list as |x|}}{{x}}{{else}}[{{x}}]{{/each}}", {"list": [], "x": "ctx"})
case("each this after with", "{{#each list}}{{#with this}}{{name}}{{/with}}{{/each}}", {"list": [{"name": "w"}]})
case("each at root inside", "{{#each list}}{{@root.title}}{{/each}}", {"title": "T", "list": [1, 2]})
case("each over root array", "{{#each this}}{{.}}{{/each}}", [1, 2, 3])
case("each numbers formatting", "{{#each list}}{{.}} {{/each}}", {"list": [1.0, 2.5, -0.0, 1e21]})
case("each last in object", "{{#each o}}{{@key}}{{#unless @last}},{{/unless}}{{/each}}", {"o": {"a": 1, "b": 2, "c": 3}})
case("each key data in nested with", "{{#each o}}{{#with this}}{{@key}}{{/with}}{{/each}}", {"o": {"k": {"x": 1}}})
case("each with hash ignored", "{{#each list foo=1}}{{.}}{{/each}}", {"list": [1]})

# --- with ----------------------------------------------------------------------------------------
case("with object", "{{#with person}}{{first}} {{last}}{{/with}}", {"person": {"first": "Ada", "last": "L"}})
case("with else", "{{#with missing}}x{{else}}no person{{/with}}")
case("with parent", "{{#with a}}{{../name}}/{{name}}{{/with}}", {"name": "root", "a": {"name": "a"}})
case("with block param", "{{#with person as |p|}}{{p.first}}{{/with}}", {"person": {"first": "Ada"}})
case("with nested", "{{#with a}}{{#with b}}{{c}}{{../x}}{{../../y}}{{/with}}{{/with}}",
     {"y": "Y", "a": {"x": "X", "b": {"c": "C"}}})
case("with same object parent", "{{#with a}}{{#with ../a}}{{../name}}{{/with}}{{/with}}",
     {"name": "root", "a": {"name": "inner"}})
case("with string", "{{#with s}}{{this}}:{{length}}{{/with}}", {"s": "abc"})
case("with zero", "{{#with n}}[{{this}}]{{else}}empty{{/with}}", {"n": 0})
case("section object", "{{#person}}{{name}}{{/person}}", {"person": {"name": "Ada"}})
case("section array", "{{#list}}<{{.}}>{{/list}}", {"list": [1, 2]})
case("section array index", "{{#list}}{{@index}}{{/list}}", {"list": ["a", "b"]})
case("section array block params", "{{#list as |x i|}}{{i}}{{x}}{{/list}}", {"list": ["a", "b"]})
case("section true keeps context", "{{#flag}}{{name}}{{/flag}}", {"flag": True, "name": "same"})
case("section string", "{{#s}}[{{.}}]{{/s}}", {"s": "str"})
case("section number", "{{#n}}[{{.}}]{{/n}}", {"n": 7})
case("section nested path", "{{#a.b}}{{c}}{{/a.b}}", {"a": {"b": {"c": "nested"}}})
case("section parent", "{{#a}}{{#b}}{{../x}}{{/b}}{{/a}}", {"a": {"x": "ax", "b": {"y": 1}}})
case("section with else", "{{#list}}x{{else}}empty{{/list}}", {"list": []})
case("inverted with else", "{{^v}}none{{else}}some {{v}}{{/v}}", {"v": "val"})
case("inverted array", "{{^list}}none{{/list}}|{{^list2}}none{{/list2}}", {"list": [], "list2": [1]})
case("section this path", "{{#this.a}}{{.}}{{/this.a}}", {"a": "x"})
case("section data path", "{{#each l}}{{#@first}}first{{/@first}}{{/each}}", {"l": [1, 2]})

# --- lookup and log ------------------------------------------------------------------------------
case("lookup key", "{{lookup obj \"b\"}}", {"obj": {"a": 1, "b": 2}})
case("lookup dynamic key", "{{lookup obj key}}", {"obj": {"a": "A"}, "key": "a"})
case("lookup array index", "{{#each idx}}{{lookup ../list this}}{{/each}}", {"list": ["x", "y", "z"], "idx": [2, 0]})
case("lookup with @index", "{{#each a}}{{lookup ../b @index}}{{/each}}", {"a": [1, 2], "b": ["p", "q"]})
case("lookup missing", "[{{lookup obj \"zz\"}}]", {"obj": {}})
case("lookup falsy object", "[{{lookup zero \"x\"}}][{{lookup empty \"x\"}}]", {"zero": 0, "empty": ""})
case("lookup subexpression", "{{#with (lookup people \"ada\")}}{{name}}{{/with}}", {"people": {"ada": {"name": "Ada"}}})
case("lookup nested subexpression", "{{lookup (lookup a \"b\") \"c\"}}", {"a": {"b": {"c": "deep"}}})
case("lookup string char", "{{lookup s 1}}", {"s": "abc"}, js="b",
     note="js2py denies string indices as not own properties; JavaScript returns the character")
case("lookup length", "{{lookup list \"length\"}}", {"list": [1, 2]})
case("log renders nothing", "a{{log \"hello\" x}}b", {"x": 1})
case("log block renders nothing", "a{{#log \"x\"}}inside{{/log}}b")
case("log level hash", "a{{log \"x\" level=\"error\"}}b")

# --- Prompt helpers ------------------------------------------------------------------------------
for label, (a, b) in {
    "equal strings": ("a", "a"), "different strings": ("a", "b"), "number string": (1, "1"),
    "numbers": (2, 2.0), "arrays": ([1, 2], [1, 2]),
    "arrays differ": ([1, 2], [2, 1]), "objects": ({"a": 1, "b": [1]}, {"b": [1], "a": 1}),
    "objects differ": ({"a": 1}, {"a": 1, "b": 2}), "bools": (True, True), "zero false": (0, False),
}.items():
    data = {"a": a}
    if b != "__missing__":
        data["b"] = b
    case("eq " + label, "{{eq a b}}|{{ne a b}}", data)
case("eq missing and null", "{{eq a b}}|{{ne a b}}", {"a": None}, js="false|true",
     note="js2py looks a missing key up as null; JavaScript gets undefined, and null !== undefined")
case("eq literals", "{{eq 1 1}} {{eq \"x\" 'x'}} {{eq true false}} {{eq null undefined}} {{eq null null}}")
case("eq same object", "{{eq a a}}", {"a": {"x": [1]}})
case("and or not", "{{and a b}} {{or a b}} {{not a}} {{not b}}", {"a": 1, "b": 0})
case("and many", "{{and 1 \"x\" true}} {{and 1 \"\" true}} {{or 0 \"\" null}} {{or 0 \"\" null 3}}")
case("and empty array", "{{and list 1}} {{or list 0}} {{not list}} {{not obj}}", {"list": [], "obj": {}})
case("not zero and missing", "{{not 0}} {{not missing}} {{not \"0\"}}")
case("if and or", "{{#if (and a (or b c))}}yes{{else}}no{{/if}}", {"a": 1, "b": 0, "c": "c"})
case("if not eq", "{{#if (not (eq a \"x\"))}}differs{{/if}}", {"a": "y"})
case("unless eq", "{{#unless (eq status \"Done\")}}todo{{/unless}}", {"status": "Open"})
case("json object", "{{json o}}", {"o": {"b": 1, "a": [1, "two", None, True], "c": {}, "d": [], "e": {"x": {"y": "z"}}}},
     js='{\n  "b": 1,\n  "a": [\n    1,\n    "two",\n    null,\n    true\n  ],\n  "c": {},\n  "d": [],\n  "e": {\n    "x": {\n      "y": "z"\n    }\n  }\n}',
     note="js2py's JSON.stringify sorts keys; JavaScript keeps insertion order")
case("json string escapes", "{{json s}}", {"s": "quote\" backslash\\ nl\n tab\t cr\r bell\u0007 é 😀 \u2028"},
     js='"quote\\" backslash\\\\ nl\\n tab\\t cr\\r bell\\u0007 é 😀 \u2028"',
     note="js2py escapes non-ASCII as \\uXXXX; JavaScript's JSON.stringify writes it as is")
case("json number forms", "{{json n}}", {"n": [1.0, 0.1, 1e21, 1e-7, -0.0, 123]})
case("json scalar", "{{json s}}|{{json n}}|{{json b}}|{{json z}}", {"s": "x", "n": 3, "b": False, "z": None},
     js='"x"|3|false|null', note="js2py's JSON.stringify(null) gives undefined; JavaScript gives \"null\"")
case("json missing", "[{{json missing}}]")
case("json this", "{{json this}}", {"k": "v", "n": [1]})
case("json integer keys", "{{json o}}", {"o": {"b": 1, "10": 2, "2": 3}}, js='{\n  "2": 3,\n  "10": 2,\n  "b": 1\n}',
     note="JavaScript orders integer-like keys first; js2py keeps insertion order")
case("json builtin issue", "{{json assignee}}", ISSUE,
     js='{\n  "name": "Ada Lovelace",\n  "email": "ada@example.com"\n}',
     note="js2py's JSON.stringify sorts keys; JavaScript keeps insertion order")
case("join strings", "{{join labels \", \"}}", {"labels": ["a", "b", "c"]})
case("join default separator", "{{join labels}}", {"labels": ["a", "b"]})
case("join empty separator", "{{join labels \"\"}}", {"labels": ["a", "b"]})
case("join mixed", "{{join list \"|\"}}", {"list": [1, None, True, "s", [1, 2], {"a": 1}, 2.50]})
case("join not array", "[{{join s \"-\"}}][{{join missing \"-\"}}][{{join n \"-\"}}]", {"s": "str", "n": 5})
case("join empty", "[{{join list \", \"}}]", {"list": []})
case("join number separator", "{{join list 0}}", {"list": [1, 2, 3]})
case("default missing", "{{default missing \"fallback\"}}")
case("default null", "{{default x \"fallback\"}}", {"x": None})
case("default empty string", "{{default x \"fallback\"}}", {"x": ""})
case("default empty array", "{{default x \"fallback\"}}", {"x": []})
case("default zero kept", "{{default x \"fallback\"}}", {"x": 0})
case("default false kept", "{{default x \"fallback\"}}", {"x": False})
case("default value kept", "{{default x \"fallback\"}}", {"x": "value"})
case("default array kept", "{{default x \"fallback\"}}", {"x": [1, 2]})
case("default missing fallback", "[{{default x}}]")
case("default with each", "{{#each (default list fallback)}}{{.}}{{/each}}", {"list": [], "fallback": ["f1", "f2"]})
case("default with join", "{{default (join labels \", \") \"none\"}}", {"labels": []})
case("upper lower", "{{upper s}} {{lower s}}", {"s": "Hello Wörld ß"})
case("upper number", "{{upper n}} {{lower b}} [{{upper missing}}]", {"n": 1.5, "b": True})
case("upper array", "{{upper list}}", {"list": ["a", "b"]})
case("upper lower unicode", "{{upper s}} {{lower t}}", {"s": "ñandú éclair", "t": "ÇA VA ÉTÉ"})
case("truncate cut", "{{truncate s 5}}", {"s": "Hello, world"})
case("truncate not cut", "{{truncate s 20}}", {"s": "Hello"})
case("truncate exact", "{{truncate s 5}}", {"s": "Hello"})
case("truncate zero", "{{truncate s 0}}", {"s": "Hello"})
case("truncate string number", "{{truncate s \"3\"}}", {"s": "Hello"})
case("truncate float", "{{truncate s 2.9}}", {"s": "Hello"})
case("truncate negative", "{{truncate s -1}}", {"s": "Hello"})
case("truncate nan", "{{truncate s \"x\"}}", {"s": "Hello"})
case("truncate missing n", "{{truncate s}}", {"s": "Hello"})
case("truncate accents", "{{truncate s 4}}", {"s": "Ééàü-rest"})
case("truncate missing text", "[{{truncate missing 3}}]")
case("truncate number text", "{{truncate n 3}}", {"n": 123456})
case("truncate description", "{{truncate description 20}}", ISSUE)
case("bullets list", "{{bullets labels}}", {"labels": ["auth", "backend"]})
case("bullets single value", "{{bullets s}}", {"s": "only"})
case("bullets empty", "[{{bullets list}}][{{bullets missing}}][{{bullets empty}}]", {"list": [], "empty": ""})
case("bullets mixed", "{{bullets list}}", {"list": [1, None, "x", [1, 2]]})
case("bullets in markdown", "Labels:\n{{bullets labels}}\nEnd", {"labels": ["a", "b"]})
case("helper with no args", "[{{upper}}][{{json}}][{{join}}][{{bullets}}][{{eq}}][{{and}}][{{or}}][{{not}}]")
case("helper as block", "{{#upper s}}ignored{{/upper}}", {"s": "x"})
case("helper hash ignored", "{{upper s foo=\"bar\"}}", {"s": "x"})
case("nested subexpressions", "{{upper (join (default list fb) (lower \"-X-\"))}}", {"list": [], "fb": ["a", "b"]})
case("subexpression in hash", "{{#if x includeZero=(eq 1 1)}}zero ok{{/if}}", {"x": 0})
case("subexpression with block param", "{{#each list as |x|}}{{upper x}}{{/each}}", {"list": ["a", "b"]})
case("subexpression block param alone", "{{#each list as |x|}}{{lower (x)}}{{/each}}", {"list": ["A"]})
case("unknown helper with args error", "{{nohelper x}}", {"x": 1})
case("unknown helper hash only", "[{{nohelper a=1}}]")
case("unknown helper subexpression no args", "[{{upper (nohelper)}}]")
case("unknown helper subexpression args error", "{{upper (nohelper 1)}}")
case("value called as helper error", "{{name \"x\"}}", {"name": "Ada"})
case("unknown block helper with args error", "{{#nohelper x}}y{{/nohelper}}", {"x": 1})
case("path helper with args error", "{{a.b c}}", {"a": {"b": 1}, "c": 2})
case("string literal params", "{{join list 'it''s'}}", {"list": [1, 2]})
case("escaped quotes in string", "{{default missing \"say \\\"hi\\\"\"}} {{default missing 'it\\'s'}}")
case("string with braces", "{{default missing \"}}{{\"}}")
case("literal params", "{{json (default undefined null)}}|{{json (default null false)}}|{{json true}}")

# --- Whitespace control and standalone lines -----------------------------------------------------
case("tilde left", "a   {{~name}}  b", {"name": "N"})
case("tilde right", "a  {{name~}}   b", {"name": "N"})
case("tilde both", "a \n {{~name~}} \n b", {"name": "N"})
case("tilde newlines", "x\n\n  {{~#if t~}}\n\n  y  \n\n{{~/if~}}\n\nz", {"t": 1})
case("tilde else", "{{#if t}}\n  yes  \n{{~else~}}\n  no  \n{{/if}}", {"t": 0}, js="no  \n",
     note="js2py runs /[ \\t]+$/ with Python's $, which also matches before a final newline")
case("tilde else chain", "{{#if a}}A {{~else if b~}} B {{~else~}} C{{/if}}", {"a": 0, "b": 0})
case("tilde else chain close", "{{#if a}}A{{else if b}}B {{else}}D {{~/if}}|", {"a": 0, "b": 0})
case("tilde else chain close second", "{{#if a}}A{{else if b}}B {{else}}D {{~/if}}|", {"a": 0, "b": 1})
case("tilde comment", "a  {{~! gone ~}}  b")
case("tilde long comment", "a  {{~!-- gone --~}}  b")
case("tilde partial", "a  {{~> p ~}}  b", {}, {"p": "P"})
case("tilde unescaped", "a  {{~{name}~}}  b", {"name": "N"})
case("tilde each", "<ul>\n  {{~#each list~}}\n    <li>{{.}}</li>\n  {{~/each~}}\n</ul>", {"list": [1, 2]})
case("standalone if", "Title\n{{#if show}}\nShown\n{{/if}}\nEnd\n", {"show": True})
case("standalone if false", "Title\n{{#if show}}\nShown\n{{/if}}\nEnd\n", {"show": False})
case("standalone else", "{{#if a}}\nA\n{{else}}\nB\n{{/if}}\n", {"a": False})
case("standalone else if", "{{#if a}}\nA\n{{else if b}}\nB\n{{else}}\nC\n{{/if}}\n", {"a": False, "b": True})
case("standalone else if last", "{{#if a}}\nA\n{{else if b}}\nB\n{{else}}\nC\n{{/if}}\n", {"a": False, "b": False})
case("standalone indented", "List:\n  {{#each items}}\n  - {{.}}\n  {{/each}}\nDone", {"items": ["x", "y"]})
case("standalone comment", "a\n{{! comment }}\nb")
case("standalone long comment multiline", "a\n{{!--\n  multi\n  line\n--}}\nb")
case("standalone with crlf", "a\r\n{{#if t}}\r\nb\r\n{{/if}}\r\nc", {"t": 1})
case("standalone with tabs", "a\n\t{{#if t}}\t\nb\n\t{{/if}}\t\nc", {"t": 1})
case("not standalone with text", "a {{#if t}}\nb\n{{/if}} c", {"t": 1})
case("not standalone mustache", "a\n{{name}}\nb", {"name": ""})
case("standalone at start", "{{#if t}}\nx\n{{/if}}", {"t": 1})
case("standalone no trailing newline", "a\n{{#if t}}x{{/if}}", {"t": 1})
case("standalone last line", "a\n{{#if t}}\nx\n{{/if}}", {"t": 1})
case("standalone inverted", "a\n{{^list}}\nnone\n{{/list}}\nb", {"list": []})
case("standalone each object", "{{#each o}}\n{{@key}}: {{this}}\n{{/each}}\n", {"o": {"a": 1, "b": 2}})
case("standalone nested blocks", "{{#each l}}\n  {{#if this}}\n  yes {{this}}\n  {{else}}\n  no\n  {{/if}}\n{{/each}}\n",
     {"l": [1, 0]})
case("standalone with", "{{#with a}}\n{{b}}\n{{/with}}\n", {"a": {"b": "B"}})
case("two blocks on a line", "{{#if a}}{{#if b}}\nx\n{{/if}}{{/if}}\n", {"a": 1, "b": 1})
case("blank lines kept", "a\n\n{{#if t}}\n\nb\n\n{{/if}}\n\nc", {"t": 1})
case("standalone partial", "a\n{{> p}}\nb", {}, {"p": "P"})
case("standalone partial indented", "a\n  {{> p}}\nb", {}, {"p": "line1\nline2\n"})
case("standalone partial indent tabs", "x\n\t {{> p}}\n", {}, {"p": "1\n2"})
case("indented partial with data lines", "  {{> p}}\n", {"text": "l1\nl2"}, {"p": "T: {{text}}\n"})
case("inline partial not indented", "a {{> p}} b", {}, {"p": "1\n2\n"})
case("spaced else", "{{#if a}}A{{ else }}B{{/if}}", {"a": 0})
case("tilde spaced else", "{{#if a}}A  {{~ else ~}}  B{{/if}}", {"a": 0})
case("caret else standalone", "{{#if a}}\nA\n{{^}}\nB\n{{/if}}\n", {"a": 0})
case("nbsp is whitespace for standalone", "a\n\u00a0{{#if t}}\u00a0\nb\n{{/if}}\nc", {"t": 1})
case("standalone comment indented", "a\n   {{!-- c --}}   \nb")
case("two comments on a line", "a\n{{! x }}{{! y }}\nb")
case("standalone block after text line", "text\n{{#each l}}\n* {{.}}\n{{/each}}\nafter", {"l": ["a"]})
case("standalone else in each", "{{#each l}}\n{{.}}\n{{else}}\nnone\n{{/each}}\n", {"l": []})
case("standalone partial in each", "{{#each l}}\n  {{> item}}\n{{/each}}\n", {"l": [1, 2]}, {"item": "<{{this}}>"})
case("standalone with crlf partial", "a\r\n  {{> item}}\r\nb", {}, {"item": "<{{this}}>\r\n"})
case("tilde only whitespace content", "{{#if t}}   {{~/if}}|", {"t": 1})
case("tilde removes newlines both sides", "a\n\n{{~x~}}\n\nb", {"x": "X"})
case("block standalone root end", "{{#if t}}\nx\n{{/if}}  ", {"t": 1})
case("block standalone root start spaces", "  {{#if t}}\nx\n{{/if}}", {"t": 1})
case("inline block keeps whitespace", " {{#if t}} x {{/if}} ", {"t": 1})
case("markdown prompt", """# {{key}}: {{title}}

{{#if description}}
## Description
{{description}}
{{/if}}

{{#if labels}}
Labels: {{join labels ", "}}
{{/if}}
{{#each labels}}
- {{this}}{{#if @last}} (last){{/if}}
{{/each}}
{{#with assignee}}
Assignee: {{name}} <{{email}}>
{{else}}
Unassigned
{{/with}}
""", ISSUE)

# --- Comments and escapes -------------------------------------------------------------------------
case("comment", "a{{! note }}b")
case("long comment with braces", "a{{!-- has }} inside --}}b")
case("comment with mustache inside long", "a{{!-- {{name}} --}}b", {"name": "x"})
case("short comment ends early", "a{{! x }} y}}b")
case("empty long comment", "a{{!--}}b")
case("escaped mustache", "\\{{name}} {{name}}", {"name": "N"})
case("escaped mustache then more", "a \\{{x}} b {{x}} c \\{{y}}", {"x": "X"})
case("double backslash", "\\\\{{name}}", {"name": "N"})
case("backslash not before mustache", "a\\b {{name}}", {"name": "N"})
case("single braces", "{ not } {{name}} }", {"name": "N"})
case("json-like text", "{\"a\": {{n}}}", {"n": 1})

# --- Partials -------------------------------------------------------------------------------------
P = {"greet": "Hello {{name}}", "item": "<{{this}}>", "ctx": "{{a}}-{{b}}", "nested": "[{{> greet}}]",
     "root": "{{@root.title}}", "idx": "{{@index}}", "parent": "{{../name}}|{{name}}",
     "each": "{{#each list}}{{.}}{{/each}}", "blank": ""}
case("partial basic", "{{> greet}}", {"name": "Ada"}, P)
case("partial context arg", "{{> greet person}}", {"name": "root", "person": {"name": "Ada"}}, P)
case("partial hash", "{{> ctx a=1 b=\"two\"}}", {}, P)
case("partial hash overrides context", "{{> ctx b=\"B\"}}", {"a": "A", "b": "orig"}, P)
case("partial context and hash", "{{> ctx obj b=2}}", {"obj": {"a": "x"}}, P)
case("partial hash path value", "{{> greet name=other}}", {"other": "Other", "name": "Self"}, P)
case("partial in each", "{{#each list}}{{> item}}{{/each}}", {"list": [1, 2]}, P)
case("partial in each with this", "{{#each list}}{{> item this}}{{/each}}", {"list": ["a"]}, P)
case("partial nested", "{{> nested}}", {"name": "N"}, P)
case("partial root data", "{{#with a}}{{> root}}{{/with}}", {"title": "T", "a": {}}, P)
case("partial data index", "{{#each l}}{{> idx}}{{/each}}", {"l": [1, 2, 3]}, P)
case("partial no parent depth", "{{#with a}}{{> parent}}{{/with}}", {"name": "R", "a": {"name": "A"}}, P)
case("partial string name", "{{> \"greet\"}}", {"name": "S"}, P)
case("partial path name", "{{> dir/file}}", {}, {"dir/file": "in dir"})
case("partial dotted name", "{{> a.b}}", {}, {"a.b": "dotted"})
case("partial dynamic name", "{{> (lookup this \"which\")}}", {"which": "greet", "name": "Dyn"}, P)
case("partial dynamic helper", "{{> (lower \"GREET\") }}", {"name": "Low"}, P)
case("partial empty", "[{{> blank}}]", {}, P)
case("partial each with list", "{{> each}}", {"list": [1, 2]}, P)
case("partial missing error", "{{> nope}}", {}, P)
case("partial too many args error", "{{> greet a b}}", {"a": 1, "b": 2}, P)
case("partial block params not visible", "{{#each l as |x|}}{{> px}}{{/each}}", {"l": [1], "x": "ctx"}, {"px": "[{{x}}]"})
case("partial context primitive", "{{> item \"str\"}}", {}, P)
case("partial context missing", "[{{> item missing}}]", {}, P)
case("partial with whitespace control", "a\n  {{~> greet~}}\nb", {"name": "W"}, P)
case("partial standalone in block", "{{#if t}}\n  {{> item}}\n{{/if}}\n", {"t": "v"}, P)
case("partial standalone multiline", "<\n  {{> ml}}\n>", {"x": "X"}, {"ml": "a\n{{x}}\nb"})
case("partial standalone trailing newline", "<\n  {{> ml}}\n>", {}, {"ml": "a\nb\n"})
case("partial with blank lines", "[\n  {{> ml}}\n]", {}, {"ml": "a\n\nb\n"})
case("partial json this", "{{> j}}", {"k": 1}, {"j": "{{json this}}"})
case("partial standalone comment in partial", "a\n{{> p}}\nb", {}, {"p": "{{! c }}\nx\n"})

case("partial hash order", "{{> j b=1 a=2}}", {"c": 0}, {"j": "{{json this}}"},
     js='{\n  "c": 0,\n  "a": 2,\n  "b": 1\n}',
     note="handlebars.js assigns hash pairs last to first (Compiler.Hash), then extends the context; "
     "js2py's JSON.stringify sorts keys, JavaScript keeps that insertion order")
case("partial hash duplicate key", "{{> j a=1 a=2}}", {}, {"j": "{{json this}}"})
case("partial hash on array context", "{{> j list x=1}}", {"list": ["p", "q"]}, {"j": "{{json this}}"})
case("partial inside else", "{{#if no}}x{{else}}{{> greet}}{{/if}}", {"name": "E"}, P)
case("partial nested indentation", "a\n  {{> outer}}\nb", {}, {"outer": "o1\n  {{> inner}}\no2\n", "inner": "i1\ni2\n"})
case("partial standalone caret else", "{{^list}}\n  {{> item}}\n{{/list}}", {"list": []}, P)

# --- More combinations ---------------------------------------------------------------------------
case("each else with block params", "{{#each l as |x|}}{{x}}{{else}}none{{/each}}", {"l": []})
case("inverted else standalone", "{{^v}}\nnone\n{{else}}\nsome\n{{/v}}\n", {"v": 1})
case("tilde caret else", "{{#if a}} A {{~^~}} B {{/if}}", {"a": 0})
case("tilde inverted section", " {{~^a~}} x {{~/a~}} ", {"a": 0})
case("else if with tilde and standalone", "{{#if a}}\n  A\n{{~else if b~}}\n  B\n{{/if}}\n", {"a": 0, "b": 1})
case("each object with else if inside", "{{#each o}}{{#if (eq this 1)}}one{{else if (eq this 2)}}two{{else}}{{this}}{{/if}};{{/each}}",
     {"o": {"a": 1, "b": 2, "c": 3}})
case("with inside each parent", "{{#each items}}{{#with meta}}{{../name}}:{{tag}} {{/with}}{{/each}}",
     {"items": [{"name": "i1", "meta": {"tag": "t1"}}, {"name": "i2", "meta": {"tag": "t2"}}]})
case("deep parent chain", "{{#with a}}{{#with b}}{{#with c}}{{../../../r}}{{../../x}}{{../y}}{{z}}{{/with}}{{/with}}{{/with}}",
     {"r": "R", "a": {"x": "X", "b": {"y": "Y", "c": {"z": "Z"}}}})
case("parent beyond root", "[{{#with a}}{{../../x}}{{/with}}]", {"x": 1, "a": {}})
case("parent of root", "[{{../x}}]", {"x": 1})
case("data parent beyond", "{{#each a}}[{{@../index}}]{{/each}}", {"a": [1]})
case("root in nested each", "{{#each a}}{{#each b}}{{@root.t}}{{/each}}{{/each}}", {"t": "T", "a": [{"b": [1, 2]}]})
case("lookup parent list with index", "{{#each names}}{{lookup ../ages @index}} {{/each}}", {"names": ["a", "b"], "ages": [1, 2]})
case("if inside with inside each", "{{#each p}}{{#with this}}{{#if on}}{{n}}{{else}}-{{/if}}{{/with}}{{/each}}",
     {"p": [{"on": True, "n": 1}, {"on": False, "n": 2}]})
case("helpers chain", "{{join (default labels (default other \"x\")) (default sep \"+\")}}", {"labels": [], "other": ["o1", "o2"]})
case("truncate in each", "{{#each l}}{{truncate this 3}}|{{/each}}", {"l": ["abcdef", "ab", "abc"]})
case("bullets of each field", "{{bullets (lookup this \"labels\")}}", ISSUE)
case("full prompt with helpers", """{{#if (and title description)}}
## {{upper key}} — {{title}}
{{truncate description 30}}
{{/if}}
{{#unless (eq statusCategory "done")}}
Open work ({{lower status}}), labels: {{default (join labels ", ") "none"}}
{{/unless}}
{{#each labels as |label i|}}
{{#if (ne label "backend")}}
{{i}}: {{label}}
{{/if}}
{{/each}}
{{json (lookup this "assignee")}}
""", ISSUE, js="""## PS-42 — Add SSO login
Users want to sign in with the…
Open work (in progress), labels: auth, backend
0: auth
{
  "name": "Ada Lovelace",
  "email": "ada@example.com"
}
""", note="js2py's JSON.stringify sorts keys; JavaScript keeps insertion order")

# --- Syntax errors (handlebars.js refuses them too) -----------------------------------------------
for label, template in [
    ("unclosed block", "{{#if a}}x"),
    ("mismatched close", "{{#if a}}x{{/each}}"),
    ("stray close", "x{{/if}}"),
    ("stray else", "x{{else}}y"),
    ("unclosed mustache", "{{name"),
    ("unclosed subexpression", "{{upper (lower x}}"),
    ("invalid path", "{{foo/../bar}}"),
    ("invalid this path", "{{foo.this}}"),
    ("bad character", "{{foo%}}"),
    ("empty mustache", "{{}}"),
    ("triple with double close", "{{{name}}"),
    ("param after hash", "{{upper a=1 b}}"),
    ("block params on mustache", "{{name as |x|}}"),
    ("unterminated long comment", "{{!-- never closed"),
    ("else twice", "{{#if a}}x{{else}}y{{else}}z{{/if}}"),
    ("else if in inverted", "{{^a}}x{{else if b}}y{{/a}}"),
    ("close name mismatch path", "{{#a.b}}x{{/a/b}}"),
    ("sexpr as helper name", "{{(upper x)}}"),
    ("elsewhere", "{{#if a}}x{{elsewhere}}{{/if}}"),
    ("number then text", "{{1a b}}"),
]:
    case("syntax error " + label, template, {"a": 1, "name": "n"})


# --- Paths in brackets ending in an escaped bracket, and handlebars.js' internal hooks -----------
case("segment literal ending in backslash", "{{[foo\\\\]}}", {"foo\\": "backslash key"})
case("segment literal backslash then later bracket", "{{[foo\\\\]}} and {{x]}}", {"foo\\": "k", "x": 1})
case("segment literal escaped bracket at end", "{{[a\\]]}}", {"a]": "bracket end"})
case("helperMissing mustache", "{{helperMissing}}")
case("helperMissing block", "{{#helperMissing}}{{/helperMissing}}")
case("helperMissing with argument", "{{helperMissing x}}", {"x": 1})
case("blockHelperMissing mustache", "{{blockHelperMissing}}")
case("helperMissing as a path", "[{{helperMissing.x}}]")
case("helperMissing as a block parameter", "{{#each l as |helperMissing|}}{{helperMissing}}{{/each}}", {"l": [1, 2]})

# --- Layouts: partial blocks and inline partials, as prompt templates use them ---------------------
BASE = ("You are a senior engineer working on {{key}}.\n"
        "{{#> instructions}}\nFollow the team's conventions.\n{{/instructions}}\n"
        "## Task\n{{> @partial-block}}\n"
        "{{#if @partial-block}}(task given){{/if}}\n")
LAYOUT_CASES = [
    {"name": "layout: base prompt with a task", "template": "{{#> base}}\nImplement {{title}}.\n{{/base}}\n",
     "data": ISSUE, "partials": {"base": BASE}},
    {"name": "layout: inline partial overrides a section", "data": ISSUE, "partials": {"base": BASE},
     "template": "{{#> base}}\n{{#*inline \"instructions\"}}\nWrite tests first.\n{{/inline}}\nFix {{key}}.\n{{/base}}\n"},
    {"name": "layout: two levels", "data": ISSUE,
     "partials": {"outer": "<outer>\n{{> @partial-block}}</outer>\n",
                  "inner": "{{#> outer}}\n<inner>\n  {{> @partial-block}}\n</inner>\n{{/outer}}"},
     "template": "{{#> inner}}{{title}}{{/inner}}"},
    {"name": "layout: standalone partial block lines", "data": {"x": "X"},
     "partials": {"l": "a\n{{> @partial-block}}\nb\n"},
     "template": "before\n  {{#> l}}\n  inside {{x}}\n  {{/l}}\nafter\n"},
    {"name": "layout: indented @partial-block", "data": {"x": "X"},
     "partials": {"l": "<div>\n    {{> @partial-block}}\n</div>\n"},
     "template": "{{#> l}}\nline 1\nline 2 {{x}}\n{{/l}}"},
    {"name": "layout: missing partial renders the block", "data": {"x": "X"},
     "template": "[{{#> nowhere}}fallback {{x}}{{/nowhere}}]"},
    {"name": "layout: missing partial without a block fails", "data": {}, "template": "[{{> nowhere}}]"},
    {"name": "layout: @partial-block outside a partial block fails", "data": {}, "template": "[{{> @partial-block}}]"},
    {"name": "layout: partial without @partial-block drops the block", "data": {},
     "partials": {"l": "only layout"}, "template": "{{#> l}}dropped{{/l}}"},
    {"name": "layout: if @partial-block with and without a block", "data": {},
     "partials": {"l": "{{#if @partial-block}}has block{{else}}no block{{/if}}"},
     "template": "{{#> l}}B{{/l}} / {{> l}}"},
    {"name": "layout: if @partial-block renders the block without context", "data": {"x": 1},
     "partials": {"l": "{{#if @partial-block}}yes{{else}}no{{/if}}|{{#unless @partial-block}}unless{{/unless}}"},
     "template": "{{#> l}}{{x}}{{/l}} {{#> l}}text{{/l}} {{#> l}}{{/l}}"},
    {"name": "layout: and or not with @partial-block", "data": {},
     "partials": {"l": "{{and @partial-block true}} {{or @partial-block false}} {{not @partial-block}}"},
     "template": "{{#> l}}B{{/l}}|{{> l}}"},
    {"name": "layout: @partial-block as a mustache", "data": {"x": 1},
     "partials": {"l": "[{{@partial-block}}]"}, "template": "{{#> l}}B{{x}}{{/l}}"},
    {"name": "layout: with and each on @partial-block", "data": {},
     "partials": {"l": "{{#with @partial-block}}<{{.}}>{{/with}}{{#each @partial-block}}e{{else}}not a list{{/each}}"},
     "template": "{{#> l}}B{{/l}}"},
    {"name": "layout: partial block with a context", "data": {"user": {"name": "Ada"}, "name": "root"},
     "partials": {"l": "{{name}}: {{> @partial-block}}"},
     "template": "{{#> l user}}{{name}}/{{../name}}{{/l}}"},
    {"name": "layout: partial block with hash arguments", "data": {"name": "root"},
     "partials": {"l": "{{title}} {{name}} [{{> @partial-block}}]"},
     "template": "{{#> l title=\"T\"}}{{title}}-{{name}}{{/l}}"},
    {"name": "layout: @partial-block with its own context", "data": {"a": {"v": "A"}, "b": {"v": "B"}},
     "partials": {"l": "{{> @partial-block a}} {{> @partial-block b}}"},
     "template": "{{#> l}}{{v}}{{/l}}"},
    {"name": "layout: @partial-block in each sees @index", "data": {"items": ["x", "y"]},
     "partials": {"l": "{{#each items}}{{> @partial-block}};{{/each}}"},
     "template": "{{#> l}}{{@index}}={{this}}{{/l}}"},
    {"name": "layout: block parameters in the block", "data": {"list": [1, 2]},
     "partials": {"l": "({{> @partial-block}})"},
     "template": "{{#each list as |n|}}{{#> l}}{{n}}{{/l}}{{/each}}"},
    {"name": "layout: nested partial blocks restore the outer block", "data": {},
     "partials": {"a": "A[{{> @partial-block}}]", "b": "B[{{#> a}}{{> @partial-block}}{{/a}}]"},
     "template": "{{#> b}}content{{/b}}"},
    {"name": "layout: partial block fallback names the enclosing block", "data": {},
     "partials": {"l": "{{#> @partial-block}}no block{{/@partial-block}}"},
     "template": "{{#> l}}block{{/l}} {{> l}}"},
    {"name": "layout: dynamic partial block", "data": {"which": "l"},
     "partials": {"l": "<{{> @partial-block}}>"}, "template": "{{#> (lookup . \"which\")}}B{{/l}}"},
    {"name": "layout: whitespace control around a partial block", "data": {},
     "partials": {"l": "<{{> @partial-block}}>"}, "template": "a  {{~#> l~}}  B  {{~/l~}}  z"},
    {"name": "inline: defined after use", "data": {}, "template": "{{> p}}{{#*inline \"p\"}}late{{/inline}}"},
    {"name": "inline: standalone definition lines vanish", "data": {"x": "X"},
     "template": "a\n{{#*inline \"p\"}}\n  p {{x}}\n{{/inline}}\nb\n  {{> p}}\nc\n"},
    {"name": "inline: overrides a registered partial", "data": {},
     "partials": {"p": "registered"}, "template": "{{#*inline \"p\"}}inline{{/inline}}{{> p}}"},
    {"name": "inline: visible to partials below", "data": {},
     "partials": {"q": "q sees {{> p}}"}, "template": "{{#*inline \"p\"}}inline p{{/inline}}{{> q}}"},
    {"name": "inline: scoped to its block", "data": {},
     "template": "{{#with .}}{{#*inline \"p\"}}in with{{/inline}}{{> p}}{{/with}}{{> p}}"},
    {"name": "inline: ../ from a nested definition", "data": {"x": "root", "a": {"x": "a"}, "c": {"x": "c"}},
     "template": "{{#with a}}{{#*inline \"p\"}}{{../x}}|{{x}}{{/inline}}{{> p ../c}}{{/with}}"},
    {"name": "inline: ../ from a root definition", "data": {"x": "root", "c": {"x": "c"}},
     "template": "{{#*inline \"p\"}}[{{../x}}]{{x}}{{/inline}}{{> p c}}"},
    {"name": "inline: numbers around a definition add up", "data": {"a": 1, "b": 2},
     "template": "{{a}}{{#*inline \"p\"}}x{{/inline}}{{b}}"},
    {"name": "inline: recursive inline partial", "data": {"n": {"n": {"n": {}}}},
     "template": "{{#*inline \"r\"}}({{#if n}}{{> r n}}{{/if}}){{/inline}}{{> r}}"},
    {"name": "inline: numeric name", "data": {}, "template": "{{#*inline 1}}one{{/inline}}{{> 1}}"},
    {"name": "inline: an else part is refused", "data": {},
     "template": "{{#*inline \"p\"}}main{{else}}other{{/inline}}{{> p}}"},
    {"name": "inline: with whitespace control", "data": {},
     "template": "a {{~#*inline \"p\"~}} P {{~/inline~}} b{{> p}}"},
    {"name": "inline: defined in the layout's block reaches the layout only", "data": {},
     "partials": {"l": "{{> title}}|{{> @partial-block}}"},
     "template": "{{#> l}}{{#*inline \"title\"}}T{{/inline}}body{{/l}}"},
    {"name": "inline: the layout's own inline partial is not the block's", "data": {},
     "partials": {"l": "{{#*inline \"x\"}}layout x{{/inline}}{{> @partial-block}}"},
     "template": "{{#> l}}{{> x}}{{/l}}"},
]


def build_corpus():
    out = []
    for c, (status, value) in zip(CASES, render_all(CASES)):
        entry = {"name": c["name"], "template": c["template"], "data": c["data"]}
        if c["partials"]:
            entry["partials"] = c["partials"]
        if status == "error":
            entry["error"] = value
        else:
            if c["js"] is not None and c["js"] != value:
                sys.exit("case %r: handlebars.js renders %r, the case pins %r" % (c["name"], value, c["js"]))
            entry["expected"] = value
        out.append(entry)
    return out


def changed_from_js2py(corpus):
    """The cases whose result differs from the js2py-generated file (kept once computed)."""
    path = os.path.join(FIXTURES, "handlebars-corpus.json")
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        previous = json.load(f)
    if "js2py" not in previous.get("reference", ""):
        return previous.get("changedFromJs2py", [])
    def key(c):
        return c["name"], c["template"], json.dumps(c["data"], sort_keys=True)
    before = {key(c): c for c in previous["cases"]}
    changed = []
    for entry in corpus:
        old = before.get(key(entry))
        if old is None:
            continue
        old_result = {"error": True} if "error" in old else {"expected": old["expected"]}
        new_result = {"error": True} if "error" in entry else {"expected": entry["expected"]}
        if old_result != new_result:
            changed.append({"name": entry["name"], "js2py": old.get("js2py", old.get("expected", "(error)")),
                            "handlebars.js": entry.get("expected", "(error) " + entry.get("error", ""))})
        elif "js2py" in old:
            changed.append({"name": entry["name"], "js2py": old["js2py"],
                            "handlebars.js": entry["expected"],
                            "note": "was pinned by hand: " + old.get("note", "")})
    return changed


def build_spec():
    os.makedirs(SPEC_COPY, exist_ok=True)
    if os.path.isdir(SPEC_SHARED):
        for name in SPEC_FILES:
            shutil.copyfile(os.path.join(SPEC_SHARED, name + ".json"), os.path.join(SPEC_COPY, name + ".json"))
        shutil.copyfile(os.path.join(SPEC_SHARED, "LICENSE"), os.path.join(SPEC_COPY, "LICENSE"))
    tests = []
    for name in SPEC_FILES:
        with open(os.path.join(SPEC_COPY, name + ".json"), encoding="utf-8") as f:
            spec = json.load(f)
        tests += [(name, t) for t in spec["tests"]]
    results = render_all([{"template": t["template"], "data": t.get("data"), "partials": t.get("partials")}
                          for _, t in tests])
    out = []
    for (name, test), (status, value) in zip(tests, results):
        entry = {"file": name, "name": test["name"], "template": test["template"],
                 "data": test.get("data"), "mustache": test["expected"]}
        if test.get("partials"):
            entry["partials"] = test["partials"]
        entry["error" if status == "error" else "expected"] = value
        out.append(entry)
    return out


def build_partials_spec():
    cases = SPEC_CASES + LAYOUT_CASES
    out = []
    for c, (status, value) in zip(cases, render_all(cases)):
        entry = {"name": c["name"], "template": c["template"], "data": c.get("data") or {}}
        if c.get("partials"):
            entry["partials"] = c["partials"]
        entry["error" if status == "error" else "expected"] = value
        out.append(entry)
    return out


def write(name, payload):
    path = os.path.join(FIXTURES, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(payload, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print("wrote %s" % os.path.relpath(path, ROOT))


if __name__ == "__main__":
    os.makedirs(FIXTURES, exist_ok=True)
    corpus = build_corpus()
    reference = "handlebars.js %s (Debian libjs-handlebars, node), noEscape" % VERSION
    changed = changed_from_js2py(corpus)
    write("handlebars-corpus.json", {"generator": "scripts/gen-templating-fixtures.py",
                                     "reference": reference, "changedFromJs2py": changed,
                                     "cases": corpus})
    spec = build_spec()
    write("mustache-spec-handlebars.json", {"generator": "scripts/gen-templating-fixtures.py",
                                            "reference": reference,
                                            "source": "mustache/spec 9cb20c3, files in Fixtures/mustache-spec",
                                            "cases": spec})
    partials = build_partials_spec()
    write("handlebars-spec-partials.json", {"generator": "scripts/gen-templating-fixtures.py",
                                            "reference": reference,
                                            "sources": "handlebars.js spec/partials.js and spec/regressions.js "
                                                       "(scripts/templating_spec_cases.py), and layout cases",
                                            "cases": partials})
    errors = sum(1 for c in corpus if "error" in c)
    print("%d corpus cases (%d expected errors), %d spec cases, %d partial-block and inline-partial cases, "
          "%d changed from js2py" % (len(corpus), errors, len(spec), len(partials), len(changed)))
