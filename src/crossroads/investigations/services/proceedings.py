"""Proceedings per person and per charge, moved through their stages by the state machine of
`choices.STAGE_TRANSITIONS`, each move dated and audited; and the offence catalogue, which the
coordinator of the jurisdiction maintains."""

import datetime
from dataclasses import dataclass, fields
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crossroads.access.policy import CHANGE, VIEW, require, require_capability
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.registry.choices import SUSPECT_ROLES, VICTIM_ROLES
from crossroads.registry.models import Case, Person
from crossroads.text import clean_text
from crossroads.validation import collect
from crossroads.versions import check, claim

from ..choices import STAGE_DATES, STAGE_TRANSITIONS, Stage, Verdict
from ..models import Offence, Proceeding, StageChange
from ..rules import MAINTAIN_OFFENCES, WRITE_LOG

# Stages in the order a proceeding passes them (appeal before final; sentence after verdict).
ORDER = [Stage.INVESTIGATION, Stage.INDICTMENT, Stage.VERDICT, Stage.SENTENCE, Stage.APPEAL,
         Stage.FINAL]
AFTER_VERDICT = {Stage.VERDICT, Stage.SENTENCE, Stage.APPEAL}


@dataclass
class Outcome:
    """What a stage records besides its date: the verdict, the sentence, the victims'
    compensation (CETS 197 Art. 15) and non-punishment of a victim (Art. 26)."""

    verdict: str = ""
    custodial_months: int | None = None
    suspended: bool = False
    fine_eur: Decimal | None = None
    confiscation: bool = False
    compensation_claimed_eur: Decimal | None = None
    compensation_awarded_eur: Decimal | None = None
    non_punishment_invoked: bool = False


@dataclass
class ProceedingInput:
    person_id: int
    offence: str
    investigation_opened_on: datetime.date
    stage: str = Stage.INVESTIGATION
    indicted_on: datetime.date | None = None
    verdict_on: datetime.date | None = None
    sentenced_on: datetime.date | None = None
    appealed_on: datetime.date | None = None
    final_on: datetime.date | None = None
    outcome: Outcome | None = None


SENTENCE_FIELDS = ("custodial_months", "suspended", "fine_eur", "confiscation")


def _check_dates(values: dict, stage: str) -> None:
    """Dates not in the future, in the order of the stages, the stage's own date given; every
    date's mistake at once."""
    today = timezone.localdate()
    problems: dict[str, str] = {}
    previous = None
    for name in ORDER:
        day = values.get(STAGE_DATES[name])
        if day is None:
            continue
        if day > today:
            problems[STAGE_DATES[name]] = _("The date lies in the future.")
        elif previous is not None and day < previous:
            problems[STAGE_DATES[name]] = _("The date lies before the date of an earlier stage.")
        previous = day
    if values.get(STAGE_DATES[stage]) is None:
        problems[STAGE_DATES[stage]] = _("Give the date of this stage.")
    if problems:
        raise ValidationError(problems)


def _check_outcome(outcome: Outcome, stage: str, role: str | None) -> dict:
    """The fields the outcome sets, checked against the stage and the person's role (None: not
    known, the person's own error is reported); each field's first mistake, all at once."""
    values = {f.name: getattr(outcome, f.name) for f in fields(Outcome)}
    problems: dict[str, str] = {}
    if outcome.verdict and outcome.verdict not in Verdict.values:
        problems.setdefault("verdict", _("Unknown verdict."))
    if stage in AFTER_VERDICT and not outcome.verdict:
        problems.setdefault("verdict", _("Say what the court decided."))
    if stage in {Stage.INVESTIGATION, Stage.INDICTMENT} and outcome.verdict:
        problems.setdefault("verdict", _("There is no verdict before the court decides."))
    has_sentence = any(values[name] for name in SENTENCE_FIELDS)
    if has_sentence and outcome.verdict != Verdict.CONVICTED:
        problems.setdefault("verdict", _("Only a conviction carries a sentence."))
    if has_sentence and stage in {Stage.INVESTIGATION, Stage.INDICTMENT, Stage.VERDICT}:
        problems.setdefault("custodial_months", _("The sentence is recorded at the sentence "
                                                  "stage."))
    if stage == Stage.SENTENCE and not has_sentence:
        problems.setdefault("custodial_months", _("Give the sentence."))
    if values["custodial_months"] is not None and not 0 < values["custodial_months"] <= 1200:
        problems.setdefault("custodial_months", _("The number of months is out of range."))
    for name in ("fine_eur", "compensation_claimed_eur", "compensation_awarded_eur"):
        if values[name] is not None and values[name] < 0:
            problems[name] = _("The amount cannot be negative.")
    if outcome.non_punishment_invoked and role is not None and role not in VICTIM_ROLES:
        problems["non_punishment_invoked"] = _("Non-punishment concerns a victim charged with "
                                               "an offence.")
    if problems:
        raise ValidationError(problems)
    return values


def _role_in_case(case: Case, person: Person) -> str:
    roles = set(case.involvements.filter(person=person).values_list("role", flat=True))
    for wanted in (SUSPECT_ROLES, VICTIM_ROLES):
        found = roles & set(wanted)
        if found:
            return found.pop()
    raise ValidationError({"person_id": _("The person is neither a suspect nor a victim in "
                                          "this case.")})


