"""Afghan personal names as comparable keys: Arabic-script normalisation, transliteration
to Latin, folding of Dari and Pashto romanisation variants, and the canonical key that blind
indexes hash and record linkage blocks on.

Why hand-written: no maintained library covers Dari/Pashto *name* romanisation. ``unidecode``
and ``anyascii`` transliterate Arabic script letter by letter (محمد -> "mhmd") but know
nothing of the Latin side's spelling habits; ``jellyfish`` and ``abydos`` offer Soundex,
Metaphone, NYSIIS and friends, tuned for English and European surnames (they keep vowels
that Dari spelling drops, merge letters Dari keeps apart, and know neither -ullah, Abdul-,
-zai nor Mohd); Arabic and Persian NLP toolkits (``pyarabic``, ``camel-tools``, ``hazm``)
normalise text but do not reconcile a tazkira's spelling with a passport's romanisation.
Their string similarities stay useful *after* this module, when record linkage compares
the candidates that share a key.

How a key is made. A name is one name even when written as several words ("Mohammad
Zaman", "Abdul Ali"), so its parts are joined. Latin text is folded (case, accents,
apostrophes, q/k, v/w) and reduced to a *consonant skeleton*: vowels are dropped except the
initial one (as a class: "a"; "i" for e/i; "u" for o/u) and the final one (class "a", "i"
or "u"); doubled letters collapse. Arabic script does not write short vowels, so the
skeleton is what both scripts can agree on: ``name_key("Muhammad") == name_key("محمد") ==
"mhmd"``. Digraphs (kh, sh, ch, gh, zh, th) stay as written. A few rules reconcile the
compound morphology: Abd-al- (Abdul/Abdol/Abd al-/Abdur-), the assimilated article
(ur-Rahman, ud-Din), -ullah (a root-final h is dropped: Zabihullah = Zabiullah), semivowels
(Zubayr = Zubair, Nadia = Nadiya). Where the plain skeleton would merge two common names
(Mahmood and Mohammad, Hussain and Hassan), the table in
:mod:`safepassage.engine.name_variants` has one of them keep its written long vowels, and
it lists the irregular variants (Mohd, Syed, Dawood); joined compounds of table names are
split ("Ghulamhussain" = "Ghulam Hussain").

Keys are stable only within one ``NAME_KEY_VERSION``: blind indexes store it and re-key
when it changes. Nothing here logs or caches names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Final

from safepassage.engine.dates import to_latin_digits
from safepassage.engine.name_variants import (
    COMPOUND_ELEMENTS,
    FNU_PLACEHOLDERS,
    FNU_TOKENS,
    HONORIFICS_ARABIC,
    HONORIFICS_LATIN,
    LEADING_ELEMENTS,
    NAME_VARIANTS,
    TRAILING_ELEMENTS,
    NameVariants,
)

__all__ = [
    "NAME_KEY_VERSION",
    "is_fnu",
    "latin_key",
    "name_key",
    "name_keys",
    "normalize_arabic_script",
    "split_tribal_suffix",
    "strip_honorifics",
    "transliterate",
]

NAME_KEY_VERSION: Final = 1
"""Changes whenever the key of some name may change; stored beside blind indexes."""

# --- Arabic script --------------------------------------------------------------------------

_ARABIC_LETTER: Final = re.compile(
    "[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]"
)

_YEH: Final = "\u06cc"  # Persian yeh ی, the Dari form
_KEHEH: Final = "\u06a9"  # ک
_HEH: Final = "\u0647"  # ه
_ALEF: Final = "\u0627"  # ا
_WAW: Final = "\u0648"  # و

_ARABIC_MAP: Final[dict[int, str | None]] = {
    # Arabic yeh, alef maksura, Urdu yeh barree (with hamza), Kurdish yeh, high hamza yeh
    **dict.fromkeys(map(ord, "\u064a\u0649\u06d2\u06d3\u06ce\u0678"), _YEH),
    0x0626: _YEH,  # yeh with hamza above ئ
    **dict.fromkeys(map(ord, "\u0643\u06aa"), _KEHEH),  # Arabic kaf ك, swash kaf ڪ
    # teh marbuta ة, heh with yeh above ۀ, Urdu and Kurdish hehs
    **dict.fromkeys(map(ord, "\u0629\u06c0\u06c1\u06c2\u06c3\u06d5\u06be"), _HEH),
    # alef with hamza above or below, madda, wasla, wavy hamzas, high hamza alef
    **dict.fromkeys(map(ord, "\u0623\u0625\u0622\u0671\u0672\u0673\u0675"), _ALEF),
    **dict.fromkeys(map(ord, "\u0624\u0676"), _WAW),  # waw with hamza ؤ, high hamza waw
    0x0621: None,  # standalone hamza ء
    0x0674: None,  # high hamza
    0x06BA: "\u0646",  # Urdu noon ghunna ں
    0x0640: None,  # tatweel
    # harakat and hamza marks, superscript alef, Quranic annotation, extended-A marks
    **dict.fromkeys(range(0x064B, 0x0660), None),
    0x0670: None,
    **dict.fromkeys(range(0x0610, 0x061B), None),
    **dict.fromkeys(range(0x06D6, 0x06DD), None),
    **dict.fromkeys(range(0x06DF, 0x06E9), None),
    **dict.fromkeys(range(0x06EA, 0x06EE), None),
    **dict.fromkeys(range(0x08D3, 0x0900), None),
    # zero-width and bidirectional controls (ZWNJ U+200C and ZWJ U+200D among them)
    **dict.fromkeys(range(0x200B, 0x2010), None),
    **dict.fromkeys(range(0x202A, 0x202F), None),
    **dict.fromkeys(range(0x2060, 0x2065), None),
    **dict.fromkeys(range(0x2066, 0x206A), None),
    0x061C: None,
    0xFEFF: None,
    0x00AD: None,
}
_ARABIC_TABLE: Final = str.maketrans(_ARABIC_MAP)

# Pashto letters spelled as Dari spells them (with the Urdu retroflexes that Pakistani
# keyboards produce for the same sounds). Folding loses what Pashto distinguishes: ښ is "kh"
# in the east and "sh" in the west, څ is "ts", ځ "dz", ږ "zh" or "g"; a Dari writer spells
# the same name with ش چ ز ژ. So folding is for matching, never for display.
_PASHTO_TABLE: Final = str.maketrans(
    {
        "\u067c": "\u062a",  # ټ -> ت
        "\u0679": "\u062a",  # ٹ -> ت
        "\u0689": "\u062f",  # ډ -> د
        "\u0688": "\u062f",  # ڈ -> د
        "\u0693": "\u0631",  # ړ -> ر
        "\u0691": "\u0631",  # ڑ -> ر
        "\u0696": "\u0698",  # ږ -> ژ
        "\u0699": "\u0698",  # ڙ -> ژ
        "\u069a": "\u0634",  # ښ -> ش
        "\u0685": "\u0686",  # څ -> چ
        "\u0681": "\u0632",  # ځ -> ز
        "\u06ab": "\u06af",  # ګ -> گ
        "\u06bc": "\u0646",  # ڼ -> ن
        "\u06d0": _YEH,  # ې -> ی
        "\u06cd": _YEH,  # ۍ -> ی
    }
)

# Compounds whose spacing varies: عبد always joins the next word, the article-bound second
# elements (الله, الدین, الحق, الرحمن...) join the previous one, a free-standing ال joins
# both sides. "عبد الله" == "عبدالله", "ذبیح الله" == "ذبیحالله", "محمد الله" == "محمدالله".
_ARABIC_COMPOUND_SPACE: Final = re.compile(
    "(?:(?<=^عبد)|(?<= عبد)|(?<=عبدال)|(?<= ال)) (?=\\S)"
    "|(?<=\\S) (?=ال(?: \\S|(?:له|دین|حق|رحمن|رحمان|رحیم)(?: |$)))"
)


def normalize_arabic_script(text: str, *, fold_pashto: bool = False) -> str:
    """Return a Dari or Pashto name in one spelling per letter, for comparison.

    Arabic yeh and alef maksura become Persian yeh (ی), Arabic kaf becomes keheh (ک), teh
    marbuta becomes heh (ه); alef with hamza or madda becomes alef (ا), ؤ becomes و, ئ
    becomes ی and a standalone hamza is dropped; diacritics (harakat, superscript alef,
    Quranic marks), tatweel, zero-width (non-)joiners and bidirectional marks are removed;
    presentation forms are unfolded (NFKC); Eastern Arabic and Persian digits become 0-9;
    whitespace collapses to single spaces; compounds bound by عبد or the article are written
    joined ("عبد الله" -> "عبدالله").

    Pashto letters (ټ ډ ړ ږ ښ څ ځ ګ ڼ ې ۍ) are kept unless ``fold_pashto`` is true, which
    spells them as Dari does (ښ -> ش, څ -> چ, ځ -> ز, ږ -> ژ, ګ -> گ, ې and ۍ -> ی, ټ ډ ړ
    ڼ -> ت د ر ن): right for matching a Pashto spelling with a Dari one, wrong for display.
    Latin letters are left as they are.
    """
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = text.translate(_ARABIC_TABLE)
    if fold_pashto:
        text = text.translate(_PASHTO_TABLE)
    text = " ".join(to_latin_digits(text).split())
    if " " in text:
        text = _ARABIC_COMPOUND_SPACE.sub("", text)
    return text


def _has_arabic(text: str) -> bool:
    return not text.isascii() and _ARABIC_LETTER.search(text) is not None


# Letters with one Latin value (Dari pronunciation: ث س ص are all "s", ذ ز ض ظ all "z").
_ARABIC_CONSONANTS: Final[Mapping[str, str]] = {
    "ب": "b", "پ": "p", "ت": "t", "ث": "s", "ج": "j", "چ": "ch", "ح": "h", "خ": "kh",
    "د": "d", "ذ": "z", "ر": "r", "ز": "z", "ژ": "zh", "س": "s", "ش": "sh", "ص": "s",
    "ض": "z", "ط": "t", "ظ": "z", "غ": "gh", "ف": "f", "ق": "q", "ک": "k", "گ": "g",
    "ل": "l", "م": "m", "ن": "n",
}  # fmt: skip
_ARABIC_VOWEL_LETTERS: Final = "اویع"


def _semivowel(letter: str, following: str) -> str:
    """A consonantal و or ی; before a consonant it takes the short "a" the script leaves
    out, or :func:`latin_key` would read "ay" + consonant as a diphthong (هدایت ->
    "hdayat", not "hdayt")."""
    return letter + "a" if following in _ARABIC_CONSONANTS else letter


def _transliterate_letters(word: str) -> str:
    """Letter-by-letter Latin for one normalised, Pashto-folded word.

    Short vowels are not written in Arabic script and none is invented. و and ی are the
    consonants "w" and "y" at the start of a word or before a vowel letter (ی also after a
    medial ا: هدایت), else long vowels ("u", "i"); ا is "a"; ع is "a" between consonants
    and silent next to a vowel (Dari does not pronounce it); a final ه ending a word of
    three letters or more is the vowel "a" (فاطمه -> "ftma", but مه -> "mh")."""
    out: list[str] = []
    last = len(word) - 1
    for index, letter in enumerate(word):
        # "#" after the last letter: no letter class contains it
        following = word[index + 1] if index < last else "#"
        final_heh_follows = following == _HEH and index + 1 == last
        if letter in _ARABIC_CONSONANTS:
            out.append(_ARABIC_CONSONANTS[letter])
        elif letter == _HEH:
            out.append("a" if index == last and index > 1 else "h")
        elif letter == _ALEF:
            # Initial او is "o" (اویس -> "owis"), any other alef "a".
            out.append("o" if index == 0 and following == _WAW else "a")
        elif letter == _WAW:
            if index == 1 and word[0] == _ALEF and following not in _ARABIC_VOWEL_LETTERS:
                continue  # the "o" of an initial او was written for the alef
            consonant = index == 0 or following in "اوی" or final_heh_follows  # مروه
            out.append(_semivowel("w", following) if consonant else "u")
        elif letter == _YEH:
            consonant = (
                index == 0
                or following in "او"
                or final_heh_follows  # نادیه, شکریه
                or (index > 1 and word[index - 1] == _ALEF)  # هدایت, عنایت
            )
            out.append(_semivowel("y", following) if consonant else "i")
        elif letter == "ع":
            previous = word[index - 1] if index else "#"
            beside_vowel = previous in _ARABIC_VOWEL_LETTERS or following in "اوی"
            if index == 0 or not (beside_vowel or index == last):
                out.append("a")
        elif letter.isascii():
            out.append(letter.lower())
        # any other letter (an unfolded Pashto letter, another script) has no Latin value here
    return "".join(out)


# Article-bound endings recognised on a whole Arabic-script word, with their Latin spelling.
_ARABIC_ENDINGS: Final = (
    ("الله", "ullah"),
    ("الدین", "uddin"),
    ("الحق", "ulhaq"),
    ("الرحمن", "urrahman"),
    ("الرحمان", "urrahman"),
    ("الرحیم", "urrahim"),
)
_ARABIC_TRIBAL_ENDINGS: Final = (("زی", "zai"), ("خیل", "khel"))


def _transliterate_word(word: str) -> str:
    """Latin for one normalised Arabic-script word: the table's canonical romanisation when
    the word or its parts are known names, else letter by letter."""
    known = _ARABIC_LEXICON.get(word)
    if known is not None:
        return known
    for ending, latin in _ARABIC_ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 1:
            root = word[: -len(ending)]
            known_root = _ARABIC_LEXICON.get(root)
            if known_root is None:
                return _transliterate_letters(root) + latin
            return known_root.replace(" ", "") + latin
    for ending, latin in _ARABIC_TRIBAL_ENDINGS:
        if word.endswith(ending):
            known_root = _ARABIC_LEXICON.get(word[: -len(ending)])
            if known_root is not None:
                return known_root.replace(" ", "") + latin
    if word.startswith("عبدال") and word[5:] in _ARABIC_LEXICON:
        return "abdul " + _ARABIC_LEXICON[word[5:]]
    # Two known names written as one word (ZWNJ removed, or simply joined): گل‌احمد.
    for cut in range(2, len(word) - 1):
        left = _ARABIC_LEXICON.get(word[:cut])
        if left is not None:
            right = _ARABIC_LEXICON.get(word[cut:])
            if right is not None:
                return f"{left} {right}"
    return _transliterate_letters(word)


def transliterate(text: str) -> str:
    """Return a Dari or Pashto name in lower-case Latin letters, words separated by spaces.

    Names in the variant table come out in their canonical romanisation ("محمد زمان" ->
    "mohammad zaman"); other words letter by letter, without the short vowels the script
    does not write ("صمیم" -> "smim": the table has no Samim). The result is a matching
    form for :func:`latin_key`, which reduces both to the same skeleton, not a romanisation
    to print. Latin letters in ``text`` pass through in lower case.
    """
    return _transliterate_normalised(normalize_arabic_script(text, fold_pashto=True))


def _transliterate_normalised(normalised: str) -> str:
    """:func:`transliterate` of text already normalised with Pashto folding."""
    whole = _ARABIC_LEXICON.get(normalised.replace(" ", ""))
    if whole is not None:
        return whole
    return " ".join(
        _transliterate_word(word) if _has_arabic(word) else word.lower()
        for word in normalised.split()
    )


# --- Latin folding --------------------------------------------------------------------------

# Letters NFKD does not decompose, and apostrophes (ayn, hamza, elision: Sami'ullah), which
# are removed rather than made word breaks.
_LATIN_SPECIAL: Final = str.maketrans(
    {
        "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o",
        "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "þ": "th", "ı": "i",
        "\u2019": None, "\u2018": None, "\u02bc": None, "\u02bb": None, "\u02bf": None,
        "\u02be": None, "\u00b4": None, "\u2032": None,
    }
)  # fmt: skip
_ASCII_FOLD: Final = str.maketrans(
    {
        **{chr(code): " " for code in range(128)},
        **{chr(code): chr(code) for code in range(ord("a"), ord("z") + 1)},
        **{chr(code): chr(code + 32) for code in range(ord("A"), ord("Z") + 1)},
        "'": None,
        "`": None,
    }
)


def _fold_latin(text: str) -> str:
    """Lower-case ASCII letters and spaces: accents stripped, other characters (digits,
    punctuation, hyphens) made word breaks, other scripts dropped."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_LATIN_SPECIAL))
        text = text.encode("ascii", "ignore").decode("ascii")
    return text.translate(_ASCII_FOLD)


