"""A few synthetic insiders per jurisdiction, so that the oversight account meets alerts after
`make demo` (the demo command runs the first scan): the coordinator exports five thousand
records at once, the focal point opens break-glass three times in a week, the case worker opens
the page of a victim of a case their agency has nothing to do with, and the investigator reads
a suspect the case marks as a public official of the investigator's own police agency. The
entries are the ones those reads and exports write (crossroads.audit), made directly here.
After the scan, each jurisdiction's oversight account has opened one inquiry into the public
official's alert, issued findings and recommended something to the investigator's agency."""

import datetime

from django.utils import timezone

from crossroads.access.choices import Role
from crossroads.access.models import User
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.investigations.models import SuspectMarker
from crossroads.registry.choices import SUSPECT_ROLES, VICTIM_ROLES
from crossroads.registry.models import Case, Involvement


def seed_oversight(jurisdiction: str) -> int:
    """The insiders' entries; how many."""
    code = jurisdiction.lower()
    users = {u.username: u for u in User.objects.filter(username__startswith=f"{code}_")
             .select_related("agency")}
    coordinator, focal = users[f"{code}_coordinator"], users[f"{code}_focal_point"]
    worker, investigator = users[f"{code}_case_worker"], users[f"{code}_investigator"]
    made = 0
    record(coordinator, Action.EXPORT, object_type="registry.exploitationrecord",
           purpose="CTDC export", details={"layout": "ctdc", "rows": 5000, "file": "all.csv"})
    made += 1
    for day in range(3):
        record(focal, Action.CREATE, object_type="access.breakglassgrant",
               object_id=f"demo-{day}", details={"case": None, "demo": True})
        made += 1
    cases = Case.objects.filter(jurisdiction_id=jurisdiction)
    stranger = (Involvement.objects.filter(case__in=cases, role__in=VICTIM_ROLES)
                .exclude(case__owner_agency=worker.agency)
                .exclude(case__assigned_agencies=worker.agency).order_by("id").first())
    if stranger is not None:
        record(worker, Action.READ_IDENTITY, stranger.person, details={"via": "person page"})
        made += 1
    suspect = (Involvement.objects.filter(case__in=cases, role__in=SUSPECT_ROLES)
               .order_by("id").first())
    if suspect is not None:
        SuspectMarker.objects.update_or_create(involvement=suspect, defaults={
            "public_official": True, "official_agency": investigator.agency,
            "updated_by": investigator})
        record(investigator, Action.READ_IDENTITY, suspect.person,
               details={"via": "person page", "case": suspect.case_id})
        made += 1
    return made


def first_scan():
    from crossroads.oversight import services

    scan = services.scan()
    seed_inquiries()
    return scan


def seed_inquiries() -> int:
    """One inquiry per jurisdiction with an official-link alert: findings issued, one
    recommendation pending (through the services, as the oversight account)."""
    from crossroads.oversight import services
    from crossroads.oversight.models import Alert

    made = 0
    for alert in Alert.objects.filter(kind="official_link", agency_id__isnull=False,
                                      inquiries__isnull=True).order_by("id"):
        ombudsman = (User.objects.filter(role=Role.OVERSIGHT, is_active=True,
                                         agency__jurisdiction_id=alert.jurisdiction)
                     .exclude(pk=alert.actor_id).order_by("id").first())
        if ombudsman is None:
            continue
        inquiry = services.open_from_alerts(ombudsman, [alert.pk], "A suspect read by an "
                                            "officer of the suspect's own agency")
        services.move_inquiry(ombudsman, inquiry.pk, "investigating")
        services.write_findings(ombudsman, inquiry.pk, (
            "The officer read the record of a suspect who works for the same police agency, "
            "with no task in the case. The agency's access rules did not prevent it."))
        services.move_inquiry(ombudsman, inquiry.pk, "findings_issued")
        services.recommend(ombudsman, inquiry.pk, services.RecommendationInput(
            alert.agency_id, "Restrict the reading of suspects who are officers of the agency "
            "to the team of their case, and train the unit on need-to-know.",
            timezone.localdate() + datetime.timedelta(days=60)))
        made += 1
    return made
