"""个人账户共济: authorise a close relative to use one's 个人账户, list, and unbind (解绑).

The authoriser must be insured in 职工医保; the user in 职工 or 居民医保 and the authoriser's 配偶,
父母, 子女, 兄弟姐妹, 祖父母, 外祖父母, 孙子女 or 外孙子女 as the records show; not oneself; not
twice; with the 承诺书 pledge. Each refusal says which condition failed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.audit import Actor, record_audit
from app.db import find_keyed, find_keyed_after_conflict
from app.errors import DomainError, Kind
from app.id_numbers import is_valid_id_number
from app.selfservice.mutual_aid.models import MutualAidBinding
from app.selfservice.registry.service import InsuredRegistry, InsuType


class BindingRefused(DomainError):
    kind, code = Kind.INVALID, "mutual_aid_refused"
    message = "不符合个人账户共济的条件，请按提示核对。"


class AlreadyBound(DomainError):
    kind, code = Kind.INVALID, "mutual_aid_already_bound"
    message = "您已授权过这位亲属，无需重复办理。"

    def __init__(self) -> None:
        super().__init__(errors={"user_certno": [self.message]})


class BindingNotFound(DomainError):
    kind, code = Kind.NOT_FOUND, "mutual_aid_not_found"
    message = "没有找到这条共济授权。"


@dataclass(frozen=True, slots=True)
class Bindings:
    as_authoriser: list[MutualAidBinding]
    as_user: list[MutualAidBinding]


def _refuse(field: str, reason: str) -> BindingRefused:
    return BindingRefused(f"不符合个人账户共济的条件：{reason}", errors={field: [reason]})


def _check(
    registry: InsuredRegistry, authoriser_psn_no: str, user_name: str, user_certno: str
) -> tuple[str, str]:
    """The user's psn_no and relation, or the first condition that fails."""
    if not is_valid_id_number(user_certno):
        raise _refuse("user_certno", "被授权人身份证号不正确，请核对后重新填写。")
    authoriser = registry.get(authoriser_psn_no)
    employee = authoriser.coverage(InsuType.EMPLOYEE) if authoriser else None
    if employee is None or not employee.active:
        raise _refuse("authoriser", "授权人须正常参加职工基本医疗保险。")
    user = registry.find_by_certno(user_certno)
    if user is None or user.psn_name != user_name.strip():
        raise _refuse("user_certno", "被授权人姓名与身份证号不匹配，或没有参保记录。")
    if user.psn_no == authoriser_psn_no:
        raise _refuse("user_certno", "不能授权给本人。")
    insured = [user.coverage(t) for t in (InsuType.EMPLOYEE, InsuType.RESIDENT)]
    if not any(c is not None and c.active for c in insured):
        raise _refuse("user_certno", "被授权人须正常参加职工或城乡居民基本医疗保险。")
    relation = registry.relation(authoriser_psn_no, user.psn_no)
    if relation is None:
        raise _refuse(
            "user_certno",
            "被授权人须是授权人的配偶、父母、子女、兄弟姐妹、祖父母、外祖父母、孙子女或外孙子女"
            "（以登记的亲属关系为准）。",
        )
    return user.psn_no, relation.value


def authorise(
    session: Session,
    registry: InsuredRegistry,
    *,
    authoriser_psn_no: str,
    user_name: str,
    user_certno: str,
    pledge: bool,
    actor: Actor,
    idempotency_key: str | None,
    now: datetime,
) -> MutualAidBinding:
    """Authorise a relative; a repeated idempotency key returns the binding it made."""
    if not pledge:
        raise _refuse("pledge", "请阅读并勾选共济承诺书。")
    user_name, user_certno = user_name.strip(), user_certno.strip().upper()
    try:
        with session.begin():
            existing = find_keyed(
                session, MutualAidBinding, idempotency_key, authoriser_psn_no=authoriser_psn_no
            )
            if existing is not None:
                return existing
            user_psn_no, relation = _check(registry, authoriser_psn_no, user_name, user_certno)
            duplicate = session.scalar(
                sa.select(MutualAidBinding.id).where(
                    MutualAidBinding.authoriser_psn_no == authoriser_psn_no,
                    MutualAidBinding.user_psn_no == user_psn_no,
                    MutualAidBinding.status == "active",
                )
            )
            if duplicate is not None:
                raise AlreadyBound
            binding = MutualAidBinding(
                id=uuid.uuid4().hex, authoriser_psn_no=authoriser_psn_no, user_psn_no=user_psn_no,
                relation=relation, status="active", pledge=True, channel=actor.channel,
                acting_staff_id=actor.id if actor.kind == "staff" else None,
                idempotency_key=idempotency_key, created_at=now,
            )  # fmt: skip
            session.add(binding)
            record_audit(
                session, actor, action="mutual_aid.authorise", now=now,
                on_behalf_of=authoriser_psn_no, record_type="mutual_aid_binding",
                record_id=binding.id,
            )  # fmt: skip
    except sa.exc.IntegrityError:
        # A unique index refused the insert: a concurrent request won. Answer as if it ran first.
        existing = find_keyed_after_conflict(
            session, MutualAidBinding, idempotency_key, authoriser_psn_no=authoriser_psn_no
        )
        if existing is None:
            raise AlreadyBound from None
        return existing
    return binding


def list_bindings(session: Session, *, psn_no: str) -> Bindings:
    """Bindings where the person authorises, and where the person is the one authorised."""
    with session.begin():
        newest_first = sa.select(MutualAidBinding).order_by(MutualAidBinding.created_at.desc())
        given = newest_first.where(MutualAidBinding.authoriser_psn_no == psn_no)
        received = newest_first.where(MutualAidBinding.user_psn_no == psn_no)
        return Bindings(list(session.scalars(given)), list(session.scalars(received)))


def unbind(
    session: Session, *, binding_id: str, authoriser_psn_no: str | None, actor: Actor, now: datetime
) -> MutualAidBinding:
    """解绑 by the authoriser, or staff (authoriser_psn_no None); others' bindings: not found."""
    with session.begin():
        binding = session.get(MutualAidBinding, binding_id, with_for_update=True)
        if binding is None or (
            authoriser_psn_no is not None and binding.authoriser_psn_no != authoriser_psn_no
        ):
            raise BindingNotFound
        if binding.status == "active":
            binding.status, binding.unbound_at = "unbound", now
            record_audit(
                session, actor, action="mutual_aid.unbind", now=now,
                on_behalf_of=binding.authoriser_psn_no, record_type="mutual_aid_binding",
                record_id=binding.id,
            )  # fmt: skip
    return binding