_VOWELS: Final = frozenset("aeiou")
_INITIAL_CLASS: Final[Mapping[str, str]] = {"a": "a", "e": "i", "i": "i", "o": "u", "u": "u"}
_FINAL_CLASS: Final[Mapping[str, str]] = {"a": "a", "i": "i", "o": "u", "u": "u"}

# q/k: Qasim/Kasim; v/w: Javed/Jawed; x only in foreign spellings.
_CONSONANT_FOLD: Final = str.maketrans({"q": "k", "v": "w", "x": "ks"})
_C_NOT_CH: Final = re.compile(r"ck|c(?!h)")
# An i between a consonant and a vowel is the consonant y: Nadia = Nadiya, Zia = Ziya.
_GLIDE: Final = re.compile(r"(?<=[b-df-hj-np-tv-z])i(?=[aou])")
# A y or w after a vowel and not before one is the second half of a diphthong: Zubayr =
# Zubair, Qays = Qais, Rawshan = Roshan.
_VOCALIC_Y: Final = re.compile(r"(?<=[aeiou])y(?![aeiou])")
_VOCALIC_W: Final = re.compile(r"(?<=[aeiou])w(?![aeiou])")
# The h ending a root before -ullah: Zabihullah = Zabiullah, Ruhullah = Ruullah.
_H_BEFORE_ALLAH: Final = re.compile(r"(?<=[aeiou])h(?=[uoae]l{1,2}ah?$)")
# The article before a second element, assimilated (Abdurrahman, Salahuddin) or reduced to
# its vowel before -din (Salahudin), is written "ul" to match the Arabic spelling's ال. Only
# before the elements where this happens: "Hassan" and "Sattar" are not articles.
_SECOND_ELEMENTS: Final = (
    "rahman|rehman|rahim|raheem|rashid|rasheed|razaq|razzaq|rauf|raoof|samad|salam|salaam|"
    "sattar|satar|saboor|sabur|shakoor|shakur|zaman|zahir|tawab|tawwab|din|deen|haq|haque|"
    "hadi|nasir|nabi|noor|nur"
)
_SECOND_ELEMENT_ENDINGS: Final = (*_SECOND_ELEMENTS.split("|"), "den")
_ASSIMILATED_ARTICLE: Final = re.compile(
    rf"(?<=[a-z]{{2}})(?:[uoae](?:l|sh(?=sh)|([rsztdn])(?=\1))(?=(?:{_SECOND_ELEMENTS})$)"
    r"|[uoae](?=d(?:ee|i|e)n$))"
)
_SKELETON_PARTS: Final = re.compile(r"([aeiou]*)(.*?)([aeiou]*)")
_DOUBLED: Final = re.compile(r"(.)\1+")
_DROP_VOWELS: Final = str.maketrans("", "", "aeiou")

