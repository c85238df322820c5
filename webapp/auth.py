"""HTTP basic auth for a shared server: ``IPECO_AUTH="alice:pw1,bob:pw2"``, kept only as salted hashes.

Rules (``ipeco serve`` refuses to start otherwise, with one sentence):

* unset ``IPECO_AUTH`` — no login (right for the default loopback binding; a wider binding prints
  a warning);
* set but empty — refused: an operator who sets the variable means a login, and a compose file
  that forwards an unset host variable would otherwise open the app without a word;
* every entry is ``user:password`` with both parts non-empty (``user:``, ``:pw`` and ``:`` are
  refused), users are distinct; a password may contain ``:`` but not ``,`` (the entry separator).

Passwords are hashed once at start-up with ``hashlib.scrypt`` (salted, memory-hard) and the clear
text is not kept by the app. Checking a request costs one scrypt (~0.1–0.2 s), too much for the ten
or so requests behind every page view, so each worker remembers the headers it has verified, as an
HMAC under a key that lives only in that process's memory; a wrong password is never remembered.

Failed logins are rate-limited, because each one costs a scrypt: a client address may fail
:data:`FAILS_PER_ADDRESS` times per :data:`FAIL_WINDOW` seconds, and all clients together may start
:data:`CHECKS_PER_SECOND` password checks a second; past either, the answer is ``429`` with
``Retry-After`` and no scrypt runs. A user whose header was verified before is never slowed: the
remembered HMAC answers without a check.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import secrets
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import Any

from flask import Response, request

from graph.errors import InputError
from graph.words import t

__all__ = ["AuthConfigError", "Credential", "Login", "install_auth", "parse_auth"]

#: scrypt cost: 16 MiB and ~0.1 s per check on one core of this project's machines.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
_REMEMBERED = 1024
#: Failed logins one client address may make per window before it must wait.
FAILS_PER_ADDRESS = 10
FAIL_WINDOW = 60.0
#: Password checks (scrypt) started per second by all clients together.
CHECKS_PER_SECOND = 5.0
_ADDRESSES_TRACKED = 4096


class AuthConfigError(InputError):
    """``IPECO_AUTH`` is empty or malformed; the app must not start (a user error, exit 1)."""


@dataclass(frozen=True)
class Credential:
    """One user: the name and the scrypt hash of the password with its own salt."""

    user: str
    salt: bytes
    digest: bytes

    @classmethod
    def hashed(cls, user: str, password: str) -> Credential:
        salt = secrets.token_bytes(16)
        return cls(user, salt, _kdf(password, salt))

    def matches(self, password: str) -> bool:
        return hmac.compare_digest(_kdf(password, self.salt), self.digest)


def _kdf(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)


def parse_auth(raw: str | None) -> tuple[Credential, ...] | None:
    """The users of ``IPECO_AUTH`` (None: the variable is unset, no login), hashed."""
    if raw is None:
        return None
    if not raw.strip():
        msg = "IPECO_AUTH is set but empty; unset it to serve without a login, or set it to user:password"
        raise AuthConfigError(msg)
    users: dict[str, Credential] = {}
    for number, entry in enumerate(raw.split(","), start=1):
        user, sep, password = entry.strip().partition(":")
        if not sep or not user or not password:
            msg = (
                f"IPECO_AUTH entry {number} is not user:password with a non-empty user and password; "
                'write IPECO_AUTH="alice:password1,bob:password2"'
            )
            raise AuthConfigError(msg)
        if user in users:
            msg = f"IPECO_AUTH names the user {user!r} twice; give each user one password"
            raise AuthConfigError(msg)
        users[user] = Credential.hashed(user, password)
    return tuple(users.values())


class Login:
    """Checks ``Authorization: Basic …`` headers against the hashed users, thread-safely."""

    def __init__(self, users: tuple[Credential, ...]) -> None:
        self.users = users
        self._key = secrets.token_bytes(32)
        self._verified: OrderedDict[bytes, str] = OrderedDict()
        self._lock = threading.Lock()
        self._fails: OrderedDict[str, deque[float]] = OrderedDict()
        self._budget = CHECKS_PER_SECOND
        self._refilled = time.monotonic()
        # Unknown users cost one scrypt too, so timing does not tell which names exist.
        self._decoy = Credential.hashed("", secrets.token_urlsafe(16))

    def user_for(self, header: str, client: str = "") -> str | None:
        """The user a header authenticates, or None (also when ``client`` must wait: see :meth:`retry_after`)."""
        return self.attempt(header, client)[0]

    def attempt(self, header: str, client: str = "") -> tuple[str | None, float]:
        """``(user, 0)`` when the header was checked (user None when it is wrong), or ``(None, wait)``
        when ``client`` must wait ``wait`` seconds before a check: only a refused check is a 429."""
        tag = hmac.new(self._key, header.encode(), hashlib.sha256).digest()
        with self._lock:
            if tag in self._verified:
                self._verified.move_to_end(tag)
                return self._verified[tag], 0.0
        if not header:
            return None, 0.0
        if _credentials(header) is None:  # not a basic header at all: no password to check
            with self._lock:
                self._failed(client)
            return None, 0.0
        if (wait := self.retry_after(client)) > 0 or not self._take_check():
            return None, max(wait, 1.0 / CHECKS_PER_SECOND)
        user = self._check(header)
        with self._lock:
            if user is not None:
                self._verified[tag] = user
                while len(self._verified) > _REMEMBERED:
                    self._verified.popitem(last=False)
            else:
                self._failed(client)
        return user, 0.0

    def retry_after(self, client: str) -> float:
        """Seconds ``client`` must wait before its next password check (0 when it may try now)."""
        now = time.monotonic()
        with self._lock:
            fails = self._fails.get(client)
            while fails and fails[0] <= now - FAIL_WINDOW:
                fails.popleft()
            if fails and len(fails) >= FAILS_PER_ADDRESS:
                return fails[0] + FAIL_WINDOW - now
            budget = min(CHECKS_PER_SECOND, self._budget + (now - self._refilled) * CHECKS_PER_SECOND)
        return 0.0 if budget >= 1 else (1 - budget) / CHECKS_PER_SECOND

    def _take_check(self) -> bool:
        """Spend one password check from the budget shared by all clients (a token bucket)."""
        now = time.monotonic()
        with self._lock:
            self._budget = min(CHECKS_PER_SECOND, self._budget + (now - self._refilled) * CHECKS_PER_SECOND)
            self._refilled = now
            if self._budget < 1:
                return False
            self._budget -= 1
            return True

    def _failed(self, client: str) -> None:
        """Record a failed check of ``client`` (the caller holds the lock)."""
        fails = self._fails.setdefault(client, deque())
        fails.append(time.monotonic())
        self._fails.move_to_end(client)
        while len(self._fails) > _ADDRESSES_TRACKED:
            self._fails.popitem(last=False)

    def _check(self, header: str) -> str | None:
        given = _credentials(header)
        if given is None:
            return None
        given_user, given_password = given
        found = self._decoy
        for credential in self.users:
            if hmac.compare_digest(credential.user.encode(), given_user.encode()):
                found = credential
        ok = found.matches(given_password)
        return found.user if ok and found is not self._decoy else None


def _credentials(header: str) -> tuple[str, str] | None:
    """``(user, password)`` of a well-formed ``Basic`` header, else None."""
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        given_user, sep, given_password = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return (given_user, given_password) if sep else None


def install_auth(server: Any, users: tuple[Credential, ...]) -> Login:
    """Require a login on every request of the Flask ``server``."""
    login = Login(users)

    @server.before_request
    def _check_auth() -> Response | None:
        client = request.remote_addr or ""
        user, wait = login.attempt(request.headers.get("Authorization", ""), client)
        if user is not None:
            return None
        if wait > 0:
            return Response(
                f"{t('auth.too_many', 'ja')} / {t('auth.too_many', 'en')}",
                429,
                {"Retry-After": str(max(1, math.ceil(wait))), "Content-Type": "text/plain; charset=utf-8"},
            )
        return Response("login required", 401, {"WWW-Authenticate": 'Basic realm="ipeco", charset="UTF-8"'})

    return login
