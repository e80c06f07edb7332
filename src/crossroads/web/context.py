"""Navigation entries shown to each role (the policy decides; the template only lists)."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from crossroads.access.policy import may

NAVIGATION = [
    ("home", _("Home"), None),
    ("case-list", _("Cases"), "view_cases"),
    ("register-victim", _("Register a victim"), "register_victim"),
    ("person-search", _("Find a person"), "search_persons"),
    ("duplicates", _("Possible duplicates"), ("review_duplicates", "rerun_dedupe")),
    ("imports", _("Import a register"), ("import_cases", "import_for_agency")),
    ("network-corridors", _("Trafficking routes"), "work_networks"),
    ("audit-log", _("Audit log"), "view_audit"),
    ("oversight-alerts", _("Access alerts"), "oversee"),
    ("break-glass", _("Break-glass access"), "break_glass"),
    ("account-list", _("Accounts"), "manage_accounts"),
    ("approval-list", _("Pending approvals"), "manage_accounts"),
    ("agency-list", _("Agencies"), "manage_accounts"),
    ("tips-queue", _("Reports from the public"), "triage_reports"),
    ("hotline-call", _("Enter a hotline call"), "enter_hotline_call"),
    ("hotline-calls", _("My calls"), "enter_hotline_call"),
    ("referral-list", _("Referrals"), "view_referrals"),
    ("shelter-capacity", _("Shelter capacity"), "view_shelter_capacity"),
    ("our-shelters", _("Our shelters"), "manage_shelters"),
    ("timers-overview", _("Protection timers"), "oversee_timers"),
    ("statistics", _("Statistics"), "view_statistics"),
    ("releases", _("Releases"), "prepare_release"),
    ("release-catalogue", _("Release catalogue"), "view_releases"),
    ("campaigns", _("Awareness campaigns"), "keep_campaigns"),
    ("investigations-offences", _("Offence catalogue"), "maintain_offences"),
    ("exchange-hits", _("Cross-border hits"), "exchange"),
    ("exchange-requests", _("Cross-border requests"), "exchange"),
    ("regional", _("Regional statistics"), "view_regional_statistics"),
    ("monitor-obligations", _("Obligation catalogue"), "read_obligations"),
    ("monitor-cycles", _("Legal reviews"), "read_reviews"),
    ("monitor-training", _("Training"), "manage_reviews"),
    ("monitor-agreements", _("Agreements"), "read_agreements"),
    ("monitor-funding", _("Funding"), "read_funding"),
]


def navigation(request):
    languages = [(code, settings.LANGUAGE_ENDONYMS.get(code, name)) for code, name in settings.LANGUAGES]
    return {"languages": languages, **_menu(request)}


def _menu(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {"navigation": []}
    current = request.resolver_match.url_name if request.resolver_match else ""
    items = [{"url": reverse(name), "label": label, "current": name == current}
             for name, label, capability in NAVIGATION
             if capability is None or any(may(user, c) for c in (
                 (capability,) if isinstance(capability, str) else capability))]
    return {"navigation": items}
