"""Production settings: chosen by CROSSROADS_ENV=production; refuse to start without secrets."""

from .base import *  # noqa: F403
from .env import env_list, required

DEBUG = False
CROSSROADS_PRODUCTION = True
SECRET_KEY = required("CROSSROADS_SECRET_KEY")
BLIND_INDEX_KEY = required("CROSSROADS_BLIND_INDEX_KEY")
ALLOWED_HOSTS = env_list("CROSSROADS_ALLOWED_HOSTS") or [required("CROSSROADS_ALLOWED_HOSTS")]
# The keyring must exist already: production never invents encryption keys on its own.
CROSSROADS_KEY_FILE = required("CROSSROADS_KEY_FILE")
CROSSROADS_CREATE_KEYRING = False
# Taking part in the exchange (a hub, or a node given a hub): its identity keys and, on a node,
# the encoding secret the nodes share are never invented either.
if CROSSROADS_MODE == "hub" or CROSSROADS_HUB_URL:  # noqa: F405
    CROSSROADS_NODE_KEY_FILE = required("CROSSROADS_NODE_KEY_FILE")
if CROSSROADS_HUB_URL:  # noqa: F405
    CROSSROADS_EXCHANGE_SECRET_FILE = required("CROSSROADS_EXCHANGE_SECRET_FILE")
    CROSSROADS_HUB_SIGNING_KEY = required("CROSSROADS_HUB_SIGNING_KEY")
    CROSSROADS_NODE_ID = required("CROSSROADS_NODE_ID")

SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
# __Host- cookies are sent only over HTTPS, only to this host (no Domain) and path "/":
# a sibling subdomain cannot plant or overwrite them.
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
