"""The public form's token, in place of Django's CSRF cookie: a signature of the time the form
was served, the same for every reporter, so it tells nothing about who holds it. A post must
bring one younger than MAX_AGE: a flood must at least fetch the form, and a stale page asks
to send again instead of losing the text."""

from django.core import signing

SALT = "crossroads.tips.form"
MAX_AGE = 6 * 3600


def issue() -> str:
    return signing.TimestampSigner(salt=SALT).sign("report")


def valid(token: str) -> bool:
    try:
        return signing.TimestampSigner(salt=SALT).unsign(token or "", max_age=MAX_AGE) == "report"
    except signing.BadSignature:
        return False
