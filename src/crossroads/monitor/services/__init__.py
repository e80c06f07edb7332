"""Writes of the monitor: the catalogue (load, correct, verify), review cycles and their
assessments, the consultation, and recommendations with their follow-up."""

from .agreements import (
    AgreementInput,
    DocumentInput,
    PartyInput,
    check_agreement,
    record_agreement,
    update_agreement,
)
from .catalogue import LoadResult, correct_obligation, load_catalogue, mark_verified
from .consultation import answer_comment, write_comment
from .funding import FundingInput, check_funding, currency_code, record_funding, update_funding
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
    "AgreementInput", "DocumentInput", "FundingInput", "PartyInput", "check_agreement",
    "check_funding", "currency_code", "record_agreement", "record_funding", "update_agreement",
    "update_funding",
    "AssessmentInput", "Group", "LoadResult", "RecommendationInput", "TrainingInput",
    "answer_comment", "assess", "close_cycle", "correct_obligation", "follow_up",
    "load_catalogue", "mark_verified", "open_consultation", "open_cycle", "recommend",
    "record_training", "write_comment",
    "Scorecard", "approve_publication", "may_decide_publication", "reject_publication",
    "request_publication", "scorecard", "scorecard_out",
]
