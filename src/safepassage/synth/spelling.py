"""How one Afghan name comes to be written many ways: Latin transliteration variants and the
Arabic-script variation seen on forms.

The rules encode the variation listed in /work/shared/DOMAIN.md section 4 (Mohammad/Muhammad/
Mohammed/Mohamad/Mohd, Ahmad/Ahmed, Abdul/Abdol/Abd al-, -ullah/-ulla/-allah, Gul/Gol, -zai/-zay;
Arabic yeh/Persian yeh, kaf/keheh, teh marbuta/heh, hamza forms, diacritics, tatweel and the
zero-width non-joiner) plus the vowel spellings common in Afghan romanisation (i/ee, u/oo,
e/i), written down from general knowledge of how such names appear in English documents. No
transliteration library models this inconsistency (they produce one standard spelling, which is
exactly what real records do not have), hence the hand-written rules.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence

__all__ = [
    "arabic_keyboard",
    "latin_spellings",
    "to_eastern_arabic_digits",
    "with_alef_maksura",
    "with_diacritic",
    "with_tatweel",
    "with_teh_marbuta",
    "with_zwnj",
    "without_hamza",
]

MAX_SPELLINGS = 10
"""Upper bound on the Latin spellings kept per name (canonical first)."""

# Whole-word alternatives; the key is the canonical spelling used in the name tables.
_WORD_VARIANTS: dict[str, tuple[str, ...]] = {
    "Mohammad": ("Muhammad", "Mohammed", "Mohamad", "Mohd", "Muhammed", "Mohamed"),
    "Ahmad": ("Ahmed",),
    "Mahmood": ("Mahmud", "Mahmoud"),
    "Ghulam": ("Gholam", "Golam"),
    "Gul": ("Gol",),
    "Noor": ("Nur",),
    "Sayed": ("Sayyed", "Syed", "Said", "Sayyid"),
    "Hussain": ("Hussein", "Husain", "Hossain"),
    "Hassan": ("Hasan",),
    "Rahman": ("Rehman",),
    "Rahim": ("Raheem",),
    "Karim": ("Kareem",),
    "Hamid": ("Hameed",),
    "Wahid": ("Waheed",),
    "Farid": ("Fareed",),
    "Sharif": ("Shareef",),
    "Latif": ("Lateef",),
    "Bashir": ("Basheer",),
    "Nazir": ("Nazeer",),
    "Basir": ("Baseer",),
    "Hakim": ("Hakeem",),
    "Majid": ("Majeed",),
    "Rashid": ("Rasheed",),
    "Aziz": ("Azeez",),
    "Azim": ("Azeem",),
    "Hanif": ("Haneef",),
    "Rafi": ("Rafee", "Rafie"),
    "Amin": ("Ameen",),
    "Naeem": ("Naim", "Nayeem"),
    "Fahim": ("Faheem",),
    "Shafiq": ("Shafeeq",),
    "Rafiq": ("Rafeeq",),
    "Qadir": ("Qader", "Kadir", "Qadeer"),
    "Qasim": ("Qassim", "Kasim"),
    "Qayum": ("Qayyum", "Qayoom"),
    "Yousuf": ("Yusuf", "Yousef", "Yosuf"),
    "Daud": ("Dawood", "Dawud", "Daoud"),
    "Omar": ("Umar",),
    "Usman": ("Osman", "Othman"),
    "Jawid": ("Javed", "Jawed", "Javid"),
    "Zia": ("Ziya",),
    "Khalid": ("Khaled",),
    "Farooq": ("Faruq", "Farouq"),
    "Ismail": ("Esmail", "Ismael"),
    "Ibrahim": ("Ebrahim",),
    "Idrees": ("Idris", "Edris"),
    "Younus": ("Yunus", "Yonus"),
    "Yaqub": ("Yaqoob", "Yakub"),
    "Suleman": ("Sulaiman", "Sulayman", "Solaiman"),
    "Musa": ("Mosa", "Moosa"),
    "Isa": ("Essa", "Eisa"),
    "Nasir": ("Naser", "Naseer"),
    "Zahir": ("Zaher",),
    "Tahir": ("Taher",),
    "Shakir": ("Shaker",),
    "Sabir": ("Saber",),
    "Masood": ("Masoud", "Masud"),
    "Mujib": ("Mujeeb",),
    "Murtaza": ("Mortaza",),
    "Mustafa": ("Mostafa",),
    "Najib": ("Najeeb",),
    "Tariq": ("Tareq",),
    "Haroon": ("Harun", "Haroun"),
    "Haidar": ("Haider", "Hayder"),
    "Dastagir": ("Dastageer",),
    "Agha": ("Aga", "Aqa"),
    "Ayub": ("Ayoub", "Ayoob"),
    "Anwar": ("Anwer",),
    "Wali": ("Walli",),
    "Jan": ("Jaan",),
    "Zubair": ("Zobair", "Zubayr"),
    "Mahdi": ("Mehdi",),
    "Abbas": ("Abas",),
    "Reza": ("Raza",),
    "Nadir": ("Nader",),
}

# Alternatives for the start of a longer word ("Ahmadzai" -> "Ahmedzai").
_PREFIX_VARIANTS: dict[str, tuple[str, ...]] = {
    "Mohammad": ("Muhammad", "Mohammed"),
    "Ahmad": ("Ahmed",),
    "Noor": ("Nur",),
    "Gul": ("Gol",),
    "Yousuf": ("Yusuf",),
}

# Alternatives for the end of a word ("Zabihullah" -> "Zabihulla", "Popalzai" -> "Popalzay").
_SUFFIX_VARIANTS: dict[str, tuple[str, ...]] = {
    "ullah": ("ulla", "allah", "ollah"),
    "uddin": ("udin", "addin", "oddin", "uddeen"),
    "zai": ("zay",),
}

# "Abdul Rahman" is also written "Abdol Rahman", "Abd al-Rahman" and "Abdulrahman".
_ABDUL = "Abdul"


def _word_options(word: str) -> list[str]:
    """Spellings of one word, canonical first."""
    options = [word, *_WORD_VARIANTS.get(word, ())]
    for prefix, alternatives in _PREFIX_VARIANTS.items():
        if word.startswith(prefix) and len(word) > len(prefix):
            options.extend(alt + word[len(prefix) :] for alt in alternatives)
    for suffix, alternatives in _SUFFIX_VARIANTS.items():
        if word.endswith(suffix) and len(word) > len(suffix):
            stem = word[: -len(suffix)]
            options.extend(stem + alt for alt in alternatives)
    # Romanisation of long vowels is free: u/oo and i/ee swap both ways.
    if "oo" in word:
        options.append(word.replace("oo", "u"))
    if "ee" in word:
        options.append(word.replace("ee", "i"))
    return list(dict.fromkeys(options))


def latin_spellings(canonical: str, extra: Sequence[str] = ()) -> tuple[str, ...]:
    """Return the Latin spellings of a name: ``canonical`` first, then the spellings that differ
    from it in one word, then in two words, and so on; ``extra`` (irregular spellings known
    from practice, such as "Zabiullah") come right after the canonical one. At most
    ``MAX_SPELLINGS`` are kept."""
    words = canonical.split(" ")
    abdul = len(words) > 1 and words[0] == _ABDUL
    if abdul:
        words = words[1:]
    per_word = [_word_options(word) for word in words]
    combos = sorted(
        itertools.product(*(range(len(options)) for options in per_word)),
        key=lambda picks: sum(1 for pick in picks if pick),
    )
    bodies = [" ".join(per_word[i][pick] for i, pick in enumerate(picks)) for picks in combos]
    spellings: list[str] = []
    if abdul:
        first = bodies[0]
        spellings.append(f"{_ABDUL} {first}")
        spellings.extend((f"Abdol {first}", f"Abd al-{first}"))
        if " " not in first:
            spellings.append(_ABDUL + first.lower())
        spellings.extend(f"{_ABDUL} {body}" for body in bodies[1:])
    else:
        spellings.extend(bodies)
    ordered = [spellings[0], *extra, *spellings[1:]]
    return tuple(dict.fromkeys(ordered))[:MAX_SPELLINGS]


# ----------------------------------------------------------------------------------------------
# Arabic script

PERSIAN_YEH = "\u06cc"
ARABIC_YEH = "\u064a"
ALEF_MAKSURA = "\u0649"
KEHEH = "\u06a9"
ARABIC_KAF = "\u0643"
HEH = "\u0647"
TEH_MARBUTA = "\u0629"
TATWEEL = "\u0640"
ZWNJ = "\u200c"
_HARAKAT = ("\u064e", "\u064f", "\u0650", "\u0651")  # fatha, damma, kasra, shadda

# Letters that do not join to the following letter, so a tatweel after them would be wrong.
_RIGHT_JOINING = frozenset("اآأإدذرزژوؤةءۀ")
_KEYBOARD = str.maketrans({PERSIAN_YEH: ARABIC_YEH, KEHEH: ARABIC_KAF})
ALEF = "\u0627"
_HAMZA_DROPPED = str.maketrans(
    {
        "\u0622": ALEF,  # alef with madda above
        "\u0623": ALEF,  # alef with hamza above
        "\u0625": ALEF,  # alef with hamza below
        "\u0621": None,  # hamza
        "\u0626": PERSIAN_YEH,  # yeh with hamza above
    }
)
_EASTERN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def arabic_keyboard(text: str) -> str:
    """The name as typed on an Arabic keyboard layout: Arabic yeh and kaf instead of Persian."""
    return text.translate(_KEYBOARD)


def with_alef_maksura(text: str) -> str:
    """Word-final Persian yeh written as alef maksura (علی -> على)."""
    return " ".join(
        word[:-1] + ALEF_MAKSURA if word.endswith(PERSIAN_YEH) else word for word in text.split(" ")
    )


def with_teh_marbuta(text: str) -> str:
    """Word-final heh written as teh marbuta (فاطمه -> فاطمة), where the heh is a feminine
    ending rather than part of the root (not after alef, as in شاه)."""
    words = []
    for word in text.split(" "):
        if len(word) > 2 and word.endswith(HEH) and word[-2] not in "اآو":
            word = word[:-1] + TEH_MARBUTA
        words.append(word)
    return " ".join(words)


def without_hamza(text: str) -> str:
    """Hamza forms and alef madda flattened (آصف -> اصف, ثناءالله -> ثناالله)."""
    return text.translate(_HAMZA_DROPPED)


def _letter_positions(text: str) -> list[int]:
    return [i for i, char in enumerate(text) if "\u0620" <= char <= "\u06ff"]


def with_diacritic(text: str, rng: random.Random) -> str:
    """One short-vowel mark or shadda added after a letter (محمد -> محمّد)."""
    positions = _letter_positions(text)
    if not positions:
        return text
    at = rng.choice(positions) + 1
    return text[:at] + rng.choice(_HARAKAT) + text[at:]


def _joining_gaps(text: str) -> list[int]:
    """Indexes between two letters of the same word where the first joins the second."""
    return [
        i + 1
        for i in range(len(text) - 1)
        if "\u0620" <= text[i] <= "\u06ff"
        and "\u0620" <= text[i + 1] <= "\u06ff"
        and text[i] not in _RIGHT_JOINING
    ]


def with_tatweel(text: str, rng: random.Random) -> str:
    """A kashida (tatweel) stretching a joint between two letters."""
    gaps = _joining_gaps(text)
    if not gaps:
        return text
    at = rng.choice(gaps)
    return text[:at] + TATWEEL + text[at:]


def with_zwnj(text: str, rng: random.Random) -> str:
    """A zero-width non-joiner in place of the space of a compound name (ذبیح الله ->
    ذبیح‌الله), or, in a single word, breaking one joint."""
    if " " in text:
        spaces = [i for i, char in enumerate(text) if char == " "]
        at = rng.choice(spaces)
        return text[:at] + ZWNJ + text[at + 1 :]
    gaps = _joining_gaps(text)
    if not gaps:
        return text
    at = rng.choice(gaps)
    return text[:at] + ZWNJ + text[at:]


def to_eastern_arabic_digits(text: str) -> str:
    """Digits written as Dari and Pashto text writes them (1399 -> ۱۳۹۹)."""
    return text.translate(_EASTERN_DIGITS)
