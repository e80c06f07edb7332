"""Best-interests assessments of child victims (CETS 197 Art. 10(4) and 16(7); UNHCR/UNICEF
Guidelines on Assessing and Determining the Best Interests of the Child, 2021): when, by whom,
whether a guardian was appointed and the child's views heard, the return-risk assessment and the
measures recommended. An assessment that records the guardian completes the guardian timer."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crossroads.access.policy import CHANGE, require, require_capability
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.versions import check, claim

from ..checks import collected_text
from ..choices import ChildMeasure, ReturnRisk, TimerKind
from ..models import BestInterestsAssessment, VictimFile
from ..rules import ASSESS_BEST_INTERESTS
from .timers import complete_by_decision

# A return is recommended only after a risk and security assessment found it safe enough
# (CETS 197 Art. 16(7)).
SAFE_RETURN = {ReturnRisk.LOW, ReturnRisk.MEDIUM}


@dataclass
class AssessmentInput:
    assessed_on: datetime.date | None
    assessor: str
    outcome: str
    guardian_appointed: bool = False
    guardian_appointed_on: datetime.date | None = None
    child_heard: bool = False
    child_views: str = ""
    return_risk: str = ReturnRisk.NOT_ASSESSED
    measures: list[str] = field(default_factory=list)


def _date_errors(errors: dict, data: AssessmentInput) -> None:
    today = timezone.localdate()
    if data.assessed_on is None:
        errors["assessed_on"] = _("Give the date of the assessment.")
    elif data.assessed_on > today:
        errors["assessed_on"] = _("This date is in the future.")
    if data.guardian_appointed and data.guardian_appointed_on is None:
        errors["guardian_appointed_on"] = _("Give the date the guardian was appointed.")
    elif not data.guardian_appointed and data.guardian_appointed_on is not None:
        errors["guardian_appointed_on"] = _("No guardian is recorded as appointed.")
    elif data.guardian_appointed_on and data.assessed_on and \
            data.guardian_appointed_on > data.assessed_on:
        errors["guardian_appointed_on"] = _("The guardian is appointed by the assessment's date.")


def _cleaned(file: VictimFile, data: AssessmentInput) -> dict:
    """The values to store, or a ValidationError naming every wrong field at once."""
    errors: dict[str, str] = {}
    if not file.presumed_child:
        errors["file"] = _("A best-interests assessment is for a child or presumed child.")
    _date_errors(errors, data)
    assessor = collected_text(errors, "assessor", data.assessor)
    if not assessor and "assessor" not in errors:
        errors["assessor"] = _("Name who assessed (name and profession).")
    views = collected_text(errors, "child_views", data.child_views)
    if data.child_heard and not views and "child_views" not in errors:
        errors["child_views"] = _("Record the views the child gave.")
    outcome = collected_text(errors, "outcome", data.outcome)
    if not outcome and "outcome" not in errors:
        errors["outcome"] = _("State the outcome of the assessment.")
    if data.return_risk not in ReturnRisk.values:
        errors["return_risk"] = _("Choose the return risk found.")
    unknown = sorted(set(data.measures) - set(ChildMeasure.values))
    if unknown:
        errors["measures"] = _("Unknown measures: %(codes)s.") % {"codes": ", ".join(unknown)}
    elif ChildMeasure.RETURN in data.measures and data.return_risk not in SAFE_RETURN:
        errors["measures"] = _("A return is recommended only after a risk assessment found "
                               "the risk low or medium (CETS 197 Art. 16(7)).")
    if errors:
        raise ValidationError(errors)
    return {"assessed_on": data.assessed_on, "assessor": assessor,
            "guardian_appointed": data.guardian_appointed,
            "guardian_appointed_on": data.guardian_appointed_on, "child_heard": data.child_heard,
            "child_views": views, "return_risk": data.return_risk,
            "measures": [m for m in ChildMeasure.values if m in data.measures], "outcome": outcome}


def _audited(assessment: BestInterestsAssessment) -> dict:
    """What the audit keeps: codes and dates, never the child's views or the assessor."""
    return {"file": assessment.file_id, "assessed_on": assessment.assessed_on.isoformat(),
            "guardian_appointed": assessment.guardian_appointed,
            "child_heard": assessment.child_heard, "return_risk": assessment.return_risk,
            "measures": assessment.measures}


def _complete_guardian_timer(actor, assessment: BestInterestsAssessment) -> None:
    if assessment.guardian_appointed:
        complete_by_decision(actor, assessment.file_id, TimerKind.GUARDIAN,
                             assessment.guardian_appointed_on,
                             _("Guardian appointed (best-interests assessment)."),
                             assessment=assessment.pk)


def check_assessment(actor, file: VictimFile, data: AssessmentInput,
                     assessment: BestInterestsAssessment | None = None) -> dict:
    """The input's mistakes, all at once (ValidationError), for whom may record the file's
    assessments (or change `assessment`); the values to store otherwise."""
    if assessment is None:
        require(actor, CHANGE, file)
        require_capability(actor, ASSESS_BEST_INTERESTS)
    else:
        require(actor, CHANGE, assessment)
    return _cleaned(file, data)


def record_assessment(actor, file: VictimFile, data: AssessmentInput) -> BestInterestsAssessment:
    values = check_assessment(actor, file, data)
    with transaction.atomic():
        assessment = BestInterestsAssessment.objects.create(
            file=file, agency_id=actor.agency_id, recorded_by=actor, **values)
        record(actor, Action.CREATE, assessment, details=_audited(assessment))
        _complete_guardian_timer(actor, assessment)
    return assessment


def update_assessment(actor, assessment: BestInterestsAssessment, data: AssessmentInput, *,
                      version: int | tuple[int, ...] | None = None) -> BestInterestsAssessment:
    """Correct an assessment; with `version`, one built from an older read is refused
    (StaleVersion) and nothing is written."""
    require(actor, CHANGE, assessment)
    check(assessment, version)
    values = _cleaned(assessment.file, data)
    with transaction.atomic():
        claim(assessment, version)
        for name, value in values.items():
            setattr(assessment, name, value)
        assessment.save()
        record(actor, Action.UPDATE, assessment, details=_audited(assessment))
        _complete_guardian_timer(actor, assessment)
    return assessment
