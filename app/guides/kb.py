"""The knowledge base as typed, immutable values: regions, services per region, and their facts.

Field names follow knowledge/SCHEMA.md one for one, so the loader can fill them generically.
Every fact group carries its `source` (seed file and line range).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class Who(StrEnum):
    PERSON = "个人"
    EMPLOYER = "单位"


class MaterialChannel(StrEnum):
    ONLINE = "online"
    ONSITE = "onsite"
    BOTH = "both"


class MaterialForm(StrEnum):
    ORIGINAL = "original"
    COPY = "copy"
    ORIGINAL_AND_COPY = "original_and_copy"
    FORM = "form"
    PLEDGE = "pledge"
    ELECTRONIC = "electronic"
    OTHER = "other"


class ChannelKind(StrEnum):
    ONLINE = "online"
    ONSITE = "onsite"
    TERMINAL = "terminal"
    PHONE = "phone"
    MAIL = "mail"


class StepsAudience(StrEnum):
    """Whom a guide's steps speak to: citizens, or the counter staff (a 综窗操作指南 gives the
    staff's system operations)."""

    CITIZENS = "citizens"
    STAFF = "staff"


class ContactKind(StrEnum):
    CONSULTATION = "consultation"
    SUPERVISION = "supervision"
    OFFICE = "office"
    HOTLINE = "hotline"


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a fact stands: seed file and 1-based inclusive line range."""

    seed: str
    lines: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Fact:
    """A sentence of ours or of the seed (conditions, steps, validity, notes, fees)."""

    text: str
    source: Provenance
    quote: str | None = None


@dataclass(frozen=True, slots=True)
class Material:
    name: str
    source: Provenance
    quote: str | None = None
    case: str | None = None
    channel: MaterialChannel = MaterialChannel.BOTH
    form: MaterialForm = MaterialForm.OTHER
    copies: int | None = None
    required: bool = True
    note: str | None = None


@dataclass(frozen=True, slots=True)
class TimeLimit:
    text: str
    source: Provenance
    statutory_days: int | None = None
    promised_days: int | None = None

    @property
    def instant(self) -> bool:
        """即时办结: settled on the spot."""
        return self.promised_days == 0


@dataclass(frozen=True, slots=True)
class Channel:
    name: str
    kind: ChannelKind
    source: Provenance
    url: str | None = None


# How the seeds print the dash between area code and number: 0878—6550115, 0878 - 4128125.
_PHONE_DASH = re.compile(r"\s*[—–－-]\s*")


def dialable(phone: str) -> str:
    """A phone as the guide prints it, in the form a phone dials (0878—6550115 → 0878-6550115):
    the knowledge base keeps the print, which answers quote; structured fields give this."""
    return _PHONE_DASH.sub("-", phone.strip())


@dataclass(frozen=True, slots=True)
class Office:
    name: str
    source: Provenance
    county: str | None = None
    address: str | None = None
    phones: tuple[str, ...] = ()
    hours: str | None = None
    window: str | None = None


@dataclass(frozen=True, slots=True)
class OfficesTableRef:
    """A service's copy of an office table that region.yaml defines once."""

    table: str
    source: Provenance


@dataclass(frozen=True, slots=True)
class Form:
    name: str
    source: Provenance


@dataclass(frozen=True, slots=True)
class Contact:
    name: str
    kind: ContactKind
    source: Provenance
    county: str | None = None
    phones: tuple[str, ...] = ()
    address: str | None = None


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two or more places in the seeds that disagree about one field."""

    field: str
    note: str
    sources: tuple[Provenance, ...]


@dataclass(frozen=True, slots=True)
class Details:
    """The fact groups a service guide and each of its variants may carry."""

    summary: str | None = None
    conditions: tuple[Fact, ...] = ()
    materials: tuple[Material, ...] = ()
    time_limit: TimeLimit | None = None
    acceptance_window: Fact | None = None
    channels: tuple[Channel, ...] = ()
    offices: tuple[Office, ...] = ()
    offices_table: OfficesTableRef | None = None
    steps: tuple[Fact, ...] = ()
    forms: tuple[Form, ...] = ()
    fees: Fact | None = None
    validity: tuple[Fact, ...] = ()
    notes: tuple[Fact, ...] = ()


@dataclass(frozen=True, slots=True)
class Variant(Details):
    """A sub-item (子项) of a service in one guide; its lists replace the service's."""

    id: str = ""
    name: str = ""
    source: Provenance | None = None


@dataclass(frozen=True, slots=True)
class ServiceGuide(Details):
    """What one region's guide says about one catalog service."""

    service: str = ""
    region: str = ""
    name: str = ""
    who: Who = Who.PERSON
    source: Provenance | None = None
    national_code: str | None = None
    variants: tuple[Variant, ...] = ()
    conflicts: tuple[Conflict, ...] = ()

    def variant(self, variant_id: str) -> Variant | None:
        """The variant with this id, if the guide has it."""
        return next((v for v in self.variants if v.id == variant_id), None)


@dataclass(frozen=True, slots=True)
class Region:
    """One guide's region: its counties, region-wide contacts, channels and office tables."""

    code: str
    name: str
    seed: str
    title: str
    source: Provenance
    parent: str | None = None
    published: str | None = None
    counties: tuple[str, ...] = ()
    contacts: tuple[Contact, ...] = ()
    office_tables: dict[str, tuple[Office, ...]] = field(default_factory=dict)
    channels: tuple[Channel, ...] = ()
    notes: tuple[Fact, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    steps_audience: StepsAudience = StepsAudience.CITIZENS


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """A row of catalog.tsv: the service ids everything uses."""

    id: str
    name: str
    who: Who
    national_code: str | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class RegionCode:
    """A row of regions.tsv."""

    code: str
    name: str
    parent: str | None
    seed: str | None


@dataclass(frozen=True, slots=True, eq=False)
class KnowledgeBase:
    """The whole base, immutable once loaded; a reload builds a new one and swaps the reference.

    Compared and hashed by identity, so caches can be keyed by the base itself.
    """

    catalog: dict[str, CatalogEntry]
    region_codes: dict[str, RegionCode]
    regions: dict[str, Region]
    guides: dict[tuple[str, str], ServiceGuide]
    version: str

    def ancestry(self, region: str) -> tuple[str, ...]:
        """The region and its parents, nearest first: 530100 → (530100, 530000)."""
        chain: list[str] = []
        code: str | None = region
        while code is not None and code in self.region_codes and code not in chain:
            chain.append(code)
            code = self.region_codes[code].parent
        return tuple(chain)

    def sub_item_names(self) -> dict[str, set[str]]:
        """Each service's sub-item names, over every region's guide."""
        names: dict[str, set[str]] = {}
        for (_, service), guide in self.guides.items():
            names.setdefault(service, set()).update(v.name for v in guide.variants)
        return names

    def offices_of(self, details: Details, region: str) -> tuple[Office, ...]:
        """The offices a guide lists, resolving a reference to the region's office table."""
        if details.offices_table is not None and region in self.regions:
            return self.regions[region].office_tables.get(details.offices_table.table, ())
        return details.offices
