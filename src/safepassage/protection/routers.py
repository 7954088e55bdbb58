"""Database routing: data keys live in the ``keys`` database, everything else in ``default``."""

from __future__ import annotations

from typing import Any

KEY_STORE_MODELS = {("protection", "datakey")}


class KeyStoreRouter:
    def _is_key_store(self, model: Any) -> bool:
        meta = model._meta
        return (meta.app_label, meta.model_name) in KEY_STORE_MODELS

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return "keys" if self._is_key_store(model) else None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return "keys" if self._is_key_store(model) else None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return None

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool | None:
        if model_name is None:
            return None if db == "default" else (db == "keys" and app_label == "protection")
        in_store = (app_label, model_name) in KEY_STORE_MODELS
        return in_store if db == "keys" else not in_store
