"""`crossroads`: the one command-line entry point, configured by environment variables alone."""

import os
import sys

COMMANDS_WITHOUT_DJANGO = {
    "link": ("crossroads.linkage.cli", "link_main"),
    "dedupe": ("crossroads.linkage.cli", "dedupe_main"),
    "region": ("crossroads.region.cli", "main"),
}
USAGE = """usage: crossroads COMMAND [options]

Commands:
  serve [--host H] [--port P] [--workers N] [--threads T] [--tasks N] [--pid FILE]
                                serve the node with gunicorn (migrates first); --hub serves
                                the regional hub; HUP restarts the workers gracefully
  backup --out FILE             the database in an encrypted archive (keyring key)
  restore FILE                  replace the database with a backup; verifies the audit chain
  keys init|show|rotate --node  the exchange identity: signing and encryption key pairs
  keys rotate --audit           a new HMAC key for new audit entries (old ones keep theirs)
  exchange register-node|sync|work|witness-check|witness-alerts|...
                                cross-border exchange (docs/exchange.md)
  demo [--seed N]               seed the synthetic demo region and write demo-logins.json
  region up [--nodes AL,RS] | restart CODE|hub | down
                                a hub and demo nodes on this machine, logins in region.json
  audit verify [--checkpoint FILE] [--key-file FILE] [--against-witness]
                                walk the keyed audit chain and name what is broken; with a
                                checkpoint, what is missing or changed since it was taken;
                                against the witness, how it differs from the hub's heads
  audit checkpoint --out FILE   a signed checkpoint of the chain's head, to keep elsewhere
  audit partitions [--months N] PostgreSQL: the audit table's coming months' partitions
  link LEFT.csv RIGHT.csv       link two files of person records
  dedupe INPUT.csv              find duplicates within a file of person records
  ctdc export --user U --layout global|synthetic --out FILE
                                write the records coordinator U may see in a CTDC layout (audited)
  ctdc import --user U FILE [--queue]
                                load a CTDC file (layout detected) for statistics, as U, as a
                                background job; exits 1 if rows were rejected
  import cases FILE.csv --mapping MAP.yaml --user U [--dry-run] [--on-bad-row skip|reject]
                                bring an existing register into U's agency's cases as a
                                background job (docs/import.md); exits 1 if a row was rejected
  ftm import FILE --case REF --user U
                                load FollowTheMoney JSON lines into case REF's network as U
                                (ids kept; nothing written unless every line is valid)
  ftm export --case REF --user U --out FILE
                                write case REF's network as FtM JSON lines (audited)
  oversight scan|thresholds     run the access-alert rules over the audit chain now (a
                                re-scan raises nothing twice); print the thresholds in force
  access rules                  the whole access policy in words, a line per rule and action
  createadmin NAME --jurisdiction XX --agency A [--password-file F]
                                an administrator, from the operator's shell (audited)
  tasks work [--once] [--sleep S] | remind | recount
                                run queued background jobs; queue the periodic ones
  regional demo-accounts|publish --user U
                                the demo hub's analyst; a node's publication to the hub
                                (a second coordinator approves it on /releases/)
  report seed-figures           the seed paper's figures, recomputed from the node
  report annual --jurisdiction XX --year YYYY --language LANG --out FILE.pdf [--user U]
                                the coordinator's annual report (docs/monitor.md); without
                                --user only what is publishable, with it U's view (policy)
  monitor load-obligations      load the shipped obligation catalogue (corrections are kept)
  release tables|microdata|synthetic --user U [--k K] [--epsilon E]
                                prepare a release for coordinator U through disclosure control;
                                a second coordinator approves it on /releases/; with ε it
                                reserves from the privacy budget (refused over it)
  privacy_budget [--jurisdiction J --total E --user U]
                                the privacy ledger; a lower total applies, a higher one waits
                                for a second coordinator on /releases/
  ...                           any Django management command (migrate, shell, check, ...)
"""


def default_settings_module() -> str:
    if os.environ.get("CROSSROADS_ENV", "").lower() == "production":
        return "crossroads.settings.production"
    return "crossroads.settings.base"


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return 0
    if argv[0] in COMMANDS_WITHOUT_DJANGO:
        module_name, function = COMMANDS_WITHOUT_DJANGO[argv[0]]
        module = __import__(module_name, fromlist=[function])
        return getattr(module, function)(argv[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", default_settings_module())
    from django.core.management import execute_from_command_line

    if argv[0] == "audit":
        argv = ["audit_" + (argv[1] if len(argv) > 1 else "verify"), *argv[2:]]
    try:
        execute_from_command_line(["crossroads", *argv])
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
