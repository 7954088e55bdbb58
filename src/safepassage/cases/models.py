"""A household's case and what it is made of: people, employment, documents, history, notes
and tasks. Personal values live in encrypted fields (see ``safepassage.protection.fields``)."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safepassage.cases.stages import Program, Stage
from safepassage.protection.fields import (
    EncryptedBooleanField,
    EncryptedPartialDateField,
    EncryptedTextField,
)

NAME_LENGTH = 100

# What forms, services and loaders may write, in one place.
PERSON_FIELDS = (
    "relationship",
    "sex",
    "given_name_latin",
    "father_name_latin",
    "grandfather_name_latin",
    "family_name_latin",
    "given_name_arabic",
    "father_name_arabic",
    "grandfather_name_arabic",
    "family_name_arabic",
    "name_on_passport",
    "birth_date",
    "birth_province",
    "birth_district",
    "tazkira_kind",
    "tazkira_number",
    "tazkira_volume",
    "tazkira_page",
    "tazkira_registration",
    "passport_number",
    "passport_expiry",
    "phone",
    "email",
)
EMPLOYMENT_FIELDS = (
    "employer_name",
    "employer_kind",
    "role",
    "interpreter",
    "sensitive_and_trusted",
    "start_date",
    "end_date",
    "location_province",
    "location_detail",
    "supervisor_name",
    "supervisor_email",
    "badge_number",
    "contract_number",
)


class Channel(models.TextChoices):
    WEB = "web", _("Web application")
    IMPORT = "import", _("Import")
    API = "api", _("API")
    STAFF = "staff", _("Staff entry")


class Case(models.Model):
    """One household's request for relocation; it belongs to exactly one organisation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "core.Organization", on_delete=models.PROTECT, related_name="cases"
    )
    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)
    program = models.CharField(
        _("program"), max_length=20, choices=Program.choices, default=Program.UNDETERMINED
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    referring_organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("referred by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referred_cases",
        help_text=_("A partner organisation that referred this household; it sees this case."),
    )
    stage = models.CharField(_("stage"), max_length=40, choices=Stage.choices, default=Stage.INTAKE)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned caseworker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # After erasure only these non-personal facts remain (for statistics).
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)
    household_size = models.PositiveSmallIntegerField(null=True, blank=True)
    # Where the household is now and what it needs (see ``cases/household.py``). The place is
    # personal and dangerous: encrypted, with a keyed blind-index token of the district for
    # lookups by district, never a clear district column. The threats it faces (codes from
    # the intake's fixed list, comma-separated) and its needs (health data) are encrypted too.
    current_province = EncryptedTextField(
        _("province where the household is now"), text_max_length=6
    )
    current_district = EncryptedTextField(
        _("district where the household is now"), text_max_length=40
    )
    current_district_token = models.CharField(
        max_length=16, blank=True, default="", db_index=True, editable=False
    )
    threat_categories = EncryptedTextField(_("threats faced"), text_max_length=120)
    medical_needs = EncryptedBooleanField(_("someone in the household has medical needs"))
    disability = EncryptedBooleanField(_("someone in the household has a disability"))

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organization", "stage"]),
            models.Index(fields=["organization", "program"]),
            models.Index(fields=["organization", "assigned_to"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(program__in=Program.values), name="case_program_known"
            ),
            models.CheckConstraint(
                condition=models.Q(stage__in=Stage.values), name="case_stage_known"
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=Channel.values), name="case_channel_known"
            ),
        ]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return self.reference

    @property
    def encryption_scope(self) -> uuid.UUID:
        return self.pk


class Relationship(models.TextChoices):
    PRINCIPAL = "principal", _("Principal applicant")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Sibling")
    OTHER = "other", _("Other relative")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Not stated")


class TazkiraKind(models.TextChoices):
    NONE = "", _("No tazkira")
    PAPER = "paper", _("Paper tazkira")
    ELECTRONIC = "electronic", _("Electronic tazkira (e-tazkira)")


