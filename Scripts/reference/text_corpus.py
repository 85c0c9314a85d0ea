"""The tokenizer test corpus: hand-written seed strings plus seeded combinations of them.

Kept apart from make_text_goldens.py because it is data, not logic. `build_corpus()` is
deterministic (a fixed random.Random seed, no hash-ordered containers), so the corpus only changes
when this file does.

The seeds aim at the places where byte-level BPE ports usually break: the Digits pre-tokenizer (any
Unicode number, not just ASCII digits), the GPT-2 split regex (contractions, `\\s+(?!\\S)`, a single
space before letters/numbers/punctuation), the byte-to-unicode mapping (every UTF-8 length, astral
characters), added tokens inside ordinary text, and very long pieces.
"""

from __future__ import annotations

import random

PROSE = [
    "The quick brown fox jumps over the lazy dog.",
    "Hello world",
    "Hello, world!",
    "It's a beautiful day, isn't it? We'll see what they've done.",
    "I'm sure you'd agree that he'll be fine; they're already here.",
    "DON'T SHOUT. It'S rude, and You'Re better than that.",
    "Small language models can run on a laptop without a GPU.",
    "A tokenizer turns text into integers; a detokenizer turns them back.",
    "The meeting was moved from Tuesday to Thursday at the last minute.",
    "She sells sea shells by the sea shore.",
    "Once upon a time, in a land far, far away, there lived a curious robot.",
    "Photosynthesis converts light energy into chemical energy stored in glucose.",
    "The mitochondria is the powerhouse of the cell.",
    "Please describe this image in detail.",
    "What is in this image?",
    "Can you summarize the following paragraph in one sentence?",
    "To be, or not to be, that is the question.",
    "Ask not what your country can do for you.",
    "The rain in Spain stays mainly in the plain.",
    "Colorless green ideas sleep furiously.",
    "Mr. and Mrs. Smith arrived at 5 p.m. on the 3rd of May.",
    "e.g. i.e. etc. vs. a.k.a. U.S.A.",
    "Wait... what?! Really??? No way!!!",
    "(parentheses) [brackets] {braces} <angles>",
    "\"Double quotes\" and 'single quotes' and `backticks`.",
    "hyphen-ated, en–dash, em—dash, and a minus − sign",
    "“Curly quotes” and ‘apostrophes’ are not ASCII.",
    "The price is $19.99, or €18.50, or £15, or ¥2,000.",
    "user@example.com https://huggingface.co/HuggingFaceTB/SmolLM2-135M-Instruct",
    "#hashtag @mention 100% & more",
    "snake_case camelCase PascalCase kebab-case SCREAMING_CASE",
    "a b c d e f g h i j k l m n o p q r s t u v w x y z",
    "A",
    "a",
    "I",
    "OK",
    "ok.",
    "The assistant said: \"I can help with that.\"",
    "Although it was raining, we decided to walk to the museum anyway.",
    "Transformers use attention to mix information between positions.",
    "Greedy decoding always picks the most likely next token.",
    "The cat sat on the mat. The dog sat on the log.",
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.",
    "antidisestablishmentarianism",
    "Pneumonoultramicroscopicsilicovolcanoconiosis",
    "Supercalifragilisticexpialidocious!",
    "'s 't 're 've 'm 'll 'd",
    "'S 'T 'RE 'VE 'M 'LL 'D",
    "rock 'n' roll",
    "the dogs' bones and the dog's bone",
    "y'all'd've",
]

