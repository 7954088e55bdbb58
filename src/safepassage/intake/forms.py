"""The steps of the public application form: their fields, plain-language help, checks and
what each step's answers become in a case. Forms parse and explain; services write.

Every message an applicant may see is this project's own (translated into Dari and Pashto
here), not Django's, so Pashto readers never get an English error.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.datastructures import MultiValueDict
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from safepassage.cases.formfields import (
    PartialDateFormField,
    PartialDateWidget,
)
from safepassage.cases.models import DocumentKind, EmployerKind, Employment, Person
from safepassage.cases.validation import message_for, validate_employment, validate_person
from safepassage.engine import identity
from safepassage.engine.dates import (
    Calendar,
    PartialDate,
    month_name,
    to_latin_digits,
    to_local_digits,
)
from safepassage.engine.places import districts_of, provinces

MAX_RAW_VALUE_LENGTH = 10_000  # what a draft keeps of one typed value, valid or not
MAX_RAW_KEYS = 600
MAX_FAMILY_MEMBERS = 30
MAX_EMPLOYERS = 15
NOT_ANSWERS = frozenset(
    {"csrfmiddlewaretoken", "action", "_language", "website", "pow_nonce", "files", "remove"}
)


def _messages(**extra: Promise) -> dict[str, Any]:
    return {
        "required": _("Please fill this in."),
        "max_length": _("This is too long: write at most %(limit_value)d characters."),
        "invalid_choice": _("Choose one of the options."),
        "invalid_list": _("Choose one of the options."),
        **extra,
    }


# --- text hygiene ----------------------------------------------------------------------------

# Invisible formatting characters (bidi overrides and isolates, zero-width spaces, marks) can
# disguise text or reorder what staff see; they are dropped. The zero-width non-joiner and
# joiner are kept: Dari and Pashto spelling needs them (e.g. «می‌شود»).
_KEEP_FORMAT = frozenset("\u200c\u200d")
CONTROL_MESSAGE = _("Remove the hidden control characters from this text.")
NAME_MESSAGE = _("A name can have only letters, spaces, hyphens (-) and apostrophes (').")
_NAME_PUNCTUATION = frozenset(" -'.\u2019\u200c\u200d")
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefe]")


def clean_text(value: str, *, multiline: bool = False) -> str:
    """Normalise typed text (NFC), drop invisible formatting characters and refuse control
    characters; markup and template syntax are kept as text (pages escape them)."""
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(ch for ch in value if unicodedata.category(ch) != "Cf" or ch in _KEEP_FORMAT)
    allowed = "\n\t" if multiline else ""
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in value):
        raise ValidationError(CONTROL_MESSAGE, code="control_characters")
    return value.strip()


def clean_name(value: str) -> str:
    value = " ".join(clean_text(value).split())
    for ch in value:
        if unicodedata.category(ch)[0] not in "LM" and ch not in _NAME_PUNCTUATION:
            raise ValidationError(NAME_MESSAGE, code="name_characters")
    return value


def script_of(value: str) -> str:
    """ "arabic" for text in Dari/Pashto script, else "latin": where a name is stored."""
    return "arabic" if _ARABIC_SCRIPT.search(value) else "latin"


def routed_name(field: str, value: str) -> dict[str, str]:
    return {f"{field}_{script_of(value)}": value} if value else {}


_NO_AUTOFILL = {"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}


class TextField(forms.CharField):
    """Free text, cleaned by :func:`clean_text`."""

    multiline = False

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", _messages())
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "off", "dir": "auto"})

    def to_python(self, value: Any) -> str:
        text = str(super().to_python(value) or "")
        return clean_text(text, multiline=self.multiline) if text else text


class LongTextField(TextField):
    multiline = True
    widget = forms.Textarea(attrs={"rows": 5})


class NameField(TextField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)
        self.widget.attrs.update(_NO_AUTOFILL)

    def to_python(self, value: Any) -> str:
        text = str(forms.CharField.to_python(self, value) or "")
        return clean_name(text) if text else text


class NumberTextField(TextField):
    """Numbers and codes typed with Latin or Eastern Arabic digits."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.update({**_NO_AUTOFILL, "dir": "ltr"})

    def to_python(self, value: Any) -> str:
        if isinstance(value, str):
            value = to_latin_digits(value)
        return super().to_python(value)


