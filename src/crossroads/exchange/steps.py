"""Every step of a formal request in the audit chain of its node: `details.exchange` names the
step (`request_sent`, `answer_read`, ...), `details.request` the request's id (the same on both
nodes) and `details.message` the envelope's id (the same on the sending and receiving node)."""

from crossroads.audit.choices import Action
from crossroads.audit.services import record

from .models import ExchangeRequest


def record_step(actor, request: ExchangeRequest, step: str, *, message=None, action=Action.UPDATE,
                **details) -> None:
    record(actor, action, request, jurisdiction=request.jurisdiction_id,
           details={"exchange": step, "request": str(request.public_id),
                    **({"message": str(message.message_id)} if message else {}), **details})
