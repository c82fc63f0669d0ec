"""Sessions in the database, as Django keeps them, read with a query compiled once (:mod:`jixiao.web.compiled`).

Every request reads its session; Django's store built and compiled that lookup anew each time, several times the
cost of the lookup itself. Writing, expiring and clearing sessions stay Django's own.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from .compiled import CompiledQuery

#: Session keys are lower-case letters and digits: no session has this one.
_KEY = "<stand-in>"
_SESSION = CompiledQuery(
    lambda key: Session.objects.filter(session_key=key).order_by().values_list("session_data", "expire_date"), _KEY
)


class SessionStore(DatabaseSessionStore):
    """``SESSION_ENGINE = "jixiao.web.sessions"``: Django's database store with the read compiled once."""

    def _get_session_from_db(self) -> Any:
        if self.session_key is not None:
            for data, expires in _SESSION.rows(self.session_key):
                if expires > timezone.now():  # an expired session is no session, as in Django's own query
                    return Session(session_key=self.session_key, session_data=data, expire_date=expires)
        self._session_key = None
        return None
