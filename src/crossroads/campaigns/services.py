"""Writes of the campaign register: register a campaign, change it. Every input is checked
at once (crossroads.validation.collect), the policy is asked, the write is audited."""

from __future__ import annotations

import datetime
from contextlib import suppress
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from crossroads.access.actions import CHANGE
from crossroads.access.policy import require, require_capability
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.registry.validation import refuse_hidden
from crossroads.tips import places
from crossroads.validation import collect
from crossroads.versions import check, claim

from .choices import Audience, Channel
from .models import Campaign
from .rules import KEEP_CAMPAIGNS

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
LONGEST = datetime.timedelta(days=3 * 366)
MAX_COST = Decimal("9999999999.99")


@dataclass
class CampaignInput:
    title: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    areas: list[str] = field(default_factory=list)
    channel: str = ""
    audience: str = ""
    languages: list[str] = field(default_factory=list)
    cost: Decimal | str | int | float | None = None
    funding_line: str = ""


def _text(errors, value, name, limit):
    value = (errors.check(refuse_hidden, value or "", name) or "").strip()
    if not value:
        errors.add({name: _("Write something here.")})
    elif len(value) > limit:
        errors.add({name: _("Shorten this to at most %(max)s characters.") % {"max": limit}})
    return value


def _values(user, data: CampaignInput) -> dict:
    jurisdiction = user.jurisdiction_id
    with collect() as errors:
        title = _text(errors, data.title, "title", 200)
        funding = _text(errors, data.funding_line, "funding_line", 200)
        if data.starts_on is None:
            errors.add({"starts_on": _("Give the first day of the campaign.")})
        if data.ends_on is None:
            errors.add({"ends_on": _("Give the last day of the campaign.")})
        if data.starts_on and data.ends_on:
            if data.ends_on < data.starts_on:
                errors.add({"ends_on": _("The campaign cannot end before it starts.")})
            elif data.ends_on - data.starts_on > LONGEST:
                errors.add({"ends_on": _("A campaign of more than three years is several "
                                         "campaigns: register each.")})
        listed = places.municipalities().get(jurisdiction, ())
        areas = list(dict.fromkeys(a.strip() for a in data.areas or () if a.strip()))
        if not listed:
            errors.add({"areas": _("This jurisdiction has no list of municipalities yet "
                                   "(docs/tips.md): campaigns cannot be registered by area.")})
        elif not areas:
            errors.add({"areas": _("Choose at least one municipality.")})
        elif unknown := [a for a in areas if a not in listed]:
            errors.add({"areas": _("Not a municipality of the jurisdiction: %(names)s.")
                        % {"names": ", ".join(unknown)}})
        if data.channel not in Channel.values:
            errors.add({"channel": _("Choose one of the listed answers.")})
        if data.audience not in Audience.values:
            errors.add({"audience": _("Choose one of the listed answers.")})
        languages = list(dict.fromkeys(data.languages or ()))
        if not languages:
            errors.add({"languages": _("Choose at least one language.")})
        elif any(code not in LANGUAGES for code in languages):
            errors.add({"languages": _("Use the codes %(codes)s.") % {"codes": ", ".join(LANGUAGES)}})
        cost = None
        with suppress(InvalidOperation):
            cost = Decimal(str(data.cost)) if data.cost not in (None, "") else None
        if cost is None or not cost.is_finite():
            errors.add({"cost": _("Give the cost in euros (0 if there was none).")})
        elif cost < 0 or cost > MAX_COST or cost != cost.quantize(Decimal("0.01")):
            errors.add({"cost": _("Give an amount from 0 with at most two decimals.")})
    return {"title": title, "starts_on": data.starts_on, "ends_on": data.ends_on,
            "areas": areas, "channel": data.channel, "audience": data.audience,
            "languages": languages, "cost": cost, "funding_line": funding}


def register_campaign(user, data: CampaignInput) -> Campaign:
    require_capability(user, KEEP_CAMPAIGNS)
    values = _values(user, data)
    with transaction.atomic():
        campaign = Campaign.objects.create(jurisdiction_id=user.jurisdiction_id,
                                           created_by=user, **values)
        record(user, Action.CREATE, campaign, details={"title": campaign.title})
    return campaign


def change_campaign(user, campaign: Campaign, data: CampaignInput,
                    version: tuple[int, ...] | None = None) -> Campaign:
    require_capability(user, KEEP_CAMPAIGNS)
    require(user, CHANGE, campaign)
    check(campaign, version)
    values = _values(user, data)
    with transaction.atomic():
        claim(campaign, version)
        changed = sorted(k for k, v in values.items() if getattr(campaign, k) != v)
        for key, value in values.items():
            setattr(campaign, key, value)
        campaign.save(update_fields=[*values, "updated_at"])
        record(user, Action.UPDATE, campaign, details={"changed": changed})
    return campaign
