"""Networks' reads, for the API, the pages and the CLI: every entity and link through the
policy; each read that shows entities (names, phones, accounts) records itself, naming the
entities and cases shown."""

from collections.abc import Iterator

from django.db.models import Q

from crossroads.access.policy import (
    CHANGE,
    VIEW,
    can,
    get_visible_or_404,
    require,
    require_capability,
)
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.registry.models import Case

from . import analytics
from .choices import Verdict
from .models import Entity, Judgement, Link, Selector
from .rules import WORK_NETWORKS

NEIGHBOUR_LINKS = 500


def visible_case(user, **lookup) -> Case:
    return get_visible_or_404(Case.objects.all(), user, **lookup)


def network_case(user, case_id: int, *, change: bool = False) -> Case:
    """A case whose network the user may work on (refused: 404 for a case they may not see,
    PolicyDenied for a role that never reaches networks or a case they may not change)."""
    case = visible_case(user, pk=case_id)
    require_capability(user, WORK_NETWORKS)
    if change:
        require(user, CHANGE, case)
    return case


def may_change(user, case: Case) -> bool:
    return can(user, CHANGE, case)


def entities(user):
    return Entity.objects.restrict(user, VIEW).select_related("case")


def links(user):
    return Link.objects.restrict(user, VIEW)


def record_entities_read(user, shown: list[Entity], *, context: str) -> None:
    if shown:
        record(user, Action.READ_IDENTITY, object_type="networks.entity", details={
            "via": context, "ids": sorted({e.pk for e in shown}),
            "cases": sorted({e.case_id for e in shown})})


def case_entities(user, case_id: int, *, schema: str = "", cut, context: str):
    """A page of the case's entities (`cut` takes the queryset, gives the page's rows)."""
    case = visible_case(user, pk=case_id)
    rows = entities(user).filter(case=case)
    if schema:
        rows = rows.filter(schema=schema)
    page = cut(rows)
    record_entities_read(user, list(page["items"]), context=context)
    return page


def entity(user, entity_id: int, *, context: str) -> Entity:
    found = get_visible_or_404(Entity.objects.select_related("case"), user, pk=entity_id)
    record_entities_read(user, [found], context=context)
    return found


def shared_selectors(user, focus: list[Entity]) -> list[tuple[Entity, Entity, str]]:
    """(entity, other entity, selector kind) for entities the user may see, in any case, that
    share a phone, e-mail, IBAN, plate, document or company number with one of `focus`."""
    mine = Selector.objects.filter(entity__in=[e.pk for e in focus]).values_list(
        "entity_id", "kind", "digest")
    by_key: dict[tuple[str, str], list[int]] = {}
    for entity_id, kind, digest in mine:
        by_key.setdefault((kind, digest), []).append(entity_id)
    if not by_key:
        return []
    match = Q()
    for kind, digest in by_key:
        match |= Q(kind=kind, digest=digest)
    others = (Selector.objects.restrict(user, VIEW).filter(match)
              .exclude(entity_id__in=[e.pk for e in focus]).select_related("entity__case"))
    focus_by_id = {e.pk: e for e in focus}
    return [(focus_by_id[entity_id], selector.entity, selector.kind)
            for selector in others for entity_id in by_key[(selector.kind, selector.digest)]]


def neighbours(user, entity_id: int, *, schemata: list[str] | None = None, start: str = "",
               end: str = "", context: str) -> dict:
    """The entity, its links (of the given schemata, overlapping the period), the entities at
    their other ends, and entities of other cases sharing a selector with it."""
    centre = get_visible_or_404(Entity.objects.select_related("case"), user, pk=entity_id)
    found = _period(links(user).filter(Q(source_entity=centre) | Q(target_entity=centre)),
                    schemata, start, end)
    found = list(found.order_by("start_date", "id")[:NEIGHBOUR_LINKS + 1])
    truncated = len(found) > NEIGHBOUR_LINKS
    found = found[:NEIGHBOUR_LINKS]
    ids = {link.source_entity_id for link in found} | {link.target_entity_id for link in found}
    around = list(entities(user).filter(pk__in=ids - {centre.pk}))
    shared = shared_selectors(user, [centre])
    record_entities_read(user, [centre, *around, *(other for _c, other, _k in shared)],
                         context=context)
    return {"entity": centre, "links": found, "neighbours": around, "truncated": truncated,
            "shared": [{"entity": other, "kind": kind} for _c, other, kind in shared]}


def export_case(user, reference: str, *, context: str) -> Iterator[dict]:
    """The case's entities, then its links, as FtM entity dicts with their ids; refused
    (PolicyDenied, Http404) before anything is given, recorded as an export of the case."""
    case = visible_case(user, reference=reference)
    require_capability(user, WORK_NETWORKS)
    rows = entities(user).filter(case=case)
    edges = links(user).filter(case=case)
    record(user, Action.EXPORT, case, details={"via": context, "format": "ftm",
                                               "entities": rows.count(), "links": edges.count()})
    return _as_ftm(rows, edges)


