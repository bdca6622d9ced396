"""Whom a self-service request is for: the logged-in citizen, or the citizen a clerk names.

Any staff account may read a citizen's records; only the counter role acts for one (帮办代办:
filing, changing, cancelling, authorising, unbinding). Admin does not: it administers accounts
and the knowledge base, and keeping it off citizens' records means every act for a citizen is by
a counter clerk the audit log names, not by an account that can also create clerks.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import g
from sqlalchemy.orm import Session

from app import auth
from app.audit import Actor
from app.auth import Principal, PrincipalKind, Role
from app.errors import DomainError, Kind
from app.selfservice.identity.service import bound_psn_no

CHANNEL_OF = {PrincipalKind.CITIZEN: "miniprogram", PrincipalKind.STAFF: "counter"}
ACTING_ROLES = frozenset({Role.CLERK})


class SubjectRequired(DomainError):
    kind, code = Kind.INVALID, "psn_no_required"
    message = "帮办代办时须填写为哪位参保人办理（psn_no）。"


class NotCounterStaff(DomainError):
    kind, code = Kind.FORBIDDEN, "acting_not_allowed"
    message = "只有窗口经办人员可以为参保人帮办代办，请用经办人员账号办理。"


@dataclass(frozen=True, slots=True)
class Acting:
    """The insured person a request is about, and who acts for them."""

    psn_no: str
    actor: Actor


def current_actor() -> Actor:
    principal = auth.current_principal()
    return Actor(principal.kind.value, principal.id, CHANNEL_OF[principal.kind], g.request_id)


def _own_psn_no(session: Session, principal: Principal) -> str:
    return bound_psn_no(session, int(principal.id))


def readable_psn_no(session: Session) -> str | None:
    """Whose records the caller may read: a citizen their own; staff anyone's (None)."""
    principal = auth.current_principal()
    if principal.kind is PrincipalKind.STAFF:
        return None
    return _own_psn_no(session, principal)


def writable_psn_no(session: Session) -> str | None:
    """Whose records the caller may change: a citizen their own; a clerk anyone's (None)."""
    principal = auth.current_principal()
    if principal.kind is PrincipalKind.STAFF:
        if principal.role not in ACTING_ROLES:
            raise NotCounterStaff
        return None
    return _own_psn_no(session, principal)


def _subject(own: str | None, psn_no: str | None) -> str:
    if own is None:
        if not psn_no:
            raise SubjectRequired(errors={"psn_no": [SubjectRequired.message]})
        return psn_no
    if psn_no is not None and psn_no != own:
        raise auth.NotAllowed
    return own


def acting_for(session: Session, psn_no: str | None) -> Acting:
    """A citizen acts for themself (naming anyone else is refused); a clerk names the citizen."""
    return Acting(_subject(writable_psn_no(session), psn_no), current_actor())


def reading_for(session: Session, psn_no: str | None) -> str:
    """Whose records a list shows: a citizen's own; staff name the citizen."""
    return _subject(readable_psn_no(session), psn_no)
