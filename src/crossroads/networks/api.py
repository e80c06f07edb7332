"""Networks routes of the JSON API: a case's entities and links, and an entity's neighbourhood
(`GET /network/entities/{id}/neighbours`). Each parses, calls a query or service, shapes."""

from ninja import File, Form, Query, Router, Status, UploadedFile

from crossroads.pagination import PageFilters, page, page_of

from . import queries, services
from .schemas import (
    AnalysisOut,
    BankMappingIn,
    BankOut,
    CdrMappingIn,
    CdrOut,
    EntityFilters,
    EntityIn,
    EntityOut,
    JudgementIn,
    JudgementOut,
    LinkIn,
    LinkOut,
    MergeCandidateOut,
    NeighbourFilters,
    NeighboursOut,
    PathOut,
)

PREVIEW_ROWS = 50

router = Router(tags=["networks"])


@router.get("/cases/{case_id}/network/entities", response=page_of(EntityOut), by_alias=True)
def list_entities(request, case_id: int, filters: Query[EntityFilters]):
    return queries.case_entities(request.user, case_id, schema=filters.schema_,
                                 cut=lambda rows: page(rows, filters.limit, filters.offset),
                                 context="api network entities")


@router.post("/cases/{case_id}/network/entities", response={201: EntityOut}, by_alias=True)
def add_entity(request, case_id: int, payload: EntityIn):
    case = queries.visible_case(request.user, pk=case_id)
    return Status(201, services.add_entity(request.user, case, services.EntityInput(
        schema=payload.schema_, properties=payload.properties, source=payload.source,
        ftm_id=payload.id, person_id=payload.person_id)))


@router.post("/cases/{case_id}/network/links", response={201: LinkOut}, by_alias=True)
def add_link(request, case_id: int, payload: LinkIn):
    case = queries.visible_case(request.user, pk=case_id)
    return Status(201, services.add_link(request.user, case, services.LinkInput(
        schema=payload.schema_, source_entity=payload.source_entity,
        target_entity=payload.target_entity, properties=payload.properties,
        source=payload.source, ftm_id=payload.id)))


@router.get("/network/entities/{entity_id}", response=EntityOut, by_alias=True)
def entity(request, entity_id: int):
    return queries.entity(request.user, entity_id, context="api network entity")


@router.get("/network/entities/{entity_id}/neighbours", response=NeighboursOut, by_alias=True)
def neighbours(request, entity_id: int, filters: Query[NeighbourFilters]):
    """The entity's links (of the given schemata, in the period), the entities at their other
    ends, and entities of other cases you may see that share a selector with it."""
    return queries.neighbours(request.user, entity_id, schemata=filters.schema_,
                              start=filters.start, end=filters.end,
                              context="api network neighbours")


@router.post("/cases/{case_id}/network/cdr", response=CdrOut)
def call_records(request, case_id: int, mapping: Form[CdrMappingIn], file: File[UploadedFile]):
    """A CSV of call-detail records, read through the column mapping: a preview (the default)
    writes nothing; `preview=false` imports the good rows as FtM Calls. Either way every
    rejected row is named."""
    case = queries.visible_case(request.user, pk=case_id)
    content = services.read_upload(file.read(services.CDR_MAX_BYTES + 1))
    columns = services.CdrMapping(caller=mapping.caller, receiver=mapping.receiver,
                                  start=mapping.start, duration=mapping.duration)
    if mapping.preview:
        result = services.preview_cdr(request.user, case, content, columns)
    else:
        result = services.import_cdr(request.user, case, content, columns,
                                     source=mapping.source or f"call records {file.name}")
    return {"preview": mapping.preview, "accepted": len(result.rows), "errors": result.errors,
            "rows": result.rows[:PREVIEW_ROWS], "calls": result.calls,
            "new_entities": result.new_entities}


@router.post("/cases/{case_id}/network/bank-statements", response=BankOut)
def bank_statement(request, case_id: int, mapping: Form[BankMappingIn],
                   file: File[UploadedFile]):
    """A bank statement (CSV) read through the column mapping (blank columns guessed from the
    header): a preview (the default) writes nothing; `preview=false` imports the good rows as
    FtM Payments between BankAccounts and their holders; rows the case holds already (the same
    statement again) are skipped. Either way every rejected row is named."""
    case = queries.visible_case(request.user, pk=case_id)
    content = services.read_upload(file.read(services.CDR_MAX_BYTES + 1))
    columns = mapping.dict(exclude={"source", "preview"})
    if mapping.preview:
        result = services.preview_statement(request.user, case, content, columns)
    else:
        result = services.import_statement(request.user, case, content, columns,
                                           source=mapping.source or f"bank statement {file.name}")
    return {"preview": mapping.preview, "mapping": result.mapping, "accepted": len(result.rows),
            "errors": result.errors, "rows": result.rows[:PREVIEW_ROWS],
            "payments": result.payments, "new_entities": result.new_entities,
            "already_held": result.skipped}


@router.get("/network/analysis", response=AnalysisOut, by_alias=True)
def analysis(request, filters: Query[NeighbourFilters]):
    """Components, Leiden communities, brokers and hubs of every network you may see (links of
    the given schemata, in the period)."""
    return queries.analysis(request.user, schemata=filters.schema_, start=filters.start,
                            end=filters.end, context="api network analysis")


@router.get("/network/path", response={200: PathOut, 404: dict}, by_alias=True)
def path(request, start: int, end: int):
    """A shortest path between two entities, over every network you may see (404 when either
    is not one you may see)."""
    return {"entities": queries.path(request.user, start, end, context="api network path")}


@router.get("/network/candidates", response=page_of(MergeCandidateOut), by_alias=True)
def candidates(request, filters: Query[PageFilters]):
    """Entities that may be the same (shared phone, document, plate, IBAN, ...), with reasons;
    pairs judged different are not offered again."""
    return page(queries.candidates(request.user, context="api network candidates"),
                filters.limit, filters.offset)


@router.post("/network/judgements", response={201: JudgementOut, 404: dict})
def judge(request, payload: JudgementIn):
    first = queries.entity(request.user, payload.left, context="api network judgement")
    second = queries.entity(request.user, payload.right, context="api network judgement")
    return Status(201, services.judge(request.user, first, second, payload.verdict))
