"""The session engine: Django's ``cached_db`` (read from the cache, written through to the database), with a
sign-in that writes its session row once.

Django's ``cycle_key()`` (every login, every password change) asks the database whether a fresh random key is
taken, INSERTs an empty row under it at once, and the response UPDATEs that row with the session's data: three
statements (five inside a transaction) for one row. Here the new key is only chosen; the response's save
INSERTs the row with its data (``must_create``: a key that somehow exists already fails the INSERT and
another one is chosen, as Django's ``create()`` does). The key is known from ``cycle_key()`` on, so what reads
it during the request (django-axes' access log keeps its hash) sees the key the browser receives.
"""

from __future__ import annotations

from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbStore
from django.utils.crypto import get_random_string


class SessionStore(CachedDbStore):
    #: The key was chosen by cycle_key() and has no row yet: the next save INSERTs it.
    _belum_ada = False

    def _get_new_session_key(self) -> str:
        # 32 random characters (Django's own), without its lookup: the INSERT of must_create is the check.
        return get_random_string(32, VALID_KEY_CHARS)

    def cycle_key(self) -> None:
        """A new key for the same data; the old row is deleted now, the new one written by the next save."""
        data = self._session
        lama = self.session_key
        self._session_key = self._get_new_session_key()
        self._session_cache = data
        self._belum_ada = True
        self.modified = True
        if lama:
            self.delete(lama)

    def save(self, must_create: bool = False) -> None:
        if self._belum_ada and self.session_key is not None:
            self._belum_ada = False
            try:
                super().save(must_create=True)
            except CreateError:  # the chosen key exists after all: take another (Django's create() loop)
                self.create()
            return
        super().save(must_create=must_create)