# Words that bind to their neighbours: the article written apart ("Zia ul Haq"), the
# -ullah/-uddin/-zai/-khel endings written apart ("Sami Ullah", "Ahmad Zai"), and Abd-,
# which binds to what follows ("Abd al-Rahman").
_ARTICLES: Final = frozenset(
    {
        "al", "ul", "ol", "el", "il", "ud", "ur", "us", "uz", "ut", "un", "ush",
        "ad", "ar", "as", "az", "at", "an", "ash", "ed", "er", "es", "ez",
    }
)  # fmt: skip
_BOUND_ENDINGS: Final = frozenset(
    {
        "ullah", "ulla", "ulah", "allah", "ollah", "olla", "llah",
        "din", "deen", "uddin", "udin", "uddeen", "addin", "oddin", "eddin",
        "zai", "zay", "zei", "zey", "zaee", "khel", "khail", "khil", "kheil", "khiel",
    }
)  # fmt: skip
_ABD_WORDS: Final = frozenset(
    {"abd", "abdu", "abdul", "abdol", "abdal", "abdel", "abdur", "abdus", "abduz"}
)
# Abbreviations that stand for Mohammad only before another name ("Md. Zaman"): alone they
# would clash with keys ("md" is also the key of "Mad").
_ABBREVIATIONS: Final[Mapping[str, str]] = {"md": "mohammad", "mhd": "mohammad"}

