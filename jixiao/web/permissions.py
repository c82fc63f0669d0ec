"""Who may see and do what. Forms a user may not see answer 404 (their existence is not leaked);
visible forms with a forbidden action answer 403."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from .compiled import NO_ID, CompiledQuery
from .models import MEMBERSHIP_CACHE, FormRecord, Membership, Organisation

Role = Membership.Role
Status = FormRecord.Status
#: Statuses a bureau reviewer can see: the unit has handed the form over at least once.
REVIEWABLE = (Status.SUBMITTED, Status.RETURNED, Status.APPROVED)


#: A user's (organisation, role) pairs: read on every request that checks a permission.
_ROLES = CompiledQuery(
    lambda user_id: Membership.objects.filter(user_id=user_id).order_by().values_list("organisation_id", "role"), NO_ID
)


def _memberships(user: Any) -> list[tuple[int, str]]:
    """(organisation id, role) pairs, read once per user object (i.e. once per request)."""
    cached: list[tuple[int, str]] | None = getattr(user, MEMBERSHIP_CACHE, None)
    if cached is None:
        cached = [(org, role) for org, role in _ROLES.rows(user.pk)] if user.pk is not None else []
        setattr(user, MEMBERSHIP_CACHE, cached)
    return cached


def _org_ids(user: Any, *roles: str) -> list[int]:
    return [org for org, role in _memberships(user) if role in roles]


def unit_ids(user: Any) -> list[int]:
    """Units in which the user fills in or approves."""
    return _org_ids(user, Role.FILLER, Role.APPROVER)


def bureau_ids(user: Any) -> list[int]:
    """Bureaus the user reviews (reviewers and bureau administrators)."""
    return _org_ids(user, Role.REVIEWER, Role.ADMIN)


def has_role(user: Any, organisation: Organisation | int, role: str) -> bool:
    """The user holds ``role`` in the organisation (or the organisation of that id)."""
    pk = organisation if isinstance(organisation, int) else organisation.pk
    return (pk, role) in _memberships(user)


def visible_forms(user: Any) -> QuerySet[FormRecord]:
    """Every form the user may open: their units' forms, and their bureaus' handed-over forms."""
    bureaus = bureau_ids(user)
    in_bureau = Q(unit__parent_id__in=bureaus) | Q(unit__parent__parent_id__in=bureaus)
    return FormRecord.objects.filter(Q(unit_id__in=unit_ids(user)) | (in_bureau & Q(status__in=REVIEWABLE)))


def can_see(user: Any, record: FormRecord) -> bool:
    """The rule of :func:`visible_forms` for one form already read (the live save reads and locks it first):
    the user's unit's form, or a handed-over form of a bureau the user reviews."""
    if is_unit_member(user, record):
        return True
    if record.status not in REVIEWABLE:
        return False
    bureaus = bureau_ids(user)
    parent = record.unit.parent
    return parent is not None and (parent.pk in bureaus or parent.parent_id in bureaus)


def is_unit_member(user: Any, record: FormRecord) -> bool:
    return record.unit_id in unit_ids(user)


def is_reviewer(user: Any, record: FormRecord) -> bool:
    return record.unit.bureau.pk in bureau_ids(user)


def can_edit(user: Any, record: FormRecord) -> bool:
    return record.editable and is_unit_member(user, record)


def can_submit(user: Any, record: FormRecord) -> bool:
    return record.editable and has_role(user, record.unit_id, Role.APPROVER)


def can_decide(user: Any, record: FormRecord) -> bool:
    """Return or approve: a reviewer of the form's bureau, only while it is submitted."""
    return record.status == Status.SUBMITTED and is_reviewer(user, record)