def open_proceeding(actor, case: Case, data: ProceedingInput) -> Proceeding:
    """A proceeding against a suspect (or a victim charged, for non-punishment) of the case,
    opened at any stage with the dates of the stages it has passed (a register migrated)."""
    require(actor, CHANGE, case)
    require_capability(actor, WRITE_LOG)
    dates = {name: getattr(data, name) for name in STAGE_DATES.values()}
    with collect() as errors:
        person = Person.objects.restrict(actor, VIEW).filter(pk=data.person_id).first()
        role = None
        if person is None:
            errors.add({"person_id": _("No person you may see has this id.")})
        else:
            role = errors.check(_role_in_case, case, person)
        offence = Offence.objects.filter(jurisdiction_id=case.jurisdiction_id,
                                         code=data.offence).first()
        if offence is None:
            errors.add({"offence": _("The jurisdiction's catalogue has no such offence.")})
        if data.stage not in Stage.values:
            errors.add({"stage": _("Unknown stage.")})
        else:
            errors.check(_check_dates, dates, data.stage)
            outcome = errors.check(_check_outcome, data.outcome or Outcome(), data.stage, role)
    if data.stage == Stage.FINAL and not outcome["verdict"]:
        outcome["verdict"] = Verdict.DISMISSED  # ended without a verdict: discontinued
    try:
        with transaction.atomic():
            proceeding = Proceeding.objects.create(case=case, person=person, offence=offence,
                                                   stage=data.stage, created_by=actor,
                                                   **dates, **outcome)
            StageChange.objects.create(proceeding=proceeding, to_stage=data.stage,
                                       on=dates[STAGE_DATES[data.stage]],
                                       verdict=outcome["verdict"], changed_by=actor)
            record(actor, Action.CREATE, proceeding, details={
                "case": case.pk, "offence": offence.code, "stage": data.stage})
    except IntegrityError:
        raise ValidationError({"offence": _("The person already has a proceeding for this "
                                            "offence in this case.")}) from None
    return proceeding


def move_stage(actor, proceeding: Proceeding, to_stage: str, on: datetime.date,
               outcome: Outcome | None = None, *, from_stage: str | None = None) -> Proceeding:
    """Move the proceeding along the state machine; of two moves at once, one wins. A page
    names the stage it showed (`from_stage`): a move built on an older stage is refused."""
    require(actor, CHANGE, proceeding)
    if to_stage not in Stage.values:
        raise ValidationError({"stage": _("Unknown stage.")})
    outcome = outcome or Outcome()
    with transaction.atomic():
        locked = Proceeding.objects.select_for_update().get(pk=proceeding.pk)
        if locked.stage != (from_stage or proceeding.stage):
            raise ValidationError({"stage": _("The proceeding has moved on since; reload it.")})
        if to_stage not in STAGE_TRANSITIONS[Stage(locked.stage)]:
            raise ValidationError({"stage": _("A proceeding cannot go from %(old)s to %(new)s.")
                                   % {"old": locked.get_stage_display(),
                                      "new": Stage(to_stage).label}})
        field = STAGE_DATES[to_stage]
        if on > timezone.localdate():
            raise ValidationError({"on": _("The date lies in the future.")})
        # After an appeal a stage comes round again: the date follows the current stage's.
        if on < getattr(locked, STAGE_DATES[locked.stage]):
            raise ValidationError({"on": _("The date lies before the date of an earlier "
                                           "stage.")})
        role = _role_in_case(locked.case, locked.person)
        if not outcome.verdict and to_stage != Stage.VERDICT:
            outcome.verdict = locked.verdict  # a verdict stands until a new one is given
        if to_stage == Stage.FINAL and not outcome.verdict:
            outcome.verdict = Verdict.DISMISSED
        values = _check_outcome(outcome, to_stage, role)
        changed = {k: v for k, v in values.items()
                   if v not in (None, False, "") or k == "verdict"}
        if values["verdict"] != Verdict.CONVICTED:  # an acquittal on appeal ends the sentence
            changed.update(custodial_months=None, suspended=False, fine_eur=None,
                           confiscation=False)
        for name, value in {**changed, field: on}.items():
            setattr(locked, name, value)
        before, locked.stage = locked.stage, to_stage
        locked.save()
        StageChange.objects.create(proceeding=locked, from_stage=before, to_stage=to_stage, on=on,
                                   verdict=locked.verdict, changed_by=actor)
        record(actor, Action.UPDATE, locked, details={
            "case": locked.case_id, "stage": [before, to_stage], "verdict": locked.verdict})
    return locked


@dataclass
class OffenceInput:
    article: str
    title: str
    source: str
    checked: bool


def update_offence(actor, offence: Offence, data: OffenceInput, *,
                   version: int | tuple[int, ...] | None = None) -> Offence:
    """The coordinator corrects or confirms an entry; with `version` (API: If-Match; page: the
    form's hidden field) a change built from an older read is refused (StaleVersion) and
    nothing is written."""
    require_capability(actor, MAINTAIN_OFFENCES)
    require(actor, CHANGE, offence)
    check(offence, version)
    title, source = clean_text(data.title)[:200], clean_text(data.source)[:300]
    if not title:
        raise ValidationError({"title": _("Give the offence's title.")})
    if data.checked and not (source and clean_text(data.article)):
        raise ValidationError({"checked": _("A checked entry names its article and source.")})
    before = {"article": offence.article, "checked": offence.checked}
    with transaction.atomic():
        claim(offence, version)
        offence.article, offence.title = clean_text(data.article)[:40], title
        offence.source, offence.checked = source, data.checked
        offence.save()
        record(actor, Action.UPDATE, offence, details={
            "before": before, "after": {"article": offence.article, "checked": offence.checked}})
    return offence
