"""The login throttle: how many password guesses anyone gets, without letting a stranger lock a user out.

Three counters, each with a window and a lock (numbers in shared/settings.py and the README):
  - per account and client address: the owner's own mistakes and a guesser at one address;
    locking it locks out only that address, never the owner elsewhere;
  - per client address over all accounts: one address spraying guesses over many accounts;
  - per account over all addresses: guesses spread over many addresses. Its lock is short (a
    wait of a minute at most), so a stranger can slow the owner down but never lock them out.
An attempt is counted BEFORE its password is checked (atomically, in the shared AuthStore), so
parallel requests cannot all pass the check; an attempt that was no failure is taken back, and a
successful login clears its (account, address) counter.
"""
import hashlib
import hmac
import ipaddress
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request

from services.gateway.authstore import AuthStore
from shared.settings import Settings


@dataclass(frozen=True)
class Rule:
    name: str
    limit: int  # attempts that may fail within the window
    window: float
    lock: float


class Throttled(Exception):
    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


class LoginThrottle:
    def __init__(self, store: AuthStore, settings: Settings, clock: Callable[[], float] = time.time):
        self.store, self.clock = store, clock
        window = settings.login_window_seconds
        self.rules = (Rule("account+address", settings.login_max_failures, window, settings.login_lock_seconds),
                      Rule("address", settings.login_address_max_failures, window, settings.login_lock_seconds),
                      Rule("account", settings.login_account_max_failures, settings.login_account_wait_seconds,
                           settings.login_account_wait_seconds))
        # keys are keyed hashes: the table holds no e-mail address or client address in clear
        self._key_secret = hashlib.sha256(b"login-throttle:" + settings.secret_key.encode()).digest()

    def reserve(self, email: str, address: str) -> list[str]:
        """Count this attempt on every counter, or raise Throttled (and count it on none)."""
        now, taken = self.clock(), []
        for rule, key in zip(self.rules, self.keys(email, address), strict=True):
            locked_until = self.store.reserve(key, rule.limit, rule.window, rule.lock, now)
            if locked_until > now:
                self.release(taken)
                raise Throttled(max(1, math.ceil(round(locked_until - now, 3))))  # whole seconds, never early
            taken.append(key)
        return taken

    def release(self, keys: list[str]) -> None:
        """The attempt was no failure (e.g. the check itself failed): take it back everywhere."""
        for key in keys:
            self.store.release(key)

    def succeeded(self, keys: list[str]) -> None:
        """The owner's mistakes at this address are forgotten; the wider counters only lose this attempt."""
        self.store.reset(keys[0])
        self.release(keys[1:])
        self.store.purge(self.clock())

    def keys(self, email: str, address: str) -> list[str]:
        return [self._key(f"{email}|{address}"), self._key(f"@{address}"), self._key(email)]

    def _key(self, text: str) -> str:
        return hmac.new(self._key_secret, text.encode(), hashlib.sha256).hexdigest()


def client_address(request: Request, trusted_proxies: str = "") -> str:
    """The caller's address: the TCP peer, or, behind a configured trusted proxy, the last address
    in X-Forwarded-For that is not one of the trusted proxies (anything before it can be forged)."""
    peer = request.client.host if request.client else "unknown"
    trusted = {p.strip() for p in trusted_proxies.split(",") if p.strip()}
    if peer not in trusted:
        return peer
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if hop not in trusted and _is_address(hop):
            return hop
    return peer


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