# A known root before a bound ending, so that its table entry applies (Obaidullah).
_ENDING_SPLIT: Final = re.compile(
    r"(?P<root>[a-z]{2,}?)(?:h?(?P<allah>[uoae]l{1,2}ah?)|(?P<din>[uoae][ld]?d{1,2}(?:ee|i|e)n)"
    r"|(?P<zai>z(?:ai|ay|ei|ey|aee))|(?P<khel>kh(?:e|ai|ei|i|ie|ee)l))"
)
_BOUND_TAILS: Final = ("lah", "lla", "din", "deen", "den", "zai", "zay", "zei", "zey", "zaee", "l")
_CANONICAL_ENDINGS: Final[Mapping[str, str]] = {
    "allah": "ullah",
    "din": "uldin",
    "zai": "zai",
    "khel": "khel",
}

_Element = tuple[str, str]
"""(fragment, canonical): a resolved spelling ready for the skeleton, and the table's
canonical spelling of the element ("" when the word is not in the table)."""
_Lexicon = Mapping[str, tuple[_Element, ...]]
"""Folded spelling (spaces removed) -> the elements of the name it spells."""
_ABDUL: Final[_Element] = ("abdul", "abdul")


def _resolve(word: str) -> str:
    """Fold consonant variants and decide each y and w: consonant or half of a vowel."""
    if "c" in word:
        word = _C_NOT_CH.sub("k", word)
    word = word.translate(_CONSONANT_FOLD)
    if "ia" in word or "io" in word or "iu" in word:
        word = _GLIDE.sub("y", word)
    if "y" in word or "w" in word:
        # A y or w right after the initial vowel stays a consonant (Ayub, Owais), so that a
        # key such as "ayb" reads back as itself.
        start = 0
        while start < len(word) and word[start] in _VOWELS:
            start += 1
        word = word[:start] + _VOCALIC_W.sub("u", _VOCALIC_Y.sub("i", word[start:]))
        if len(word) > 1 and word[-1] == "y":
            word = word[:-1] + "i"  # Shinwary = Shinwari
    if len(word) > 1 and word[-1] == "h" and word[-2] in "ae":
        word = word[:-1]  # Fatimah = Fatima, Abdullah = Abdulla, شاه = "shaa"
    return word


