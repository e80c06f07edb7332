"""`crossroads access rules`: the whole access policy in words, one line per rule and action."""

from django.core.management.base import BaseCommand

from crossroads.access import rulebook
from crossroads.access.actions import ACTIONS


class Command(BaseCommand):
    help = "Print the access rules (model, action, who) and the capabilities."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["rules"])

    def handle(self, *args, **options):
        for found in rulebook.rules():
            if not found.who:
                self.stdout.write(f"{found.label}\t-\tnobody (read by the services alone)")
            for action in ACTIONS:
                if action in found.who:
                    self.stdout.write(f"{found.label}\t{action}\t{found.who[action]}")
        for cap in rulebook.capabilities():
            roles = ", ".join(sorted(str(r) for r in cap.roles))
            self.stdout.write(f"capability:{cap.name}\t{roles}\t{cap.who}")