class IntakeDateWidget(PartialDateWidget):
    """The project's partial date widget without a placeholder (on a phone a placeholder
    looks like an answer already given)."""

    template_name = "intake/widgets/partial_date.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.widgets[0].attrs.pop("placeholder", None)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        """Examples in the reader's digits and month names, each isolated (``<bdi>``) so a
        right-to-left sentence cannot reverse the parts of a date."""
        context = super().get_context(name, value, attrs)
        language = get_language() or "en"
        hamal = month_name(1, Calendar.SOLAR_HIJRI, language)
        context["examples"] = {
            "year": format_html('<bdi dir="ltr">{}</bdi>', to_local_digits("1365", language)),
            "full": format_html('<bdi dir="ltr">{}</bdi>', to_local_digits("1365-07-15", language)),
            "named": format_html("<bdi>{}</bdi>", to_local_digits(f"15 {hamal} 1365", language)),
        }
        return context


class IntakeDateField(PartialDateFormField):
    widget = IntakeDateWidget

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", _messages())
        super().__init__(**kwargs)

    def compress(self, data_list: list[Any]) -> PartialDate | None:
        try:
            return super().compress(data_list)
        except ValidationError as exc:
            if exc.code == "calendar_mismatch":
                raise ValidationError(
                    _(
                        "This month name belongs to the other calendar: choose the calendar "
                        "that matches it, or write the month as a number."
                    ),
                    code=exc.code,
                ) from exc
            raise


def _choice(
    choices: Iterable[tuple[str, Any]], *, radio: bool = False, **kwargs: Any
) -> forms.ChoiceField:
    kwargs.setdefault("error_messages", _messages(required=_("Choose one of the options.")))
    widget = forms.RadioSelect if radio else forms.Select
    return forms.ChoiceField(choices=list(choices), widget=widget, **kwargs)


class IntakeForm(forms.Form):
    """Base of every step's form: nothing is remembered by the browser."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("autocomplete", "off")

    def summary(self) -> list[tuple[str, str]]:
        """(label, value shown to the reader) for every answered field."""
        return summarize(self)


def _display(field: forms.Field, value: Any) -> str:
    from safepassage.core.templatetags.safepassage import localdigits, partial_date

    if value in (None, "", [], False) and not isinstance(field, forms.BooleanField):
        return ""
    if isinstance(value, PartialDate):
        return partial_date(value)
    if isinstance(field, forms.BooleanField):
        return str(_("Yes") if value else _("No"))
    if isinstance(field, forms.ChoiceField):
        labels = {str(k): str(v) for k, v in cast(Any, field).choices}
        if isinstance(value, list):
            return "، ".join(labels.get(str(v), str(v)) for v in value)
        return labels.get(str(value), str(value))
    return localdigits(value)


def summarize(form: forms.Form) -> list[tuple[str, str]]:
    rows = []
    for name, field in form.fields.items():
        if name == "DELETE":
            continue
        shown = _display(field, form.cleaned_data.get(name))
        if shown:
            rows.append((str(field.label), shown))
    return rows


