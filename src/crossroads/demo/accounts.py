"""Demo agencies and one account per role and jurisdiction, with known credentials and an
enrolled authenticator (its secret is in demo-logins.json, so people and scripts can log in)."""

import base64
import random

from django_otp.plugins.otp_totp.models import TOTPDevice

from crossroads.access.choices import AgencyKind, Role, TokenScope
from crossroads.access.models import Agency, ApiToken, User

from .agency_names import translated_names
from .guard import refuse_in_production

AGENCY_NAMES = {
    AgencyKind.POLICE: "State Police – Anti-Trafficking Unit",
    AgencyKind.PROSECUTION: "Prosecution Office for Serious Crime",
    AgencyKind.COURT: "Court of First Instance",
    AgencyKind.SOCIAL_SERVICES: "Centre for Social Work",
    AgencyKind.NGO: "Safe Path Association",
    AgencyKind.SHELTER: "Hope House Shelter",
    AgencyKind.LABOUR_INSPECTORATE: "Labour Inspectorate",
    AgencyKind.COORDINATOR: "Office of the National Anti-Trafficking Coordinator",
    AgencyKind.OMBUDSMAN: "Ombudsman",
    AgencyKind.INTERNATIONAL: "International Organisation Field Office",
}
ROLE_AGENCY = {
    Role.CASE_WORKER: AgencyKind.SHELTER,
    Role.INVESTIGATOR: AgencyKind.POLICE,
    Role.PROSECUTOR: AgencyKind.PROSECUTION,
    Role.FOCAL_POINT: AgencyKind.POLICE,
    Role.COORDINATOR: AgencyKind.COORDINATOR,
    Role.ANALYST: AgencyKind.COORDINATOR,
    Role.OVERSIGHT: AgencyKind.OMBUDSMAN,
    Role.ADMINISTRATOR: AgencyKind.COORDINATOR,
    Role.HOTLINE_OPERATOR: AgencyKind.NGO,
}
_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _secret(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(_ALPHABET) for _ in range(length))


def create_agencies(jurisdiction: str) -> dict[str, Agency]:
    return {kind: Agency.objects.create(name=f"{name} ({jurisdiction})", kind=kind,
                                        names=translated_names(kind, jurisdiction),
                                        jurisdiction_id=jurisdiction)
            for kind, name in AGENCY_NAMES.items()}


def enrol_authenticator(rng: random.Random, user) -> str:
    """A confirmed TOTP device with a seed-derived key; returns the base32 secret for the app."""
    key = rng.randbytes(20)
    TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True, key=key.hex())
    return base64.b32encode(key).decode()


def create_accounts(rng: random.Random, jurisdiction: str, agencies: dict) -> list[dict]:
    """One account per role, plus a second administrator and a second coordinator (account
    changes and releases need two: four-eyes);
    returns the logins as written to demo-logins.json."""
    logins = []
    accounts = [(f"{jurisdiction.lower()}_{role.value}", role, jurisdiction) for role in Role]
    accounts.append((f"{jurisdiction.lower()}_{Role.ADMINISTRATOR.value}_2", Role.ADMINISTRATOR,
                     f"{jurisdiction} 2"))
    accounts.append((f"{jurisdiction.lower()}_{Role.COORDINATOR.value}_2", Role.COORDINATOR,
                     f"{jurisdiction} 2"))
    for username, role, last_name in accounts:
        logins.append(create_login(rng, username, role, agencies[ROLE_AGENCY[role]], last_name))
    return logins


def create_login(rng: random.Random, username: str, role: Role, agency, last_name: str) -> dict:
    """One demo account with a known password, an API token and an enrolled authenticator
    (never under production settings, whoever calls it)."""
    refuse_in_production("demo")
    password = f"{role.value.replace('_', '-')}-{_secret(rng, 10)}"
    user = User(username=username, role=role, agency=agency,
                first_name=role.label, last_name=last_name)
    user.set_password(password)
    user.save()
    _token, raw = ApiToken.issue(user, "demo", days=365, scope=TokenScope.WRITE,
                                 raw=ApiToken.PREFIX + _secret(rng, 40))
    return {"username": username, "password": password, "role": role.value,
            "agency": agency.name, "jurisdiction": agency.jurisdiction_id, "api_token": raw,
            "totp_secret": enrol_authenticator(rng, user)}
