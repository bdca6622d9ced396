"""Whom a self-service request is for: the logged-in citizen, or the citizen a clerk names."""

from __future__ import annotations

from dataclasses import dataclass

from flask import g
from sqlalchemy.orm import Session

from app import auth
from app.audit import Actor
from app.auth import PrincipalKind
from app.errors import DomainError, Kind
from app.selfservice.identity.service import bound_psn_no

CHANNEL_OF = {PrincipalKind.CITIZEN: "miniprogram", PrincipalKind.STAFF: "counter"}


class SubjectRequired(DomainError):
    kind, code = Kind.INVALID, "psn_no_required"
    message = "帮办代办时须填写为哪位参保人办理（psn_no）。"


@dataclass(frozen=True, slots=True)
class Acting:
    """The insured person a request is about, and who acts for them."""

    psn_no: str
    actor: Actor


def current_actor() -> Actor:
    principal = auth.current_principal()
    return Actor(principal.kind.value, principal.id, CHANNEL_OF[principal.kind], g.request_id)


def readable_psn_no(session: Session) -> str | None:
    """Whose records the caller may read: a citizen their own; staff anyone's (None)."""
    principal = auth.current_principal()
    if principal.kind is PrincipalKind.STAFF:
        return None
    return bound_psn_no(session, int(principal.id))


def acting_for(session: Session, psn_no: str | None) -> Acting:
    """A citizen acts for themself (naming anyone else is refused); staff must name the citizen."""
    own = readable_psn_no(session)
    if own is None:
        if not psn_no:
            raise SubjectRequired(errors={"psn_no": [SubjectRequired.message]})
        return Acting(psn_no, current_actor())
    if psn_no is not None and psn_no != own:
        raise auth.NotAllowed
    return Acting(own, current_actor())
