"""Issue 21, point 3: a synthetic-microdata release shows its fidelity before approval (its
marginals beside the real ones and a plain verdict), is refused with the reason below the
fidelity floor, and the demo's settings give a useful release."""

import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from crossroads.access.models import User
from crossroads.statistics.choices import COLUMN_LABELS
from crossroads.statistics.models import PrivacyLedgerEntry, Release, ReleaseStatus
from tests.conftest import login


@pytest.fixture
def node(db, tmp_path, settings):
    settings.CROSSROADS_PRIVACY_BUDGET = "10"
    settings.CROSSROADS_RELEASE_DIR = str(tmp_path / "out")
    call_command("demo", seed=8, cases=400, jurisdictions="AL", logins=str(tmp_path / "l.json"),
                 stdout=io.StringIO())
    return tmp_path


def test_the_demo_release_is_faithful_and_its_fidelity_is_shown_before_approval(node):
    demo = Release.objects.get(kind="synthetic")
    assert demo.status == ReleaseStatus.PREPARED
    assert demo.fidelity["score"] >= 0.8 and demo.fidelity_verdict in {"close", "usable"}
    sex = next(c for c in demo.fidelity["columns"] if c["column"] == "sex")
    other = [real_and_release for value, *real_and_release in sex["values"] if value == "X"]
    # No 43 % "Other" the data do not hold (the bug this guards against). The release is noisy
    # (fresh randomness each run): a tenth of the rows in an empty cell has been seen (0.108).
    assert not other or other[0][1] < 0.2
    manifest = json.loads((Path(demo.folder) / "manifest.json").read_text())
    assert "fidelity" not in manifest              # the real shares never leave the node
    reviewer = login(Client(), User.objects.get(username="al_coordinator_2"))
    page = reviewer.get("/releases/").content.decode()
    assert "Fidelity to the real records" in page and "Real records" in page
    assert ("Close to the real records" in page) or ("Usable with care" in page)
    assert "Female" in page and "ε</dt><dd>3</dd>" in page
    assert "Victims by year and form" in page and "<dd>victims_by_year_and_form" not in page


def test_a_release_below_the_floor_is_refused_with_the_reason_and_spends_nothing(node):
    spent = sum(e.epsilon for e in PrivacyLedgerEntry.objects.all())
    with pytest.raises(CommandError, match="too far from the real records") as refused:
        call_command("release", "synthetic", "--user", "al_coordinator", "--epsilon", "0.5",
                     stdout=io.StringIO())
    # The column that failed is named. At ε = 0.5 over all 16 columns the noise (scale 120 on
    # counts of a few hundred) can ruin any of them, so which one is the worst is chance.
    named = re.search(r"use: (.+?) differs from the real distribution by (\d+) %",
                      str(refused.value))
    assert named and named[1] in {str(label) for label in COLUMN_LABELS.values()}
    assert int(named[2]) > 20
    latest = Release.objects.order_by("-pk").first()
    assert latest.status == ReleaseStatus.REFUSED and "floor" in latest.error
    assert sum(e.epsilon for e in PrivacyLedgerEntry.objects.all()) == spent
    assert not latest.folder and not latest.files
