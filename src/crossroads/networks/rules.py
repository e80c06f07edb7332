"""Access rules of networks: investigators and prosecutors, on the cases their role lets them
see or change (H3: their team only). Case workers, NGOs, focal points, coordinators, analysts
and break-glass grants never reach a network."""

from crossroads.access.actions import NOTHING
from crossroads.access.rulebook import capability, rule
from crossroads.jobs.kinds import kind
from crossroads.registry.rules import role_case_q

from .choices import NETWORK_ROLES

WORK_NETWORKS = capability("work_networks", NETWORK_ROLES,
                           "investigators, prosecutors: entities, links and imports of the "
                           "networks of the cases they change")


def _network_q(user, action, prefix: str):
    if user.role not in NETWORK_ROLES:
        return NOTHING
    return role_case_q(user, action, prefix)


@rule("networks.entity",
      view="investigators, prosecutors: the networks of the cases they see by role (H3: their "
           "team only); never case workers, focal points, coordinators or break-glass",
      change="investigators, prosecutors: the networks of the cases they change by role")
def entity_rule(user, action):
    return _network_q(user, action, "case__")


@rule("networks.link", view="as the entities", change="as the entities")
def link_rule(user, action):
    return _network_q(user, action, "case__")


@rule("networks.selector", view="as its entity", change="as its entity")
def selector_rule(user, action):
    return _network_q(user, action, "entity__case__")


@rule("networks.ftmimport", view="as the entities", change="as the entities")
def import_rule(user, action):
    return _network_q(user, action, "case__")


@rule("networks.judgement", view="as both entities", change="as both entities")
def judgement_rule(user, action):
    left = _network_q(user, action, "left__case__")
    return left if left is NOTHING else left & _network_q(user, action, "right__case__")


kind("ftm_import", noun="FtM import", watchers=WORK_NETWORKS)