class Person(models.Model):
    """The principal applicant or a family member, with names as Afghans have them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="people")
    relationship = models.CharField(
        _("relationship to the principal"), max_length=20, choices=Relationship.choices
    )
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)

    given_name_latin = EncryptedTextField(
        _("given name (Latin letters)"), text_max_length=NAME_LENGTH
    )
    father_name_latin = EncryptedTextField(
        _("father's name (Latin letters)"), text_max_length=NAME_LENGTH
    )
    grandfather_name_latin = EncryptedTextField(
        _("grandfather's name (Latin letters)"), text_max_length=NAME_LENGTH
    )
    family_name_latin = EncryptedTextField(
        _("family or tribal name (Latin letters)"), text_max_length=NAME_LENGTH
    )
    given_name_arabic = EncryptedTextField(
        _("given name (Dari/Pashto script)"), text_max_length=NAME_LENGTH
    )
    father_name_arabic = EncryptedTextField(
        _("father's name (Dari/Pashto script)"), text_max_length=NAME_LENGTH
    )
    grandfather_name_arabic = EncryptedTextField(
        _("grandfather's name (Dari/Pashto script)"), text_max_length=NAME_LENGTH
    )
    family_name_arabic = EncryptedTextField(
        _("family or tribal name (Dari/Pashto script)"), text_max_length=NAME_LENGTH
    )
    name_on_passport = EncryptedTextField(_("name exactly as on the passport"), text_max_length=200)

    birth_date = EncryptedPartialDateField(_("date of birth"))
    birth_province = models.CharField(_("province of birth"), max_length=6, blank=True)
    birth_district = models.CharField(_("district of birth"), max_length=40, blank=True)

    tazkira_kind = models.CharField(
        _("tazkira"), max_length=12, choices=TazkiraKind.choices, blank=True, default=""
    )
    tazkira_number = EncryptedTextField(_("e-tazkira number"), text_max_length=30)
    tazkira_volume = EncryptedTextField(_("tazkira volume (jild)"), text_max_length=12)
    tazkira_page = EncryptedTextField(_("tazkira page (safha)"), text_max_length=12)
    tazkira_registration = EncryptedTextField(
        _("tazkira registration number (sabt)"), text_max_length=12
    )
    passport_number = EncryptedTextField(_("passport number"), text_max_length=20)
    passport_expiry = models.DateField(_("passport expiry date"), null=True, blank=True)

    phone = EncryptedTextField(_("phone number"), text_max_length=20)
    email = EncryptedTextField(_("email address"), text_max_length=254)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(relationship="principal"),
                name="one_principal_per_case",
            ),
            models.CheckConstraint(
                condition=models.Q(relationship__in=Relationship.values),
                name="person_relationship_known",
            ),
            models.CheckConstraint(condition=models.Q(sex__in=Sex.values), name="person_sex_known"),
            models.CheckConstraint(
                condition=models.Q(tazkira_kind__in=TazkiraKind.values),
                name="person_tazkira_kind_known",
            ),
        ]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return f"person {self.pk}"

    @property
    def encryption_scope(self) -> uuid.UUID:
        return self.case_id

    def clean(self) -> None:
        from safepassage.cases.validation import validate_person

        validate_person(self)

    @property
    def display_name(self) -> str:
        """Given name, then father's name: how Afghans tell people apart."""
        latin = " ".join(p for p in (self.given_name_latin, self.family_name_latin) if p)
        arabic = " ".join(p for p in (self.given_name_arabic, self.family_name_arabic) if p)
        return latin or arabic or "—"


class EmployerKind(models.TextChoices):
    US_GOVERNMENT_AGENCY = "us_government_agency", _("US government agency")
    US_MILITARY = "us_military", _("US military")
    US_GOVERNMENT_CONTRACTOR = "us_government_contractor", _("Contractor of the US government")
    ISAF_MEMBER_FORCE = "isaf_member_force", _("ISAF / Resolute Support member force")
    US_FUNDED_GRANTEE = "us_funded_grantee", _("US-funded grantee or project")
    US_BASED_MEDIA = "us_based_media", _("US-based media organisation")
    US_BASED_NGO = "us_based_ngo", _("US-based NGO")
    OTHER = "other", _("Other")


