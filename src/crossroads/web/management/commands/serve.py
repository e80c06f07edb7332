from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


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

        if hub:
            settings.CROSSROADS_MODE = "hub"

        call_command("migrate", interactive=False, verbosity=0)
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        what = "hub" if settings.CROSSROADS_MODE == "hub" else "node"
        self.stdout.write(f"Crossroads {what} serving on http://{host}:{port}/")
        self.stdout.flush()
        serve(application, host=host, port=port, threads=threads, ident="crossroads")
