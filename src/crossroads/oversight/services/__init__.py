"""Writes of oversight: the scan and the triage of alerts (`alerts`), the inquiries with their
findings, recommendations and the agencies' answers (`inquiries`)."""

from .alerts import add_note, assign, move, scan, thresholds
from .inquiries import (
    AnswerInput,
    ComplaintInput,
    RecommendationInput,
    answer,
    check_answer,
    check_complaint,
    check_recommendation,
    link_alerts,
    move_inquiry,
    open_from_alerts,
    open_from_complaint,
    recommend,
    write_findings,
)

__all__ = ["AnswerInput", "ComplaintInput", "RecommendationInput", "add_note", "answer",
           "assign", "check_answer", "check_complaint", "check_recommendation", "link_alerts",
           "move", "move_inquiry", "open_from_alerts", "open_from_complaint", "recommend",
           "scan", "thresholds", "write_findings"]
