"""Data for Afghan name normalisation: common names with their romanisations and
Arabic-script spellings, and the word lists (titles, placeholders, compound elements) that
:mod:`safepassage.engine.names` reads.

Source: written down from general knowledge of Afghan naming practice (how names appear on
tazkiras, passports, US and European documents, school rolls and news reports), not copied
from any dataset; the variation modelled is the one listed in /work/shared/DOMAIN.md
section 4 (Mohammad/Muhammad/Mohammed/Mohamad/Mohd, Ahmad/Ahmed, Abdul/Abdol/Abd al-,
-ullah/-ulla/-allah, Zabihullah/Zabiullah, Gul/Gol, -zai/-zay; Arabic yeh/Persian yeh,
kaf/keheh, teh marbuta, hamza forms, diacritics, tatweel, ZWNJ). Arabic-script forms use Dari
spelling conventions (Persian yeh and keheh); Pashto spellings appear where a name is
Pashto. A native Dari and Pashto speaker should review the table before it is relied on
beyond matching (a wrong spelling here silently merges or splits names).

``keeps_long_vowels`` marks names whose plain consonant skeleton would collide with another
common name (Mahmood with Mohammad, Hussain with Hassan, Karim with Karam): their key keeps
the long vowels that Dari spelling writes (و as "w", ی as "y"), so each needs its variants
listed here; an unlisted spelling of such a name falls back to the plain skeleton and is
found again only through the loose key of :func:`safepassage.engine.names.name_keys`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = [
    "COMPOUND_ELEMENTS",
    "FNU_PLACEHOLDERS",
    "FNU_TOKENS",
    "HONORIFICS_ARABIC",
    "HONORIFICS_LATIN",
    "LEADING_ELEMENTS",
    "NAME_VARIANTS",
    "TRAILING_ELEMENTS",
    "NameVariants",
]


@dataclass(frozen=True, slots=True)
class NameVariants:
    """One name: its canonical romanisation, the other romanisations seen for it and its
    Arabic-script spellings (the most usual first)."""

    canonical: str
    latin: tuple[str, ...]
    arabic: tuple[str, ...]
    keeps_long_vowels: bool = False
    """The key keeps the long vowels of the Arabic spelling to stay apart from another name."""


def _name(canonical: str, latin: str, arabic: str, *, long_vowels: bool = False) -> NameVariants:
    """Table row: ``latin`` and ``arabic`` are "/"-separated lists (names may contain spaces)."""
    return NameVariants(
        canonical=canonical,
        latin=tuple(part for part in latin.split("/") if part),
        arabic=tuple(part for part in arabic.split("/") if part),
        keeps_long_vowels=long_vowels,
    )


NAME_VARIANTS: Final[tuple[NameVariants, ...]] = (
    # --- the Mohammad family and the commonest first elements -------------------------
    _name(
        "Mohammad",
        "Muhammad/Mohammed/Mohamad/Muhammed/Mohamed/Muhamad/Mohammod/Mohd/Muhd/Mohmmad",
        "محمد",
    ),
    _name("Ahmad", "Ahmed/Ahamad/Ahmd", "احمد"),
    _name("Mahmood", "Mahmud/Mahmoud/Mehmood/Mahmod/Mahmoud", "محمود", long_vowels=True),
    _name("Hamid", "Hameed/Hamed/Hamied", "حمید"),
    _name("Ghulam", "Gholam/Golam/Gulam/Ghullam/Ghoulam", "غلام"),
    _name("Gul", "Gol/Gull", "گل"),
    _name("Noor", "Nur/Noer/Nour", "نور"),
    _name("Sayed", "Sayyed/Syed/Sayyid/Sayid/Seyed/Saiyed/Sayad/Seyyed", "سید", long_vowels=True),
    _name("Saeed", "Said/Saeid/Saied/Sayeed/Saiid", "سعید"),
    _name("Mir", "Meer", "میر"),
    _name("Shah", "Shaah", "شاه"),
    _name("Sher", "Shir/Sheer", "شیر"),
    _name("Khan", "Khaan", "خان"),
    _name("Jan", "Jaan/Djan", "جان"),
    _name("Agha", "Aga/Aqa/Aghaa", "آغا/آقا"),
    _name("Hazrat", "Hazarat/Hezrat", "حضرت"),
    _name("Sakhi", "Sakhee", "سخی"),
    # --- given names ------------------------------------------------------------------
    _name("Ali", "Aly/Alee", "علی"),
    _name("Wali", "Walli/Walee/Vali", "ولی"),
    _name("Hassan", "Hasan/Hasen", "حسن"),
    _name(
        "Hussain",
        "Hussein/Husain/Hossain/Hosain/Husayn/Hussin/Hosein/Hussen/Husein/Hossein",
        "حسین",
        long_vowels=True,
    ),
    _name("Omar", "Umar/Omer/Umer", "عمر"),
    _name("Usman", "Osman/Othman/Usmaan/Uthman", "عثمان"),
    _name("Amir", "Ameer/Emir/Amer", "امیر"),
    _name("Zaman", "Zamaan", "زمان"),
    _name("Zamir", "Zameer/Zamer", "ضمیر"),
    _name("Nabi", "Nabee", "نبی"),
    _name("Rahim", "Raheem/Rahem", "رحیم"),
    _name("Rahman", "Rehman/Rahmaan/Rahmon", "رحمن/رحمان"),
    _name("Karim", "Kareem/Karem/Kerim", "کریم", long_vowels=True),
    _name("Karam", "Karram", "کرم"),
    _name("Khalid", "Khaled/Khaleed", "خالد"),
    _name("Nasir", "Naser/Nasser/Nassir", "ناصر"),
    _name("Qadir", "Qader/Kadir/Qadeer/Kader", "قادر"),
    _name("Zahir", "Zaher/Zahier", "ظاهر"),
    _name("Tahir", "Taher/Tahier", "طاهر"),
    _name("Yousuf", "Yusuf/Yousef/Yosuf/Yousaf/Yusof/Yusuff/Yusef", "یوسف"),
    _name("Younus", "Yunus/Yonus/Younis/Yunis", "یونس"),
    _name("Yaqub", "Yaqoob/Yakub/Yaqoub/Yacoub/Yakoob", "یعقوب"),
    _name("Ismail", "Esmail/Ismael/Ismaeel/Esmaeel/Ismaiel", "اسماعیل"),
    _name("Ibrahim", "Ebrahim/Ibraheem/Ebraheem", "ابراهیم"),
    _name("Idrees", "Idris/Edris/Edrees", "ادریس"),
    _name("Ilyas", "Elyas/Ilias/Elias", "الیاس"),
    _name("Daud", "Dawood/Dawud/Daoud/Dawod/Daood/Dawed", "داود/داوود", long_vowels=True),
    _name("Musa", "Mosa/Moosa/Mousa", "موسی"),
    _name("Isa", "Essa/Eisa/Issa/Esa", "عیسی"),
    _name("Jawad", "Jawaad/Javad", "جواد"),
    _name("Jawid", "Javed/Jawed/Javid/Javeed/Jaweed", "جاوید", long_vowels=True),
    _name("Fawad", "Fuad/Fawaad/Fowad", "فواد"),
    _name("Farid", "Fareed/Fared", "فرید"),
    _name("Farhad", "Farhaad", "فرهاد"),
    _name("Bashir", "Basheer/Bashier", "بشیر"),
    _name("Nazir", "Nazeer/Naziir", "نذیر/نظیر", long_vowels=True),
    _name("Nazar", "Nazer", "نظر"),
    _name("Basir", "Baseer", "بصیر"),
    _name("Wahid", "Waheed/Wahed", "وحید"),
    _name("Rashid", "Rasheed/Rashed", "رشید"),
    _name("Majid", "Majeed/Majed", "مجید"),
    _name("Sharif", "Shareef/Sharef", "شریف"),
    _name("Latif", "Lateef/Latef", "لطیف"),
    _name("Hakim", "Hakeem/Hakem", "حکیم"),
    _name("Habib", "Habeeb/Habeb", "حبیب"),
    _name("Najib", "Najeeb/Najeb", "نجیب"),
    _name("Mujib", "Mujeeb/Mojib", "مجیب"),
    _name("Jamil", "Jameel", "جمیل", long_vowels=True),
    _name("Jamal", "Jamaal", "جمال"),
    _name("Jalil", "Jaleel", "جلیل", long_vowels=True),
    _name("Jalal", "Jalaal", "جلال"),
    _name("Akbar", "Akber", "اکبر"),
    _name("Asif", "Asef/Asaf", "آصف"),
    _name("Arif", "Aref", "عارف"),
    _name("Aziz", "Azeez", "عزیز"),
    _name("Azim", "Azeem/Azem", "عظیم"),
    _name("Masood", "Masoud/Masud/Masuod", "مسعود"),
    _name("Mansoor", "Mansur/Mansour", "منصور"),
    _name("Rasool", "Rasul/Rasoul", "رسول"),
    _name("Haroon", "Harun/Haroun", "هارون"),
    _name("Ayub", "Ayoub/Ayoob/Ayyub/Ayyoub", "ایوب"),
    _name("Zubair", "Zobair/Zubayr/Zuber", "زبیر"),
    _name("Obaid", "Ubaid/Ubayd/Obaied/Obayd", "عبید", long_vowels=True),
    _name("Naeem", "Naim/Nayeem/Naeim", "نعیم"),
    _name("Nadir", "Nader", "نادر"),
    _name("Shakir", "Shaker", "شاکر"),
    _name("Sabir", "Saber", "صابر"),
    _name("Tariq", "Tareq/Tarik/Tarek", "طارق"),
    _name("Sadiq", "Sadeq/Sadik", "صادق"),
    _name("Siddiq", "Sediq/Sidiq/Siddique/Seddiq", "صدیق", long_vowels=True),
    _name("Rafiq", "Rafeeq/Rafik", "رفیق"),
    _name("Shafiq", "Shafeeq/Shafik", "شفیق"),
    _name("Fahim", "Faheem/Fahem", "فهیم"),
    _name("Hashim", "Hashem", "هاشم"),
    _name("Qasim", "Qassim/Kasim/Qasem/Qassem", "قاسم"),
    _name("Ghani", "Ghanee", "غنی"),
    _name("Mirwais", "Mir Wais/Mirways/Mir Ways", "میرویس"),
    _name("Farooq", "Faruq/Farouq/Farouk/Faruk", "فاروق"),
    _name("Haidar", "Haider/Hayder/Hyder/Heydar/Haydar", "حیدر"),
    _name("Dastagir", "Dastageer", "دستگیر"),
    _name("Sarwar", "Sarwer", "سرور"),
    _name("Anwar", "Anwer/Anvar", "انور"),
    _name("Ajmal", "Ajmall", "اجمل"),
    _name("Akmal", "Akmall", "اکمل"),
    _name("Kamal", "Kamaal", "کمال"),
    _name("Salim", "Saleem/Selim", "سلیم", long_vowels=True),
    _name("Salam", "Salaam", "سلام"),
    _name("Amin", "Ameen", "امین", long_vowels=True),
    _name("Aman", "Amaan", "امان"),
    _name("Shakoor", "Shakur", "شکور", long_vowels=True),
    _name("Saboor", "Sabur", "صبور", long_vowels=True),
    _name("Ghafoor", "Ghafur", "غفور", long_vowels=True),
    _name("Ghafar", "Ghaffar", "غفار"),
    _name("Sattar", "Satar", "ستار"),
    _name("Jabar", "Jabbar", "جبار"),
    _name("Qayum", "Qayyum/Qayoom/Qaiyum/Qayoum", "قیوم"),
    _name("Wakil", "Wakeel", "وکیل"),
    _name("Matin", "Mateen", "متین"),
    _name("Hadi", "Haadi", "هادی"),
    _name("Baqi", "Baqee/Baki", "باقی"),
    _name("Haq", "Haque/Hak", "حق"),
    _name("Samad", "Samed", "صمد"),
    _name("Razaq", "Razzaq/Razzak/Razak", "رزاق"),
    _name("Hai", "Hay/Hayy", "حی"),
    _name("Rauf", "Raoof/Rawoof/Raouf", "رئوف/روف"),
    _name("Zalmai", "Zalmay", "زلمی"),
    _name("Mustafa", "Mostafa/Mustapha", "مصطفی"),
    _name("Murtaza", "Mortaza/Murtadha", "مرتضی"),
    _name("Mujtaba", "Mojtaba", "مجتبی"),
    _name("Yahya", "Yahia/Yehya", "یحیی"),
    _name("Zia", "Ziya/Zeya", "ضیا/ضیاء"),
    _name("Ehsan", "Ihsan", "احسان"),
    _name("Esmat", "Ismat/Asmat", "عصمت"),
    _name("Inayat", "Enayat", "عنایت"),
    _name("Ikram", "Ekram", "اکرام"),
    _name("Akram", "Akrum", "اکرم"),
    _name("Imran", "Emran", "عمران"),
    _name("Omid", "Umed/Umid/Omeed", "امید"),
    _name("Aimal", "Emal/Aymal", "ایمل"),
    _name("Owais", "Awais/Uwais/Uways/Oways", "اویس"),
    _name("Iqbal", "Eqbal/Iqbaal", "اقبال"),
    _name("Islam", "Eslam", "اسلام"),
    _name("Ishaq", "Eshaq/Ishaaq", "اسحاق"),
    _name("Baryalai", "Baryalay", "بریالی"),
    _name("Rahmat", "Rehmat", "رحمت"),
    _name("Uzair", "Uzayr/Ozair/Uzaire", "عزیر"),
    _name("Hafiz", "Hafeez", "حافظ/حفیظ"),
    # --- -ullah and -uddin compounds ----------------------------------------------------
    _name("Abdullah", "Abdulla/Abdallah/Abdollah/Abd Allah/Abdulah/Abd-Allah", "عبدالله"),
    _name(
        "Zabihullah",
        "Zabiullah/Zabeehullah/Zabihulla/Zabihollah/Zabi Ullah/Zabih Ullah",
        "ذبیح الله/ذبیحالله",
    ),
    _name("Habibullah", "Habeebullah/Habibulla/Habibollah/Habib Ullah", "حبیب الله"),
    _name("Hafizullah", "Hafeezullah/Hafizulla/Hafizollah", "حفیظ الله"),
    _name("Amanullah", "Amanulla/Amanollah/Aman Ullah", "امان الله"),
    _name("Rahmatullah", "Rahmatulla/Rahmatollah/Rehmatullah", "رحمت الله"),
    _name("Samiullah", "Sami Ullah/Samiulla/Samiollah", "سمیع الله"),
    _name("Najibullah", "Najeebullah/Najibulla", "نجیب الله"),
    _name("Nasrullah", "Nasrulla/Nasrollah/Nasar Ullah", "نصرالله"),
    _name("Obaidullah", "Ubaidullah/Obaidulla/Ubaidulla", "عبیدالله", long_vowels=True),
    _name("Nabiullah", "Nabi Ullah/Nabiulla", "نبی الله"),
    _name("Muhammadullah", "Mohammadullah/Muhammadulla", "محمدالله"),
    _name("Sanaullah", "Sana Ullah/Sanaulla/Sanaollah", "ثناءالله"),
    _name("Ziaulhaq", "Zia ul Haq/Zia-ul-Haq/Ziaul Haq/Zia-ul-Haque", "ضیاءالحق"),
    _name("Salahuddin", "Salahudin/Salah ud Din/Salah-ud-Din/Salahoddin", "صلاح الدین"),
    _name("Jalaluddin", "Jalaludin/Jalal ud Din/Jalaloddin", "جلال الدین"),
    _name("Gulbuddin", "Gul Buddin/Gulbudin/Golbuddin", "گلبدین"),
    # --- compounds written as two words -------------------------------------------------
    _name("Abdul Ali", "Abdulali/Abd-ul-Ali/Abdol Ali/Abd al-Ali/Abdul-Ali", "عبدالعلی"),
    _name(
        "Abdul Rahman",
        "Abdurrahman/Abdulrahman/Abd al-Rahman/Abdol Rahman/Abdul Rehman/Abdur Rahman",
        "عبدالرحمن/عبدالرحمان",
    ),
    _name("Abdul Karim", "Abdulkarim/Abdul Kareem/Abdol Karim/Abd al-Karim", "عبدالکریم"),
    _name("Ghulam Hazrat", "Gholam Hazrat/Ghulamhazrat", "غلام حضرت"),
    _name("Mohammad Zaman", "Muhammad Zaman/Mohd Zaman/Mohammadzaman/Md. Zaman", "محمد زمان"),
    _name("Noor Mohammad", "Nur Mohammad/Noormohammad/Noor Muhammad", "نور محمد"),
    # --- women's names --------------------------------------------------------------------
    _name("Fatima", "Fatema/Fatimah/Fatemah/Fatma/Fateme/Fatemeh", "فاطمه"),
    _name("Zainab", "Zeinab/Zaynab/Zenab", "زینب"),
    _name("Maryam", "Mariam/Mariyam/Maryum", "مریم"),
    _name("Khadija", "Khadeja/Khadijah/Khadeeja", "خدیجه"),
    _name("Aisha", "Ayesha/Aysha/Aesha/Ayisha", "عایشه/عائشه"),
    _name("Laila", "Layla/Leila/Lailah/Leyla", "لیلا/لیلی", long_vowels=True),
    _name("Zahra", "Zehra", "زهرا"),
    _name("Nadia", "Nadiya", "نادیه"),
    _name("Farida", "Fareeda", "فریده"),
    _name("Hamida", "Hameeda", "حمیده"),
    _name("Karima", "Kareema", "کریمه"),
    _name("Rahima", "Raheema", "رحیمه"),
    _name("Halima", "Haleema", "حلیمه"),
    _name("Amina", "Amena/Aamina", "آمنه"),
    _name("Masooma", "Masoma/Masuma/Masumah/Masoumeh", "معصومه"),
    _name("Shukria", "Shukriya/Shokria", "شکریه"),
    _name("Parwana", "Parvana", "پروانه"),
    _name("Sakina", "Sakeena", "سکینه"),
    _name("Nargis", "Narges", "نرگس"),
    _name("Roya", "Ruya", "رویا"),
    _name("Soraya", "Suraya/Thuraya", "ثریا"),
    _name("Malalai", "Malalay", "ملالی"),
    _name("Spozhmai", "Spogmai/Spozhmay/Spojmai", "سپوږمۍ/سپوژمی"),
    _name("Wazhma", "Wajma/Wazma", "وژمه"),
    _name("Muzhgan", "Mozhgan/Mojgan/Mujgan", "مژگان"),
    _name("Freshta", "Fereshta/Fereshteh/Farishta", "فرشته"),
    _name("Gulalai", "Gulalay", "گلالی"),
    _name("Palwasha", "Palwashah/Palwashe", "پلوشه"),
    _name("Benazir", "Bi Nazir/Benazeer", "بی نظیر/بینظیر"),
    _name("Kubra", "Kobra/Kubraa", "کبری"),
    _name("Sughra", "Soghra/Sugra", "صغری"),
    _name("Rabia", "Rabiah/Rabiya/Rabea", "رابعه"),
    _name("Lailuma", "Lailoma/Lailumah/Lailooma", "لیلما", long_vowels=True),
    _name("Lima", "Leema", "لیما"),
    # --- tribal and family names -------------------------------------------------------
    _name("Ahmadzai", "Ahmedzai/Ahmadzay/Ahmad Zai", "احمدزی"),
    _name("Popalzai", "Popalzay/Popolzai", "پوپلزی"),
    _name("Barakzai", "Barakzay", "بارکزی"),
    _name("Achakzai", "Achekzai/Achakzay", "اڅکزی/اچکزی"),
    _name("Stanikzai", "Stanekzai", "ستانکزی"),
    _name("Sulaimankhel", "Suleimankhel/Sulaiman Khel/Sulemankhel/Sulaimankhail", "سلیمانخیل"),
    _name("Durrani", "Durani", "درانی"),
    _name("Shinwari", "Shinwary", "شینواری"),
    _name("Hotak", "Hotaki", "هوتک"),
    _name("Kakar", "Kakkar", "کاکړ/کاکر"),
    _name("Ghilzai", "Ghiljai/Ghilzay/Ghalzai", "غلزی/غلجی"),
    _name("Mohmand", "Momand", "مومند/مهمند"),
    _name("Wardak", "Wardag/Wardaq", "وردک"),
    _name("Rezaei", "Rezai/Rezayee/Rezaee", "رضایی"),
)

# Titles dropped from the front of a name before keying. They are acquired (pilgrimage,
# religious study, a degree, courtesy) and appear on one document and not the next. Not here,
# on purpose: Sayed/Syed and Mir (lineage, written on the tazkira as part of the name), Hafiz,
# Agha, Khan, Jan and Bibi (also ordinary name elements: Hafizullah, Gul Agha, Bibi Gul),
# Sheikh (a name element in some families), and military ranks (not asked for yet).
HONORIFICS_LATIN: Final = frozenset(
    {
        "haji", "hajji", "haaji", "hajj", "haj", "alhaj", "alhajj", "alhaaj",
        "mullah", "mulla", "mollah", "molla", "mola", "moulla",
        "mawlawi", "mawlavi", "maulawi", "maulavi", "molvi", "maulvi", "moulvi", "mowlawi",
        "mowlavi", "molawi", "mawlana", "maulana", "molana", "mowlana", "moulana",
        "qari", "qary",
        "engineer", "eng", "engr",
        "dr", "doctor", "daktar", "dakter", "doktor",
        "prof", "professor",
        "ustad", "ustaz", "ostad",
        "mr", "mrs", "ms", "miss", "mister",
    }
)  # fmt: skip
HONORIFICS_ARABIC: Final = frozenset(
    {
        "حاجی", "حاج", "الحاج",
        "ملا", "مولوی", "مولانا", "قاری",
        "انجنیر", "انجینیر", "مهندس",
        "داکتر", "دکتر", "دوکتور", "پوهاند",
        "استاد", "آقای", "جناب", "محترم",
    }
)  # fmt: skip

# Whole-field placeholders for a missing name (compared in lower case without spaces and
# dots), and the placeholder words removed from inside a name ("FNU Zabihullah").
FNU_PLACEHOLDERS: Final = frozenset(
    {
        "fnu", "lnu", "mnu", "unknown", "unk", "notknown", "none", "nil", "n/a", "nn",
        "x", "xx", "xxx", "noname", "nofirstname", "firstnameunknown", "lastnameunknown",
        "نامعلوم", "معلومنیست", "ندارد",
    }
)  # fmt: skip
FNU_TOKENS: Final = frozenset({"fnu", "lnu", "mnu"})

# Elements that are too common to identify anyone on their own: left out of the partial keys
# of name_keys (canonical spellings, lower case).
COMPOUND_ELEMENTS: Final = frozenset(
    {"mohammad", "abdul", "ghulam", "sayed", "mir", "khan", "jan", "agha", "bibi"}
)
# A leading element that documents drop ("Mohammad Zaman" is often just "Zaman"), and
# trailing courtesy elements ("Zaman Khan", "Zaman Jan").
LEADING_ELEMENTS: Final = frozenset({"mohammad", "sayed"})
TRAILING_ELEMENTS: Final = frozenset({"khan", "jan"})
