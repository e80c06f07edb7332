"""Seeds a node with a reproducible synthetic region: agencies, accounts, persons, cases.

Shares of forms of exploitation follow the figures the seed paper reports for the region
(sexual 49 %, forced begging 27 %, other forced labour 16.5 %, the rest other forms). Some
victims are recorded a second time, as another agency or country would write them; the pairs
are kept in `DuplicatePair` as ground truth for linkage.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.db import transaction

from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.registry.blind_index import search_keys_for
from crossroads.registry.choices import (
    CaseStatus,
    InvolvementRole,
    LabourSector,
    MeansOfControl,
    RecruiterRelation,
    SexualExploitationType,
    TrialOutcome,
    age_band,
)
from crossroads.registry.models import (
    Case,
    CaseStatusChange,
    ExploitationRecord,
    IdentityDocument,
    Involvement,
    Person,
    SearchKey,
)
from crossroads.registry.national_ids import generate_albanian_personal_number, generate_jmbg

from .accounts import create_accounts, create_agencies
from .assistance import seed_assistance
from .campaigns import seed_campaigns
from .models import DuplicatePair
from .monitor import seed_monitor
from .names import random_name, record_variant
from .oversight import seed_oversight
from .places import random_place
from .proceedings import seed_proceedings
from .releases import seed_releases
from .tips import seed_tips

YEARS = range(2018, 2025)
FORM_SHARES = [("sexual", 0.49), ("forced_begging", 0.27), ("forced_labour", 0.165),
               ("forced_criminality", 0.03), ("forced_marriage", 0.025),
               ("illegal_adoption", 0.005), ("surrogacy", 0.005), ("other", 0.01)]
LABOUR_SECTORS = [LabourSector.AGRICULTURE, LabourSector.CONSTRUCTION, LabourSector.HOSPITALITY,
                  LabourSector.DOMESTIC_WORK, LabourSector.MANUFACTURING]
STATUS_PATH = [CaseStatus.OPEN, CaseStatus.INVESTIGATION, CaseStatus.PROSECUTION,
               CaseStatus.TRIAL, CaseStatus.CLOSED]
TRIAL_OUTCOMES = ([TrialOutcome.CONVICTION] * 12 + [TrialOutcome.ACQUITTAL] * 5
                  + [TrialOutcome.DISMISSAL] * 3)
# Where a node's victims come from: mostly its own citizens, some from neighbours.
ORIGINS = {"AL": ["AL"] * 8 + ["XK", "MK"], "RS": ["RS"] * 7 + ["BA", "ME", "XK"],
           "BA": ["BA"] * 8 + ["RS", "ME"], "ME": ["ME"] * 7 + ["RS", "BA", "AL"],
           "MK": ["MK"] * 8 + ["AL", "XK"], "XK": ["XK"] * 8 + ["AL", "RS"]}
JMBG_REGIONS = {"RS": 71, "BA": 17, "ME": 21, "MK": 41, "XK": 91}


@dataclass
class Totals:
    persons: int = 0
    cases: int = 0
    duplicates: int = 0
    cross_border: int = 0
    logins: list = field(default_factory=list)


def _weighted(rng, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _birth(rng, opened: datetime.date, minor: bool, suspect: bool):
    age = rng.randint(25, 60) if suspect else (rng.randint(9, 17) if minor else rng.randint(18, 45))
    born = opened - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
    precision = rng.choices(["exact", "month", "year", "age"], weights=[70, 8, 12, 10])[0]
    if precision == "month":
        born = born.replace(day=1)
    elif precision in {"year", "age"}:
        born = born.replace(month=1, day=1)
    return born, precision


class Seeder:
    """Builds rows in memory and writes them in bulk; one audit entry per batch."""

    def __init__(self, seed: int, jurisdiction: str, agencies: dict):
        self.rng = random.Random(f"{seed}-{jurisdiction}")
        self.jurisdiction = jurisdiction
        self.agencies = agencies
        self.victims: list[tuple[Person, str]] = []  # for re-recording as duplicates

    def person(self, origin: str, sex: str, opened, *, minor=False, suspect=False, name=None):
        rng = self.rng
        name = name or random_name(rng, origin, sex)
        born, precision = _birth(rng, opened, minor, suspect)
        person = Person(jurisdiction_id=self.jurisdiction, given_names=name.given_name,
                        family_name=name.family_name, father_name=name.father_name, sex=sex,
                        birth_date=born if rng.random() > 0.05 else None, birth_precision=precision,
                        place_of_birth=random_place(rng, origin, name.script),
                        citizenships=[origin], created_by_agency=self.agencies["police"])
        person._name = name
        person._documents = self.documents(origin, born, sex, precision)
        return person

    def documents(self, origin, born, sex, precision):
        rng = self.rng
        if precision != "exact" or rng.random() < 0.4:
            return []
        if origin == "AL":
            return [("al_personal_number", generate_albanian_personal_number(rng, born, sex), "AL")]
        if origin in JMBG_REGIONS:
            return [("jmbg", generate_jmbg(rng, born, sex, JMBG_REGIONS[origin]), origin)]
        return [("passport", f"P{rng.randint(1000000, 9999999)}", origin)]

    def exploitation(self, case, person, opened):
        rng = self.rng
        form = _weighted(rng, FORM_SHARES)
        record_ = ExploitationRecord(case=case, person=person, year_of_registration=opened.year,
                                     citizenship=person.citizenships[0],
                                     country_of_recruitment=person.citizenships[0],
                                     country_of_exploitation=rng.choice(
                                         [self.jurisdiction] * 3 + ["XK", "ME", "MK", "DE", "IT"]),
                                     recruiter_relation=rng.choice(RecruiterRelation.values),
                                     means_of_control=sorted(rng.sample(MeansOfControl.values[:16],
                                                                        rng.randint(1, 4))))
        record_.forms = [form]
        if form == "forced_labour":
            record_.labour_sectors = [rng.choice(LABOUR_SECTORS).value]
        elif form == "forced_begging":
            record_.labour_sectors = [LabourSector.BEGGING.value]
        elif form == "sexual":
            record_.sexual_types = [rng.choice(SexualExploitationType.values[:2])]
        start = opened - datetime.timedelta(days=rng.randint(30, 700))
        record_.period_start, record_.period_end = start, opened
        if person.birth_date:
            age = (start - person.birth_date).days // 365
            record_.age_band, record_.is_minor = age_band(max(age, 0)), age < 18
        return record_

    def case(self, number: int, year: int):
        rng = self.rng
        opened = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
        owner = rng.choices(["police", "police", "police", "ngo", "shelter", "social_services"])[0]
        progress = min(len(STATUS_PATH) - 1, int((2025 - year) * rng.random() * 1.5))
        case = Case(reference=f"{self.jurisdiction}-{year}-{number:06d}",
                    jurisdiction_id=self.jurisdiction, owner_agency=self.agencies[owner],
                    opened_on=opened, status=STATUS_PATH[progress],
                    handling_code=rng.choices(["H0", "H1", "H2", "H3"], weights=[60, 20, 15, 5])[0])
        return case, opened, progress

    def build(self, cases: int):
        rng = self.rng
        rows = {"cases": [], "persons": [], "involvements": [], "records": [], "duplicates": []}
        for number in range(1, cases + 1):
            year = YEARS[min(len(YEARS) - 1, int(rng.random() * len(YEARS)))]
            case, opened, progress = self.case(number, year)
            case._progress = progress
            rows["cases"].append(case)
            for _ in range(rng.choices([1, 2, 3], weights=[70, 22, 8])[0]):
                victim = self.victim(opened, rows)
                rows["involvements"].append((victim, case, InvolvementRole.VICTIM))
                rows["records"].append((case, victim, opened))
            for _ in range(rng.choices([0, 1, 2], weights=[20, 45, 35])[0]):
                origin = rng.choice(ORIGINS[self.jurisdiction])
                suspect = self.person(origin, rng.choice("MMMF"), opened, suspect=True)
                rows["persons"].append(suspect)
                rows["involvements"].append((suspect, case, InvolvementRole.SUSPECT))
        return rows

    def victim(self, opened, rows):
        """A new victim, or now and then one already known, re-recorded with variations."""
        rng = self.rng
        if self.victims and rng.random() < 0.06:
            original, origin = rng.choice(self.victims)
            recorder = rng.choice([self.jurisdiction, self.jurisdiction, origin])
            variant = record_variant(rng, original._name, recorder, original.sex)
            twin = self.person(origin, original.sex, opened, name=variant)
            twin.birth_date, twin.birth_precision = original.birth_date, original.birth_precision
            twin.place_of_birth = original.place_of_birth
            twin._documents = original._documents if rng.random() < 0.3 else []
            rows["persons"].append(twin)
            rows["duplicates"].append((original, twin))
            return twin
        origin = rng.choice(ORIGINS[self.jurisdiction])
        person = self.person(origin, "F" if rng.random() < 0.72 else "M", opened,
                             minor=rng.random() < 0.25)
        rows["persons"].append(person)
        self.victims.append((person, origin))
        return person


@transaction.atomic
def write(seeder: Seeder, rows) -> Totals:
    persons = Person.objects.bulk_create(rows["persons"], batch_size=2000)
    IdentityDocument.objects.bulk_create(
        (IdentityDocument(person=p, doc_type=t, number=n, issuing_country=c)
         for p in persons for t, n, c in p._documents), batch_size=2000)
    SearchKey.objects.bulk_create(
        (key for p in persons for key in search_keys_for(p, (), [n for _t, n, _c in p._documents])),
        batch_size=5000)
    cases = Case.objects.bulk_create(rows["cases"], batch_size=2000)
    shelter = seeder.agencies["shelter"]
    Case.assigned_agencies.through.objects.bulk_create(
        (Case.assigned_agencies.through(case=c, agency=shelter) for c in cases
         if c.owner_agency.kind == "police" and seeder.rng.random() < 0.5), batch_size=2000)
    Involvement.objects.bulk_create(
        (Involvement(person=p, case=c, role=r) for p, c, r in rows["involvements"]),
        batch_size=2000, ignore_conflicts=True)
    ExploitationRecord.objects.bulk_create(
        (seeder.exploitation(c, p, opened) for c, p, opened in rows["records"]), batch_size=2000)
    DuplicatePair.objects.bulk_create(
        DuplicatePair(original=a, duplicate=b) for a, b in rows["duplicates"])
    return Totals(persons=len(persons), cases=len(cases), duplicates=len(rows["duplicates"]))


def status_history(cases, actor) -> dict:
    """Each case's history walks the status path up to where it stands; a case closed from
    trial ended, case by case, in a conviction (12 in 20), an acquittal (5) or a dismissal (3).
    Returns the outcome per case closed from trial."""
    changes = []
    for case in cases:
        for step in range(case._progress + 1):
            closes_trial = step and STATUS_PATH[step - 1] == CaseStatus.TRIAL
            changes.append(CaseStatusChange(
                case=case, from_status=STATUS_PATH[step - 1] if step else "",
                to_status=STATUS_PATH[step], changed_by=actor,
                outcome=TRIAL_OUTCOMES[case.pk % len(TRIAL_OUTCOMES)] if closes_trial else "",
                changed_at=datetime.datetime.combine(
                    case.opened_on + datetime.timedelta(days=30 * step), datetime.time(9),
                    tzinfo=datetime.UTC)))
    CaseStatusChange.objects.bulk_create(changes, batch_size=5000)
    return {c.case_id: c.outcome for c in changes if c.outcome}


def seed_jurisdiction(seed: int, jurisdiction: str, cases: int, extra=None) -> Totals:
    """`extra(seeder, rows)`, if given, adds rows before they are written (see region.py)."""
    agencies = create_agencies(jurisdiction)
    logins = create_accounts(random.Random(f"{seed}-accounts-{jurisdiction}"), jurisdiction,
                             agencies)
    seeder = Seeder(seed, jurisdiction, agencies)
    rows = seeder.build(cases)
    if extra:
        extra(seeder, rows)
    totals = write(seeder, rows)
    from crossroads.access.models import User

    investigator = User.objects.get(username=f"{jurisdiction.lower()}_investigator")
    outcomes = status_history(rows["cases"], investigator)
    seed_proceedings(seed, jurisdiction, rows["cases"], outcomes, investigator)
    seed_assistance(seed, jurisdiction, agencies)
    seed_tips(seed, jurisdiction)
    seed_oversight(jurisdiction)
    seed_monitor(jurisdiction)
    seed_campaigns(seed, jurisdiction)
    police_cases = [c for c in rows["cases"] if c.owner_agency.kind == "police"]
    Case.team.through.objects.bulk_create(
        Case.team.through(case=c, user=investigator) for c in police_cases[::3])
    record(investigator, Action.CREATE, object_type="demo.seed", jurisdiction=jurisdiction,
           details={"seed": seed, "persons": totals.persons, "cases": totals.cases})
    seed_releases(jurisdiction, seed)
    totals.logins = logins
    return totals