CODE = [
    "def add(a, b):\n    return a + b\n",
    "def fib(n: int) -> int:\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n",
    "import numpy as np\nx = np.zeros((3, 4), dtype=np.float32)\nprint(x.shape)",
    "for i in range(10):\n\tprint(i ** 2)  # squares\n",
    "class Point:\n    def __init__(self, x, y):\n        self.x, self.y = x, y\n",
    "if __name__ == \"__main__\":\n    main()\n",
    "lambda x: x if x > 0 else -x",
    "print(f\"{name!r:>10} = {value:.3f}\")",
    "struct Point: Equatable {\n    var x: Double\n    var y: Double\n}\n",
    "let greeting = \"Hello, \\(name)!\"\nprint(greeting)",
    "func tokenize(_ text: String) throws -> [Int] {\n    guard !text.isEmpty else { return [] }\n    return try model.encode(text)\n}",
    "guard let url = Bundle.module.url(forResource: \"Fixtures\", withExtension: nil) else { fatalError() }",
    "extension Array where Element == Float {\n    var sum: Float { reduce(0, +) }\n}",
    "{\"name\": \"SmolLM2\", \"layers\": 30, \"heads\": [9, 3], \"tied\": true, \"eps\": 1e-05}",
    "{\n  \"bos_token_id\": 1,\n  \"eos_token_id\": 2\n}",
    "[{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"assistant\", \"content\": null}]",
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Test</title></head>\n<body><p class=\"x\">Hi &amp; bye</p></body>\n</html>",
    "<div id=\"main\"><a href=\"/path?q=1&r=2\">link</a></div>",
    "#include <stdio.h>\nint main(void) { printf(\"%d\\n\", 42); return 0; }",
    "SELECT id, name FROM users WHERE age >= 18 ORDER BY name DESC LIMIT 10;",
    "$ swift build -c release && .build/release/smolvlm --image cat.png",
    "git commit -m \"Fix off-by-one in BPE merge loop\"",
    "x = [1, 2, 3]; y = {k: v for k, v in zip(\"abc\", x)}",
    "a+=1;b-=2;c*=3;d/=4;e%=5;f**=6;g//=7",
    "if (a && b || !c) { return a ? b : c; }",
    "// TODO: handle \\r\\n line endings\n/* block comment */",
    "#!/usr/bin/env bash\nset -euo pipefail\necho \"$HOME\"",
    "    indented with four spaces",
    "\tindented with a tab",
    "        deeply\n            nested\n                code",
    "matrix[i][j] = sum(a[i][k] * b[k][j] for k in range(n))",
    "0x1F600 0b1010 0o755 1_000_000 3.0e-8 .5 5.",
    "regex = r\"^\\s*(\\d+)\\s*$\"",
    "```python\nprint('hi')\n```",
    "| col1 | col2 |\n|------|------|\n| a    | b    |",
]

NUMBERS = [
    "in 2024",
    "In 2024, 2025 and 2026.",
    "3.14159",
    "2.718281828459045",
    "1,000,000",
    "1.000.000,00",
    "0",
    "00000",
    "007",
    "42",
    "-17",
    "+1 (555) 123-4567",
    "12:30:45",
    "2024-11-29T13:48:00Z",
    "v1.2.3-beta.4",
    "1e10 1E-5 6.022e23",
    "100%",
    "50/50",
    "3x4=12",
    "abc123def456",
    "A1B2C3",
    "route 66",
    "page 1 of 10",
    "1234567890",
    "12345678901234567890123456789012345678901234567890",
    "9" * 40,
    "1 2 3 4 5 6 7 8 9 10",
    "1st 2nd 3rd 4th 21st 22nd 101st",
    "192.168.0.1:8080",
    "ISBN 978-3-16-148410-0",
    "½ ¼ ¾ ⅓ ⅔ ⅛",
    " ½",
    "x² + y² = z²",
    "E = mc²",
    "H₂O and CO₂",
    "10⁻⁶ m",
    "² ³ ¹ ⁰ ⁴ ⁵ ⁶ ⁷ ⁸ ⁹",
    "Ⅰ Ⅱ Ⅲ Ⅳ Ⅻ ⅻ",
    "① ② ③ ⑩ ⑳",
    "１２３４５ fullwidth digits",
    "٠١٢٣٤٥٦٧٨٩ Arabic-Indic digits",
    "۰۱۲۳ Extended Arabic-Indic",
    "०१२३४५६७८९ Devanagari digits",
    "๑๒๓ Thai digits",
    "〇一二三 and 十二",
    "𝟘𝟙𝟚 mathematical digits",
    "🄁 🄂 digit comma",
    "The answer is 42.",
    "It costs 3.50 dollars",
    "about 2 000 000 people",
]

WHITESPACE = [
    " ",
    "  ",
    "   ",
    "\t",
    "\t\t",
    "\n",
    "\n\n",
    "\n\n\n",
    "\r\n",
    "\r\n\r\n",
    "\r",
    " \n ",
    "a  b",
    "a   b",
    "a    b",
    "a\tb",
    "a\t\tb",
    "a\nb",
    "a\n\nb",
    "a\r\nb",
    "trailing space ",
    "trailing spaces   ",
    " leading space",
    "   leading spaces",
    "  both  ",
    "line one\nline two\nline three",
    "line one\r\nline two\r\n",
    "word \n word",
    "word\n \nword",
    "tab\t \tmix",
    "\u00a0non-breaking\u00a0space",
    "thin\u2009space and hair\u200aspace",
    "ideographic\u3000space",
    "zero\u200bwidth\u200bspace",
    "\u000bvertical tab\u000cform feed",
    "line\u2028separator and paragraph\u2029separator",
    "next\u0085line",
    "   \n\t  \r\n  ",
    " " * 20,
    "\n" * 12,
    "x" + " " * 17 + "y",
]

