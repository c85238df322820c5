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
import re
import secrets
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import Any

from flask import Response, current_app, g, has_request_context, request

from graph.errors import InputError
from graph.words import LANGS, t

__all__ = [
    "LOCAL_USER",
    "AuthConfigError",
    "Credential",
    "Grant",
    "Login",
    "csrf_token",
    "current_grant",
    "install_auth",
    "install_write_guard",
    "parse_auth",
    "parse_roles",
]

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
            g.ipeco_user = user  # who writes: the workbench's roles and history (current_grant)
            return None
        if wait > 0:
            return Response(
                f"{t('auth.too_many', 'ja')} / {t('auth.too_many', 'en')}",
                429,
                {"Retry-After": str(max(1, math.ceil(wait))), "Content-Type": "text/plain; charset=utf-8"},
            )
        return Response("login required", 401, {"WWW-Authenticate": 'Basic realm="ipeco", charset="UTF-8"'})

    return login


# --- who may write (issue 22) -------------------------------------------------------------------
#: The one user of a run without ``IPECO_AUTH`` (a producer on their own machine): an editor.
LOCAL_USER = "local"
ROLES = ("viewer", "editor", "admin")


@dataclass(frozen=True)
class Grant:
    """What a user may do: ``viewer`` reads, ``editor`` writes (all regions, or ``regions`` only), ``admin`` all.

    ``local`` marks the single user of a run without a login, who is an editor (said once on screen).
    """

    user: str
    role: str = "viewer"
    regions: frozenset[str] = frozenset()
    local: bool = False

    @property
    def writes(self) -> bool:
        """Whether the user sees and may use write controls at all."""
        return self.role in ("editor", "admin")

    def can_write(self, region: str | None) -> bool:
        """Whether the user may write to ``region`` (an editor of some regions only to those)."""
        if self.role == "admin" or (self.role == "editor" and not self.regions):
            return True
        return self.role == "editor" and (region or "").removeprefix("region:") in self.regions


def parse_roles(raw: str | None, users: tuple[Credential, ...] | None) -> dict[str, Grant]:
    """``IPECO_ROLES="alice:editor:aomori|kobe,bob:admin"``: each user's role (a user not named is a viewer).

    Refused with one sentence when an entry names an unknown role, or a user ``IPECO_AUTH`` does not have.
    """
    known = {c.user for c in users or ()}
    grants: dict[str, Grant] = {}
    for number, entry in enumerate((raw or "").split(","), start=1):
        if not entry.strip():
            continue
        user, _, rest = entry.strip().partition(":")
        role, _, regions = rest.partition(":")
        if role not in ROLES or (users is not None and user not in known):
            msg = (
                f"IPECO_ROLES entry {number} ({entry.strip()!r}) is not user:role[:region|region] with a user of "
                f'IPECO_AUTH and a role of {", ".join(ROLES)}; e.g. IPECO_ROLES="alice:editor:aomori,bob:admin"'
            )
            raise AuthConfigError(msg)
        grants[user] = Grant(user, role, frozenset(r for r in regions.split("|") if r))
    return grants


def current_grant() -> Grant:
    """The grant of the request's user: the logged-in user's role, or the local editor without a login.

    Outside a request (a page function called from a script or a test) nobody writes: a viewer.
    """
    if not has_request_context():
        return Grant("anonymous")
    grants = current_app.config.get("IPECO_GRANTS")
    if grants is None:
        return Grant(LOCAL_USER, "editor", local=True)
    user = str(getattr(g, "ipeco_user", "") or "")
    return grants.get(user) or Grant(user or "anonymous")


def csrf_token(user: str) -> str:
    """The write token of ``user`` in this app: an HMAC under the app's secret, checked on every write."""
    secret: bytes = current_app.config["IPECO_CSRF_SECRET"]
    return hmac.new(secret, user.encode(), hashlib.sha256).hexdigest()


def _refused(reason: str) -> Response:
    text = " / ".join(t(f"workbench.refused.{reason}", lang) for lang in LANGS)
    return Response(text, 403, {"Content-Type": "text/plain; charset=utf-8"})


def _write_token(payload: dict[str, Any], token_ids: tuple[str, ...]) -> str | None:
    """The CSRF token a Dash callback request carries as the State of one of ``token_ids`` (None when absent)."""
    for item in (*payload.get("state", ()), *payload.get("inputs", ())):
        if isinstance(item, dict) and item.get("id") in token_ids:
            value = item.get("value")
            return value if isinstance(value, str) else None
    return None


def _output_ids(output: str) -> set[str]:
    """The component ids of a Dash request's ``output`` (``id.prop``, or ``..id.prop...id2.prop..``)."""
    return set(re.findall(r"([A-Za-z0-9_-]+)\.[A-Za-z_]+", output))


def install_write_guard(server: Any, write_outputs: frozenset[str], token_ids: tuple[str, ...]) -> None:
    """Refuse (403) every Dash request that would run a write callback without an editor's role and token.

    Dash runs every callback through one route; a write callback is told apart by its output ids
    (``write_outputs``). The check runs before Dash, so a forged request (a viewer's, or one without the
    page's token: another site's form) never reaches the callback. The callbacks check the region again.
    """
    server.config.setdefault("IPECO_CSRF_SECRET", secrets.token_bytes(32))

    @server.before_request
    def _guard_writes() -> Response | None:
        if request.method != "POST" or not request.path.endswith("_dash-update-component"):
            return None
        payload = request.get_json(silent=True)
        if not isinstance(payload, dict) or not write_outputs & _output_ids(str(payload.get("output", ""))):
            return None
        grant = current_grant()
        if not grant.writes:
            return _refused("role")
        token = _write_token(payload, token_ids)
        if token is None or not hmac.compare_digest(token, csrf_token(grant.user)):
            return _refused("csrf")
        return None
