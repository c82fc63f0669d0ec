"""Accounts made from the command line (``jixiao createadmin``): validated like the web's own forms."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from ..errors import InputError


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
