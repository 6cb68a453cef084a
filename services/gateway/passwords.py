"""The password policy of every account: asesi sign-up, staff created by an admin, the bootstrap admin.

At least MIN_LENGTH characters, not one of the common passwords of common-passwords.txt, and not
containing the e-mail's local part or a word of the person's name (the first guesses of anyone
who knows them).
"""
import re
from functools import cache
from pathlib import Path

from shared.errors import Invalid

MIN_LENGTH = 10
MAX_LENGTH = 128  # argon2 hashes any length; the API caps it so a request cannot make hashing slow
COMMON_PASSWORDS = Path(__file__).with_name("common-passwords.txt")
MIN_PERSONAL_WORD = 3  # shorter name parts ("Al", initials) would refuse too many good passwords


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def personal_words(email: str, name: str) -> set[str]:
    """The e-mail's local part and the name's words, lowercased."""
    words = {email.split("@", 1)[0].lower(), *re.split(r"[^\w]+", name.lower())}
    return {word for word in words if len(word) >= MIN_PERSONAL_WORD}


def require_strong(password: str, email: str, name: str) -> None:
    """Raise Invalid (field `password`) unless the password follows the policy."""
    if len(password) < MIN_LENGTH:
        raise Invalid("the password must have at least {min} characters", field="password", min=MIN_LENGTH)
    lowered = password.lower()
    if lowered in common_passwords():
        raise Invalid("this password is too common; choose another", field="password")
    if any(word in lowered for word in personal_words(email, name)):
        raise Invalid("the password must not contain your name or e-mail", field="password")
