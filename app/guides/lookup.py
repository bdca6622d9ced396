"""Answers from the knowledge base: a city's guide, else the province's, saying which answered."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from app.chinese_text import match_key
from app.errors import DomainError, Kind
from app.guides.kb import (
    Contact,
    KnowledgeBase,
    Material,
    MaterialChannel,
    Office,
    ServiceGuide,
    Who,
)

PROVINCE = "530000"


class UnknownRegion(DomainError):
    kind, code = Kind.NOT_FOUND, "region_not_found"
    message = "没有这个地区，请使用地区代码（如 530400）或地区名称（如 玉溪市）。"


class UnknownService(DomainError):
    kind, code = Kind.NOT_FOUND, "service_not_found"
    message = "没有这个事项，请从事项列表中选择。"


class ServiceNotCovered(DomainError):
    kind, code = Kind.NOT_FOUND, "service_not_covered"
    message = "该地区的办事指南没有收录这个事项，请咨询当地医保经办机构或拨打 12345。"


class UnknownCase(DomainError):
    kind, code = Kind.INVALID, "case_not_found"
    message = "该事项没有这种情形，请从可选情形中选择。"


class UnknownCounty(DomainError):
    kind, code = Kind.NOT_FOUND, "county_not_found"
    message = "该地区的指南中没有这个县（市、区），请从可选项中选择。"


@dataclass(frozen=True, slots=True)
class ServiceListing:
    """A service offered in a region, and whose guide describes it there."""

    id: str
    name: str
    national_code: str | None
    who: Who
    source_region: str


@dataclass(frozen=True, slots=True)
class GuideAnswer:
    """A full guide, with the region asked about and the region whose guide answered."""

    region: str
    source_region: str
    guide: ServiceGuide


@dataclass(frozen=True, slots=True)
class MaterialsAnswer:
    region: str
    source_region: str
    service: str
    case: str | None
    channel: MaterialChannel | None
    materials: tuple[Material, ...]
    cases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OfficesAnswer:
    region: str
    source_region: str
    service: str | None
    county: str | None
    offices: tuple[Office, ...]
    contacts: tuple[Contact, ...]
    counties: tuple[str, ...]


def _suggest(query: str, choices: dict[str, str], *, limit: int = 3) -> list[dict[str, str]]:
    """Close matches of query among {id: label}, by id or by label, for a 404 that helps."""
    keys = [(ident, match_key(text)) for ident, label in choices.items() for text in (ident, label)]
    found = process.extract(
        match_key(query),
        dict(enumerate(k for _, k in keys)),
        scorer=fuzz.partial_ratio,
        limit=limit * 2,
        score_cutoff=50,
    )
    idents = dict.fromkeys(keys[index][0] for _, _, index in found)
    return [{"id": ident, "name": choices[ident]} for ident in list(idents)[:limit]]


def resolve_region(kb: KnowledgeBase, region: str) -> str:
    """A region code or name (玉溪 / 玉溪市 / 530400) → its code; raises UnknownRegion."""
    if region in kb.region_codes:
        return region
    wanted = match_key(region)
    for code, entry in kb.region_codes.items():
        name = match_key(entry.name)
        if wanted and (wanted == name or (len(wanted) >= 2 and name.startswith(wanted))):
            return code
    names = {code: entry.name for code, entry in kb.region_codes.items()}
    raise UnknownRegion(suggestions=_suggest(region, names))


def _require_service(kb: KnowledgeBase, service: str) -> None:
    if service not in kb.catalog:
        names = {ident: entry.name for ident, entry in kb.catalog.items()}
        raise UnknownService(suggestions=_suggest(service, names))


def find_guide(
    kb: KnowledgeBase,
    region: str,
    service: str,
    *,
    having: Callable[[ServiceGuide], bool] | None = None,
) -> GuideAnswer:
    """The guide that applies to service in region: the region's own, else an ancestor's.

    With `having`, the nearest guide for which it holds (a city guide silent on a fact leaves it
    to the province's), else the nearest guide.
    """
    code = resolve_region(kb, region)
    _require_service(kb, service)
    found = [
        GuideAnswer(region=code, source_region=candidate, guide=kb.guides[(candidate, service)])
        for candidate in kb.ancestry(code)
        if (candidate, service) in kb.guides
    ]
    if found:
        return next((a for a in found if having is None or having(a.guide)), found[0])
    offered = {listing.id: listing.name for listing in list_services(kb, code)}
    raise ServiceNotCovered(
        f"{kb.region_codes[code].name}的办事指南没有收录“{kb.catalog[service].name}”，"
        "请咨询当地医保经办机构或拨打 12345。",
        suggestions=_suggest(kb.catalog[service].name, offered),
    )


def with_offices_resolved(kb: KnowledgeBase, answer: GuideAnswer) -> ServiceGuide:
    """The guide with office-table references replaced by the offices themselves."""
    region = answer.source_region
    guide = answer.guide

    variants = tuple(
        dataclasses.replace(v, offices=kb.offices_of(v, region), offices_table=None)
        for v in guide.variants
    )
    return dataclasses.replace(
        guide, variants=variants, offices=kb.offices_of(guide, region), offices_table=None
    )


def list_services(
    kb: KnowledgeBase, region: str, *, who: Who | None = None, query: str | None = None
) -> list[ServiceListing]:
    """Services offered in region (its own guide's and its ancestors'), in catalog order."""
    code = resolve_region(kb, region)
    chain = kb.ancestry(code)
    wanted = match_key(query) if query else ""
    listings = []
    for service, entry in kb.catalog.items():
        source = next((r for r in chain if (r, service) in kb.guides), None)
        if source is None or (who is not None and entry.who != who):
            continue
        guide = kb.guides[(source, service)]
        haystack = match_key(f"{service} {entry.name} {guide.name} {entry.national_code or ''}")
        if wanted and wanted not in haystack:
            continue
        listings.append(
            ServiceListing(
                id=service,
                name=guide.name,
                national_code=guide.national_code or entry.national_code,
                who=entry.who,
                source_region=source,
            )
        )
    return listings


def _case_labels(guide: ServiceGuide) -> tuple[str, ...]:
    labels = [variant.id for variant in guide.variants]
    for details in (guide, *guide.variants):
        labels.extend(m.case for m in details.materials if m.case and m.case not in labels)
    return tuple(dict.fromkeys(labels))


def _materials_for_case(guide: ServiceGuide, case: str | None) -> Iterable[Material]:
    if case is None:
        return guide.materials
    variant = next((v for v in guide.variants if case in {v.id, v.name}), None)
    if variant is not None:
        return variant.materials or guide.materials
    wanted = match_key(case)
    matching = [m for m in guide.materials if m.case and match_key(m.case) == wanted]
    if not matching:
        raise UnknownCase(errors={"case": [f"可选情形：{'、'.join(_case_labels(guide)) or '无'}"]})
    return [m for m in guide.materials if m.case is None or match_key(m.case) == wanted]


def find_materials(
    kb: KnowledgeBase,
    region: str,
    service: str,
    *,
    case: str | None = None,
    channel: MaterialChannel | None = None,
) -> MaterialsAnswer:
    """The checklist for a case (a variant id or name, or a material's case) and a channel."""
    answer = find_guide(kb, region, service)
    materials = tuple(
        m
        for m in _materials_for_case(answer.guide, case)
        if channel is None or m.channel in {channel, MaterialChannel.BOTH}
    )
    return MaterialsAnswer(
        region=answer.region,
        source_region=answer.source_region,
        service=service,
        case=case,
        channel=channel,
        materials=materials,
        cases=_case_labels(answer.guide),
    )


def _county_matches(wanted: str, county: str | None) -> bool:
    if county is None:
        return False
    key = match_key(county)
    return key == wanted or key.rstrip("县市区") == wanted.rstrip("县市区")


def find_offices(
    kb: KnowledgeBase, region: str, *, service: str | None = None, county: str | None = None
) -> OfficesAnswer:
    """Where to go and whom to call, for a service or for the region, optionally one county."""
    code = resolve_region(kb, region)
    if service is not None:
        answer = find_guide(kb, code, service)
        source = answer.source_region
        guide = answer.guide
        offices = tuple(
            dict.fromkeys(o for d in (guide, *guide.variants) for o in kb.offices_of(d, source))
        )
    else:
        source = next((r for r in kb.ancestry(code) if r in kb.regions), code)
        offices = tuple(
            dict.fromkeys(
                office
                for (r, _), guide in sorted(kb.guides.items())
                if r == source
                for details in (guide, *guide.variants)
                for office in kb.offices_of(details, source)
            )
        )
    region_info = kb.regions.get(source)
    contacts = region_info.contacts if region_info else ()
    counties = region_info.counties if region_info else ()
    if county is not None:
        wanted = match_key(county)
        if not any(_county_matches(wanted, c) for c in counties):
            raise UnknownCounty(errors={"county": [f"可选：{'、'.join(counties) or '无'}"]})
        offices = tuple(o for o in offices if _county_matches(wanted, o.county))
        contacts = tuple(c for c in contacts if _county_matches(wanted, c.county))
    return OfficesAnswer(
        region=code,
        source_region=source,
        service=service,
        county=county,
        offices=offices,
        contacts=contacts,
        counties=counties,
    )


@dataclass(frozen=True, slots=True)
class RegionSummary:
    code: str
    name: str
    parent: str | None
    title: str | None
    seed: str | None
    counties: tuple[str, ...]
    counties_count: int
    offices_count: int
    services_count: int


def describe_regions(kb: KnowledgeBase) -> list[RegionSummary]:
    """Every region with its guide, counties, and how many offices and services it has."""
    summaries = []
    for code, entry in kb.region_codes.items():
        region = kb.regions.get(code)
        offices = find_offices(kb, code)
        counties = region.counties if region else ()
        summaries.append(
            RegionSummary(
                code=code,
                name=entry.name,
                parent=entry.parent,
                title=region.title if region else None,
                seed=region.seed if region else None,
                counties=counties,
                counties_count=len(counties),
                offices_count=len(offices.offices) + len(offices.contacts),
                services_count=len(list_services(kb, code)),
            )
        )
    return summaries
