"""Writes of reports from the public: filing (web form, API, hotline, field), the reporter's
replies, and the triage team's steps."""

from .reporting import (  # noqa: F401
    ReportInput,
    file_field_report,
    file_report,
    reply_as_reporter,
)
from .triage import (  # noqa: F401
    assign,
    attach_to_case,
    close_without_action,
    mark_duplicate,
    refer_to_new_case,
    remind_overdue,
    reopen,
    start_review,
    take_step,
    write_to_reporter,
)
