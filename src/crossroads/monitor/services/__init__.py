"""Writes of the monitor: the catalogue (load, correct, verify), review cycles and their
assessments, the consultation, and recommendations with their follow-up."""

from .catalogue import LoadResult, correct_obligation, load_catalogue, mark_verified
from .consultation import answer_comment, write_comment
from .recommendations import RecommendationInput, follow_up, recommend
from .reviews import AssessmentInput, assess, close_cycle, open_consultation, open_cycle
from .scorecards import (
    Scorecard,
    approve_publication,
    may_decide_publication,
    reject_publication,
    request_publication,
    scorecard,
    scorecard_out,
)
from .training import Group, TrainingInput, record_training

__all__ = [
    "AssessmentInput", "Group", "LoadResult", "RecommendationInput", "TrainingInput",
    "answer_comment", "assess", "close_cycle", "correct_obligation", "follow_up",
    "load_catalogue", "mark_verified", "open_consultation", "open_cycle", "recommend",
    "record_training", "write_comment",
    "Scorecard", "approve_publication", "may_decide_publication", "reject_publication",
    "request_publication", "scorecard", "scorecard_out",
]
