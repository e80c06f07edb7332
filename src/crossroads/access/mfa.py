"""Second factor: TOTP (django-otp) with single-use recovery codes.

Every account with a role must pass it: all roles can reach identities (directly, through
break-glass, or by administering accounts), so no role is exempt and no setting turns it off.
"""

import base64
import io

from axes.helpers import get_client_ip_address
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from crossroads.access import lockout
from crossroads.audit.choices import Action
from crossroads.audit.services import record

RECOVERY_CODES = 10
ISSUER = "Crossroads"


def client_address(request) -> str:
    """The client's address as the lock-out sees it: REMOTE_ADDR, unless the operator configured
    django-axes to trust a proxy (`AXES_CLIENT_IP_CALLABLE` / `AXES_IPWARE_*`)."""
    if request is None:
        return ""
    return str(getattr(request, "axes_ip_address", None) or get_client_ip_address(request) or "")


def mfa_required(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def is_enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device of an enrolment in progress (one at a time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def base32_secret(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def qr_data_uri(device: TOTPDevice) -> str:
    """The enrolment QR code as an SVG data URI (an <img>, no inline markup)."""
    out = io.BytesIO()
    write_qrcode_image(device.config_url, out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def confirm_enrolment(request, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the device with a first code; returns fresh recovery codes, or None if wrong.
    Raises lockout.LockedOut while the user name is locked out from this address."""
    lockout.check(request, device.user.get_username())
    if not device.verify_token(token.strip()):
        _failed(request, device.user, "enrolment code")
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = new_recovery_codes(device.user)
    otp_login(request, device)
    record(device.user, Action.LOGIN, device.user, details={
        "second_factor": "enrolment", "address": client_address(request)})
    record(device.user, Action.UPDATE, device.user, details={"mfa": "enrolled"})
    return codes


def new_recovery_codes(user) -> list[str]:
    static, _created = StaticDevice.objects.get_or_create(user=user, name="recovery")
    static.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=c) for c in codes)
    return codes


def verify(request, user, token: str) -> bool:
    """Check a TOTP or recovery code and mark the session as verified. While the user name is
    locked out from this address (wrong passwords or codes) even the right code is refused:
    raises lockout.LockedOut."""
    lockout.check(request, user.get_username())
    token = token.strip().replace(" ", "")
    devices = [*TOTPDevice.objects.filter(user=user, confirmed=True),
               *StaticDevice.objects.filter(user=user)]
    for device in devices:
        if device.verify_is_allowed()[0] and device.verify_token(token):
            otp_login(request, device)
            used = "recovery code" if isinstance(device, StaticDevice) else "authenticator"
            record(user, Action.LOGIN, user, details={"second_factor": used,
                                                      "address": client_address(request)})
            return True
    _failed(request, user, "second factor")
    return False


def _failed(request, user, what: str) -> None:
    """A wrong code counts towards the lock-out like a wrong password (django-axes)."""
    lockout.failed(request, user.get_username(), sender=__name__, factor=what)
