"""Pashto explanation templates (Afghan usage: تذکره، سفارت، غوښتنلیک، دنده، ګواښ) with the
same keys as :mod:`.messages_en`.

SIV, COM, P-1, P-2, ISAF and UNHCR stay as acronyms. Sentences about the applicant use forms
that do not assume the applicant's sex where Pashto allows it ("وړتیا لري", "has
eligibility"). Numbers and dates filled in by :mod:`.explain` get Persian digits there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

CRITERIA: Final[Mapping[str, Mapping[str, str]]] = {
    "program_in_force": {
        "title": "نافذ قواعد",
        "met": "په {date} نېټه نافذ قواعد: {version} نسخه (له {in_force_from} راهیسې).",
        "met_assumed_date": "د غوښتنلیک نېټه لا نه ده ثبت شوې؛ ارزونه داسې شوې لکه نن، {date}، "
        "چې غوښتنلیک ورکړل شي ({version} نسخه).",
        "not_met": "په {date} نېټه د دې پروګرام د قواعدو هېڅ نسخه نه پلي کېږي.",
        "not_met_before_first": "د دې پروګرام قواعد له {first_in_force} څخه پیلېږي؛ ټاکونکې "
        "نېټه ({date}) تر هغې مخکې ده.",
        "not_met_not_in_force": "په {date} نېټه د دې پروګرام د قواعدو هېڅ نسخه نافذه نه ده.",
        "unknown": "معلومه نه ده چې کوم قواعد پلي کېږي.",
    },
    "afghan_national": {
        "title": "د افغانستان تابعیت",
        "met": "د افغانستان تابعیت لري.",
        "not_met": "د افغانستان تابعیت نه لري.",
        "unknown": "د افغانستان تابعیت لا نه دی ثبت شوی.",
    },
    "principal_alive": {
        "title": "د اصلي غوښتونکي ژوندي پاتې کېدل",
        "met": "اصلي غوښتونکی ژوندی دی.",
        "met_surviving_family": "اصلي غوښتونکی وفات شوی دی؛ قانون پاتې شوې مېرمن یا مېړه او "
        "اولادونو ته اجازه ورکوي چې دوسیه پرمخ یوسي.",
        "not_met": "اصلي غوښتونکی وفات شوی دی او د قانون دا نسخه کورنۍ ته د دوسیې د دوام اجازه "
        "نه ورکوي.",
        "unknown": "معلومه نه ده چې اصلي غوښتونکی ژوندی دی که نه.",
    },
    "qualifying_service": {
        "title": "د وړ خدمت موده",
        "met": "د وړ خدمت موده لږ تر لږه {min_days} ورځې ده؛ {minimum_days} ورځې اړینې دي "
        "(تر {counted_until} پورې حساب شوې).",
        "not_met": "د وړ خدمت موده تر ټولو ډېره {max_days} ورځې ده؛ {minimum_days} ورځې اړینې "
        "دي (تر {counted_until} پورې حساب شوې).",
        "not_met_none_counted": "داسې هېڅ دنده نه ده ثبت شوې چې د دې پروګرام لپاره حساب شي؛ "
        "{minimum_days} ورځې خدمت اړین دی.",
        "unknown": "د وړ خدمت موده د {min_days} او {max_days} ورځو ترمنځ ده او {minimum_days} "
        "ورځې اړینې دي؛ د پرېکړې لپاره دقیقې نېټې یا د دندې دقیق ډول پکار دی.",
    },
    "ongoing_threat": {
        "title": "جدي او دوامداره ګواښ",
        "met": "د دې کار له امله جدي ګواښ راپور شوی دی.",
        "not_met": "د دې کار له امله هېڅ ګواښ نه دی راپور شوی.",
        "unknown": "لا معلومه نه ده چې غوښتونکی د دې کار له امله له ګواښ سره مخ دی که نه.",
    },
    "application_deadline": {
        "title": "د COM غوښتنلیک وروستۍ نېټه",
        "met": "غوښتنلیک په {date} نېټه، له وروستۍ نېټې ({deadline}) مخکې ورکړل شوی دی.",
        "met_assumed_date": "غوښتنلیک لا نه دی ورکړل شوی؛ که نن، {date}، ورکړل شي، په ټاکلې "
        "موده ({deadline}) کې دی.",
        "not_met": "غوښتنلیک په {date} نېټه، له وروستۍ نېټې ({deadline}) وروسته ورکړل شوی دی.",
        "not_met_assumed_date": "غوښتنلیک لا نه دی ورکړل شوی او وروستۍ نېټه ({deadline}) تېره "
        "شوې ده.",
        "unknown": "د غوښتنلیک نېټه معلومه نه ده.",
    },
    "hr_letter": {
        "title": "د دندې د تایید لیک (د بشري سرچینو څانګه)",
        "met": "د هر هغه کارګمارونکي لپاره چې خدمت یې حساب شوی، د دندې د تایید لیک شته.",
        "met_written_explanation": "د هغه د دندې د تایید لیک پر ځای چې نه شي ترلاسه کېدای، "
        "لیکلی توضیح ورکړل شوی دی.",
        "met_satisfied_by": "د COM منظوري ښيي چې د دندې لیکونه منل شوي دي.",
        "not_met": "د {employments} شمېرې دندې لپاره د دندې د تایید لیک نشته.",
        "unknown": "معلومه نه ده چې د دندې د تایید لیکونه شته که نه.",
    },
    "recommendation_letter": {
        "title": "د سپارښتنې لیک",
        "met": "د سرپرست د سپارښتنې لیک شته.",
        "met_written_explanation": "د سپارښتنې لیک پر ځای لیکلی توضیح ورکړل شوی دی.",
        "met_satisfied_by": "د COM منظوري ښيي چې د سپارښتنې لیک منل شوی دی.",
        "not_met": "د مستقیم سرپرست د سپارښتنې لیک نشته.",
        "unknown": "معلومه نه ده چې د سپارښتنې لیک شته که نه.",
    },
    "identity_document": {
        "title": "د تذکرې یا پاسپورټ کاپي",
        "met": "د تذکرې یا پاسپورټ کاپي شته.",
        "met_written_explanation": "د تذکرې یا پاسپورټ پر ځای لیکلی توضیح ورکړل شوی دی.",
        "met_satisfied_by": "د COM منظوري ښيي چې د هویت سند منل شوی دی.",
        "not_met": "د تذکرې یا پاسپورټ کاپي نشته.",
        "unknown": "معلومه نه ده چې د تذکرې یا پاسپورټ کاپي شته که نه.",
    },
    "threat_statement": {
        "title": "د ګواښ بیان یا شواهد",
        "met": "د ګواښ بیان یا شواهد شته.",
        "met_written_explanation": "د ګواښ د شواهدو پر ځای لیکلی توضیح ورکړل شوی دی.",
        "met_satisfied_by": "د COM منظوري ښيي چې د ګواښ شواهد منل شوي دي.",
        "not_met": "د ګواښ بیان یا شواهد نشته.",
        "unknown": "معلومه نه ده چې د ګواښ شواهد شته که نه.",
    },
    "p2_category": {
        "title": "د P-2 کټګوري",
        "met": "د P-2 په یوه کټګورۍ کې راځي.",
        "not_met": "د P-2 په هېڅ کټګورۍ کې نه راځي.",
        "unknown": "لا معلومه نه ده چې د P-2 په کومه کټګورۍ کې راځي که نه.",
    },
    "us_government_work": {
        "title": "کټګوري ۱: د امریکا له حکومت یا ځواکونو سره کار",
        "met": "کټګوري ۱: د امریکا حکومت، امریکايي ځواکونو، ISAF یا د قاطع ملاتړ ماموریت "
        "لپاره کار ({employments} شمېره دنده).",
        "not_met": "کټګوري ۱: د امریکا حکومت، امریکايي ځواکونو، ISAF یا د قاطع ملاتړ ماموریت "
        "لپاره هېڅ کار نه دی ثبت شوی.",
        "not_met_other_program_available": "کټګوري ۱ د هغو کسانو لپاره ده چې له SIV څخه ګټه "
        "نه شي اخیستلای، او دا غوښتونکی د SIV وړتیا لري.",
        "unknown": "کټګوري ۱: د {employments} شمېرې دندې د وظیفو ډول معلوم نه دی.",
        "unknown_other_program_undetermined": "کټګوري ۱ پر دې ولاړه ده چې غوښتونکی د SIV "
        "وړتیا لري که نه، او دا لا معلومه نه ده.",
    },
    "us_funded_program": {
        "title": "کټګوري ۲: د امریکا له خوا تمویل شوی پروګرام",
        "met": "کټګوري ۲: په داسې پروګرام یا پروژه کې کار چې د امریکا حکومت د مرستې (ګرانټ) "
        "یا د همکارۍ د تړون له لارې تمویل کړې ده ({employments} شمېره دنده).",
        "not_met": "کټګوري ۲: د امریکا د حکومت له خوا په تمویل شوي پروګرام کې هېڅ کار نه دی "
        "ثبت شوی.",
        "unknown": "کټګوري ۲: لا معلومه نه ده.",
    },
    "us_media_or_ngo": {
        "title": "کټګوري ۳: امریکايي رسنۍ یا نادولتي موسسه",
        "met": "کټګوري ۳: په افغانستان کې د امریکا میشتې رسنۍ یا نادولتي موسسې سره دنده "
        "({employments} شمېره دنده).",
        "not_met": "کټګوري ۳: د امریکا میشتې رسنۍ یا نادولتي موسسې سره هېڅ دنده نه ده ثبت شوې.",
        "unknown": "کټګوري ۳: لا معلومه نه ده.",
    },
    "referral": {
        "title": "معرفي (راجع کول)",
        "met": "د {referrer} له خوا په {date} نېټه معرفي شوی دی.",
        "met_undated": "د {referrer} له خوا معرفي شوی دی.",
        "not_met": "معرفي اړینه ده.",
        "not_met_none": "لا معرفي شوی نه دی؛ ځان معرفي کول ممکن نه دي.",
        "not_met_self_referral": "ځان معرفي کول نه منل کېږي؛ د یوې مجازې مرجع له خوا معرفي "
        "اړینه ده.",
        "not_met_referrer_not_allowed": "د {referrer} له خوا معرفي شوی، چې د دې پروګرام یا "
        "کټګورۍ لپاره د معرفي کولو واک نه لري.",
        "unknown": "معلومه نه ده چې معرفي د چا له خوا شوې ده.",
    },
    "outside_afghanistan": {
        "title": "له افغانستان بهر",
        "met": "له افغانستان بهر دی.",
        "not_met": "په افغانستان کې دی؛ پروسه یوازې له افغانستان بهر ترسره کېدای شي.",
        "unknown": "اوسنی ځای نه دی ثبت شوی.",
    },
    "principal_qualifies": {
        "title": "د اصلي غوښتونکي وړتیا",
        "met": "اصلي غوښتونکی وړتیا لري.",
        "not_met": "اصلي غوښتونکی وړتیا نه لري.",
        "unknown": "لا معلومه نه ده چې اصلي غوښتونکی وړتیا لري که نه.",
    },
    "derivative_relationship": {
        "title": "له اصلي غوښتونکي سره اړیکه",
        "met": "د {relationship} په توګه د کورنۍ د غړي په حیث ورسره تللی شي.",
        "not_met": "د {relationship} په توګه په دې پروګرام کې د کورنۍ د غړي په حیث نه منل کېږي.",
        "not_met_deceased": "وفات شوی دی.",
        "not_met_former_spouse": "واده یې پای ته رسېدلی؛ نور مېړه یا مېرمن نه ګڼل کېږي.",
        "unknown": "اړیکه معلومه نه ده.",
    },
    "derivative_unmarried": {
        "title": "نا واده اولاد",
        "met": "نا واده دی.",
        "not_met": "واده شوی دی؛ واده شوی اولاد د کورنۍ د غړي په حیث نه شي تللی.",
        "unknown": "مدني حالت (واده شوی یا نا واده) نه دی ثبت شوی.",
    },
    "derivative_age": {
        "title": "د اولاد عمر",
        "met": "په {date} نېټه له {limit} کلونو کم عمر لري (تر ټولو ډېر {max_age} کلن).",
        "met_assumed_date": "نن، {date}، له {limit} کلونو کم عمر لري؛ عمر د غوښتنلیک د ثبتولو "
        "په نېټه ټاکل کېږي.",
        "not_met": "په {date} نېټه لږ تر لږه {min_age} کلن دی، یعنې {limit} کلن یا تر هغه ډېر.",
        "not_met_assumed_date": "نن، {date}، لږ تر لږه {min_age} کلن دی، یعنې {limit} کلن یا "
        "تر هغه ډېر.",
        "unknown": "په {date} نېټه د {min_age} او {max_age} کلونو ترمنځ عمر لري؛ د دې لپاره چې "
        "معلومه شي له {limit} کلونو کم دی که نه، د زېږېدو دقیقه نېټه پکار ده.",
        "unknown_no_birth_date": "د زېږېدو نېټه نه ده ثبت شوې؛ اولاد باید په {date} نېټه له "
        "{limit} کلونو کم عمر ولري.",
    },
    "derivative_outside_afghanistan": {
        "title": "د کورنۍ غړی له افغانستان بهر",
        "met": "له افغانستان بهر دی.",
        "not_met": "په افغانستان کې دی؛ پروسه یوازې له افغانستان بهر ترسره کېدای شي.",
        "unknown": "اوسنی ځای نه دی ثبت شوی.",
    },
}

WORDS: Final[Mapping[str, str]] = {
    "list_separator": "، ",
    "or": " یا ",
    "outcome.eligible": "وړتیا لري",
    "outcome.eligible_pending_documents": "وړتیا لري؛ ځینې اسناد یا شرایط لا پاتې دي",
    "outcome.not_eligible": "وړتیا نه لري",
    "outcome.undetermined": "لا معلومه نه ده؛ نور معلومات پکار دي",
    "program.siv": "SIV",
    "program.p2": "P-2",
    "program.p1": "P-1",
    "label.program": "{program}: {outcome}",
    "label.member": "د کورنۍ غړی {number} ({relationship}): {outcome}",
    "label.missing": "لا پکار دي: {item}",
    "label.flag": "یادونه: {flag}",
    "document.tazkira": "تذکره",
    "document.passport": "پاسپورټ",
    "document.hr_letter": "د دندې د تایید لیک",
    "document.recommendation": "د سپارښتنې لیک",
    "document.badge": "د دندې کارت",
    "document.contract": "قرارداد",
    "document.threat_evidence": "د ګواښ شواهد",
    "document.com_approval": "د COM منظوري",
    "relationship.principal": "اصلي غوښتونکی",
    "relationship.spouse": "مېړه یا مېرمن",
    "relationship.child": "زوی یا لور",
    "relationship.child_spouse": "نږور یا زوم",
    "relationship.grandchild": "لمسی یا لمسۍ",
    "relationship.parent": "پلار یا مور",
    "relationship.sibling": "ورور یا خور",
    "relationship.other": "بل خپلوان",
    "referrer.us_government_agency": "یوه امریکايي حکومتي اداره",
    "referrer.us_military": "امریکايي پوځ",
    "referrer.organisation_senior_us_citizen": "هغه تر ټولو لوړ رتبه کارکوونکی چې د امریکا "
    "تابعیت لري او په هماغه موسسه کې کار کوي",
    "referrer.unhcr": "UNHCR",
    "referrer.us_embassy": "امریکايي سفارت",
    "referrer.designated_ngo": "یوه ټاکل شوې نادولتي موسسه",
    "referrer.self": "پخپله غوښتونکی",
    "missing.document": "{document}",
    "missing.document.employment": "د {employment} شمېرې دندې لپاره {document}",
    "missing.fact.exact_start_date": "د {employment} شمېرې دندې د پیل دقیقه نېټه",
    "missing.fact.exact_end_date": "د {employment} شمېرې دندې د پای دقیقه نېټه",
    "missing.fact.role_duties": "د {employment} شمېرې دندې وظیفې (ژباړن؟ حساسې او د باور وړ دندې؟)",
    "missing.fact.threat_reported": "دا چې غوښتونکی د دې کار له امله له ګواښ سره مخ دی که نه",
    "missing.fact.afghan_national": "د غوښتونکي تابعیت",
    "missing.fact.current_location": "د غوښتونکي اوسنی ځای",
    "missing.fact.current_location.member": "د کورنۍ د غړي ({member}) اوسنی ځای",
    "missing.fact.birth_date.member": "د کورنۍ د غړي ({member}) د زېږېدو نېټه",
    "missing.fact.marital_status.member": "د کورنۍ د غړي ({member}) مدني حالت",
    "missing.fact.referrer": "دا چې معرفي د چا له خوا شوې ده",
    "missing.fact.referral": "معرفي",
    "missing.condition.referral": "معرفي",
    "missing.condition.outside_afghanistan": "له افغانستان څخه د غوښتونکي وتل",
    "missing.condition.outside_afghanistan.member": "له افغانستان څخه د کورنۍ د غړي ({member}) وتل",
    "flag.age_out_risk": "په راتلونکو شپږو میاشتو کې د عمر حد ته رسېږي او عمر یې لا نه دی "
    "ټاکل شوی؛ غوښتنلیک ژر ثبت کړئ",
    "flag.more_than_one_spouse": "له یوې زیاتې مېرمنې یا مېړه ثبت شوي دي؛ یوازې یو تن د "
    "کورنۍ د غړي په حیث تللی شي",
    "flag.married_child": "واده شوی اولاد",
    "flag.age_fixed_on_assumed_date": "عمر د نن ورځې په نېټه حساب شوی، ځکه هغه غوښتنلیک چې "
    "عمر ټاکي لا نه دی ثبت شوی",
    "flag.age_uncertain": "د زېږېدو نېټه دومره دقیقه نه ده چې عمر معلوم شي",
    "flag.age_unknown": "د زېږېدو نېټه نه ده ثبت شوې",
    "flag.in_afghanistan": "په افغانستان کې دی",
}