class Employment(models.Model):
    """One period of work for one employer; eligibility adds these up."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="employment")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="employment")
    employer_name = EncryptedTextField(_("employer"), text_max_length=200)
    employer_kind = models.CharField(
        _("kind of employer"), max_length=30, choices=EmployerKind.choices
    )
    role = EncryptedTextField(_("job title or role"), text_max_length=200)
    interpreter = models.BooleanField(_("worked as interpreter or translator"), default=False)
    sensitive_and_trusted = models.BooleanField(
        _("performed sensitive and trusted activities"), default=False
    )
    start_date = EncryptedPartialDateField(_("start date"))
    end_date = EncryptedPartialDateField(
        _("end date"), help_text=_("Leave empty if the work continues.")
    )
    location_province = models.CharField(_("province of work"), max_length=6, blank=True)
    location_detail = EncryptedTextField(_("place of work"), text_max_length=200)
    supervisor_name = EncryptedTextField(_("supervisor's name"), text_max_length=200)
    supervisor_email = EncryptedTextField(_("supervisor's email"), text_max_length=254)
    badge_number = EncryptedTextField(_("badge number"), text_max_length=50)
    contract_number = EncryptedTextField(_("contract number"), text_max_length=50)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(employer_kind__in=EmployerKind.values),
                name="employment_kind_known",
            ),
        ]
        verbose_name = _("employment")
        verbose_name_plural = _("employment")

    def __str__(self) -> str:
        return f"employment {self.pk}"

    @property
    def encryption_scope(self) -> uuid.UUID:
        return self.case_id

    def clean(self) -> None:
        from safepassage.cases.validation import validate_employment

        validate_employment(self)


class DocumentKind(models.TextChoices):
    TAZKIRA = "tazkira", _("Tazkira")
    PASSPORT = "passport", _("Passport")
    HR_LETTER = "hr_letter", _("HR employment verification letter")
    RECOMMENDATION = "recommendation", _("Letter of recommendation")
    BADGE = "badge", _("Badge")
    CONTRACT = "contract", _("Contract")
    THREAT_EVIDENCE = "threat_evidence", _("Evidence of threat")
    PHOTO = "photo", _("Photo")
    COM_APPROVAL = "com_approval", _("COM approval")
    OTHER = "other", _("Other")


class Document(models.Model):
    """A file kept encrypted in the storage backend, never in the database."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    kind = models.CharField(_("kind of document"), max_length=20, choices=DocumentKind.choices)
    original_name = EncryptedTextField(_("file name"), text_max_length=255)
    storage_name = models.CharField(max_length=100, unique=True, editable=False)
    size_bytes = models.PositiveBigIntegerField(editable=False)
    content_type = models.CharField(max_length=100, editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=DocumentKind.values), name="document_kind_known"
            ),
        ]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return f"document {self.pk}"

    @property
    def encryption_scope(self) -> uuid.UUID:
        return self.case_id


