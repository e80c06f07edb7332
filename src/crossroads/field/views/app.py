"""The offline app: one page (the shell the service worker keeps), its manifest and its
service worker. The shell holds no personal value: it is the same for every worker of a
language, so the copy the device keeps reveals nothing."""

import hashlib
import json

from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from crossroads.access.policy import require_capability
from crossroads.assistance.choices import ContactMode, IndicatorGroup, indicators_for
from crossroads.countries import choices as country_choices
from crossroads.pages import page_view
from crossroads.registry.choices import DatePrecision, ExploitationForm, HandlingCode, Sex
from crossroads.tips.choices import Affected, Occurred, Urgency
from crossroads.tips.places import grouped_choices as municipalities

from ..rules import FIELD_CAPTURE

SHELL_STATIC = ("web/crossroads.css", "field/field.css", "field/field.js", "web/favicon.svg")


def _grouped(child: bool) -> list[tuple[str, list]]:
    found = indicators_for(child)
    return [(group.label, [i for i in found if i.group == group.value]) for group in IndicatorGroup
            if any(i.group == group.value for i in found)]


@require_GET
@page_view
def field_app(request):
    require_capability(request.user, FIELD_CAPTURE)
    return render(request, "field/app.html", {
        "adult_indicators": _grouped(False), "child_indicators": _grouped(True),
        "sexes": Sex.choices, "precisions": DatePrecision.choices,
        "forms": ExploitationForm.choices, "handling_codes": HandlingCode.choices,
        "countries": country_choices(), "contact_modes": ContactMode.choices,
        "municipalities": municipalities(), "occurred": Occurred.choices,
        "affected": Affected.choices, "urgencies": Urgency.choices})


@require_GET
def manifest(request):
    """Public: it names the app and nothing of anyone."""
    data = {"name": "Crossroads field", "short_name": "Field",
            "description": _("Screening and registration where there is no network."),
            "start_url": reverse("field-app"), "scope": reverse("field-app"),
            "display": "standalone", "background_color": "#ffffff", "theme_color": "#1d3557",
            "icons": [{"src": static("web/favicon.svg"), "sizes": "any",
                       "type": "image/svg+xml"}]}
    return JsonResponse(data, content_type="application/manifest+json")


def _version() -> str:
    digest = hashlib.sha256()
    for name in SHELL_STATIC:
        path = finders.find(name)
        if path:
            with open(path, "rb") as handle:
                digest.update(handle.read())
    with open(finders.find("field/sw.js"), "rb") as handle:
        digest.update(handle.read())
    return digest.hexdigest()[:16]


@require_GET
def service_worker(request):
    """The service worker, under /field/ so that its scope is the app; public like any script.
    Its first line names the shell to keep and its version (a changed asset makes a new cache)."""
    shell = [reverse("field-app"), *(static(name) for name in SHELL_STATIC)]
    with open(finders.find("field/sw.js"), encoding="utf-8") as handle:
        body = handle.read()
    head = f"const SHELL = {json.dumps(shell)};\nconst VERSION = {json.dumps(_version())};\n"
    response = HttpResponse(head + body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("field-app")
    response["Cache-Control"] = "no-cache"
    return response