def _apply_rules(word: str) -> str:
    """The compound rules, for a word that is not in the table."""
    if len(word) > 5 and word.endswith(_SECOND_ELEMENT_ENDINGS):
        word = _ASSIMILATED_ARTICLE.sub("ul", word)
    if "ll" in word or word.endswith(("lah", "la")):
        word = _H_BEFORE_ALLAH.sub("", word)
    return _resolve(word)


def _abd_split(word: str, lexicon: _Lexicon) -> tuple[_Element, ...] | None:
    """The table entry after an Abd- prefix in any spelling (Abdulkarim, Abdurrahman,
    Abdurahman, Abdrahman), or None."""
    for cut in (5, 4, 3):
        if cut > 3 and word[3] not in _VOWELS:
            continue
        if cut == 5 and word[4] != "l" and word[4] != word[5]:
            continue
        found = lexicon.get(word[cut:])
        if found is not None:
            return found
    return None


def _word_elements(word: str, lexicon: _Lexicon, *, whole: bool = True) -> tuple[_Element, ...]:
    """The elements of one bound Latin word (with ``whole`` false, the word itself is not
    looked up: only its parts are)."""
    found = lexicon.get(word) if whole else None
    if found is not None:
        return found
    if word.startswith("abd") and len(word) > 5:
        rest = _abd_split(word, lexicon)
        if rest is not None:
            return (_ABDUL, *rest)
    if len(word) > 4:
        ending = _ENDING_SPLIT.fullmatch(word) if word.endswith(_BOUND_TAILS) else None
        if ending is not None:
            root = lexicon.get(ending["root"])
            if root is not None:
                suffix = _CANONICAL_ENDINGS[ending.lastgroup or ""]
                fragment = "".join(part for part, _ in root) + suffix
                canonical = "".join(name for _, name in root) + suffix
                return ((_resolve(fragment), canonical),)
        # Two known names written as one word: Ghulamhussain, Aliahmad.
        for cut in range(3, len(word) - 2):
            left = lexicon.get(word[:cut])
            if left is not None:
                right = lexicon.get(word[cut:])
                if right is not None:
                    return left + right
    return ((_apply_rules(word), ""),)


def _bind_words(words: list[str]) -> list[str]:
    """Join articles, bound endings and Abd- to their neighbours; expand Md before a name."""
    bound: list[str] = []
    glue = False
    for index, word in enumerate(words):
        if bound and (glue or word in _ARTICLES or word in _BOUND_ENDINGS):
            bound[-1] += word
            glue = word in _ARTICLES
            continue
        has_next = index + 1 < len(words)
        if has_next and word in _ABBREVIATIONS:
            word = _ABBREVIATIONS[word]
        bound.append(word)
        glue = has_next and word in _ABD_WORDS
    return bound


