"""The vault's keys: a node master key (a 0600 file) wrapping one random AES-256 data key per dataset.

Parquet modular encryption (AES_GCM_V1, uniform: footer and every column under the dataset's
data key) does the bulk encryption; this module supplies the in-process KMS that wraps and unwraps
that data key with AES-256-GCM under the master key. See docs/adr/0006-vault-encryption.md.
"""

from __future__ import annotations

import base64
import hashlib
import os
from datetime import timedelta
from pathlib import Path

import pyarrow.parquet.encryption as pe
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from yaosu.errors import Invalid
from yaosu.keys import read_or_create_secret

MASTER_KEY_FILE = "vault-master.key"
MASTER_KEY_BYTES = 32
CIPHER = "parquet-modular/AES_GCM_V1/uniform; dek AES-256 wrapped by AES-256-GCM"
_NONCE = 12
_ID_PREFIX = "yaosu-vault-master:"


class MasterKey:
    """The node's master key; `key_id` (16 hex digits of its SHA-256) names it without revealing it."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) != MASTER_KEY_BYTES:
            raise Invalid(f"vault master key must be {MASTER_KEY_BYTES} bytes", field="master_key",
                          code="vault_bad_master_key")
        self._aead = AESGCM(secret)
        self.key_id = hashlib.sha256(secret).hexdigest()[:16]

    def __repr__(self) -> str:
        return f"MasterKey(key_id={self.key_id!r})"

    @property
    def identifier(self) -> str:
        """The master key identifier written (wrapped-key AAD) into every file this key protects."""
        return _ID_PREFIX + self.key_id

    def wrap(self, data_key: bytes) -> str:
        """`data_key` sealed with AES-256-GCM under the master key, bound to its identifier; base64 text."""
        nonce = os.urandom(_NONCE)
        return base64.b64encode(nonce + self._aead.encrypt(nonce, data_key, self.identifier.encode())).decode()

    def unwrap(self, wrapped: str, identifier: str) -> bytes:
        """The data key inside `wrapped`; Invalid if it was wrapped by another master key or altered."""
        if identifier != self.identifier:
            raise Invalid(f"数据集由另一主密钥加密 / the dataset was encrypted under master key "
                          f"{identifier.removeprefix(_ID_PREFIX)}, this node holds {self.key_id}",
                          field="master_key", code="vault_wrong_key")
        raw = base64.b64decode(wrapped)
        try:
            return self._aead.decrypt(raw[:_NONCE], raw[_NONCE:], identifier.encode())
        except InvalidTag:
            raise Invalid("主密钥无法解开数据密钥 / the master key does not unwrap this dataset's key "
                          "(wrong key or altered file)", field="master_key", code="vault_wrong_key") from None


def load_or_create_master_key(key_dir: Path) -> MasterKey:
    """The master key in `key_dir`, created (32 random bytes, mode 0600) on first use."""
    return MasterKey(read_or_create_secret(key_dir / MASTER_KEY_FILE, os.urandom(MASTER_KEY_BYTES)))


class _MasterKeyKms(pe.KmsClient):  # type: ignore[misc]
    """pyarrow's KMS interface, answered in process by the master key."""

    def __init__(self, master: MasterKey) -> None:
        super().__init__()
        self._master = master

    def wrap_key(self, key_bytes: bytes, master_key_identifier: str) -> str:
        return self._master.wrap(key_bytes)

    def unwrap_key(self, wrapped_key: str, master_key_identifier: str) -> bytes:
        return self._master.unwrap(wrapped_key, master_key_identifier)


class VaultCrypto:
    """Encryption and decryption properties for Parquet files protected by one master key."""

    def __init__(self, master: MasterKey) -> None:
        self.master = master
        self._factory = pe.CryptoFactory(lambda _config: _MasterKeyKms(master))
        self._kms = pe.KmsConnectionConfig()

    def encryption_properties(self) -> pe.FileEncryptionProperties:
        """Fresh properties: a new random 256-bit data key for one file, wrapped into its footer."""
        config = pe.EncryptionConfiguration(
            footer_key=self.master.identifier, uniform_encryption=True, encryption_algorithm="AES_GCM_V1",
            plaintext_footer=False, double_wrapping=False, internal_key_material=True,
            data_key_length_bits=256, cache_lifetime=timedelta(seconds=1))
        return self._factory.file_encryption_properties(self._kms, config)

    def decryption_properties(self) -> pe.FileDecryptionProperties:
        """Properties that unwrap any file's data key with the master key."""
        config = pe.DecryptionConfiguration(cache_lifetime=timedelta(seconds=1))
        return self._factory.file_decryption_properties(self._kms, config)
