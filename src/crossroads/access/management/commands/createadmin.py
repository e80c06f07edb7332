"""Create an administrator from the operator's shell.

Inside the node every account change that widens access waits for a second administrator
(four-eyes), so the first two administrators of a jurisdiction come from here: the shell of
the machine is the trust boundary. Each creation is written to the audit chain."""

import getpass

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from crossroads.access.choices import AgencyKind, Role
from crossroads.access.models import Agency, Jurisdiction, User
from crossroads.audit.choices import Action
from crossroads.audit.services import record


class Command(BaseCommand):
    help = "Create an administrator of a jurisdiction (for the first two; later ones need four-eyes)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--jurisdiction", required=True, help="AL, BA, XK, ME, MK or RS")
        parser.add_argument("--agency", required=True,
                            help="name of the agency; created as the coordinator's office if new")
        parser.add_argument("--password-file", help="read the password from this file "
                                                    "(else it is asked for)")

    def handle(self, *args, username, jurisdiction, agency, password_file, **options):
        code = jurisdiction.upper()
        if not Jurisdiction.objects.filter(code=code).exists():
            raise CommandError(f"unknown jurisdiction {jurisdiction!r}")
        if User.objects.filter(username=username).exists():
            raise CommandError(f"the user name {username!r} is taken")
        if password_file:
            with open(password_file) as handle:
                password = handle.read().strip()
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("the passwords differ")
        user = User(username=username, role=Role.ADMINISTRATOR)
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        with transaction.atomic():
            office, created = Agency.objects.get_or_create(
                jurisdiction_id=code, name=agency, defaults={"kind": AgencyKind.COORDINATOR})
            user.agency = office
            user.set_password(password)
            user.save()
            record(None, Action.CREATE, user, jurisdiction=code,
                   details={"via": "createadmin", "agency_created": created})
        self.stdout.write(f"administrator {username} created in {office} ({code}); "
                          "the second factor is enrolled at the first log-in")
