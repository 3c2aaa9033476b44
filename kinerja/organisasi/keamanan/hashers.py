"""The password hasher: argon2id at OWASP's minimum (m = 19 MiB, t = 2, p = 1; docs/rules.md §24.1).

Django's default argon2 parameters cost ~200 ms of CPU per login, which caps logins on a deadline day;
OWASP's minimum costs a fraction of that and is still memory-hard. The algorithm name stays ``argon2``, so
every stored argon2 hash is read by this hasher; a hash made with other parameters (Django's defaults) or
by another hasher (PBKDF2) is re-made with these at the user's next successful login (Django's
``must_update``)."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2OwaspHasher(Argon2PasswordHasher):
    """argon2id, memory 19 456 KiB, 2 iterations, 1 lane."""

    memory_cost = 19456
    time_cost = 2
    parallelism = 1
