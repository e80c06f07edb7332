"""The actions the policy decides on, and the filters it composes (a leaf: no project import).

A rule answers with a `Q` filter; `NOTHING` is the filter that matches no row, kept
recognisable so that `restrict` can skip the query altogether."""

from django.db.models import Q

VIEW, CHANGE = "view", "change"
# Rows that may be counted in a statistic and never listed (statistics only).
COUNT = "count"
# Rows routed to a user who may not see them in full: a re-trafficking flag reaches the team of
# its earlier case as a notice, without telling the registrant of the new one anything.
NOTICE = "notice"
ACTIONS = (VIEW, CHANGE, COUNT, NOTICE)
NOTHING = Q(pk__in=[])


def either(a: Q, b: Q) -> Q:
    """`a | b`, keeping NOTHING recognisable."""
    if a is NOTHING:
        return b
    if b is NOTHING:
        return a
    return a | b


def prefixed(q: Q, prefix: str) -> Q:
    """Re-root a filter under a relation (`jurisdiction_id` becomes `case__jurisdiction_id`):
    joins, not a sub-select of every visible row, so the database narrows by the outer filter
    first."""
    if not prefix or q is NOTHING:
        return q
    rerooted = Q()
    rerooted.connector, rerooted.negated = q.connector, q.negated
    rerooted.children = [prefixed(child, prefix) if isinstance(child, Q)
                         else (prefix + child[0], child[1]) for child in q.children]
    return rerooted


def active(user) -> bool:
    """An account the policy considers at all: logged in, active, with a role, in an active
    agency (a deactivated agency's users, however they authenticated, reach nothing)."""
    return bool(user and user.is_authenticated and user.is_active and user.agency_id and user.role
                and user.agency.active)