def _elements(words: list[str], lexicon: _Lexicon) -> list[_Element]:
    """The elements of a name given as folded, bound Latin words."""
    if len(words) > 1:
        whole = lexicon.get("".join(words))  # a table spelling in several words: Gul Buddin
        if whole is not None:
            return list(whole)
    elements: list[_Element] = []
    for word in words:
        elements.extend(_word_elements(word, lexicon))
    return elements


def _final_class(run: str) -> str:
    last = run[-1]
    if last == "e":
        return "i" if len(run) > 1 and run[-2] in "ie" else "a"
    return _FINAL_CLASS[last]


def _skeleton(spelling: str, *, merge_initial: bool = False) -> str:
    """The key of a resolved spelling: the initial vowel class, the consonants with doubles
    collapsed, the final vowel class."""
    if spelling.endswith("y"):
        spelling = spelling[:-1] + "i"  # a last word "y" ends the name with a vowel
    parts = _SKELETON_PARTS.fullmatch(spelling)
    if not spelling or parts is None:
        return ""
    initial, middle, final = parts.groups()
    head = ("a" if merge_initial else _INITIAL_CLASS[initial[0]]) if initial else ""
    if not middle:
        return head
    body = _DOUBLED.sub(r"\1", middle.translate(_DROP_VOWELS))
    if head == "a" and body == "h" and not final:
        return head  # "ah" would read back as a final "ah", that is "a"
    return head + body + (_final_class(final) if final else "")


def _key(elements: list[_Element], *, merge_initial: bool = False) -> str:
    return _skeleton("".join(fragment for fragment, _ in elements), merge_initial=merge_initial)


def latin_key(text: str) -> str:
    """Return the matching key of a romanised Dari or Pashto name.

    Case, accents, apostrophes, hyphens and spaces do not matter ("Abd-ul-Ali" ==
    "abdul ali" == "Abdulali"); nor do the usual romanisation variants: vowel spellings
    (Mohammad/Muhammad, Ahmad/Ahmed, Gul/Gol, Yousuf/Yousef), q/k, v/w, doubled letters,
    -ullah/-ulla/-allah/-ollah, Abdul/Abdol/Abd al-/Abdur-, -uddin/-udin/-ud-din,
    -zai/-zay/-zei, -khel/-khail, Zabihullah/Zabiullah, and the irregular variants in the
    name table (Mohd, Md, Syed, Dawood). Arabic-script letters are ignored: use
    :func:`name_key` for text in either script; titles and FNU are *not* removed here. The
    key is lower-case ASCII, "" when nothing is left, and its own key.
    """
    words = _bind_words(_fold_latin(text).split())
    return _key(_elements(words, _LEXICON)) if words else ""


# --- titles, placeholders, whole names -------------------------------------------------------


def _fold_word(word: str) -> str:
    """A word as compared with the title and placeholder lists."""
    if _has_arabic(word):
        return normalize_arabic_script(word, fold_pashto=True).replace(" ", "")
    return _fold_latin(word).replace(" ", "")


def is_fnu(text: str) -> bool:
    """Return True when ``text`` holds no name: empty, punctuation only ("-", "—", "?"), or
    a placeholder such as "FNU", "F.N.U.", "LNU", "Unknown", "N/A", "None", "نامعلوم".
    A name that merely contains FNU ("FNU Zabihullah") is a name."""
    if not any(character.isalpha() for character in text):
        return True
    if "".join(text.lower().replace(".", "").split()) in FNU_PLACEHOLDERS:
        return True
    return _fold_word(text) in FNU_PLACEHOLDERS


def _is_title(word: str) -> bool:
    if _has_arabic(word):
        return normalize_arabic_script(word, fold_pashto=True) in _HONORIFICS_ARABIC
    return _fold_latin(word).replace(" ", "") in HONORIFICS_LATIN


def _without_titles(words: list[str]) -> list[str]:
    """Words with the leading titles removed, provided that something else remains."""
    first, dot, rest = words[0].partition(".")
    if dot and rest and _is_title(first):  # "Dr.Ahmad", "Eng.Wahid"
        words = [rest, *words[1:]]
    start = 0
    while start < len(words) - 1:
        if _is_title(words[start]):
            start += 1
        elif words[start].lower() == "al" and _is_title(words[start + 1]):
            start += 2  # "Al Haj"
        else:
            break
    return words[start:] or words


def strip_honorifics(text: str) -> str:
    """Return ``text`` without the titles in front of the name: Haji/Hajji/Al-Haj, Mullah,
    Mawlawi/Molvi, Mawlana, Qari, Engineer/Eng., Dr./Doctor, Prof., Ustad, Mr./Mrs., and
    their Dari forms (حاجی، الحاج، ملا، مولوی، مولانا، قاری، انجنیر، مهندس، داکتر، پوهاند،
    استاد، آقای). They are earned or courtesy titles that one document shows and the next
    does not.

    Kept, because they are written on the tazkira as part of the name or are also ordinary
    name elements: Sayed/Syed/Sayyid and Mir (lineage), Hafiz (Hafizullah), Agha, Khan, Jan,
    Bibi and Sheikh. A text made only of titles is returned unchanged; whitespace collapses.
    """
    words = text.split()
    return " ".join(_without_titles(words)) if words else ""


