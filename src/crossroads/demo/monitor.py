"""The demo's legal monitor: the shipped obligation catalogue, and a closed review cycle of the
previous year per jurisdiction (a few synthetic assessments and a recommendation), so that a
coordinator can start this year's cycle from it; a few synthetic agreements (one of them in
force with the other demo jurisdiction, for formal requests to cite) and funding lines of this
year and the previous one."""

import datetime
from decimal import Decimal

from django.utils import timezone

from crossroads.access.models import User
from crossroads.assistance.models import Shelter
from crossroads.monitor import services
from crossroads.monitor.models import Agreement, Obligation

ASSESSED = {
    "palermo-3-b": ("aligned", "Criminal Code", "110/3", "high"),
    "palermo-3-c": ("aligned", "Criminal Code", "110/4", "medium"),
    "cets197-13-1": ("partly", "Law on Foreigners", "65", "medium"),
}


def seed_monitor(jurisdiction: str) -> None:
    if not Obligation.objects.exists():
        services.load_catalogue()
    coordinator = User.objects.get(username=f"{jurisdiction.lower()}_coordinator")
    year = timezone.localdate().year - 1
    cycle = services.open_cycle(coordinator, year=year, title=f"Legal review {year}")
    for key, (status, law, article, confidence) in ASSESSED.items():
        item = cycle.assessments.filter(obligation__key=key).first()
        if item is not None:
            services.assess(coordinator, item, services.AssessmentInput(
                status=status, law=law, law_article=article,
                in_force_on=datetime.date(2016, 1, 1), evidence="Synthetic demo assessment.",
                confidence=confidence))
    services.recommend(coordinator, cycle, services.RecommendationInput(
        text="Grant presumed victims a reflection period of at least 30 days in law.",
        addressee="Ministry of Interior", deadline=datetime.date(year + 2, 6, 30),
        obligation="cets197-13-1"))
    services.close_cycle(coordinator, cycle)
    seed_agreements(coordinator, year)
    seed_funding(coordinator, year)


# The other demo jurisdiction each bilateral agreement is with (the demo node hosts AL and RS;
# a region's node of another jurisdiction takes AL).
PARTNER = {"AL": "RS", "RS": "AL"}


def _other(code: str, wanted: str) -> str:
    """`wanted`, unless it is the jurisdiction itself (a party is never given twice)."""
    return wanted if wanted != code else "AL"


def seed_agreements(coordinator, year: int) -> None:
    code = coordinator.jurisdiction_id
    partner = PARTNER.get(code, "AL")
    draft_partner = _other(code, "MK")
    agreements = [
        services.AgreementInput(
            title=f"Protocol {code}–{partner} on joint investigations and data exchange "
                  "(synthetic)", kind="bilateral",
            scope=["joint_investigations", "data_exchange"], status="in_force",
            signed_on=datetime.date(year - 3, 3, 14), in_force_on=datetime.date(year - 3, 6, 1),
            expires_on=datetime.date(year + 2, 5, 31),
            parties=[services.PartyInput(code, "Ministry of Interior"),
                     services.PartyInput(partner, "Ministry of Interior")],
            documents=[services.DocumentInput("Text of the protocol",
                                              f"Official gazette {year - 3}/{41 + len(code)}")],
            notes="Synthetic demo agreement."),
        services.AgreementInput(
            title="Regional memorandum on the safe return of victims (synthetic)", kind="mou",
            scope=["victim_return", "other"], scope_other="Referral between shelters",
            status="signed", signed_on=datetime.date(year, 10, 2),
            parties=[services.PartyInput(c) for c in ("AL", "BA", "XK", "ME", "MK", "RS")],
            documents=[services.DocumentInput("Signed memorandum", f"REG-MoU-{year}")]),
        services.AgreementInput(
            title=f"MoU {code}–{draft_partner} on labour inspection (draft, synthetic)",
            kind="mou", scope=["data_exchange"], status="draft",
            parties=[services.PartyInput(code), services.PartyInput(draft_partner)]),
    ]
    for data in agreements:
        if not Agreement.objects.filter(title=data.title).exists():  # the regional one: once
            services.record_agreement(coordinator, data)


def seed_funding(coordinator, year: int) -> None:
    shelter = Shelter.objects.filter(agency__jurisdiction_id=coordinator.jurisdiction_id,
                                     active=True).order_by("id").first()
    for y in (year, year + 1):
        lines = [
            services.FundingInput(
                year=y, source="eu_ipa", recipient_kind="programme",
                recipient="Victim reintegration programme", allocated=Decimal("120000"),
                spent=Decimal("96500") if y == year else Decimal("31000"),
                needed=Decimal("150000"), evidence=f"IPA contract {y}/417 (synthetic)"),
            services.FundingInput(
                year=y, source="donor", donor="Synthetic Foundation for Human Rights",
                recipient_kind="ngo", recipient="Hotline NGO (synthetic)",
                allocated=Decimal("35000"), spent=Decimal("35000") if y == year else
                Decimal("12000"), evidence=f"Grant agreement SF-{y}-9 (synthetic)"),
        ]
        if shelter is not None:
            lines.append(services.FundingInput(
                year=y, source="national_budget", recipient_kind="shelter", shelter=shelter.pk,
                allocated=Decimal("84000"), spent=Decimal("81250") if y == year else
                Decimal("40000"), needed=Decimal("96000"),
                evidence=f"State budget law {y}, social protection line (synthetic)"))
        for data in lines:
            services.record_funding(coordinator, data)