def _as_ftm(rows, edges) -> Iterator[dict]:
    for row in rows.iterator(chunk_size=2000):
        yield {"id": row.ftm_id, "schema": row.schema, "properties": row.properties}
    for row in edges.iterator(chunk_size=2000):
        yield {"id": row.ftm_id, "schema": row.schema, "properties": row.properties}


def visible_graph(user, *, schemata: list[str] | None = None, start: str = "", end: str = ""
                  ) -> tuple[list[int], list[tuple[int, int]]]:
    """Entity ids and edges of every network the user may see: the links (of the schemata, in
    the period) and the joins of entities of different cases that share a selector."""
    nodes = list(entities(user).values_list("pk", flat=True))
    found = _period(links(user), schemata, start, end)
    edges = list(found.values_list("source_entity_id", "target_entity_id"))
    shared: dict[tuple[str, str], list[int]] = {}
    for entity_id, kind, digest in Selector.objects.restrict(user, VIEW).values_list(
            "entity_id", "kind", "digest"):
        shared.setdefault((kind, digest), []).append(entity_id)
    edges += [(holders[0], other) for holders in shared.values() for other in holders[1:]]
    return nodes, edges


def _period(found, schemata, start, end):
    if schemata:
        found = found.filter(schema__in=schemata)
    if start:
        found = found.filter(Q(end_date="") | Q(end_date__gte=start))
    if end:
        found = found.filter(Q(start_date="") | Q(start_date__lte=end))
    return found


def analysis(user, *, schemata=None, start="", end="", context: str) -> dict:
    """Components, communities, brokers and hubs of the networks the user may see."""
    require_capability(user, WORK_NETWORKS)
    nodes, edges = visible_graph(user, schemata=schemata, start=start, end=end)
    result = analytics.analyse(nodes, edges)
    named = {e.pk: e for e in entities(user).filter(
        pk__in=[n for n, _s in result.brokers] + [n for n, _d in result.hubs])}
    record_entities_read(user, list(named.values()), context=context)
    return {"entities": len(nodes), "links": len(edges), "sampled": result.sampled,
            "components": [len(c) for c in result.components],
            "communities": result.communities,
            "brokers": [{"entity": named[n], "score": s} for n, s in result.brokers],
            "hubs": [{"entity": named[n], "score": d} for n, d in result.hubs]}


def path(user, start_id: int, end_id: int, *, context: str) -> list[Entity]:
    """A shortest path between two entities the user may see, over every network they see."""
    ends = [get_visible_or_404(Entity.objects.all(), user, pk=pk) for pk in (start_id, end_id)]
    nodes, edges = visible_graph(user)
    ids = analytics.shortest_path(nodes, edges, ends[0].pk, ends[1].pk)
    found = entities(user).in_bulk(ids)
    shown = [found[i] for i in ids]
    record_entities_read(user, shown, context=context)
    return shown


def candidates(user, *, context: str) -> list[dict]:
    """Pairs of entities the user may see that share selectors (the reasons), each with its
    judgement; a pair judged different is not offered again, whatever it shares."""
    keys: dict[tuple[str, str], list[int]] = {}
    for entity_id, kind, digest in Selector.objects.restrict(user, VIEW).values_list(
            "entity_id", "kind", "digest"):
        keys.setdefault((kind, digest), []).append(entity_id)
    reasons: dict[tuple[int, int], set[str]] = {}
    for (kind, _digest), holders in keys.items():
        holders = sorted(set(holders))
        for i, left in enumerate(holders):
            for right in holders[i + 1:]:
                reasons.setdefault((left, right), set()).add(kind)
    judged = {(j.left_id, j.right_id): j.verdict
              for j in Judgement.objects.restrict(user, VIEW)}
    pairs = [(pair, kinds) for pair, kinds in sorted(reasons.items())
             if judged.get(pair) != Verdict.DIFFERENT]
    named = entities(user).in_bulk({pk for pair, _k in pairs for pk in pair})
    record_entities_read(user, list(named.values()), context=context)
    return [{"left": named[left], "right": named[right], "reasons": sorted(kinds),
             "judgement": judged.get((left, right), "")} for (left, right), kinds in pairs]


# What one page draws at most: past this the picture is unreadable and the summary too long;
# the reader expands nodes on demand from there (the neighbours route).
PAGE_ENTITIES = 300
PAGE_LINKS = 600