_FNU_IN_NAME: Final = re.compile("[flm]nu")


def _name_words(text: str) -> list[str]:
    """The folded, bound Latin words of a name field without FNU words and titles; [] when
    the field holds no name."""
    if _has_arabic(text):
        return _arabic_name_words(text)
    # Latin: fold once, then work on the folded words ("Dr.Ahmad" -> "dr", "ahmad").
    words = _fold_latin(text).split()
    joined = "".join(words)
    if len(words) < 4 and (joined in FNU_PLACEHOLDERS or joined == "na") and is_fnu(text):
        return []
    if "nu" in joined and _FNU_IN_NAME.search(joined):  # "FNU Zabihullah", "F.N.U. Gul"
        words = _fold_latin(
            " ".join(word for word in text.split() if _fold_word(word) not in FNU_TOKENS)
        ).split()
    start = 0
    while start < len(words) - 1:
        if words[start] in HONORIFICS_LATIN:
            start += 1
        elif words[start] == "al" and words[start + 1] in HONORIFICS_LATIN:
            start += 2  # "Al Haj"
        else:
            break
    return _bind_words(words[start:] if start < len(words) else words)


def _arabic_name_words(text: str) -> list[str]:
    """:func:`_name_words` for text with Arabic script: normalised once, then the
    placeholder and title checks on the normalised words (Latin ones folded)."""
    normalised = normalize_arabic_script(text, fold_pashto=True)
    words = normalised.split()
    folded = [_fold_latin(word).replace(" ", "") if word.isascii() else word for word in words]
    if not words or "".join(folded) in FNU_PLACEHOLDERS:
        return []
    kept = [
        (word, fold) for word, fold in zip(words, folded, strict=True) if fold not in FNU_TOKENS
    ]
    start = 0
    while start < len(kept) - 1 and (
        kept[start][1] in _HONORIFICS_ARABIC or kept[start][1] in HONORIFICS_LATIN
    ):
        start += 1
    latin = _transliterate_normalised(" ".join(word for word, _ in kept[start:]))
    return _bind_words(_fold_latin(latin).split())


def name_key(text: str) -> str:
    """Return the canonical key of a name written in Latin or Arabic script.

    Arabic script is transliterated (:func:`transliterate`) and then folded like a
    romanisation (:func:`latin_key`), so "محمد", "Mohammad", "Muhammad", "Mohammed",
    "Mohamad" and "Mohd" share one key. A compound is one name: "Abdul Ali", "Abdulali",
    "Abd-ul-Ali" and "عبدالعلی" share one key. Leading titles (:func:`strip_honorifics`)
    and FNU/LNU words are dropped; a field with no name (:func:`is_fnu`) gives "". The key
    belongs to ``NAME_KEY_VERSION``.
    """
    words = _name_words(text)
    return _key(_elements(words, _LEXICON)) if words else ""


def name_keys(text: str) -> frozenset[str]:
    """Return every key a record with this name should be found under, for blocking.

    - the full key (:func:`name_key`);
    - the *loose* key: the plain consonant skeleton, without the table's long-vowel
      distinctions and with any initial vowel as "a", so that an unlisted spelling of
      Hussain, or the Arabic-script spelling of a name the table lacks (the script does not
      show which initial vowel it is), still meets its record;
    - for a compound, the key of each part longer than two letters, except the elements too
      common to identify anyone alone (Mohammad, Abdul, Ghulam, Sayed, Mir, Khan, Jan, Agha,
      Bibi): "Abdul Karim" -> the key of "Karim";
    - the name without a leading Mohammad or Sayed, without a trailing Khan or Jan, and
      without both, which documents often drop: "Mohammad Zaman Khan" -> the keys of
      "Zaman Khan", "Mohammad Zaman" and "Zaman".

    Empty for a field with no name.
    """
    words = _name_words(text)
    if not words:
        return frozenset()
    elements = _elements(words, _LEXICON)
    keys = {_key(elements), _key(_elements(words, _LOOSE_LEXICON), merge_initial=True)}
    if len(elements) > 1:
        for fragment, canonical in elements:
            if canonical not in COMPOUND_ELEMENTS:
                part = _skeleton(fragment)
                if len(part) > 2:
                    keys.add(part)
        start, stop = 0, len(elements)
        while start < stop - 1 and elements[start][1] in LEADING_ELEMENTS:
            start += 1
        while stop > start + 1 and elements[stop - 1][1] in TRAILING_ELEMENTS:
            stop -= 1
        for first, last in ((start, len(elements)), (0, stop), (start, stop)):
            keys.add(_key(elements[first:last]))
    keys.discard("")
    return frozenset(keys)


_TRIBAL_ENDING: Final = re.compile(
    r"(?P<root>[a-z]{2,}?)"
    r"(?:(?P<zai>z(?:ai|ay|ei|ey|aee|oi|oy))|(?P<khel>kh(?:e|ai|ei|i|ie|ee|y)l))"
)


