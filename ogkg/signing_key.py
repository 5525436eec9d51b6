"""The local install's token signing key: `OGKG_SIGNING_KEY`, or one created (mode 0600) in `OGKG_HOME`."""

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from ogkg.settings import Settings

KEY_FILE = Path("keys") / "signing-key.pem"
MIN_RSA_BITS = 2048

PrivateKey = ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
PublicKey = ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey | rsa.RSAPublicKey


class SigningKeyError(Exception):
    """The signing key cannot be read, created or used; the message is one line naming the file."""


@dataclass(frozen=True)
class SigningKey:
    """A private key and the JWT algorithm it signs with."""

    private_key: PrivateKey
    algorithm: str
    path: Path

    @property
    def public_key(self) -> PublicKey:
        return self.private_key.public_key()


def signing_key_path(settings: Settings) -> Path:
    return settings.signing_key or settings.home / KEY_FILE


def load_signing_key(settings: Settings) -> SigningKey:
    """The key `OGKG_SIGNING_KEY` names; without it, the one in OGKG_HOME, created if missing."""
    path = signing_key_path(settings)
    if settings.signing_key is None and not path.exists():
        _create(path)
    return _load(path)


def _create(path: Path) -> None:
    """Write a new Ed25519 key readable by its owner only; if another process wrote one, keep it."""
    pem = ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".signing-key-")  # 0600
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(pem)
                file.flush()
                os.fsync(file.fileno())
            with contextlib.suppress(FileExistsError):  # another process's key came first
                os.link(temporary, path)  # atomic: never a half-written key, never two keys
        finally:
            os.unlink(temporary)
    except OSError as error:
        raise SigningKeyError(f"{path}: cannot create the signing key: {error.strerror}") from error


def _load(path: Path) -> SigningKey:
    try:
        mode = path.stat().st_mode
        data = path.read_bytes()
    except OSError as error:
        raise SigningKeyError(f"{path}: cannot read the signing key: {error.strerror}") from error
    if mode & 0o077:
        raise SigningKeyError(f"{path}: the signing key is open to other users; chmod 600 it")
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as error:
        raise SigningKeyError(f"{path}: not an unencrypted PEM private key") from error
    return SigningKey(key, _algorithm(path, key), path)  # type: ignore[arg-type]


def _algorithm(path: Path, key: object) -> str:
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return "EdDSA"
    if isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(key.curve, ec.SECP256R1):
        return "ES256"
    if isinstance(key, rsa.RSAPrivateKey) and key.key_size >= MIN_RSA_BITS:
        return "RS256"
    raise SigningKeyError(
        f"{path}: use an Ed25519, EC P-256 or RSA (2048 bits or more) private key"
    )