ACCENTS = [
    "café",
    "naïve",
    "résumé",
    "Ærøskøbing",
    "Ångström",
    "façade",
    "São Paulo",
    "Zürich über Straße",
    "Łódź",
    "Dvořák",
    "Þórr and Óðinn",
    "crème brûlée",
    "piñata jalapeño",
    "İstanbul ılık",
    "ǅ ǈ ǋ titlecase digraphs",
    "ﬁ ﬂ ligatures",
    "Ελληνικά: Γειά σου Κόσμε",
    "Русский: Привет, мир!",
    "Українська: Добрий день",
    "Български език",
    "Tiếng Việt có dấu",
    "Ça va? Très bien, merci.",
    "¿Dónde está la biblioteca?",
    "¡Olé!",
    "Ich heiße Jürgen und wohne in München.",
    "Mañana será otro día.",
    "Les élèves étudient à l'école.",
    "L'été dernier, j'ai visité l'Italie.",
    "Ο άνθρωπος είναι πολιτικό ζώο.",
    "Съешь же ещё этих мягких французских булок.",
]

CJK = [
    "你好，世界！",
    "我爱自然语言处理。",
    "今天天气很好，我们去公园散步吧。",
    "中文没有空格分词",
    "日本語のテキストです。",
    "こんにちは、世界！",
    "カタカナとひらがなと漢字",
    "東京は日本の首都です。",
    "한국어 텍스트입니다.",
    "안녕하세요, 세계!",
    "汉字 and English mixed 混合",
    "「引用」『二重』【括弧】",
    "１２３ＡＢＣ全角",
    "龍龘𠀀𪚥 rare and astral Han",
    "ｶﾀｶﾅ halfwidth katakana",
    "漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字",
    "这是一个很长的句子，用来测试分词器如何处理没有空格的中文文本以及标点符号。",
    "Apples are りんご 林檎",
    "どこで生れたかとんと見当がつかぬ。",
    "다람쥐 헌 쳇바퀴에 타고파",
]

EMOJI = [
    "😀",
    "😀😃😄😁",
    "👍🏽",
    "👍🏻👍🏼👍🏽👍🏾👍🏿",
    "👨‍👩‍👧‍👦",
    "👩‍💻 and 🧑‍🚀",
    "🏳️‍🌈",
    "🏴‍☠️",
    "❤️",
    "❤",
    "🇺🇸🇫🇷🇯🇵",
    "🇩🇪 flag",
    "🏴󠁧󠁢󠁳󠁣󠁴󠁿 Scotland",
    "1️⃣ 2️⃣ #️⃣",
    "I love pizza 🍕!",
    "🔥🔥🔥",
    "emoji😀without😀spaces",
    "✨ sparkles ✨",
    "☃ ☀ ☂ ★ ☆ ♠ ♥ ♦ ♣",
    "→ ← ↑ ↓ ⇒ ⇔ ∀ ∃ ∑ ∏ √ ∞ ≠ ≤ ≥",
    "🤷‍♀️🤦‍♂️",
    "😀 " * 10,
    "🧑🏾‍🤝‍🧑🏻",
    "©®™",
    "Good morning ☕️🥐",
]

SCRIPTS = [
    "مرحبا بالعالم",
    "اللغة العربية جميلة.",
    "السلام عليكم ورحمة الله",
    "שלום עולם",
    "עברית נכתבת מימין לשמאל.",
    "नमस्ते दुनिया",
    "हिन्दी भाषा देवनागरी लिपि में लिखी जाती है।",
    "क्षत्रिय",
    "ภาษาไทยไม่มีการเว้นวรรคระหว่างคำ",
    "ქართული ენა",
    "Հայերեն լեզու",
    "বাংলা ভাষা",
    "தமிழ் மொழி",
    "ᚠᚢᚦᚨᚱᚲ runes",
    "ⴰⵣⵓⵍ Tifinagh",
    "አማርኛ",
    "English then عربي then English",
    "mixed עברית and English",
    "Ꭰ Ꭱ Ꭲ Cherokee",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝕿𝖊𝖝𝖙",
    "𓀀𓀁𓀂 hieroglyphs",
    "ʕ•ᴥ•ʔ",
    "(╯°□°)╯︵ ┻━┻",
    "¯\\_(ツ)_/¯",
]