class StageEvent(models.Model):
    """Append-only history of stage changes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stage_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    from_stage = models.CharField(max_length=40, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=40, choices=Stage.choices)
    reason = EncryptedTextField(_("reason"), text_max_length=2000)
    # The day the step happened (the date on a decision letter, the day the package was sent);
    # clocks count from it. Empty on older rows: the day it was recorded.
    effective_on = models.DateField(_("date it happened"), null=True, blank=True)
    # A move back to an earlier stage of the program (it needs a reason).
    backward = models.BooleanField(default=False)

    class Meta:
        ordering = ["at"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self) -> str:
        return f"{self.from_stage}->{self.to_stage}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RuntimeError("stage history is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("stage history is append-only")

    @property
    def encryption_scope(self) -> uuid.UUID:
        return self.case_id


class Note(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    text = EncryptedTextField(_("note"), text_max_length=10000, blank=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self) -> str:
        return f"note {self.pk}"

    @property
    def encryption_scope(self) -> uuid.UUID:
        return self.case_id


class Task(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = EncryptedTextField(_("task"), text_max_length=300, blank=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done", "due_date", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done=False) | models.Q(done_at__isnull=False),
                name="task_done_has_time",
            ),
        ]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return f"task {self.pk}"

    @property
    def encryption_scope(self) -> uuid.UUID:
        return self.case_id


class ErasureRequest(models.Model):
    """An applicant's request to erase or correct their data: verified, approved by a second
    person, executed, and logged at every step."""

    class Kind(models.TextChoices):
        ERASURE = "erasure", _("Erase the case")
        CORRECTION = "correction", _("Correct the data")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        VERIFIED = "verified", _("Identity verified")
        APPROVED = "approved", _("Approved")
        EXECUTED = "executed", _("Carried out")
        REJECTED = "rejected", _("Rejected")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="erasure_requests")
    kind = models.CharField(_("request"), max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REQUESTED)
    details = EncryptedTextField(_("what the applicant asks"), text_max_length=2000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    verification_method = models.CharField(max_length=40, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    executed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.kind} request {self.pk}"

    @property
    def encryption_scope(self) -> uuid.UUID:
        return self.case_id


# The DS-157 answers a caseworker fills in; see ``cases/ds157.py`` for their order, checks and
# completeness. Lists are kept as JSON text inside the encrypted columns.
DS157_ANSWER_FIELDS = (
    "other_names_answer",
    "travel_answer",
    "organizations_answer",
    "skills_firearms",
    "skills_explosives",
    "skills_nbc",
    "military_answer",
    "clan_tribe_answer",
    "education_answer",
)
DS157_TEXT_FIELDS = ("current_address", "skills_explanation", "clan_tribe")
DS157_LIST_FIELDS = (
    "other_names",
    "previous_addresses",
    "countries_visited",
    "organizations",
    "military_service",
    "languages",
    "education",
)
DS157_FIELDS = DS157_ANSWER_FIELDS + DS157_TEXT_FIELDS + DS157_LIST_FIELDS


class Ds157Data(models.Model):
    """The principal applicant's answers to the DS-157 questions the case does not already
    hold (names, birth, identity documents and employment come from Person and Employment).

    DS-157 sections kept here: other names used; present and previous addresses; countries
    visited in the last five years; membership of organisations; specialised skills
    (firearms, explosives, nuclear/biological/chemical); military service; clan or tribe;
    languages spoken; education. Every answer, yes/no included, is encrypted: having served
    in an army or handled explosives is as dangerous to a person as their name.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="ds157")
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="ds157")

    other_names_answer = EncryptedTextField(_("has used other names"), text_max_length=3)
    other_names = EncryptedTextField(_("other names used"), text_max_length=4000)
    current_address = EncryptedTextField(_("present home address"), text_max_length=500)
    previous_addresses = EncryptedTextField(_("previous addresses"), text_max_length=4000)
    travel_answer = EncryptedTextField(
        _("visited other countries in the last five years"), text_max_length=3
    )
    countries_visited = EncryptedTextField(_("countries visited"), text_max_length=8000)
    organizations_answer = EncryptedTextField(
        _("belonged to or worked for organisations"), text_max_length=3
    )
    organizations = EncryptedTextField(_("organisations"), text_max_length=4000)
    skills_firearms = EncryptedTextField(_("firearms skills or training"), text_max_length=3)
    skills_explosives = EncryptedTextField(_("explosives skills or training"), text_max_length=3)
    skills_nbc = EncryptedTextField(
        _("nuclear, biological or chemical experience"), text_max_length=3
    )
    skills_explanation = EncryptedTextField(_("explanation of skills"), text_max_length=2000)
    military_answer = EncryptedTextField(_("has served in the military"), text_max_length=3)
    military_service = EncryptedTextField(_("military service"), text_max_length=8000)
    clan_tribe_answer = EncryptedTextField(_("belongs to a clan or tribe"), text_max_length=3)
    clan_tribe = EncryptedTextField(_("clan or tribe"), text_max_length=200)
    languages = EncryptedTextField(_("languages spoken"), text_max_length=1000)
    education_answer = EncryptedTextField(
        _("attended schools beyond primary school"), text_max_length=3
    )
    education = EncryptedTextField(_("education"), text_max_length=8000)

    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("DS-157 data")
        verbose_name_plural = _("DS-157 data")

    def __str__(self) -> str:
        return f"ds157 {self.pk}"

    @property
    def encryption_scope(self) -> uuid.UUID:
        return self.case_id


class ComPackage(models.Model):
    """A record of one Chief of Mission application package generated for a case: who, when,
    the encrypted bundle's size and SHA-256, and which documents went in. The bundle itself
    is never stored."""

    class Encryption(models.TextChoices):
        ZIP = "zip_aes256", _("ZIP, AES-256, with a one-time password")
        ZIP_AGE = "zip_aes256_age", _("ZIP, AES-256, with a one-time password, then age")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="com_packages")
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("generated by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    generated_at = models.DateTimeField(_("generated"), auto_now_add=True)
    size_bytes = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256 of the encrypted file"), max_length=64)
    encryption = models.CharField(_("encryption"), max_length=20, choices=Encryption.choices)
    document_ids = models.JSONField(_("documents included"), default=list, blank=True)
    document_count = models.PositiveSmallIntegerField(_("documents"))
    ds157_complete = models.BooleanField(_("DS-157 data complete"))

    class Meta:
        ordering = ["-generated_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(encryption__in=["zip_aes256", "zip_aes256_age"]),
                name="com_package_encryption_known",
            ),
        ]
        verbose_name = _("COM package")
        verbose_name_plural = _("COM packages")

    def __str__(self) -> str:
        return f"com package {self.pk}"

    @property
    def short_id(self) -> str:
        return str(self.pk).split("-")[0].upper()
