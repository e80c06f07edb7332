"""The proceedings page: per person and charge, the offence from the jurisdiction's catalogue,
the stages moved through the state machine with their dates and outcomes."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crossroads.investigations import queries, services
from crossroads.investigations.choices import STAGE_TRANSITIONS, Stage
from crossroads.investigations.forms import ProceedingForm, StageForm
from crossroads.pages import page_view

from . import submit

CONTEXT = "proceedings page"


def _open_form(user, case, data=None):
    return ProceedingForm(data, persons=queries.charged_persons(user, case, context=CONTEXT),
                          offences=queries.offences(user).filter(jurisdiction_id=case.jurisdiction_id))


def _stage_form(proceeding, data=None):
    """The moves the state machine allows from the stage shown; a posted form takes any stage,
    so that the service answers (a page older than the stage, a move not allowed)."""
    allowed = set(Stage) if data is not None else STAGE_TRANSITIONS[Stage(proceeding.stage)]
    return StageForm(data, proceeding=proceeding, allowed=allowed)


def _page(request, case, open_form=None, stage_form=None):
    user = request.user
    proceedings = queries.proceedings_shown(user, case, context=CONTEXT)
    writes = queries.writes_log(user, case)
    for proceeding in proceedings:
        proceeding.form = (stage_form if stage_form and stage_form.prefix == f"p{proceeding.pk}"
                           else _stage_form(proceeding))
    return render(request, "investigations/proceedings.html", {
        "case": case, "proceedings": proceedings, "writes": writes,
        "open_form": open_form or (_open_form(user, case) if writes else None)})


@page_view
def proceedings_page(request, case_id):
    return _page(request, queries.log_case(request.user, case_id))


@page_view
@require_POST
def proceeding_open(request, case_id):
    user = request.user
    case = queries.log_case(user, case_id)
    form = _open_form(user, case, request.POST)
    return submit(request, form,
                  lambda d: services.open_proceeding(user, case, services.ProceedingInput(
                      person_id=d["person_id"], offence=d["offence"],
                      investigation_opened_on=d["investigation_opened_on"],
                      outcome=form.outcome())),
                  _("Proceeding opened."), "investigations-proceedings",
                  lambda bound: _page(request, case, open_form=bound), case.pk)


@page_view
@require_POST
def stage_move(request, proceeding_id):
    user = request.user
    proceeding = queries.proceeding(user, proceeding_id)
    form = _stage_form(proceeding, request.POST)
    return submit(request, form,
                  lambda d: services.move_stage(user, proceeding, d["stage"], d["on"],
                                                form.outcome(), from_stage=d["from_stage"]),
                  _("Stage recorded."), "investigations-proceedings",
                  lambda bound: _page(request, proceeding.case, stage_form=bound),
                  proceeding.case_id)
