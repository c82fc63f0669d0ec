"""Accounts: made from the command line (``jixiao createadmin``), validated like the web's own forms; the login backend."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from ..errors import InputError
from .compiled import NO_ID, CompiledQuery


def create_admin(username: str, password: str) -> Any:
    """A superuser (系统管理员); the username and password pass Django's validators (messages in Chinese)."""
    users = get_user_model()
    if not username:
        raise InputError("用户名不能为空", "用户名")
    if users.objects.filter(username=username).exists():
        raise InputError("该用户名已存在", username)
    candidate = users(username=username)
    try:
        users.username_validator(username)
        validate_password(password, candidate)
    except ValidationError as error:
        raise InputError("；".join(error.messages), username) from None
    return users.objects.create_superuser(username, email="", password=password)


class AccountBackend(ModelBackend):
    """Django's own login by username and password; the user of a session is read with a query compiled once
    (:mod:`jixiao.web.compiled`): every request reads it, and the ORM's build of that lookup cost three times
    the lookup."""

    def get_user(self, user_id: Any) -> Any:
        users = get_user_model()
        try:
            pk = users._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        found = _user_query(users).instances(users, pk)
        return found[0] if found and self.user_can_authenticate(found[0]) else None


@cache
def _user_query(users: Any) -> CompiledQuery:
    return CompiledQuery(lambda pk: users._default_manager.filter(pk=pk).order_by(), NO_ID)
