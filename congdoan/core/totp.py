"""Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP): 30-second steps, 6 digits,
HMAC-SHA-1, as Google Authenticator and Microsoft Authenticator expect."""

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
ISSUER = "Cong doan so"
SECRET_BYTES = 20  # 160 bits, the size RFC 4226 recommends for HMAC-SHA-1


def new_secret() -> str:
    """A random secret, in base32 without padding (32 characters)."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii").rstrip("=")


def secret_bytes(secret: str) -> bytes:
    """The key a base32 secret stands for (spaces and case ignored, padding restored)."""
    text = secret.replace(" ", "").upper()
    return base64.b32decode(text + "=" * (-len(text) % 8))


def hotp(key: bytes, counter: int, digits: int = DIGITS) -> str:
    """RFC 4226: the code for `counter` under `key`, zero-padded to `digits`."""
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def time_step(at: float | None = None) -> int:
    """The 30-second step `at` (a Unix time; now by default) falls in."""
    return int((time.time() if at is None else at) // STEP_SECONDS)


def code_at(secret: str, at: float | None = None, digits: int = DIGITS) -> str:
    """The code a phone would show at time `at` (now by default)."""
    return hotp(secret_bytes(secret), time_step(at), digits)


def match_step(
    secret: str, code: str, *, at: float | None = None, after: int | None = None
) -> int | None:
    """The time step whose code is `code`, looking one step either side of `at` (a phone's
    clock may be a little off); None if none matches. A step not greater than `after` (the
    last step accepted) is not accepted again, so an overheard code cannot be replayed."""
    code = code.strip().replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return None
    key = secret_bytes(secret)
    now = time_step(at)
    for step in (now, now - 1, now + 1):
        if after is not None and step <= after:
            continue
        if hmac.compare_digest(hotp(key, step), code):
            return step
    return None


def provisioning_uri(secret: str, account: str, issuer: str = ISSUER) -> str:
    """The otpauth:// address authenticator apps read (from a QR code or typed in)."""
    label = quote(f"{issuer}:{account}", safe=":@")
    query = urlencode(
        {
            "secret": secret,
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP_SECONDS,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"


def grouped(secret: str) -> str:
    """The secret in groups of four characters, easier to type."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


RECOVERY_CODES = 10
# Lower-case letters and digits without the look-alikes (0/o, 1/l/i): 8 of them are 40 bits.
RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def new_recovery_codes(count: int = RECOVERY_CODES) -> list[str]:
    """Random one-time recovery codes, as "abcd-2345"."""
    codes = []
    for _i in range(count):
        text = "".join(secrets.choice(RECOVERY_ALPHABET) for _j in range(8))
        codes.append(f"{text[:4]}-{text[4:]}")
    return codes


def recovery_hash(code: str) -> str:
    """What is stored of a recovery code: SHA-256 of it without spaces, dashes or case (the
    codes are random, 40 bits, and used once: a plain hash is enough)."""
    text = "".join(code.split()).replace("-", "").lower()
    return hashlib.sha256(text.encode("ascii", "ignore")).hexdigest()