def case_network(user, case_id: int, *, schemata=None, start: str = "", end: str = "",
                 context: str) -> dict:
    """What the network page of a case draws and lists: the case's entities and links (of the
    schemata, overlapping the period), entities of other cases that share a selector with them,
    and the analysis of every network the reader sees (communities, brokers, hubs)."""
    case = network_case(user, case_id)
    rows = list(entities(user).filter(case=case)[:PAGE_ENTITIES + 1])
    found = list(_period(links(user).filter(case=case), schemata, start, end)
                 .order_by("start_date", "id")[:PAGE_LINKS + 1])
    truncated = len(rows) > PAGE_ENTITIES or len(found) > PAGE_LINKS
    rows, found = rows[:PAGE_ENTITIES], found[:PAGE_LINKS]
    shared = shared_selectors(user, rows)
    others = {other.pk: other for _c, other, _k in shared}
    nodes, edges = visible_graph(user, schemata=schemata, start=start, end=end)
    result = analytics.analyse(nodes, edges)
    community = {pk: i for i, members in enumerate(result.communities) if len(members) > 1
                 for pk in members}
    named = entities(user).in_bulk([n for n, _s in result.brokers] + [n for n, _d in result.hubs])
    shown = [*rows, *others.values()]
    degree = {}
    for link in found:
        for pk in (link.source_entity_id, link.target_entity_id):
            degree[pk] = degree.get(pk, 0) + 1
    for centre, other, _kind in shared:
        degree[centre.pk] = degree.get(centre.pk, 0) + 1
        degree[other.pk] = degree.get(other.pk, 0) + 1
    broker_score = dict(result.brokers)
    for entity_row in shown:
        entity_row.community = community.get(entity_row.pk)
        entity_row.broker = broker_score.get(entity_row.pk)
        entity_row.degree = degree.get(entity_row.pk, 0)
    record_entities_read(user, [*shown, *named.values()], context=context)
    by_id = {e.pk: e for e in shown}
    for link in found:
        link.source_row, link.target_row = by_id.get(link.source_entity_id), by_id.get(
            link.target_entity_id)
    return {"case": case, "entities": rows, "others": list(others.values()), "links": found,
            "shared": [{"entity": centre, "other": other, "kind": kind}
                       for centre, other, kind in shared],
            "truncated": truncated, "sampled": result.sampled,
            "communities": sum(1 for members in result.communities if len(members) > 1),
            "brokers": [{"entity": named[n], "score": s} for n, s in result.brokers if n in named],
            "hubs": [{"entity": named[n], "degree": d} for n, d in result.hubs if n in named]}


def entity_page(user, entity_id: int, *, context: str) -> dict:
    """An entity, its links (either direction) with the entities at their other ends, and the
    entities of other cases that share a selector with it."""
    require_capability(user, WORK_NETWORKS)
    around = neighbours(user, entity_id, context=context)
    by_id = {e.pk: e for e in [around["entity"], *around["neighbours"]]}
    for link in around["links"]:
        link.source_row = by_id.get(link.source_entity_id)
        link.target_row = by_id.get(link.target_entity_id)
    return around


def corridors(user, *, context: str) -> dict:
    """Routes of the victims of the cases the reader sees: flows per corridor (country of
    recruitment, countries of transit, country of exploitation) and year of registration."""
    from crossroads.registry.models import ExploitationRecord

    require_capability(user, WORK_NETWORKS)
    records = (ExploitationRecord.objects.restrict(user, VIEW)
               .values_list("country_of_recruitment", "countries_of_transit",
                            "country_of_exploitation", "year_of_registration", "case_id"))
    flows: dict[tuple, dict[int, int]] = {}
    years: set[int] = set()
    cases: set[int] = set()
    for recruitment, transit, exploitation, year, case_id in records:
        key = (recruitment or "", tuple(transit or ()), exploitation or "")
        if key == ("", (), ""):
            continue
        flows.setdefault(key, {})
        flows[key][year] = flows[key].get(year, 0) + 1
        years.add(year)
        cases.add(case_id)
    record(user, Action.VIEW_STATISTICS, object_type="networks.corridors", details={
        "via": context, "cases": len(cases)})
    ordered = sorted(years)
    rows = sorted(({"recruitment": r, "transit": list(t), "exploitation": x,
                    "cells": [by_year.get(y, 0) for y in ordered], "total": sum(by_year.values())}
                   for (r, t, x), by_year in flows.items()),
                  key=lambda row: (-row["total"], row["recruitment"], row["exploitation"]))
    return {"years": ordered, "rows": rows,
            "totals": [sum(row["cells"][i] for row in rows) for i in range(len(ordered))]}


def ftm_imports(user, case: Case):
    """The case's queued FtM files, newest first, with their jobs."""
    from .models import FtmImport

    return (FtmImport.objects.restrict(user, VIEW).filter(case=case)
            .select_related("job", "requested_by").order_by("-id"))


def ftm_import(user, import_id: int):
    from .models import FtmImport

    return get_visible_or_404(FtmImport.objects.select_related("case", "job"), user, pk=import_id)


def case_section(user, case: Case, persons) -> dict:
    """The network section of the case page (registry's extension point): its links for the
    investigators and prosecutors who reach the case's network, nothing for anyone else."""
    from crossroads.access.policy import may

    if not may(user, WORK_NETWORKS):
        return {}
    return {"sections": [{"template": "networks/case_section.html",
                          "entities": Entity.objects.restrict(user, VIEW).filter(case=case).count(),
                          "may_change": can(user, CHANGE, case)}]}
