"""CRM exports recognised by their headers: one mapping file per source (amocrm.py, bitrix24.py), each a few
table specs (which headers say «this is our deals export», and how its rows become clients and deals)."""

from __future__ import annotations

from collections.abc import Iterable

from storage.crm_formats import amocrm, bitrix24
from storage.crm_formats.common import CrmTableSpec

# Deals before people (a deals export also has contact columns); Bitrix24 first where its «e-mail» tells it apart.
SPECS: tuple[CrmTableSpec, ...] = (bitrix24.TABLES[0], amocrm.TABLES[0], bitrix24.TABLES[1], amocrm.TABLES[1])


def detect_crm_table(headers: Iterable[str]) -> CrmTableSpec | None:
    """The spec whose headers these are (headers normalised: lower case, ё → е, single spaces)."""
    present = set(headers)
    return next((spec for spec in SPECS if spec.detect(present)), None)


__all__ = ["CrmTableSpec", "detect_crm_table"]
