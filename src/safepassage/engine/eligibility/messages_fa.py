"""Dari explanation templates (Afghan usage: تذکره، مکتوب، سفارت، وظیفه، دوسیه) with the
same keys as :mod:`.messages_en`.

SIV, COM, P-1, P-2, ISAF and UNHCR stay as acronyms, as Afghan applicants know them. Digits
written here are Persian; numbers and dates filled in by :mod:`.explain` are turned into
Persian digits there, so the acronyms keep their Latin digits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

CRITERIA: Final[Mapping[str, Mapping[str, str]]] = {
    "program_in_force": {
        "title": "قواعد نافذ",
        "met": "قواعد نافذ در تاریخ {date}: نسخهٔ {version} (از {in_force_from}).",
        "met_assumed_date": "هنوز تاریخ درخواست ثبت نشده است؛ ارزیابی طوری انجام شد که گویا "
        "امروز، {date}، درخواست داده شود (نسخهٔ {version}).",
        "not_met": "در تاریخ {date} هیچ نسخه‌ای از قواعد این برنامه تطبیق نمی‌شود.",
        "not_met_before_first": "قواعد این برنامه از {first_in_force} آغاز می‌شود؛ "
        "تاریخ تعیین‌کننده ({date}) پیش از آن است.",
        "not_met_not_in_force": "در تاریخ {date} هیچ نسخه‌ای از قواعد این برنامه نافذ نیست.",
        "unknown": "معلوم نیست کدام قواعد تطبیق می‌شود.",
    },
    "afghan_national": {
        "title": "تابعیت افغانستان",
        "met": "تبعهٔ افغانستان است.",
        "not_met": "تبعهٔ افغانستان نیست.",
        "unknown": "تابعیت افغانستان هنوز ثبت نشده است.",
    },
    "principal_alive": {
        "title": "در قید حیات بودن درخواست‌کنندهٔ اصلی",
        "met": "درخواست‌کنندهٔ اصلی در قید حیات است.",
        "met_surviving_family": "درخواست‌کنندهٔ اصلی وفات کرده است؛ قانون به همسر و فرزندان "
        "بازمانده اجازه می‌دهد دوسیه را ادامه دهند.",
        "not_met": "درخواست‌کنندهٔ اصلی وفات کرده است و این نسخهٔ قانون به خانواده اجازهٔ "
        "ادامهٔ دوسیه را نمی‌دهد.",
        "unknown": "معلوم نیست که درخواست‌کنندهٔ اصلی در قید حیات است یا نه.",
    },
    "qualifying_service": {
        "title": "مدت خدمت واجد شرایط",
        "met": "مدت خدمت واجد شرایط دست‌کم {min_days} روز است؛ {minimum_days} روز لازم است "
        "(تا {counted_until} شمرده شده).",
        "not_met": "مدت خدمت واجد شرایط حداکثر {max_days} روز است؛ {minimum_days} روز لازم "
        "است (تا {counted_until} شمرده شده).",
        "not_met_none_counted": "هیچ وظیفه‌ای که برای این برنامه شمرده شود ثبت نشده است؛ "
        "{minimum_days} روز خدمت لازم است.",
        "unknown": "مدت خدمت واجد شرایط میان {min_days} و {max_days} روز است و {minimum_days} "
        "روز لازم است؛ برای تصمیم، تاریخ‌های دقیق یا نوعیت وظایف لازم است.",
    },
    "ongoing_threat": {
        "title": "تهدید جدی و دوامدار",
        "met": "تهدید جدی به سبب این کار گزارش شده است.",
        "not_met": "هیچ تهدیدی به سبب این کار گزارش نشده است.",
        "unknown": "هنوز معلوم نیست که درخواست‌کننده به سبب این کار با تهدید روبه‌رو است یا نه.",
    },
    "application_deadline": {
        "title": "مهلت درخواست COM",
        "met": "درخواست به تاریخ {date}، پیش از پایان مهلت ({deadline}) داده شده است.",
        "met_assumed_date": "هنوز درخواست داده نشده است؛ درخواستی که امروز، {date}، داده شود "
        "در مهلت ({deadline}) است.",
        "not_met": "درخواست به تاریخ {date}، پس از پایان مهلت ({deadline}) داده شده است.",
        "not_met_assumed_date": "هنوز درخواست داده نشده است و مهلت در {deadline} پایان یافته است.",
        "unknown": "تاریخ درخواست معلوم نیست.",
    },
    "hr_letter": {
        "title": "مکتوب تصدیق استخدام (بخش منابع بشری)",
        "met": "برای هر کارفرمایی که خدمتش شمرده شده، مکتوب تصدیق استخدام موجود است.",
        "met_written_explanation": "برای مکتوب تصدیق استخدامی که به دست نمی‌آید، توضیح کتبی "
        "داده شده است.",
        "met_satisfied_by": "منظوری COM نشان می‌دهد که مکتوب‌های استخدام پذیرفته شده‌اند.",
        "not_met": "مکتوب تصدیق استخدام برای وظیفهٔ شمارهٔ {employments} موجود نیست.",
        "unknown": "معلوم نیست که مکتوب‌های تصدیق استخدام موجود است یا نه.",
    },
    "recommendation_letter": {
        "title": "مکتوب توصیه",
        "met": "مکتوب توصیه از سرپرست موجود است.",
        "met_written_explanation": "به جای مکتوب توصیه، توضیح کتبی داده شده است.",
        "met_satisfied_by": "منظوری COM نشان می‌دهد که مکتوب توصیه پذیرفته شده است.",
        "not_met": "مکتوب توصیه از سرپرست مستقیم موجود نیست.",
        "unknown": "معلوم نیست که مکتوب توصیه موجود است یا نه.",
    },
    "identity_document": {
        "title": "کاپی تذکره یا پاسپورت",
        "met": "کاپی تذکره یا پاسپورت موجود است.",
        "met_written_explanation": "به جای تذکره یا پاسپورت، توضیح کتبی داده شده است.",
        "met_satisfied_by": "منظوری COM نشان می‌دهد که سند هویت پذیرفته شده است.",
        "not_met": "کاپی تذکره یا پاسپورت موجود نیست.",
        "unknown": "معلوم نیست که کاپی تذکره یا پاسپورت موجود است یا نه.",
    },
    "threat_statement": {
        "title": "بیانیه یا شواهد تهدید",
        "met": "بیانیه یا شواهد تهدید موجود است.",
        "met_written_explanation": "به جای شواهد تهدید، توضیح کتبی داده شده است.",
        "met_satisfied_by": "منظوری COM نشان می‌دهد که شواهد تهدید پذیرفته شده است.",
        "not_met": "بیانیه یا شواهد تهدید موجود نیست.",
        "unknown": "معلوم نیست که شواهد تهدید موجود است یا نه.",
    },
    "p2_category": {
        "title": "کتگوری P-2",
        "met": "در یکی از کتگوری‌های P-2 شامل است.",
        "not_met": "در هیچ‌یک از کتگوری‌های P-2 شامل نیست.",
        "unknown": "هنوز معلوم نیست که در کتگوری P-2 شامل است یا نه.",
    },
    "us_government_work": {
        "title": "کتگوری ۱: کار با حکومت یا نیروهای امریکا",
        "met": "کتگوری ۱: کار برای حکومت امریکا، نیروهای امریکایی، ISAF یا مأموریت حمایت "
        "قاطع (وظیفهٔ شمارهٔ {employments}).",
        "not_met": "کتگوری ۱: هیچ کاری برای حکومت امریکا، نیروهای امریکایی، ISAF یا مأموریت "
        "حمایت قاطع ثبت نشده است.",
        "not_met_other_program_available": "کتگوری ۱ برای کسانی است که نمی‌توانند از SIV "
        "استفاده کنند، و این درخواست‌کننده واجد شرایط SIV است.",
        "unknown": "کتگوری ۱: نوعیت وظایف در وظیفهٔ شمارهٔ {employments} معلوم نیست.",
        "unknown_other_program_undetermined": "کتگوری ۱ به این بستگی دارد که درخواست‌کننده "
        "واجد شرایط SIV است یا نه، و این هنوز معلوم نیست.",
    },
    "us_funded_program": {
        "title": "کتگوری ۲: پروگرام تمویل‌شده از سوی امریکا",
        "met": "کتگوری ۲: کار در پروگرام یا پروژه‌ای که حکومت امریکا از راه کمک بلاعوض "
        "(گرانت) یا موافقت‌نامهٔ همکاری تمویل کرده است (وظیفهٔ شمارهٔ {employments}).",
        "not_met": "کتگوری ۲: هیچ کاری در پروگرام تمویل‌شده از سوی حکومت امریکا ثبت نشده است.",
        "unknown": "کتگوری ۲: هنوز معلوم نیست.",
    },
    "us_media_or_ngo": {
        "title": "کتگوری ۳: رسانه یا مؤسسهٔ غیرحکومتی امریکایی",
        "met": "کتگوری ۳: استخدام در افغانستان توسط یک رسانه یا مؤسسهٔ غیرحکومتی مستقر در "
        "امریکا (وظیفهٔ شمارهٔ {employments}).",
        "not_met": "کتگوری ۳: هیچ استخدامی توسط رسانه یا مؤسسهٔ غیرحکومتی مستقر در امریکا "
        "ثبت نشده است.",
        "unknown": "کتگوری ۳: هنوز معلوم نیست.",
    },
    "referral": {
        "title": "معرفی (ارجاع)",
        "met": "توسط {referrer} به تاریخ {date} معرفی شده است.",
        "met_undated": "توسط {referrer} معرفی شده است.",
        "not_met": "معرفی لازم است.",
        "not_met_none": "هنوز معرفی نشده است؛ خودمعرفی ممکن نیست.",
        "not_met_self_referral": "خودمعرفی پذیرفته نمی‌شود؛ معرفی از سوی یک مرجع مجاز لازم است.",
        "not_met_referrer_not_allowed": "توسط {referrer} معرفی شده است، که برای این برنامه یا "
        "کتگوری صلاحیت معرفی ندارد.",
        "unknown": "معلوم نیست که معرفی توسط چه کسی انجام شده است.",
    },
    "outside_afghanistan": {
        "title": "بیرون از افغانستان",
        "met": "بیرون از افغانستان است.",
        "not_met": "در افغانستان است؛ رسیدگی تنها بیرون از افغانستان ممکن است.",
        "unknown": "محل فعلی ثبت نشده است.",
    },
    "principal_qualifies": {
        "title": "واجد شرایط بودن درخواست‌کنندهٔ اصلی",
        "met": "درخواست‌کنندهٔ اصلی واجد شرایط است.",
        "not_met": "درخواست‌کنندهٔ اصلی واجد شرایط نیست.",
        "unknown": "هنوز معلوم نیست که درخواست‌کنندهٔ اصلی واجد شرایط است یا نه.",
    },
    "derivative_relationship": {
        "title": "نسبت با درخواست‌کنندهٔ اصلی",
        "met": "به حیث {relationship} می‌تواند به عنوان عضو خانواده همراه شود.",
        "not_met": "به حیث {relationship} در این برنامه به عنوان عضو خانواده پذیرفته نمی‌شود.",
        "not_met_deceased": "وفات کرده است.",
        "not_met_former_spouse": "ازدواج پایان یافته است؛ دیگر همسر حساب نمی‌شود.",
        "unknown": "نسبت معلوم نیست.",
    },
    "derivative_unmarried": {
        "title": "مجرد بودن فرزند",
        "met": "مجرد است.",
        "not_met": "متأهل است؛ فرزند متأهل نمی‌تواند به عنوان عضو خانواده همراه شود.",
        "unknown": "وضعیت تأهل ثبت نشده است.",
    },
    "derivative_age": {
        "title": "سن فرزند",
        "met": "در تاریخ {date} کمتر از {limit} سال دارد (حداکثر {max_age} ساله).",
        "met_assumed_date": "امروز، {date}، کمتر از {limit} سال دارد؛ سن در تاریخ ثبت "
        "درخواست تثبیت می‌شود.",
        "not_met": "در تاریخ {date} دست‌کم {min_age} ساله است، یعنی {limit} سال یا بیشتر.",
        "not_met_assumed_date": "امروز، {date}، دست‌کم {min_age} ساله است، یعنی {limit} سال "
        "یا بیشتر.",
        "unknown": "در تاریخ {date} میان {min_age} و {max_age} سال دارد؛ برای دانستن اینکه "
        "کمتر از {limit} سال است یا نه، تاریخ دقیق تولد لازم است.",
        "unknown_no_birth_date": "تاریخ تولد ثبت نشده است؛ فرزند باید در تاریخ {date} کمتر از "
        "{limit} سال داشته باشد.",
    },
    "derivative_outside_afghanistan": {
        "title": "عضو خانواده بیرون از افغانستان",
        "met": "بیرون از افغانستان است.",
        "not_met": "در افغانستان است؛ رسیدگی تنها بیرون از افغانستان ممکن است.",
        "unknown": "محل فعلی ثبت نشده است.",
    },
}

WORDS: Final[Mapping[str, str]] = {
    "list_separator": "، ",
    "or": " یا ",
    "outcome.eligible": "واجد شرایط",
    "outcome.eligible_pending_documents": "واجد شرایط؛ اسناد یا شرایطی هنوز باقی است",
    "outcome.not_eligible": "واجد شرایط نیست",
    "outcome.undetermined": "هنوز معلوم نیست؛ معلومات بیشتر لازم است",
    "program.siv": "SIV",
    "program.p2": "P-2",
    "program.p1": "P-1",
    "label.program": "{program}: {outcome}",
    "label.member": "عضو خانواده {number} ({relationship}): {outcome}",
    "label.missing": "هنوز لازم است: {item}",
    "label.flag": "یادداشت: {flag}",
    "document.tazkira": "تذکره",
    "document.passport": "پاسپورت",
    "document.hr_letter": "مکتوب تصدیق استخدام",
    "document.recommendation": "مکتوب توصیه",
    "document.badge": "کارت کاری",
    "document.contract": "قرارداد",
    "document.threat_evidence": "شواهد تهدید",
    "document.com_approval": "منظوری COM",
    "relationship.principal": "درخواست‌کنندهٔ اصلی",
    "relationship.spouse": "همسر",
    "relationship.child": "فرزند",
    "relationship.child_spouse": "همسر فرزند",
    "relationship.grandchild": "نواسه",
    "relationship.parent": "پدر یا مادر",
    "relationship.sibling": "برادر یا خواهر",
    "relationship.other": "خویشاوند دیگر",
    "referrer.us_government_agency": "یک ادارهٔ حکومت امریکا",
    "referrer.us_military": "اردوی امریکا",
    "referrer.organisation_senior_us_citizen": "ارشدترین کارمند دارای تابعیت امریکا در آن مؤسسه",
    "referrer.unhcr": "UNHCR",
    "referrer.us_embassy": "سفارت امریکا",
    "referrer.designated_ngo": "یک مؤسسهٔ غیرحکومتی تعیین‌شده",
    "referrer.self": "خود درخواست‌کننده",
    "missing.document": "{document}",
    "missing.document.employment": "{document} برای وظیفهٔ شمارهٔ {employment}",
    "missing.fact.exact_start_date": "تاریخ دقیق آغاز وظیفهٔ شمارهٔ {employment}",
    "missing.fact.exact_end_date": "تاریخ دقیق پایان وظیفهٔ شمارهٔ {employment}",
    "missing.fact.role_duties": "نوعیت وظایف در وظیفهٔ شمارهٔ {employment} (ترجمان؟ "
    "وظایف حساس و مورد اعتماد؟)",
    "missing.fact.threat_reported": "اینکه درخواست‌کننده به سبب این کار با تهدید روبه‌رو است یا نه",
    "missing.fact.afghan_national": "تابعیت درخواست‌کننده",
    "missing.fact.current_location": "محل فعلی درخواست‌کننده",
    "missing.fact.current_location.member": "محل فعلی عضو خانواده {member}",
    "missing.fact.birth_date.member": "تاریخ تولد عضو خانواده {member}",
    "missing.fact.marital_status.member": "وضعیت تأهل عضو خانواده {member}",
    "missing.fact.referrer": "اینکه معرفی توسط چه کسی انجام شده است",
    "missing.fact.referral": "معرفی",
    "missing.condition.referral": "معرفی",
    "missing.condition.outside_afghanistan": "بیرون شدن درخواست‌کننده از افغانستان",
    "missing.condition.outside_afghanistan.member": "بیرون شدن عضو خانواده {member} از افغانستان",
    "flag.age_out_risk": "تا شش ماه دیگر به حد سن می‌رسد و سن هنوز تثبیت نشده است؛ درخواست "
    "را زود ثبت کنید",
    "flag.more_than_one_spouse": "بیش از یک همسر ثبت شده است؛ تنها یک همسر می‌تواند به عنوان "
    "عضو خانواده همراه شود",
    "flag.married_child": "فرزند متأهل",
    "flag.age_fixed_on_assumed_date": "سن به تاریخ امروز حساب شده است، زیرا درخواستی که سن "
    "را تثبیت می‌کند هنوز ثبت نشده است",
    "flag.age_uncertain": "تاریخ تولد آن‌قدر دقیق نیست که سن معلوم شود",
    "flag.age_unknown": "تاریخ تولد ثبت نشده است",
    "flag.in_afghanistan": "در افغانستان است",
}