SPECIAL_TOKENS = [
    "<|im_start|>user\nhi<|im_end|>",
    "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nHello!<|im_end|>\n<|im_start|>assistant\n",
    "<|im_start|>",
    "<|im_end|>",
    "<|endoftext|>",
    "<|endoftext|><|endoftext|>",
    "before<|endoftext|>after",
    "word<|endoftext|>word",
    "in<|endoftext|>side a word",
    " <|endoftext|> ",
    "<|im_start|><|im_end|>",
    "<|im_start|>assistant\n",
    "text <|im_end|>\n",
    "<repo_name>smol<file_sep>main.py\nprint(1)<|endoftext|>",
    "<reponame> <filename> <gh_stars>100",
    "<issue_start>bug<issue_comment>fixed<issue_closed>",
    "<jupyter_start><jupyter_text>md<jupyter_code>x=1<jupyter_output>1<jupyter_script><empty_output>",
    "<|im_start",
    "|im_start|>",
    "<| im_start |>",
    "<|IM_START|>",
    "<|im_start|>>",
    "<<|im_end|>",
    "<|endoftext|",
    "<|endoftext|>2024",
    "2024<|endoftext|>",
    "<image> <fake_token_around_image> <end_of_utterance>",
    "User:<image>What is this?<end_of_utterance>\nAssistant:",
    "<row_1_col_1><global-img>",
]

UNICODE_EDGE = [
    "",
    " ",
    "e\u0301",
    "e\u0301\u0301\u0301",
    "a\u0300\u0301\u0302\u0303\u0304",
    "Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e\u0349\u035a\u032f\u031e\u0320\u034dA\u036b",
    "\u0301 leading combining mark",
    "\ufffd",
    "replacement \ufffd char",
    "\ufffd\ufffd\ufffd",
    "\ufeffBOM at start",
    "soft\u00adhyphen",
    "zero\u200cwidth\u200dnon-joiner",
    "left\u200eto\u200fright marks",
    "\u202eright-to-left override\u202c",
    "variation\ufe0f selector",
    "private use \ue000\uf8ff",
    "\U000f0000 plane 15",
    "noncharacter \ufdd0",
    "\u0000null byte",
    "bell\u0007 and escape\u001b[31mred\u001b[0m",
    "\u007fdelete",
    "\u0080\u009f C1 controls",
    "ÿ þ ý",
    "Ā ā Ă ă",
    "ŉ ſ",
    "ǰ ΐ ΰ",
    "\U0001d400\U0001d401 math bold",
    "\U0010fffd last plane",
    "a" * 300,
    "ab" * 200,
    "xyz" * 150,
    "Ω" * 100,
    "é" * 100,
    "你" * 120,
    "😀" * 60,
    "0123456789" * 30,
    "The" + "e" * 250,
    "hippopotomonstrosesquippedaliophobia" * 5,
    "-" * 80,
    "=" * 64,
    "." * 50,
    "!?" * 40,
    "_" * 33,
    "#" * 20 + " heading",
    "http://" + "a" * 100 + ".com",
    "__init__",
    "\\n is not a newline",
    "\\u00e9 is not é",
]

# Bytes with no token of their own in SmolLM2's vocab (0x04 0x06 0x13 0x14 0x16 0x1D, and the lead bytes
# 0xF1 0xF2 of planes 4-11). With no unk token and no byte fallback, HF's BPE silently drops such a byte
# before merging, so the symbols on either side can still merge ("." + "." -> "..").
UNKNOWN_BYTES = [
    "\u0004",
    "a\u0004b",
    ".\u0004.",
    "=\u0006=",
    "-\u001d>",
    " \u0013the",
    "\u0014\u0016 controls",
    "\U00040000",
    "x\U00080000y",
    "plane \U000b0000 eleven",
]

ALL_SEEDS = PROSE + CODE + NUMBERS + WHITESPACE + ACCENTS + CJK + EMOJI + SCRIPTS + SPECIAL_TOKENS + UNICODE_EDGE + UNKNOWN_BYTES

