import argparse
import ipaddress
import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from crossroads.web import server

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


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive whole number")
    return value


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
    help = ("Migrate, collect static files and serve the node with gunicorn: --workers "
            "processes of --threads threads; HUP restarts the workers gracefully.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=positive, default=2,
                            help="worker processes (default 2: one per core of a small node)")
        parser.add_argument("--threads", type=positive, default=4,
                            help="threads per worker process (default 4)")
        parser.add_argument("--timeout", type=positive, default=60,
                            help="seconds a request may take, and a graceful stop (default 60)")
        parser.add_argument("--pid", help="write the master's process id to this file "
                                          "(for `kill -HUP`)")
        parser.add_argument("--tasks", type=int, default=0, choices=range(0, 9), metavar="N",
                            help="also run N `crossroads tasks work` processes, stopped with "
                                 "the server (the single-command start of `make demo`)")
        parser.add_argument("--hub", action="store_true",
                            help="serve the regional hub (CROSSROADS_MODE=hub), not a node")

    def handle(self, *args, host, port, workers=2, threads=4, timeout=60, pid=None, tasks=0,
               hub=False, **options):
        refuse_public_without_production(host)
        if hub:
            settings.CROSSROADS_MODE = "hub"
            os.environ["CROSSROADS_MODE"] = "hub"  # the worker processes read it again

        call_command("migrate", interactive=False, verbosity=0)
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        what = "hub" if settings.CROSSROADS_MODE == "hub" else "node"
        runners = f", {tasks} task runner(s)" if tasks else ""
        self.stdout.write(f"Crossroads {what} serving on http://{host}:{port}/ "
                          f"({workers} worker process(es) of {threads} thread(s){runners}); "
                          "Ctrl-C or SIGTERM stops it, SIGHUP restarts the workers gracefully")
        self.stdout.flush()
        server.run(server.options(host=host, port=port, workers=workers, threads=threads,
                                  timeout=timeout, pidfile=pid), tasks=tasks)
