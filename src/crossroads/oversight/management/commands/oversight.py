"""`crossroads oversight scan`: run the access-alert rules over the audit chain now (a re-scan
raises nothing twice); `crossroads oversight thresholds`: print the thresholds in force."""

from django.core.management.base import BaseCommand

from crossroads.oversight import services
from crossroads.oversight.detection import DEFAULTS


class Command(BaseCommand):
    help = ("`scan`: run the access-alert rules over the audit chain now (idempotent); "
            "`thresholds`: print the thresholds in force and their defaults.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["scan", "thresholds"])

    def handle(self, *args, action, **options):
        if action == "thresholds":
            for name, value in services.thresholds().items():
                self.stdout.write(f"{name} = {value} (default {DEFAULTS[name]})")
            return
        run = services.scan()
        self.stdout.write(f"oversight scan: {run.raised} alert(s) raised, {run.updated} "
                          f"updated, entries up to #{run.last_entry}")
