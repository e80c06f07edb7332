"""The annual report: the CLI contract, what the public edition may contain, the internal
edition through the policy, six languages, and the PDF's text (pypdf)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from pypdf import PdfReader

from crossroads.access.choices import Role
from crossroads.monitor import services
from crossroads.statistics.choices import ReleaseKind, ReleaseStatus
from crossroads.statistics.models import Release

from .helpers import closed_cycle


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


@pytest.fixture
def released(db, settings, tmp_path):
    """An approved tables release of AL (synthetic counts, one suppressed cell)."""
    settings.CROSSROADS_RELEASE_DIR = str(tmp_path)
    folder = tmp_path / "AL-2024-1"
    folder.mkdir()
    (folder / "victims_by_year_and_sex.csv").write_text(
        "year,F,M,total\n2023,7,,9\n2024,12,5,17\ntotal,19,,26\n", encoding="utf-8")
    return Release.objects.create(
        kind=ReleaseKind.TABLES, status=ReleaseStatus.APPROVED, jurisdiction_id="AL",
        folder="AL-2024-1", threshold=3, manifest={"made_at": "2025-01-10T09:00:00",
                                                   "threshold": 3},
        decided_at=timezone.now())


def test_the_public_report_holds_released_tables_and_the_closed_cycle_only(
        world, catalogue, released, tmp_path, capsys):
    closed_cycle(world, 2024)
    services.open_cycle(world.user(Role.COORDINATOR), year=2025, title="Draft 2025")
    out = tmp_path / "report.pdf"
    call_command("report", "annual", "--jurisdiction", "AL", "--year", "2024",
                 "--language", "en", "--out", str(out))
    assert "public edition" in capsys.readouterr().out
    text = pdf_text(out)
    for heading in ("Statistics under disclosure control", "The criminal-justice funnel",
                    "Legal assessment", "Recommendations", "Consultation", "Sources"):
        assert heading in text
    assert "Public edition" in text
    assert "Release AL-2024-1 of AL, approved" in text
    assert "Criminal Code 110" in text and "Train judges" in text
    assert "Courts still ask about consent." in text and "Taken up" in text
    assert "https://www.state.gov/reports/" in text or "ecoi.net" in text   # TIP sources
    assert "Suspects by stage" not in text        # live figures: internal only
    # the draft cycle of 2025 is not published
    draft = tmp_path / "draft.html"
    call_command("report", "annual", "--jurisdiction", "AL", "--year", "2025",
                 "--language", "en", "--out", str(draft))
    html = draft.read_text(encoding="utf-8")
    assert "Draft 2025" not in html and "No review cycle of this year can be shown." in html


def test_with_a_user_the_report_adds_their_internal_view(world, catalogue, tmp_path, capsys):
    services.open_cycle(world.user(Role.COORDINATOR), year=2025, title="Draft 2025")
    out = tmp_path / "internal.html"
    call_command("report", "annual", "--jurisdiction", "AL", "--year", "2025", "--language",
                 "en", "--out", str(out), "--user", "al_coordinator")
    html = out.read_text(encoding="utf-8")
    assert "Internal edition" in html and "Draft 2025" in html
    assert "Suspects by stage of the proceedings" in html
    with pytest.raises(CommandError, match="refused"):
        call_command("report", "annual", "--jurisdiction", "RS", "--year", "2025",
                     "--language", "en", "--out", str(out), "--user", "al_coordinator")
    with pytest.raises(CommandError, match="no active user"):
        call_command("report", "annual", "--jurisdiction", "AL", "--year", "2025",
                     "--language", "en", "--out", str(out), "--user", "nobody")


@pytest.mark.parametrize("language,heading", [
    ("sq", "Statistika"), ("sr-latn", "Preporuke"), ("sr-cyrl", "Препоруке"),
    ("mk", "Препораки"), ("bs", "Preporuke"), ("en", "Recommendations")])
def test_the_report_is_in_the_readers_language(world, catalogue, tmp_path, language, heading):
    closed_cycle(world, 2024)
    out = tmp_path / "r.pdf"
    call_command("report", "annual", "--jurisdiction", "AL", "--year", "2024",
                 "--language", language, "--out", str(out), stdout=io.StringIO())
    assert heading in pdf_text(out)


def test_bad_options_are_refused(db, tmp_path):
    with pytest.raises(CommandError, match="--jurisdiction"):
        call_command("report", "annual", "--jurisdiction", "ZZ", "--year", "2024",
                     "--language", "en", "--out", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError):
        call_command("report", "annual", "--jurisdiction", "AL", "--year", "2024",
                     "--language", "de", "--out", str(tmp_path / "x.pdf"))


def test_seed_figures_still_answers(db, capsys):
    call_command("report", "seed-figures")
    assert capsys.readouterr().out.strip()


def test_the_page_download_is_the_coordinators_view(world, catalogue):
    cycle = services.open_cycle(world.user(Role.COORDINATOR), year=2025, title="Draft 2025")
    answer = world.client(Role.COORDINATOR).get(
        f"/monitor/cycles/{cycle.pk}/report/?language=sr-cyrl&format=pdf")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.content)).pages)
    assert "Draft 2025" in text and "Препоруке" in text


def _agreements_and_funding(world):
    import datetime
    from decimal import Decimal

    from crossroads.assistance.models import Shelter

    coordinator = world.user(Role.COORDINATOR)
    services.record_agreement(coordinator, services.AgreementInput(
        title="AL–RS protocol on joint investigations", kind="bilateral",
        scope=["joint_investigations"], status="expired", signed_on=datetime.date(2024, 3, 1),
        in_force_on=datetime.date(2024, 4, 1), expires_on=datetime.date(2025, 3, 31),
        parties=[services.PartyInput("AL"), services.PartyInput("RS")]))
    services.record_agreement(coordinator, services.AgreementInput(
        title="Draft MoU with MK", kind="mou", scope=["data_exchange"],
        parties=[services.PartyInput("AL"), services.PartyInput("MK")]))
    shelter = Shelter.objects.create(agency=world.agencies[("AL", "shelter")], name="Hope House",
                                     capacity=8)
    services.record_funding(coordinator, services.FundingInput(
        year=2024, source="eu_ipa", recipient_kind="shelter", shelter=shelter.pk,
        allocated=Decimal("24000"), spent=Decimal("20000"), needed=Decimal("30000"),
        evidence="IPA contract 2024/77"))
    services.record_funding(coordinator, services.FundingInput(
        year=2024, source="donor", donor="Synthetic Foundation", recipient_kind="programme",
        recipient="Reintegration programme", allocated=Decimal("5000"), spent=Decimal("5000"),
        evidence="Grant SF-24"))


def test_the_report_has_the_agreements_and_the_funding_with_their_sources(
        world, catalogue, tmp_path):
    _agreements_and_funding(world)
    out = tmp_path / "report.pdf"
    call_command("report", "annual", "--jurisdiction", "AL", "--year", "2024", "--language",
                 "en", "--out", str(out), stdout=io.StringIO())
    text = " ".join(pdf_text(out).split())
    assert "7. Agreements" in text and "8. Funding" in text and "9. Sources" in text
    assert "1 agreements in force on 2024-12-31; 1 signed this year; 1 expiring" in text
    assert "AL–RS protocol on joint investigations" in text and "Draft MoU" not in text
    assert "the coordinator's agreements register, last updated" in text
    assert "EU IPA" in text and "Donor: Synthetic Foundation" in text
    assert "Reintegration programme" in text and "IPA contract 2024/77" in text
    # gaps: needed − allocated 6000, allocated − spent 4000; per place 20000 / 8 places
    assert "6000.00 EUR" in text and "4000.00 EUR" in text and "2500.00 EUR" in text
    assert "Shelters' running costs against capacity" in text and "Gaps" in text
    serbian = tmp_path / "sr.pdf"
    call_command("report", "annual", "--jurisdiction", "AL", "--year", "2024", "--language",
                 "sr-cyrl", "--out", str(serbian), stdout=io.StringIO())
    text = pdf_text(serbian)
    assert "Споразуми" in text and "Финансирање" in text