def _person_errors(exc: ValidationError, mapping: Mapping[str, str]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for field, messages in exc.message_dict.items():
        errors.setdefault(mapping.get(field, field), []).extend(messages)
    return errors


def _add_errors(form: forms.Form, errors: Mapping[str, list[str]]) -> None:
    for field, messages in errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


# --- step: about you -------------------------------------------------------------------------

NAME_HELP = _(
    "Write it in Dari or Pashto letters or in English letters: either is fine. "
    "Write it as it is on your tazkira if you have one."
)


def _sex_choices() -> list[tuple[str, Promise]]:
    return [
        ("female", _("Female")),
        ("male", _("Male")),
        ("unknown", _("I prefer not to say")),
    ]


class AboutForm(IntakeForm):
    given_name = NameField(
        label=_("Your name"),
        required=True,
        help_text=_(
            "Your own name. Write it in Dari or Pashto letters or in English letters: either "
            "is fine."
        ),
    )
    father_name = NameField(
        label=_("Your father's name"),
        required=True,
        help_text=_("As written on your tazkira."),
    )
    grandfather_name = NameField(
        label=_("Your grandfather's name"),
        help_text=_("Your father's father. As written on your tazkira, if it is there."),
    )
    family_name = NameField(
        label=_("Family or tribal name"),
        help_text=_(
            "A surname, family or tribal name, if you use one. Many Afghans do not have one: "
            "then leave this empty."
        ),
    )
    name_on_passport = NameField(
        label=_("Name in your passport"),
        max_length=200,
        help_text=_(
            "Only if you have a passport: your full name exactly as printed in it, "
            "in English letters."
        ),
    )
    sex = _choice(_sex_choices(), radio=True, label=_("Sex"))
    birth_date = IntakeDateField(
        label=_("Date of birth"),
        help_text=_(
            "If you know only the year, write only the year. Choose the calendar the date "
            "is in: the tazkira uses the Solar Hijri calendar, a passport the Gregorian one."
        ),
    )
    tazkira_kind = _choice(
        [
            ("electronic", _("Electronic tazkira (e-tazkira)")),
            ("paper", _("Paper tazkira")),
            ("none", _("I have no tazkira")),
        ],
        radio=True,
        label=_("Your tazkira"),
        help_text=_("The Afghan national identity card. Many people have the paper one."),
    )
    tazkira_number = NumberTextField(
        label=_("E-tazkira number"),
        max_length=30,
        help_text=_("Only for an e-tazkira: the long number printed on the card."),
    )
    tazkira_volume = NumberTextField(
        label=_("Volume (jild)"),
        max_length=12,
        help_text=_("Only for a paper tazkira."),
    )
    tazkira_page = NumberTextField(
        label=_("Page (safha)"), max_length=12, help_text=_("Only for a paper tazkira.")
    )
    tazkira_registration = NumberTextField(
        label=_("Registration number (sabt)"),
        max_length=12,
        help_text=_("Only for a paper tazkira."),
    )
    passport_number = NumberTextField(
        label=_("Passport number"),
        max_length=20,
        help_text=_("If you have a passport, even an expired one. Leave empty if not."),
    )

    _MODEL_FIELDS = {
        "given_name_latin": "given_name",
        "given_name_arabic": "given_name",
        "birth_date": "birth_date",
    }

    def person_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        kind = data.get("tazkira_kind") or "none"
        person: dict[str, Any] = {
            "sex": data.get("sex") or "unknown",
            "birth_date": data.get("birth_date"),
            "name_on_passport": data.get("name_on_passport", ""),
            "tazkira_kind": "" if kind == "none" else kind,
            "passport_number": data.get("passport_number", ""),
        }
        for part in ("given_name", "father_name", "grandfather_name", "family_name"):
            person.update(routed_name(part, data.get(part, "")))
        if kind == "electronic":
            person["tazkira_number"] = data.get("tazkira_number", "")
        elif kind == "paper":
            for part in ("tazkira_volume", "tazkira_page", "tazkira_registration"):
                person[part] = data.get(part, "")
        return person

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            validate_person(Person(**self.person_data()))
        except ValidationError as exc:
            _add_errors(self, _person_errors(exc, self._MODEL_FIELDS))
        return cleaned


# --- step: family ----------------------------------------------------------------------------


def _relationship_choices() -> list[tuple[str, Promise | str]]:
    return [
        ("", "—"),
        ("spouse", _("Husband or wife")),
        ("child", _("Son or daughter")),
        ("parent", _("Father or mother")),
        ("sibling", _("Brother or sister")),
        ("other", _("Other relative")),
    ]


class FamilyMemberForm(IntakeForm):
    relationship = _choice(
        _relationship_choices(),
        label=_("Who is this person to you?"),
        help_text=_("Only family members who would travel with you."),
    )
    given_name = NameField(label=_("Name"), required=True, help_text=NAME_HELP)
    father_name = NameField(label=_("Father's name"))
    family_name = NameField(label=_("Family or tribal name"))
    sex = _choice([("", "—"), *_sex_choices()], label=_("Sex"), required=False)
    birth_date = IntakeDateField(
        label=_("Date of birth"), help_text=_("If you know only the year, write only the year.")
    )

    _MEANINGFUL = ("relationship", "given_name", "father_name", "family_name", "birth_date_0")

    def has_changed(self) -> bool:
        """A blank sub-form added by "add another person" is not an answer (its calendar
        menu always sends a value)."""
        return any(str(self.data.get(self.add_prefix(n)) or "").strip() for n in self._MEANINGFUL)

    def person_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        person: dict[str, Any] = {
            "relationship": data["relationship"],
            "sex": data.get("sex") or "unknown",
            "birth_date": data.get("birth_date"),
        }
        for part in ("given_name", "father_name", "family_name"):
            person.update(routed_name(part, data.get(part, "")))
        return person

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            validate_person(Person(**self.person_data()))
        except ValidationError as exc:
            _add_errors(self, _person_errors(exc, AboutForm._MODEL_FIELDS))
        return cleaned


class IntakeFormSet(forms.BaseFormSet[Any]):
    """Sub-forms added and removed without JavaScript (see ``formset_add`` and
    ``formset_compact``); ``min_filled`` is how many must be answered."""

    min_filled = 0
    too_few_message: Promise = _("Add at least one.")
    too_many_message: Promise = _("That is more than this form can take.")

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove")

    def clean(self) -> None:
        if any(self.errors):
            return
        filled = self.filled_forms()
        if len(filled) < self.min_filled:
            raise ValidationError(str(self.too_few_message), code="too_few")
        if len(filled) > self.max_num:
            raise ValidationError(str(self.too_many_message), code="too_many")

    def filled_forms(self) -> list[Any]:
        """The sub-forms with answers, without those ticked "remove"."""
        return [
            form
            for form in self.forms
            if form.has_changed() and not getattr(form, "cleaned_data", {}).get("DELETE")
        ]

    def summary(self) -> list[list[tuple[str, str]]]:
        return [summarize(form) for form in self.filled_forms()]


class FamilyFormSet(IntakeFormSet):
    too_many_message = _("You can add up to 30 family members here. Tell us about others later.")


class EmploymentFormSet(IntakeFormSet):
    min_filled = 1
    too_few_message = _("Tell us about at least one job with foreign forces or a foreign employer.")


FamilyMembers = forms.formset_factory(
    FamilyMemberForm,
    formset=FamilyFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_FAMILY_MEMBERS,
    absolute_max=MAX_FAMILY_MEMBERS + 5,
)


# --- step: employment ------------------------------------------------------------------------


class EmploymentForm(IntakeForm):
    employer_name = TextField(
        label=_("Employer"),
        required=True,
        max_length=200,
        help_text=_(
            "Who paid you or whom you worked for: for example a US military unit, an embassy, "
            "a company working for them, or an organisation."
        ),
    )
    employer_kind = _choice(
        [("", "—"), *EmployerKind.choices],
        label=_("What kind of employer was it?"),
        help_text=_('If you are not sure, choose "Other".'),
    )
    role = TextField(
        label=_("Your job"),
        required=True,
        max_length=200,
        help_text=_('Your job title or what you did, for example "interpreter" or "guard".'),
    )
    interpreter = forms.BooleanField(
        label=_("I worked as an interpreter or translator"), required=False
    )
    sensitive_and_trusted = forms.BooleanField(
        label=_("My work was sensitive and trusted"),
        required=False,
        help_text=_(
            "For example: you had access to a base, to secret information, or you worked "
            "closely with foreign soldiers or officials."
        ),
    )
    start_date = IntakeDateField(
        label=_("When did you start?"),
        help_text=_("The year, or year and month, is enough."),
    )
    end_date = IntakeDateField(
        label=_("When did you stop?"),
        required=False,
        help_text=_("Leave empty if you still work there."),
    )
    supervisor_name = TextField(
        label=_("Your supervisor's name"),
        max_length=200,
        help_text=_("The person you reported to. It helps to get a recommendation letter."),
    )
    supervisor_email = TextField(
        label=_("Your supervisor's email"),
        max_length=254,
        help_text=_("If you know it."),
    )

    _MEANINGFUL = ("employer_name", "employer_kind", "role", "start_date_0", "supervisor_name")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervisor_email"].widget.attrs.update(
            {**_NO_AUTOFILL, "dir": "ltr", "inputmode": "email"}
        )
        self.fields["employer_name"].widget.attrs.update(_NO_AUTOFILL)

    def has_changed(self) -> bool:
        return any(str(self.data.get(self.add_prefix(n)) or "").strip() for n in self._MEANINGFUL)

    def employment_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: data.get(name)
            for name in (
                "employer_name",
                "employer_kind",
                "role",
                "interpreter",
                "sensitive_and_trusted",
                "start_date",
                "end_date",
                "supervisor_name",
                "supervisor_email",
            )
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        job = Employment(**self.employment_data())
        try:
            validate_employment(job)
        except ValidationError as exc:
            _add_errors(self, exc.message_dict)
        return cleaned


