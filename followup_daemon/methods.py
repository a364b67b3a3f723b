"""The ways to follow up (R6)."""

from __future__ import annotations

from enum import StrEnum


class Method(StrEnum):
    """How to follow up (R6)."""

    PHONE = "phone"
    IN_PERSON = "in_person"
    EMAIL = "email"
