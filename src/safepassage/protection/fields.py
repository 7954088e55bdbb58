"""Model fields whose values are encrypted in the database and decrypted only when read.

The column holds an AES-256-GCM blob (see :mod:`safepassage.protection.crypto`) bound to its
table, column and row primary key. Values are encrypted in ``pre_save`` (where the row is
known) and decrypted lazily by the attribute descriptor on first access, so a list page pays
only for the fields it shows. Filtering on an encrypted column is refused: equality search
goes through blind indexes, never through the ciphertext.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any, Generic, TypeVar

from django import forms
from django.core import checks
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from safepassage.engine.dates import PartialDate
from safepassage.protection import access, crypto
from safepassage.protection.keys import SYSTEM_SCOPE

T = TypeVar("T")


def encryption_scope(instance: models.Model) -> uuid.UUID:
    """The case whose data key seals this record's values (``encryption_scope`` on the
    model), or the system scope for records that belong to no case."""
    scope = getattr(instance, "encryption_scope", None)
    if scope is None:
        return SYSTEM_SCOPE
    return scope if isinstance(scope, uuid.UUID) else uuid.UUID(str(scope))


class Sealed(bytes):
    """A ciphertext read from the database and not opened yet."""

    __slots__ = ()


class EncryptedFieldUsageError(TypeError):
    """An encrypted value was written or searched without its row: use ``save()``."""


class EncryptedAttribute(DeferredAttribute):
    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        data = instance.__dict__
        attname = self.field.attname
        if attname not in data:
            super().__get__(instance, cls)
        value = data[attname]
        if isinstance(value, Sealed):
            field: EncryptedField[Any] = self.field  # type: ignore[assignment]
            value = field.open(value, instance)
            data[attname] = value
            access.note_read(instance, field.name)
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class EncryptedField(models.BinaryField, Generic[T]):  # type: ignore[type-arg]
    """Base of encrypted fields: subclasses turn their Python value to and from text."""

    descriptor_class = EncryptedAttribute

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("editable", True)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    # -- text conversion, per subclass --------------------------------------------------
    def to_text(self, value: T) -> str:
        raise NotImplementedError

    def from_text(self, text: str) -> T:
        raise NotImplementedError

    # -- encryption ---------------------------------------------------------------------
    def associated_data(self, instance: models.Model) -> bytes:
        if instance.pk is None:
            raise EncryptedFieldUsageError(
                "rows with encrypted fields need their primary key before saving"
            )
        return self.associated_data_for(instance.pk)

    def associated_data_for(self, pk: Any) -> bytes:
        return f"{self.model._meta.db_table}.{self.column}.{pk}".encode()

    # Batch jobs that write thousands of rows with raw SQL seal and open values by primary
    # key and scope, without model instances; the binding is the same as ``save()``'s.
    def seal_value(self, value: T, *, pk: Any, scope: uuid.UUID) -> bytes:
        return crypto.seal(self.to_text(value).encode("utf-8"), self.associated_data_for(pk), scope)

    def open_value(self, sealed: bytes, *, pk: Any) -> T:
        plaintext = crypto.open_sealed(bytes(sealed), self.associated_data_for(pk))
        return self.from_text(plaintext.decode("utf-8"))

    def open(self, sealed: bytes, instance: models.Model) -> T:
        plaintext = crypto.open_sealed(bytes(sealed), self.associated_data(instance))
        return self.from_text(plaintext.decode("utf-8"))

    def seal_for(self, value: T, instance: models.Model) -> bytes:
        text = self.to_text(value)
        return crypto.seal(
            text.encode("utf-8"), self.associated_data(instance), encryption_scope(instance)
        )

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = model_instance.__dict__.get(self.attname)
        if value is None or value == "":
            return None
        if isinstance(value, Sealed):
            return bytes(value)
        return self.seal_for(value, model_instance)

    # -- database conversion ------------------------------------------------------------
    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Sealed | None:
        if value is None:
            return None
        return Sealed(bytes(value))

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is None:
            return None
        if isinstance(value, bytes | memoryview):
            return super().get_db_prep_value(bytes(value), connection, prepared=True)
        raise EncryptedFieldUsageError(
            "encrypted fields cannot be searched or bulk-updated; save the model instead"
        )

    def get_prep_value(self, value: Any) -> Any:
        if value is None or isinstance(value, bytes | memoryview):
            return value
        raise EncryptedFieldUsageError(
            "encrypted fields cannot be searched or bulk-updated; save the model instead"
        )

    def value_to_string(self, obj: models.Model) -> str:
        raise EncryptedFieldUsageError("encrypted fields are not serialised in clear")

    def to_python(self, value: Any) -> Any:
        return value

    def get_default(self) -> Any:
        return None

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        if self.unique or getattr(self, "db_index", False):
            errors.append(
                checks.Error(
                    "encrypted fields cannot be unique or indexed (use a blind index)",
                    obj=self,
                    id="protection.E001",
                )
            )
        return errors


class EncryptedTextField(EncryptedField[str]):
    """Free text or a short string (a name, a number), encrypted."""

    def __init__(self, *args: Any, text_max_length: int | None = None, **kwargs: Any) -> None:
        self.text_max_length = text_max_length
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.text_max_length is not None:
            kwargs["text_max_length"] = self.text_max_length
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def to_text(self, value: str) -> str:
        return str(value)

    def from_text(self, text: str) -> str:
        return text

    def validate(self, value: Any, model_instance: Any) -> None:
        if value is None:
            value = ""
        super().validate(value, model_instance)
        if self.text_max_length is not None and len(value) > self.text_max_length:
            from django.core.exceptions import ValidationError
            from django.utils.translation import gettext as _

            raise ValidationError(
                _("Ensure this value has at most %(limit)d characters.")
                % {"limit": self.text_max_length},
                code="max_length",
            )

    def formfield(self, **kwargs: Any) -> forms.Field:  # type: ignore[override]
        long_text = self.text_max_length is None or self.text_max_length > 300
        defaults: dict[str, Any] = {
            "required": not self.blank,
            "label": self.verbose_name,
            "help_text": self.help_text,
            "max_length": self.text_max_length,
        }
        if long_text:
            defaults["widget"] = forms.Textarea(attrs={"rows": 4})
        form_class = kwargs.pop("form_class", None) or forms.CharField
        defaults.update(kwargs)
        return form_class(**defaults)


class EncryptedPartialDateField(EncryptedField[PartialDate]):
    """A partial date (year, year and month, or full; Gregorian or Solar Hijri), encrypted."""

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def to_text(self, value: PartialDate) -> str:
        return value.to_storage()

    def from_text(self, text: str) -> PartialDate:
        return PartialDate.from_storage(text)

    def formfield(self, **kwargs: Any) -> forms.Field:  # type: ignore[override]
        from safepassage.cases.formfields import PartialDateFormField

        defaults: dict[str, Any] = {
            "required": not self.blank,
            "label": self.verbose_name,
            "help_text": self.help_text,
        }
        kwargs.pop("form_class", None)
        defaults.update(kwargs)
        return PartialDateFormField(**defaults)


class EncryptedDateField(EncryptedField[dt.date]):
    """A full Gregorian date, encrypted."""

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def to_text(self, value: dt.date) -> str:
        return value.isoformat()

    def from_text(self, text: str) -> dt.date:
        return dt.date.fromisoformat(text)

    def formfield(self, **kwargs: Any) -> forms.Field:  # type: ignore[override]
        defaults: dict[str, Any] = {"required": not self.blank, "label": self.verbose_name}
        form_class = kwargs.pop("form_class", None) or forms.DateField
        defaults.update(kwargs)
        return form_class(**defaults)


class EncryptedBooleanField(EncryptedField[bool]):
    """A yes/no fact that is personal (a health need, a disability), encrypted.
    ``False`` is sealed like ``True`` so the column does not tell them apart; ``None`` (an
    erased value) is stored as NULL and read back as ``False``."""

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def to_text(self, value: bool) -> str:
        return "1" if value else "0"

    def from_text(self, text: str) -> bool:
        return text == "1"

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = model_instance.__dict__.get(self.attname)
        if value is None:  # erased: nothing to seal (read back as False)
            return None
        if isinstance(value, Sealed):
            return bytes(value)
        return self.seal_for(bool(value), model_instance)

    def get_default(self) -> Any:
        return False

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return False
        return Sealed(bytes(value))

    def formfield(self, **kwargs: Any) -> forms.Field:  # type: ignore[override]
        defaults: dict[str, Any] = {
            "required": False,
            "label": self.verbose_name,
            "help_text": self.help_text,
        }
        form_class = kwargs.pop("form_class", None) or forms.BooleanField
        defaults.update(kwargs)
        return form_class(**defaults)


class EncryptedJSONField(EncryptedField[Any]):
    """A JSON document (lists, dicts, numbers, strings) encrypted whole: explanations and
    facts derived from personal data. Read and written whole; never searched."""

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def to_text(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)

    def from_text(self, text: str) -> Any:
        return json.loads(text)

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = model_instance.__dict__.get(self.attname)
        if value is None:
            return None
        if isinstance(value, Sealed):
            return bytes(value)
        return self.seal_for(value, model_instance)
