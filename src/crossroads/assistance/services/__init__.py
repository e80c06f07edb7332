"""Writes of victim assistance, one module per subject; every surface (pages, API, CLI, tasks)
calls them. Each checks the policy, validates plain inputs (values, dataclasses; never a form or
a request), writes atomically and audits. Reads are in `assistance.queries`."""
