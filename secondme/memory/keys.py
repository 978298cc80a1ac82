"""The database key: a random 256-bit key, stored raw (device mode) or wrapped (passphrase mode).

Device mode is the zero-friction default: the key sits in a 0600 file in the config dir. In
passphrase mode the same key is wrapped with AES-256-GCM under a key derived with scrypt, so
changing the passphrase rewraps the key and never re-encrypts the database.
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from secondme.errors import UsageError
from secondme.files import write_private_file

KEY_BYTES = 32
KEY_FILE_FORMAT = "secondme-key"
# OWASP's scrypt recommendation (N=2^17, r=8, p=1): ~0.3 s and 128 MiB per unlock.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1


class UnlockError(UsageError):
    """The key cannot be obtained: wrong passphrase, missing or damaged key file."""


class PassphraseRequired(UnlockError):
    """The key file is passphrase-protected and no passphrase was given."""


@dataclass(frozen=True)
class KeyFile:
    path: Path
    mode: str  # "device" | "passphrase"
    fields: dict

    @property
    def needs_passphrase(self) -> bool:
        return self.mode == "passphrase"


def read_key_file(path: Path) -> KeyFile | None:
    if not path.exists():
        return None
    try:
        fields = json.loads(path.read_text(encoding="utf-8"))
        if fields.get("format") != KEY_FILE_FORMAT or fields.get("mode") not in {"device", "passphrase"}:
            raise ValueError
    except (ValueError, UnicodeDecodeError, AttributeError):
        raise UnlockError(f"{path} is not a secondme key file") from None
    return KeyFile(path=path, mode=fields["mode"], fields=fields)


def create_device_key(path: Path) -> bytes:
    key = secrets.token_bytes(KEY_BYTES)
    write_key_file(path, {"mode": "device", "key": key.hex()})
    return key


def unlock(key_file: KeyFile, passphrase: str | None) -> bytes:
    fields = key_file.fields
    try:
        if key_file.mode == "device":
            key = bytes.fromhex(fields["key"])
        else:
            if passphrase is None:
                raise PassphraseRequired("this store is protected by a passphrase")
            key = _unwrap(fields, passphrase)
    except UnicodeEncodeError:
        raise UnlockError("the passphrase is not valid UTF-8 text") from None
    except (KeyError, ValueError, TypeError):
        raise UnlockError(f"{key_file.path} is damaged") from None
    if len(key) != KEY_BYTES:
        raise UnlockError(f"{key_file.path} is damaged")
    return key


def protect(path: Path, key: bytes, passphrase: str | None) -> None:
    """Store ``key`` wrapped under ``passphrase``, or raw (device mode) when it is None."""
    if passphrase is None:
        write_key_file(path, {"mode": "device", "key": key.hex()})
    else:
        write_key_file(path, {"mode": "passphrase", **_wrap(key, passphrase)})


def derive_key(passphrase: str, salt: bytes, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=KEY_BYTES, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def write_key_file(path: Path, fields: dict) -> None:
    """Atomically replace the key file; it is never readable by anyone but the owner."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    payload = json.dumps({"format": KEY_FILE_FORMAT, "version": 1, **fields}, indent=1).encode()
    write_private_file(path, payload)


def _wrap(key: bytes, passphrase: str) -> dict:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    wrapping = derive_key(passphrase, salt)
    wrapped = AESGCM(wrapping).encrypt(nonce, key, b"secondme-key-v1")
    return {
        "kdf": {"name": "scrypt", "salt": _b64(salt), "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P},
        "nonce": _b64(nonce),
        "wrapped": _b64(wrapped),
    }


def _unwrap(fields: dict, passphrase: str) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    kdf = fields["kdf"]
    if not _sane_cost(kdf["n"], kdf["r"], kdf["p"]):
        raise ValueError("scrypt cost out of range")  # a damaged file, not a reason to allocate terabytes
    wrapping = derive_key(passphrase, base64.b64decode(kdf["salt"]), kdf["n"], kdf["r"], kdf["p"])
    try:
        return AESGCM(wrapping).decrypt(base64.b64decode(fields["nonce"]), base64.b64decode(fields["wrapped"]), b"secondme-key-v1")
    except InvalidTag:
        raise UnlockError("wrong passphrase") from None


def _sane_cost(n: object, r: object, p: object) -> bool:
    """scrypt parameters this program could have written: N a power of two up to 2^22, r and p small."""
    whole = all(isinstance(value, int) and not isinstance(value, bool) for value in (n, r, p))
    return whole and 2 <= n <= 2**22 and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 16


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