def split_tribal_suffix(text: str) -> tuple[str, str]:
    """Split a Pashtun tribal ending off a name: ("ahmad", "zai") for "Ahmadzai" or
    "Ahmad Zai", ("sulaiman", "khel") for "Sulaimankhel"; (name, "") when there is none.

    The root comes back folded (Latin: lower case without spaces; Arabic script: normalised
    with Pashto folding, without spaces), the ending as "zai" (-zai/-zay/-zei) or "khel"
    (-khel/-khail/-khil) whatever the script. In Arabic script a word ending in زی is not
    split when the word without its final ی is a known name (عزیزی is Azizi, not Azi-zai),
    but a rare name such as تبریزی is still cut wrongly.
    """
    if _has_arabic(text):
        word = normalize_arabic_script(text, fold_pashto=True).replace(" ", "")
        for ending, latin in _ARABIC_TRIBAL_ENDINGS:
            root = word[: -len(ending)]
            if word.endswith(ending) and len(root) >= 3:
                if latin == "zai" and word[:-1] in _ARABIC_LEXICON:
                    break
                return root, latin
        return word, ""
    word = _fold_latin(text).replace(" ", "")
    match = _TRIBAL_ENDING.fullmatch(word)
    if match is None:
        return word, ""
    return match["root"], match.lastgroup or ""


# --- the variant table as lookups ------------------------------------------------------------


def _long_vowel_fragment(entry: NameVariants) -> str:
    """The spelling of a name that keeps its written long vowels: the consonants of the
    Arabic spelling with و and ی as "w" and "y", the initial vowel class taken from the
    romanisation (the script does not show it)."""
    word = normalize_arabic_script(entry.arabic[0], fold_pashto=True).replace(" ", "")
    canonical = _fold_latin(entry.canonical).replace(" ", "")
    out = [canonical[0]] if canonical[0] in _VOWELS else []
    last = len(word) - 1
    for index, letter in enumerate(word):
        if letter in _ARABIC_CONSONANTS:
            out.append(_ARABIC_CONSONANTS[letter])
        elif letter in "وی":
            if index == last:
                out.append("u" if letter == _WAW else "i")
            elif index > 0 or not out:
                out.append("w" if letter == _WAW else "y")
        elif letter in "اه" and index == last:
            out.append("a")
    return _resolve("".join(out))


def _spelling_words(spelling: str) -> list[str]:
    return _bind_words(_fold_latin(spelling).split())


def _table_entry(words: list[str], lexicon: _Lexicon) -> tuple[_Element, ...]:
    """The elements of a table name, from a lexicon of the table's single names: each word
    whole ("Mohammad Zaman"), and a one-word compound in its parts ("Abdulkarim")."""
    if len(words) > 1:
        return tuple(element for word in words for element in _word_elements(word, lexicon))
    parts = _word_elements(words[0], lexicon, whole=False)
    if len(parts) > 1:
        return parts
    return lexicon.get(words[0], parts)


def _build_lexicons() -> tuple[_Lexicon, _Lexicon, Mapping[str, str]]:
    """(Latin lexicon, Latin lexicon without long-vowel entries, Arabic lexicon).

    First every table name as one element, then every name again in its parts, found
    through the first lexicon."""
    arabic: dict[str, str] = {}
    spellings: list[tuple[NameVariants, list[str], list[str]]] = []
    for entry in NAME_VARIANTS:
        words = _spelling_words(entry.canonical)
        keys = ["".join(_spelling_words(spelling)) for spelling in (entry.canonical, *entry.latin)]
        spellings.append((entry, words, keys))
        for form in entry.arabic:
            arabic[normalize_arabic_script(form, fold_pashto=True).replace(" ", "")] = (
                entry.canonical.lower()
            )
    single: dict[str, tuple[_Element, ...]] = {}
    single_loose: dict[str, tuple[_Element, ...]] = {}
    for entry, words, keys in spellings:
        canonical = "".join(words)
        plain = "".join(fragment for fragment, _ in _elements(words, {}))
        fragment = _long_vowel_fragment(entry) if entry.keeps_long_vowels else plain
        for key in keys:
            single[key] = ((fragment, canonical),)
            single_loose[key] = ((plain, canonical),)
    strict: dict[str, tuple[_Element, ...]] = {}
    loose: dict[str, tuple[_Element, ...]] = {}
    for entry, words, keys in spellings:
        elements = _table_entry(words, single)
        loose_elements = _table_entry(words, single_loose)
        for key, spelling in zip(keys, (entry.canonical, *entry.latin), strict=True):
            if key in strict and strict[key] != elements:
                raise ValueError(f"name table: {spelling!r} is listed under two names")
            strict[key] = elements
            loose[key] = loose_elements
    return strict, loose, arabic


_LEXICONS: Final = _build_lexicons()
_LEXICON: Final = _LEXICONS[0]
_LOOSE_LEXICON: Final = _LEXICONS[1]
_ARABIC_LEXICON: Final = _LEXICONS[2]
_HONORIFICS_ARABIC: Final = frozenset(
    normalize_arabic_script(word, fold_pashto=True) for word in HONORIFICS_ARABIC
)