# Characters from long-stable Unicode blocks, for random strings (no unassigned code points, so that
# differing Unicode-table versions between implementations cannot change the expected ids).
RANDOM_ALPHABET = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    "     \t\n.,;:!?'\"-_()[]{}<>/\\|@#$%^&*+=~`"
    "éèêëàâäôöûüçñßøåæœÉÀÇÑØÅÆ"
    "αβγδεζηθλμπσωΑΒΓΔΩ"
    "абвгдежзийклмнопрстуфхцчшщыэюяАБВГД"
    "你好世界中文字漢日本語かなカナ한국어"
    "½²³¹⁴₀₁₂①Ⅻ٣४"
    "😀👍🏽❤️🇺🇸🔥✨"
    "\u0301\u200d\u00a0\u3000"
)


def _dedupe(lines: list[str]) -> list[str]:
    return list(dict.fromkeys(lines))


def build_corpus(min_lines: int = 2400) -> list[str]:
    """Seeds first (so the hand-picked cases keep stable line numbers), then seeded combinations."""
    rng = random.Random(0x5A01)
    lines = _dedupe(list(ALL_SEEDS))

    # Simple variants of each seed: a leading space changes every first BPE piece ("Ġword"), a trailing
    # space exercises \s+(?!\S), and case changes hit the contraction rules and different merges.
    variants = []
    for seed in ALL_SEEDS:
        if not seed:
            continue
        variants += [" " + seed, seed + " ", seed + "\n", seed.upper(), seed.lower(), "  " + seed]
    lines = _dedupe(lines + variants)

    separators = ["", " ", "  ", "\n", "\n\n", "\t", "\r\n", " \n", ", ", ". "]
    categories = [PROSE, CODE, NUMBERS, WHITESPACE, ACCENTS, CJK, EMOJI, SCRIPTS, SPECIAL_TOKENS, UNICODE_EDGE]

    generated = []
    # Concatenations across categories: boundaries between scripts, digits, specials and whitespace.
    for _ in range(900):
        parts = [rng.choice(rng.choice(categories)) for _ in range(rng.randint(2, 4))]
        text = parts[0]
        for part in parts[1:]:
            text += rng.choice(separators) + part
        generated.append(text)
    # Random substrings of seeds: cut points land inside words, grapheme clusters and special tokens.
    for _ in range(300):
        seed = rng.choice(ALL_SEEDS)
        if len(seed) < 2:
            continue
        start = rng.randrange(len(seed))
        end = rng.randint(start + 1, len(seed))
        generated.append(seed[start:end])
    # Random character soup from stable blocks.
    for _ in range(250):
        generated.append("".join(rng.choice(RANDOM_ALPHABET) for _ in range(rng.randint(1, 60))))
    # Digit runs in every position relative to letters, spaces and punctuation.
    for _ in range(150):
        pieces = []
        for _ in range(rng.randint(1, 5)):
            kind = rng.randrange(4)
            if kind == 0:
                pieces.append(str(rng.randrange(10 ** rng.randint(1, 12))))
            elif kind == 1:
                pieces.append(f"{rng.uniform(-1000, 1000):.{rng.randint(0, 6)}f}")
            elif kind == 2:
                pieces.append(rng.choice(["in", "year", "x", "v", "page", "€", "$", "#", "½", "²"]))
            else:
                pieces.append(rng.choice(["", " ", "  ", ",", ".", "-", "\n", "\t"]))
        generated.append("".join(pieces))
    # Whitespace runs mixed with short words.
    for _ in range(150):
        pieces = []
        for _ in range(rng.randint(1, 6)):
            pieces.append("".join(rng.choice(" \t\n\r\u00a0\u3000") for _ in range(rng.randint(0, 5))))
            pieces.append(rng.choice(["a", "word", "Hello", "x1", "é", "你", "😀", "<|im_end|>", ""]))
        generated.append("".join(pieces))
    # Long lines (whole paragraphs) so some inputs span many BPE pieces.
    for _ in range(40):
        generated.append(" ".join(rng.choice(PROSE) for _ in range(rng.randint(8, 25))))

    lines = _dedupe(lines + generated)
    filler = 0
    while len(lines) < min_lines:  # top up deterministically if deduplication removed too many
        filler += 1
        lines = _dedupe(lines + [f"{rng.choice(PROSE)} {filler} {rng.choice(EMOJI)}"])
    return lines
