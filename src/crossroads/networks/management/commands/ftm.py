import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from crossroads.access.models import User
from crossroads.access.policy import PolicyDenied
from crossroads.networks import queries, services

MAX_ERRORS_SHOWN = 50


class Command(BaseCommand):
    help = ("FollowTheMoney JSON lines: `ftm import FILE --case REFERENCE --user USERNAME` loads "
            "entities and links into the case's network (ids kept; nothing is written unless "
            "every line is valid); `ftm export --case REFERENCE --user USERNAME --out FILE` "
            "writes the case's network, one entity per line. Both run as the user, under the "
            "access policy, audited in their name.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="load FtM entities into a case's network")
        load.add_argument("file")
        load.add_argument("--source", default="", help="where the file came from (default: its "
                                                         "name)")
        load.add_argument("--queue", action="store_true",
                          help="queue the import for the task runner (`crossroads tasks work`) "
                               "and return: for large files")
        export = sub.add_parser("export", help="write a case's network as FtM entities")
        export.add_argument("--out", required=True)
        for command in (load, export):
            command.add_argument("--case", required=True, help="the case's reference")
            command.add_argument("--user", required=True, help="the account the command acts as")

    def handle(self, *args, action, **options):
        actor = User.objects.filter(username=options["user"], is_active=True).first()
        if actor is None:
            raise CommandError(f"--user: no active account {options['user']!r}")
        try:
            if action == "import":
                self._import(actor, Path(options["file"]), options)
            else:
                self._export(actor, Path(options["out"]), options["case"])
        except (Http404, PolicyDenied):
            raise CommandError(f"--case: {actor.username} may not {action} the network of "
                               f"{options['case']} (investigators, prosecutors of the case)"
                               ) from None

    def _import(self, actor, path: Path, options):
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        case = queries.visible_case(actor, reference=options["case"])
        source = options["source"] or f"FtM file {path.name}"
        if options["queue"]:
            queued = services.queue_ftm_import(actor, case, path.resolve(), source=source)
            self.stdout.write(f"{path}: FtM import {queued.pk} queued as job {queued.job_id}; "
                              "`crossroads tasks work` runs it")
            return
        with path.open(encoding="utf-8") as lines:
            try:
                result = services.import_ftm(actor, case, lines, source=source)
            except ValidationError as error:
                problems = sorted(error.message_dict.items(), key=lambda item: _line(item[0]))
                for name, messages in problems[:MAX_ERRORS_SHOWN]:
                    self.stderr.write(f"  {name}: {' '.join(messages)}")
                raise CommandError(f"{path}: {len(problems)} problem(s); nothing was imported"
                                   ) from None
        self.stdout.write(f"{path}: {result.entities} entities and {result.links} links "
                          f"imported into {case.reference}")

    def _export(self, actor, out: Path, reference: str):
        count = 0
        lines = queries.export_case(actor, reference, context="cli ftm export")
        with out.open("w", encoding="utf-8") as handle:
            for entity in lines:
                handle.write(json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n")
                count += 1
        self.stdout.write(f"wrote {count} FtM entities of {reference} to {out}")


def _line(name: str) -> int:
    parts = name.split(".")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
