"""Demo proceedings: each suspect of a case that went past opening gets a proceeding for
trafficking in persons that stands where the case stands (investigation, indictment, at trial)
and, for a case closed from trial, the court's decision: a conviction with a sentence (most
final, some on appeal), an acquittal or a dismissal. Some suspects are charged with
organised-crime membership too, so the per-suspect counts differ from the per-charge ones.
Written in bulk, with one audit entry per jurisdiction."""

import datetime
import random

from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.investigations.choices import Stage, Verdict
from crossroads.investigations.models import Offence, Proceeding, StageChange
from crossroads.registry.choices import InvolvementRole, TrialOutcome
from crossroads.registry.models import Involvement

VERDICTS = {TrialOutcome.CONVICTION: Verdict.CONVICTED, TrialOutcome.ACQUITTAL: Verdict.ACQUITTED,
            TrialOutcome.DISMISSAL: Verdict.DISMISSED}
MONTHS = [18, 24, 36, 48, 60, 72, 96, 120, 144]


def _path(case, outcome: str, rng) -> list[tuple[str, int]]:
    """(stage, days after opening) of one proceeding, from the case's progress."""
    progress = case._progress
    if progress < 1:
        return []
    path = [(Stage.INVESTIGATION, 30)]
    if progress >= 2:
        path.append((Stage.INDICTMENT, 60))
    if progress == 4 and outcome:
        path.append((Stage.VERDICT, 120))
        if outcome == TrialOutcome.CONVICTION:
            path.append((Stage.SENTENCE, 130))
            if rng.random() < 0.2:
                path.append((Stage.APPEAL, 160))
                return path
        path.append((Stage.FINAL, 200))
    return path


def seed_proceedings(seed: int, jurisdiction: str, cases, outcomes: dict, actor) -> int:
    """`outcomes`: case id -> the trial outcome its status history records (if any)."""
    rng = random.Random(f"{seed}-proceedings-{jurisdiction}")
    offences = {o.code: o for o in Offence.objects.filter(jurisdiction_id=jurisdiction)}
    by_case = {c.pk: c for c in cases if c._progress >= 1}
    suspects = Involvement.objects.filter(case_id__in=by_case, role=InvolvementRole.SUSPECT)
    proceedings, paths = [], []
    for involvement in suspects.order_by("id"):
        case = by_case[involvement.case_id]
        path = _path(case, outcomes.get(case.pk, ""), rng)
        charges = ["thb"] + (["organised_crime"] if rng.random() < 0.3 else [])
        for code in charges:
            if code not in offences:
                continue
            dates = {stage: case.opened_on + datetime.timedelta(days=days) for stage, days in path}
            verdict = VERDICTS.get(outcomes.get(case.pk, "")) if Stage.VERDICT in dates else ""
            convicted = verdict == Verdict.CONVICTED
            proceedings.append(Proceeding(
                case=case, person_id=involvement.person_id, offence=offences[code],
                stage=path[-1][0], verdict=verdict or "", created_by=actor,
                investigation_opened_on=dates[Stage.INVESTIGATION],
                indicted_on=dates.get(Stage.INDICTMENT), verdict_on=dates.get(Stage.VERDICT),
                sentenced_on=dates.get(Stage.SENTENCE), appealed_on=dates.get(Stage.APPEAL),
                final_on=dates.get(Stage.FINAL),
                custodial_months=rng.choice(MONTHS) if convicted else None,
                suspended=convicted and rng.random() < 0.1, confiscation=convicted and rng.random() < 0.4,
                compensation_claimed_eur=rng.choice([None, 5000, 10000, 20000]) if convicted else None))
            paths.append([(stage, dates[stage], verdict if stage != Stage.INVESTIGATION
                           and stage != Stage.INDICTMENT else "") for stage, _d in path])
    created = Proceeding.objects.bulk_create(proceedings, batch_size=2000)
    StageChange.objects.bulk_create(
        (StageChange(proceeding=p, from_stage=path[i - 1][0] if i else "", to_stage=stage, on=on,
                     verdict=verdict, changed_by=actor)
         for p, path in zip(created, paths, strict=True) for i, (stage, on, verdict) in enumerate(path)),
        batch_size=5000)
    record(actor, Action.CREATE, object_type="demo.proceedings", jurisdiction=jurisdiction,
           details={"seed": seed, "proceedings": len(created)})
    return len(created)