Employers = forms.formset_factory(
    EmploymentForm,
    formset=EmploymentFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_EMPLOYERS,
    absolute_max=MAX_EMPLOYERS + 5,
)


# --- step: threat ----------------------------------------------------------------------------

THREAT_CATEGORIES = [
    ("threat_letter", _("I received a threat letter (shabnama)")),
    ("phone_threats", _("I was threatened by phone or message")),
    ("house_search", _("My house was searched or people came looking for me")),
    ("family_attack", _("A family member was attacked, taken or killed")),
    ("detained", _("I was detained or beaten")),
    ("other", _("Something else")),
]


class ThreatForm(IntakeForm):
    categories = forms.MultipleChoiceField(
        label=_("What has happened to you or your family?"),
        choices=THREAT_CATEGORIES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages=_messages(),
        help_text=_("Tick everything that happened. You can tick more than one."),
    )
    description = LongTextField(
        label=_("Tell us in your own words"),
        max_length=4000,
        help_text=_(
            "What happened, when and where, and who did it if you know. Short is fine. "
            "Do not write other people's phone numbers here."
        ),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not cleaned.get("categories") and not cleaned.get("description"):
            raise ValidationError(
                _("Tick at least one box, or tell us in your own words."), code="required"
            )
        return cleaned


# --- step: where you are now -----------------------------------------------------------------


def province_choices() -> list[tuple[str, str]]:
    language = get_language() or "en"
    return [("", "—"), *((p.code, p.name(language)) for p in provinces().values())]


class LocationForm(IntakeForm):
    where = _choice(
        [
            ("afghanistan", _("In Afghanistan")),
            ("elsewhere", _("In another country")),
        ],
        radio=True,
        label=_("Where are you now?"),
    )
    province = forms.ChoiceField(label=_("Province"), required=False, error_messages=_messages())
    district = forms.ChoiceField(
        label=_("District"),
        required=False,
        error_messages=_messages(),
        help_text=_('Choose the province, then press "Show districts".'),
    )
    country = TextField(
        label=_("Country"),
        max_length=100,
        help_text=_("Only if you are outside Afghanistan, for example Pakistan or Iran."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = get_language() or "en"
        cast(forms.ChoiceField, self.fields["province"]).choices = province_choices()
        chosen = str(self.data.get("province") or "") if self.is_bound else ""
        district_field = cast(forms.ChoiceField, self.fields["district"])
        if chosen in provinces():
            district_field.choices = [
                ("", "—"),
                *((d.code, d.name(language)) for d in districts_of(chosen)),
            ]
            district_field.help_text = ""
        else:
            district_field.choices = [("", "—")]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        where = cleaned.get("where")
        if where == "afghanistan" and not cleaned.get("province"):
            self.add_error("province", _("Choose your province."))
        if where == "elsewhere" and not cleaned.get("country"):
            self.add_error("country", _("Write the country you are in."))
        return cleaned


# --- step: documents -------------------------------------------------------------------------

UPLOAD_KINDS = [
    (kind.value, kind.label) for kind in DocumentKind if kind not in (DocumentKind.COM_APPROVAL,)
]


class DocumentsForm(IntakeForm):
    kind = _choice(
        UPLOAD_KINDS,
        label=_("What are you sending?"),
        required=False,
        help_text=_("If you send several files at once, choose what most of them are."),
    )


# --- step: contact ---------------------------------------------------------------------------


class ContactForm(IntakeForm):
    phone = NumberTextField(
        label=_("Phone number"),
        max_length=30,
        help_text=_("With the country code, for example +93 70 123 4567."),
    )
    whatsapp = NumberTextField(
        label=_("WhatsApp number"), max_length=30, help_text=_("If it is different.")
    )
    signal = NumberTextField(
        label=_("Signal number"), max_length=30, help_text=_("If you use Signal.")
    )
    email = TextField(label=_("Email"), max_length=254, help_text=_("If you have one."))
    safe_times = TextField(
        label=_("When is it safe to contact you?"),
        max_length=300,
        help_text=_('For example: "evenings after 8" or "never on Fridays".'),
    )
    leave_messages = _choice(
        [("yes", _("Yes")), ("no", _("No, never leave a message"))],
        radio=True,
        label=_("May we leave a message if you do not answer?"),
        help_text=_("Say no if someone else could see or hear the message."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("phone", "whatsapp", "signal"):
            self.fields[name].widget.attrs.update({"inputmode": "tel"})
        self.fields["email"].widget.attrs.update(
            {**_NO_AUTOFILL, "dir": "ltr", "inputmode": "email"}
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in ("phone", "whatsapp", "signal"):
            value = cleaned.get(name)
            if value:
                try:
                    cleaned[name] = identity.normalize_phone(value)
                except identity.IdentityError as exc:
                    self.add_error(name, str(message_for(exc.code)))
        if cleaned.get("email"):
            try:
                cleaned["email"] = identity.normalize_email(cleaned["email"])
            except identity.IdentityError as exc:
                self.add_error("email", str(message_for(exc.code)))
        ways = ("phone", "whatsapp", "signal", "email")
        if not self.errors and not any(cleaned.get(name) for name in ways):
            self.add_error(
                "phone", _("Give at least one way to reach you: a phone number or an email.")
            )
        return cleaned


# --- step: review and consent ----------------------------------------------------------------


class ConsentForm(IntakeForm):
    consent = forms.BooleanField(
        label=_("I agree, and what I wrote is true as far as I know."),
        error_messages={
            "required": _("Tick this box to agree. Without it the form cannot be sent.")
        },
    )


# --- the steps -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    name: str
    title: Promise
    bind: Callable[[MultiValueDict[str, str] | None], Any]
    prefix: str | None = None  # formset steps
    multipart: bool = False


def _form(form_class: type[forms.Form]) -> Callable[[MultiValueDict[str, str] | None], Any]:
    return lambda data: form_class(data=data) if data is not None else form_class()


def _formset(
    formset_class: type[forms.BaseFormSet[Any]],
    prefix: str,
) -> Callable[[MultiValueDict[str, str] | None], Any]:
    return lambda data: formset_class(data=data, prefix=prefix)


STEPS: list[Step] = [
    Step("about", pgettext_lazy("step", "About you"), _form(AboutForm)),
    Step("family", pgettext_lazy("step", "Your family"), _formset(FamilyMembers, "m"), "m"),
    Step("employment", pgettext_lazy("step", "Your work"), _formset(Employers, "e"), "e"),
    Step("threat", pgettext_lazy("step", "The danger you face"), _form(ThreatForm)),
    Step("location", pgettext_lazy("step", "Where you are now"), _form(LocationForm)),
    Step(
        "documents",
        pgettext_lazy("step", "Documents"),
        _form(DocumentsForm),
        multipart=True,
    ),
    Step("contact", pgettext_lazy("step", "How to reach you"), _form(ContactForm)),
    Step("review", pgettext_lazy("step", "Check and send"), _form(ConsentForm)),
]
STEP_NAMES = [step.name for step in STEPS]
STEPS_BY_NAME = {step.name: step for step in STEPS}
# Steps whose answers must be complete before sending (documents may come later).
REQUIRED_STEPS = ["about", "family", "employment", "threat", "location", "contact"]


def raw_answers(post: MultiValueDict[str, Any]) -> dict[str, list[str]]:
    """What was typed on a step, kept as typed (even when not valid), within limits."""
    raw: dict[str, list[str]] = {}
    for key in list(post.keys())[:MAX_RAW_KEYS]:
        if key in NOT_ANSWERS or len(key) > 80:
            continue
        raw[key] = [str(v)[:MAX_RAW_VALUE_LENGTH] for v in post.getlist(key)[:20]]
    return raw


def as_data(raw: Mapping[str, list[str]] | None) -> MultiValueDict[str, str] | None:
    return MultiValueDict({k: list(v) for k, v in raw.items()}) if raw is not None else None


def _formset_total(raw: Mapping[str, list[str]], prefix: str) -> int:
    try:
        return max(0, int((raw.get(f"{prefix}-TOTAL_FORMS") or ["0"])[0]))
    except ValueError:
        return 0


def formset_compact(raw: dict[str, list[str]], prefix: str, limit: int) -> dict[str, list[str]]:
    """Drop the sub-forms ticked "remove" and number the others from 0 again."""
    total = min(_formset_total(raw, prefix), limit)
    kept: dict[str, list[str]] = {k: v for k, v in raw.items() if not k.startswith(f"{prefix}-")}
    new_index = 0
    for index in range(total):
        head = f"{prefix}-{index}-"
        if raw.get(f"{head}DELETE", [""])[0] in ("on", "true", "1"):
            continue
        for key, value in raw.items():
            if key.startswith(head) and not key.endswith("-DELETE"):
                kept[f"{prefix}-{new_index}-{key[len(head) :]}"] = value
        new_index += 1
    kept[f"{prefix}-TOTAL_FORMS"] = [str(new_index)]
    kept[f"{prefix}-INITIAL_FORMS"] = ["0"]
    kept[f"{prefix}-MIN_NUM_FORMS"] = ["0"]
    kept[f"{prefix}-MAX_NUM_FORMS"] = [str(limit)]
    return kept


def formset_add(raw: dict[str, list[str]], prefix: str, limit: int) -> dict[str, list[str]]:
    """One more blank sub-form ("add another person")."""
    total = _formset_total(raw, prefix)
    raw[f"{prefix}-TOTAL_FORMS"] = [str(min(total + 1, limit))]
    return raw


FORMSET_LIMITS = {"m": MAX_FAMILY_MEMBERS, "e": MAX_EMPLOYERS}


class ResumeForm(forms.Form):
    code = forms.CharField(
        label=_("Your resume code"),
        max_length=40,
        error_messages=_messages(),
        help_text=_("The code you wrote down, for example 7KQ2-M9XD-4HTP."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update({**_NO_AUTOFILL, "dir": "ltr"})


class StatusSignInForm(forms.Form):
    reference = forms.CharField(
        label=_("Your application number"),
        max_length=30,
        error_messages=_messages(),
        help_text=_("It looks like 7KQ2-M9XD-4."),
    )
    pin = forms.CharField(
        label=_("Your PIN"),
        max_length=30,
        error_messages=_messages(),
        help_text=_("The secret code you were given with the number."),
        widget=forms.PasswordInput(render_value=False),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.update({**_NO_AUTOFILL, "dir": "ltr"})


class StatusUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Which document is this?"), error_messages=_messages())

    def __init__(self, *args: Any, kinds: list[tuple[str, Any]], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = kinds


class ContactUpdateForm(IntakeForm):
    phone = NumberTextField(
        label=_("New phone number"),
        max_length=30,
        help_text=_("With the country code, for example +93 70 123 4567."),
    )
    email = TextField(label=_("New email"), max_length=254)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.attrs.update({"inputmode": "tel"})
        self.fields["email"].widget.attrs.update(
            {**_NO_AUTOFILL, "dir": "ltr", "inputmode": "email"}
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not cleaned.get("phone") and not cleaned.get("email"):
            raise ValidationError(_("Write a new phone number or a new email."))
        return cleaned
