"""The words the situation-report finder (``engine/sitrep.py``) looks for: place names
that need context, place cues, weekday and relative-day words, event and affiliate words,
in English, Dari and Pashto.

Dari and Pashto entries are written as people write them; the finder normalises them the
way it normalises the text (one spelling per letter, no ZWNJ or diacritics).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from safepassage.engine.places import PlaceKind
from safepassage.engine.threat import EventKind

# fmt: off

# Place names that are also ordinary English words, words of other languages common in
# English reports, or names of places abroad: a place only with a cue next to them ("Reg
# district", "the district of Daman"), or after "in/near/from" when the same paragraph
# names their province. Single-token Latin names of three letters or fewer count too.
LATIN_COMMON_WORDS: Final = frozenset((
    "bak", "baak", "chal", "chora", "dara", "darah", "dila", "farsi", "giro", "kama", "kang",
    "kot", "mizan", "nari", "nika", "obe", "omna", "ragh", "reg", "shamal", "shaki", "spera",
    "tani", "wama", "washer", "yawan", "zari", "argo", "andar", "charkh", "nesh", "naish",
    "kushk", "koshk", "dushi", "kiti", "gulistan", "shahrak", "khaniqa", "qalandar",
    "sabari", "saghar", "injil", "panjab", "registan", "almar", "bangi", "burka", "gaiti",
    "jawand", "kishim", "marmul", "gomal", "daman", "shuhada", "shahada", "kohistan",
    "kohistanat", "shahristan", "mandol", "ghaziabad", "ahmadabad", "aliabad", "duab",
    "kufab", "balkhab", "khoshi", "gayan",
))
# Place names that are also Afghan personal, family or tribal names, or words that are a
# place when a preposition comes before them ("in Mazar", "in Nawa"): a place only with a
# cue or after "in/near/from..." ("Rahim Wardak said" is a person).
LATIN_PERSON_NAMES: Final = frozenset((
    "farah", "wardak", "zadran", "kakar", "shinwar", "shinwari", "jaji", "khadir", "sayyad",
    "waras", "qaysar", "maruf", "sabri", "shinkay", "mandozai", "shamulzayi", "musayi",
    "nawur", "gurbuz", "azra", "narang", "mazar", "nawa", "matun", "khash", "sharan", "salang",
))
# The same for Dari and Pashto (a province among them then needs a district or town of
# it named nearby, or a cue such as «ولایت»): «جرم» is "crime", «مقر» "headquarters»,
# «چوکی» a police post, «نوزاد» a newborn, «شهدا» martyrs, «سر پل» "at the bridge",
# «میدان شهر» a city square, «امام صاحب» "the imam"...
ARABIC_COMMON_WORDS: Final = (
    "چرخ", "نیش", "کشک", "باک", "کما", "ریگ", "ریګ", "دره", "چال", "جرم", "نرخ", "کنگ",
    "راغ", "مقر", "تنی", "برکه", "جوند", "ناوه", "اوبی", "شرن", "زاری", "اندر", "خادر",
    "نیکه", "شهدا", "خیوه", "دیله", "چوره", "چوکی", "شمال", "سیاد", "شهرک", "ساغر", "خوشی",
    "کیتی", "واما", "سبری", "قلندر", "میزان", "فارسی", "دامان", "گلستان", "معروف", "پریان",
    "شهرستان", "کوهستان", "خانقاه", "پنجاب", "نیلی", "نوزاد", "شینکی", "ورث", "گیان",
    "نرنگ", "ارگو", "گیرو", "خاش", "کوهستانات", "قیصار", "سالنگ", "ناری", "کشم", "جوړم",
    "ژړی", "بنگی", "سرپل",
    "ده یک", "دو آب", "آب بند", "چاه آب", "نمک آب", "خاک سفید", "سرخ رود", "شیخ علی",
    "نو بهار", "ده بالا", "دولت شاه", "دولت یار", "حضرت سلطان", "شهید حساس", "قره باغ",
    "احمد آباد", "غازی اباد", "میدان شهر", "امام صاحب", "زنده جان", "پشت رود", "کوه بند",
    "چپه دره", "ده سبز",
)
# Personal and tribal names, and «غور» ("deliberation", but Ghor after «در»): a place only
# with a cue or a preposition.
ARABIC_PERSON_NAMES: Final = (
    "غور", "وردک", "وردګ", "کاکر", "شینوار", "شینواری", "جاجی", "زدران", "فراه", "موسی خیل",
    "یحی خیل",
)

# Words next to a name that say it is a place, and which kind.
LATIN_KIND_WORDS: Final[Mapping[str, PlaceKind | None]] = {
    "province": PlaceKind.PROVINCE, "provinces": PlaceKind.PROVINCE,
    "provincial": PlaceKind.PROVINCE, "district": PlaceKind.DISTRICT,
    "districts": PlaceKind.DISTRICT, "city": PlaceKind.CITY, "town": PlaceKind.CITY,
    "bazaar": PlaceKind.CITY, "village": None, "valley": None, "area": None,
}
LATIN_LOCATIVES: Final = frozenset((
    "in", "near", "at", "from", "outside", "around", "into", "across", "to", "toward",
    "towards", "of", "between", "through",
))
ARABIC_KIND_WORDS: Final[Mapping[str, PlaceKind | None]] = {
    "ولایت": PlaceKind.PROVINCE, "ولسوالی": PlaceKind.DISTRICT, "ولسوالۍ": PlaceKind.DISTRICT,
    "ولسوالیهای": PlaceKind.DISTRICT, "ولسوالیو": PlaceKind.DISTRICT, "شهر": PlaceKind.CITY,
    "ښار": PlaceKind.CITY, "شهرستان": None, "قریه": None, "کلی": None, "روستای": None,
}
ARABIC_LOCATIVES: Final = ("در", "به", "از", "په", "له", "د", "تا", "کې", "ته")
# Prepositions written joined to the name («درکابل», «پهکابل», «دکابل»), longest first,
# and postpositions joined at its end («کابلکې»).
ARABIC_PREFIXES: Final = ("در", "به", "از", "په", "له", "تا", "د", "ب")
ARABIC_SUFFIXES: Final = ("کې", "ته", "را")
ARABIC_POSTPOSITIONS: Final = ("کې", "ته")

SENTENCE_ABBREVIATIONS: Final = frozenset((
    "mr", "mrs", "ms", "dr", "gen", "col", "lt", "maj", "capt", "sgt", "st", "no", "vs",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "etc",
))

# Python weekday numbers: Monday 0 ... Sunday 6. Pashto inflects («د سه شنبې»).
ARABIC_WEEKDAYS: Final[Mapping[str, int]] = {
    "شنبه": 5, "شنبې": 5,
    "یکشنبه": 6, "یک شنبه": 6, "یکشنبې": 6, "اتوار": 6,
    "دوشنبه": 0, "دو شنبه": 0, "دوشنبې": 0,
    "سه‌شنبه": 1, "سه شنبه": 1, "سه شنبې": 1, "سه‌شنبې": 1,
    "چهارشنبه": 2, "چهار شنبه": 2, "چارشنبه": 2, "چهارشنبې": 2, "چارشنبې": 2,
    "پنجشنبه": 3, "پنج شنبه": 3, "پنجشنبې": 3,
    "جمعه": 4, "جمعې": 4,
}
# Days before publication.
ARABIC_RELATIVE_DAYS: Final[Mapping[str, int]] = {
    "دیروز": 1, "پریروز": 2, "امروز": 0, "دیشب": 1, "شب گذشته": 1,
    "پرون": 1, "پرونۍ شپه": 1, "تېره شپه": 1, "بیګا": 1, "نن": 0, "نن ورځ": 0,
}
ENGLISH_RELATIVE_DAYS: Final[Mapping[str, int]] = {
    "the day before yesterday": 2, "yesterday": 1, "last night": 1, "today": 0,
    "tonight": 0, "earlier today": 0, "this morning": 0,
}

# English entries are regular expressions (case-insensitive, whole words); Dari and
# Pashto ones plain words or phrases, matched at a word start so that endings (plural
# «ها», Pashto «ې»/«و») still match.
EVENT_WORDS: Final[Mapping[EventKind, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    EventKind.TARGETED_KILLING: (
        (r"targeted\s+(?:killing|attack|assassination)s?", r"assassinat\w*",
         r"shot\s+(?:dead|and\s+killed)", r"gunned\s+down",
         r"killed\s+by\s+(?:unknown|unidentified)\s+(?:gunmen|armed\s+men)",
         r"(?:summary|summarily)\s+execut\w*", r"executed", r"beheaded", r"murdered"),
        ("ترور", "قتل هدفمند", "به قتل رسید", "به قتل رساندند", "به قتل رسانده", "تیرباران",
         "اعدام صحرایی", "په نښه شوي برید", "په نښه شوې وژنه", "په ډزو ووژل", "په ډزو ووژل شو",
         "په ټکو ووژل"),
    ),
    EventKind.ABDUCTION: (
        (r"abduct\w*", r"kidnap\w*", r"taken\s+hostage", r"held\s+hostage"),
        ("ربوده", "ربودند", "ربودن", "اختطاف", "آدم‌ربایی", "گروگان", "وتښتول", "وتښتاوه",
         "تښتول", "یرغمل"),
    ),
    EventKind.THREAT_LETTER: (
        (r"(?:threat(?:ening)?|warning|night)\s+letters?", r"shabnam(?:a|ah|eh)s?",
         r"letters?\s+threatening", r"threatened\s+(?:by|with)\s+(?:a\s+)?letter"),
        ("شب‌نامه", "شبنامه", "شپنامه", "نامه تهدید", "تهدیدنامه", "نامه تهدیدآمیز",
         "د ګواښ لیک", "ګواښ لیک", "ګواښلیک"),
    ),
    EventKind.HOUSE_SEARCH: (
        (r"house\s+search(?:es)?", r"night\s+raids?",
         r"(?:searched|raided)\s+(?:his|her|their|the)\s+(?:family\s+)?(?:home|house)s?",
         r"(?:door|house)[-\s]to[-\s](?:door|house)\s+search(?:es)?",
         r"search(?:ing|ed)?\s+(?:homes|houses)"),
        ("تلاشی خانه", "خانه‌تلاشی", "تلاشی منزل", "بازرسی خانه", "خانه به خانه",
         "تلاشی کردند", "تلاشی شد", "د کور تلاشي", "کور په کور", "کورونه تلاشي",
         "کور یې تلاشي"),
    ),
    EventKind.CHECKPOINT_ARREST: (
        (r"(?:arrest|detain|stopp|seiz|pull)\w*\s+(?:\w+\s+){0,6}?at\s+(?:a|the|their|one)\s+"
         r"(?:\w+\s+)?(?:check\s?point|check\s?post|road\s?block)s?",
         r"(?:check\s?point|check\s?post|road\s?block)s?\s+(?:\w+\s+){0,4}?(?:arrest|detain)\w*"),
        ("ایست بازرسی", "پاسگاه", "د تلاشۍ پوسته", "تلاشي پوسته", "چک پوست",
         "پوسته کې ونیول"),
    ),
    EventKind.ARMED_CLASH: (
        (r"clash\w*", r"fighting", r"fought", r"firefights?", r"gun\s?battles?", r"assault\w*",
         r"offensive", r"battles?\s+for", r"attacked", r"besieg\w*"),
        ("درگیری", "جنگ", "نبرد", "حمله", "حملات", "یورش", "نښته", "نښتې", "نښتو", "جګړه",
         "جګړې", "جګړو", "برید", "بریدونه"),
    ),
    EventKind.EXPLOSION: (
        (r"explosions?", r"explod\w*", r"blasts?", r"bomb\w*",
         r"suicide\s+(?:attack|bomber|bombing)s?", r"IEDs?", r"improvised\s+explosive",
         r"land\s?mines?", r"magnetic\s+mines?", r"grenades?", r"rockets?", r"mortars?"),
        ("انفجار", "بمب", "انتحاری", "ماین", "راکت", "هاوان", "خمپاره", "چاودنه", "چاودنې",
         "چاودنو", "ځانمرګی", "ځانمرګي", "چاودېدو"),
    ),
    EventKind.CONTROL_CHANGE: (
        (r"(?:fell|fallen|falls|fall)\s+to\s+(?:the\s+)?taliban",
         r"captur\w*\s+(?:the\s+|most\s+of\s+the\s+)?"
         r"(?:district|city|town|provincial|centre|center|capital)\w*",
         r"(?:seized|captured|overran|took\s+over)(?=\s+(?-i:[A-Z]))",
         r"overr(?:an|un|unning)",
         r"(?:took|taken|take|seized|seize|gained|extended)\s+control",
         r"retook|recaptured|retaken", r"district\s+cent(?:re|er)s?\s+(?:fell|collapsed)",
         r"surrendered"),
        ("سقوط", "تصرف", "به کنترل", "کنترل طالبان", "تحت کنترل", "ونیوه", "ونیول شوه", "ولکه",
         "ولکې", "لاسته راوړ", "کنټرول"),
    ),
    EventKind.OTHER: (
        (r"arrest\w*", r"detain\w*", r"disappear\w*", r"went\s+missing", r"tortur\w*",
         r"beaten"),
        ("بازداشت", "دستگیر", "شکنجه", "لت و کوب", "ونیول شو", "ونیول شول", "نیول شوی",
         "ورک شو"),
    ),
}

AFFILIATE_WORDS: Final[tuple[tuple[str, ...], tuple[str, ...]]] = (
    (r"interpreters?", r"translators?",
     r"(?:worked|working|work)\s+(?:with|for)\s+(?:the\s+)?(?:americans?|u\.?s\.?|us|foreign|"
     r"international|coalition|nato|british|german|isaf|western)\w*",
     r"affiliat\w*\s+(?:to|with)\s+(?:the\s+)?(?:foreign|international|american|u\.?s\.?|nato|"
     r"coalition)",
     r"former\s+(?:employees?|staff|contractors?)\s+of\s+(?:the\s+)?(?:u\.?s\.?|american|"
     r"foreign|international|nato|coalition|british)",
     r"special\s+immigrant\s+visas?", r"SIV\s+applicants?",
     r"collaborat(?:ors?|ed|ing)\s+with\s+(?:the\s+)?(?:foreign|americans?|u\.?s\.?|"
     r"coalition|nato)"),
    ("مترجم", "ترجمان", "همکار نیروهای خارجی", "با نیروهای خارجی", "با نیروهای امریکایی",
     "با امریکایی‌ها", "همکاران پیشین", "نیروهای بین‌المللی", "ژباړن", "ژباړونکی",
     "ژباړونکو", "بهرنیو ځواکونو", "له امریکایانو", "امریکايي ځواکونو", "نړیوالو ځواکونو"),
)
# fmt: on
