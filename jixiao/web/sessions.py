"""Sessions in the database, as Django keeps them, read with a query compiled once (:mod:`jixiao.web.compiled`).

Every request reads its session; Django's store built and compiled that lookup anew each time, several times the
cost of the lookup itself. Writing, expiring and clearing sessions stay Django's own.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone

from .compiled import CompiledQuery

#: Django makes session keys of lower-case letters and digits, so no stored session has this one (a cookie that
#: carries it finds no row, as any unknown key).
_KEY = "<stand-in>"


@cache
def _session_query(sessions: Any) -> CompiledQuery:
    return CompiledQuery(
        lambda key: sessions.objects.filter(session_key=key).order_by().values_list("session_data", "expire_date"), _KEY
    )


class SessionStore(DatabaseSessionStore):
    """``SESSION_ENGINE = "jixiao.web.sessions"``: Django's database store with the read compiled once."""

    def _get_session_from_db(self) -> Any:
        if self.session_key is not None:
            for data, expires in _session_query(self.model).rows(self.session_key):
                if expires > timezone.now():  # an expired session is no session, as in Django's own query
                    return self.model(session_key=self.session_key, session_data=data, expire_date=expires)
        self._session_key = None
        return None
