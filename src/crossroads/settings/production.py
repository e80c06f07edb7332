"""Production settings: chosen by CROSSROADS_ENV=production; refuse to start without secrets."""

from .base import *  # noqa: F403
from .env import env_list, required

DEBUG = False
SECRET_KEY = required("CROSSROADS_SECRET_KEY")
BLIND_INDEX_KEY = required("CROSSROADS_BLIND_INDEX_KEY")
ALLOWED_HOSTS = env_list("CROSSROADS_ALLOWED_HOSTS") or [required("CROSSROADS_ALLOWED_HOSTS")]

SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
