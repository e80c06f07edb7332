from django.core.management.base import BaseCommand

from crossroads.audit.services import verify_chain


class Command(BaseCommand):
    help = "Walk the audit hash chain and name the first broken entry."

    def handle(self, *args, **options):
        result = verify_chain()
        if result.ok:
            self.stdout.write(f"audit chain intact: {result.checked} entries verified")
            return
        self.stderr.write(f"audit chain BROKEN at entry {result.broken_id}: {result.reason} "
                          f"({result.checked} entries verified before it)")
        raise SystemExit(1)
