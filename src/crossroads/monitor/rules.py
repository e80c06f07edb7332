"""Access rules of the monitor. The catalogue is reference data of the node: coordinators and
analysts read it, coordinators correct it. A jurisdiction's review cycles, assessments and
recommendations are its coordinators' to write; the staff of its agencies (the consultation:
NGOs, shelters, police, prosecution...) read the cycles open for comments and the closed ones
and comment while the window is open; analysts read closed cycles. A comment is seen by the
coordinators of its jurisdiction and by its author; closed cycles' comments and answers are
published in the annual report."""

from django.db.models import Q

from crossroads.access.actions import NOTHING, VIEW, prefixed
from crossroads.access.choices import Role
from crossroads.access.rulebook import capability, rule

from .choices import CycleStatus

CONSULTED_ROLES = {Role.CASE_WORKER, Role.INVESTIGATOR, Role.PROSECUTOR, Role.FOCAL_POINT,
                   Role.HOTLINE_OPERATOR}

READ_CATALOGUE = capability("read_obligations", {Role.COORDINATOR, Role.ANALYST},
                            "coordinators and analysts: the obligation catalogue")
MANAGE_REVIEWS = capability("manage_reviews", {Role.COORDINATOR},
                            "coordinators: review cycles, assessments, answers to comments, "
                            "recommendations and the catalogue's corrections")
COMMENT = capability("comment_on_reviews", CONSULTED_ROLES,
                     "staff of the jurisdiction's agencies (case workers, investigators, "
                     "prosecutors, focal points, hotline operators): comment on assessments "
                     "of a cycle open for comments")
READ_REVIEWS = capability("read_reviews", {Role.COORDINATOR, Role.ANALYST, *CONSULTED_ROLES},
                          "coordinators, analysts and the consulted staff: the review pages")


@rule("monitor.obligation", view="coordinators and analysts", change="coordinators")
def obligation_rule(user, action):
    if user.role == Role.COORDINATOR:
        return Q()
    if user.role == Role.ANALYST and action == VIEW:
        return Q()
    return NOTHING


@rule("monitor.obligationrevision", view="coordinators and analysts", change="nobody")
def revision_rule(user, action):
    return obligation_rule(user, action) if action == VIEW else NOTHING


def cycle_q(user, action, prefix: str = "") -> Q:
    if user.role == Role.COORDINATOR:
        return Q(**{f"{prefix}jurisdiction_id": user.jurisdiction_id})
    if action != VIEW:
        return NOTHING
    if user.role == Role.ANALYST:
        return Q(**{f"{prefix}status": CycleStatus.CLOSED})
    if user.role in CONSULTED_ROLES:
        return Q(**{f"{prefix}jurisdiction_id": user.jurisdiction_id,
                    f"{prefix}status__in": [CycleStatus.CONSULTATION, CycleStatus.CLOSED]})
    return NOTHING


@rule("monitor.reviewcycle",
      view="coordinators of its jurisdiction; its agencies' staff once open for comments; "
           "analysts once closed", change="coordinators of its jurisdiction")
def cycle_rule(user, action):
    return cycle_q(user, action)


@rule("monitor.assessment", view="as its cycle", change="as its cycle")
def assessment_rule(user, action):
    return cycle_q(user, action, "cycle__")


@rule("monitor.comment", view="coordinators of its jurisdiction; its author",
      change="coordinators of its jurisdiction (the answer)")
def comment_rule(user, action):
    if user.role == Role.COORDINATOR:
        return Q(assessment__cycle__jurisdiction_id=user.jurisdiction_id)
    if action == VIEW:
        return Q(author_id=user.pk)
    return NOTHING


@rule("monitor.recommendation", view="as the cycle it was issued in",
      change="coordinators of its jurisdiction")
def recommendation_rule(user, action):
    if user.role == Role.COORDINATOR:
        return Q(jurisdiction_id=user.jurisdiction_id)
    return cycle_q(user, action, "issued_in__")


@rule("monitor.followup", view="as its cycle", change="as its cycle")
def follow_up_rule(user, action):
    return cycle_q(user, action, "cycle__")


@rule("monitor.trainingsession", view="coordinators and analysts of its jurisdiction",
      change="coordinators of its jurisdiction")
def training_rule(user, action):
    if user.role == Role.COORDINATOR or (user.role == Role.ANALYST and action == VIEW):
        return Q(jurisdiction_id=user.jurisdiction_id)
    return NOTHING


@rule("monitor.attendance", view="as its session", change="as its session")
def attendance_rule(user, action):
    return prefixed(training_rule(user, action), "session__")


@rule("monitor.scorecardpublication", view="coordinators and analysts of its jurisdiction",
      change="coordinators of its jurisdiction")
def scorecard_publication_rule(user, action):
    return training_rule(user, action)  # the same people: the jurisdiction's own


# The agreements register and the funding lines: coordinators keep their jurisdiction's; the
# monitor's readers read them (agreements: also the consulted staff, whose focal points cite
# an agreement in a formal request; funding: coordinators and analysts).
MANAGE_REGISTERS = capability("manage_agreements_and_funding", {Role.COORDINATOR},
                              "coordinators: their jurisdiction's agreements register and "
                              "funding lines")
READ_AGREEMENTS = capability("read_agreements", {Role.COORDINATOR, Role.ANALYST,
                                                 *CONSULTED_ROLES},
                             "coordinators, analysts and the consulted staff: the agreements "
                             "register of their jurisdiction")
READ_FUNDING = capability("read_funding", {Role.COORDINATOR, Role.ANALYST},
                          "coordinators and analysts: the funding lines of their jurisdiction")
AGREEMENT_READERS = {Role.COORDINATOR, Role.ANALYST, *CONSULTED_ROLES}


def agreement_q(user, action) -> Q:
    if action == VIEW and user.role in AGREEMENT_READERS:
        from .models import AgreementParty

        party_of = AgreementParty.objects.filter(country=user.jurisdiction_id).values(
            "agreement_id")
        return Q(jurisdiction_id=user.jurisdiction_id) | Q(pk__in=party_of)
    if user.role == Role.COORDINATOR:
        return Q(jurisdiction_id=user.jurisdiction_id)
    return NOTHING


@rule("monitor.agreement",
      view="coordinators, analysts and consulted staff of its jurisdiction or of a party",
      change="coordinators of the jurisdiction that recorded it")
def agreement_rule(user, action):
    return agreement_q(user, action)


@rule("monitor.agreementparty", view="as its agreement", change="as its agreement")
def agreement_party_rule(user, action):
    return _agreement_child(user, action)


@rule("monitor.agreementdocument", view="as its agreement", change="as its agreement")
def agreement_document_rule(user, action):
    return _agreement_child(user, action)


def _agreement_child(user, action) -> Q:
    return prefixed(agreement_q(user, action), "agreement__")


@rule("monitor.fundingline", view="coordinators and analysts of its jurisdiction",
      change="coordinators of its jurisdiction")
def funding_rule(user, action):
    return training_rule(user, action)
