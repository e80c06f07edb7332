"""Networks' reads, for the API, the pages and the CLI: every entity and link through the
policy; each read that shows entities (names, phones, accounts) records itself, naming the
entities and cases shown."""

from collections.abc import Iterator

from django.db.models import Q

from crossroads.access.policy import VIEW, get_visible_or_404, require_capability
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
