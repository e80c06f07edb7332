import ipaddress

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    """Whether `host` is a loopback address or name (127.0.0.0/8, ::1, localhost). Any other
    name may resolve to a public address, so it counts as not loopback."""
    host = host.strip().strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def refuse_public_without_production(host: str) -> None:
    """Development settings carry keys published in the source: they serve loopback only."""
    if getattr(settings, "CROSSROADS_PRODUCTION", False) or is_loopback(host):
        return
    raise CommandError(
        f"Refusing to serve on {host}: this node runs with development settings, whose secret "
        "and blind-index keys are published in the source. Set CROSSROADS_ENV=production and "
        "its variables (CROSSROADS_SECRET_KEY, CROSSROADS_BLIND_INDEX_KEY, "
        "CROSSROADS_ALLOWED_HOSTS, CROSSROADS_KEY_FILE; see docs/operations.md), or serve on "
        "127.0.0.1 for a local demo.")


class Command(BaseCommand):
    help = "Migrate, collect static files and serve the node with waitress."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--hub", action="store_true",
                            help="serve the regional hub (CROSSROADS_MODE=hub), not a node")

    def handle(self, *args, host, port, threads, hub=False, **options):
        from waitress import serve

        from crossroads.wsgi import application

        refuse_public_without_production(host)
        if hub:
            settings.CROSSROADS_MODE = "hub"

        call_command("migrate", interactive=False, verbosity=0)
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        what = "hub" if settings.CROSSROADS_MODE == "hub" else "node"
        self.stdout.write(f"Crossroads {what} serving on http://{host}:{port}/")
        self.stdout.flush()
        serve(application, host=host, port=port, threads=threads, ident="crossroads")
