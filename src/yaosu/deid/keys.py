"""Per-product masking keys kept on the node: 32 random bytes, mode 0600, under data_dir/keys/deid/PARTY/.

Keyed operators (HMAC hash, tokens, FF3-1, seeded noise) need a product key; inside one product
(one label of one party) the same key gives the same pseudonyms, so joins survive; another label
gives unrelated ones. The key is never printed or logged: lineage records `label:fingerprint`, the
fingerprint being 16 hex digits of a SHA-256 over a domain tag and the key (it does not reveal it).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from yaosu.errors import Invalid
from yaosu.keys import read_or_create_secret
from yaosu.privacy.mask.base import MIN_KEY_BYTES, check_key

LABEL = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_PARTY = re.compile(r"^[0-9A-Z]{26}$")
DEFAULT_LABEL = "default"


@dataclass(frozen=True, repr=False)
class ProductKey:
    """A product's key bytes, its label and fingerprint; `repr` never shows the bytes."""

    label: str
    secret: bytes

    @property
    def fingerprint(self) -> str:
        """16 hex digits naming the key without revealing it."""
        return hashlib.sha256(b"yaosu-deid-key-id\n" + self.secret).hexdigest()[:16]

    @property
    def key_id(self) -> str:
        """`label:fingerprint`, as recorded in lineage and ledger events."""
        return f"{self.label}:{self.fingerprint}"

    def __repr__(self) -> str:
        return f"ProductKey({self.key_id!r})"


def key_path(key_dir: Path, party_id: str, label: str) -> Path:
    """Where party `party_id`'s key `label` lives (validated so a label cannot escape the key directory)."""
    if not LABEL.match(label):
        raise Invalid("密钥标签只能用小写字母、数字、_ 和 - / the key label is 1-40 of a-z 0-9 _ -", field="key_label")
    if not _PARTY.match(party_id):
        raise Invalid("bad party id", field="party_id")
    return key_dir / "deid" / party_id / f"{label}.key"


def product_key(key_dir: Path, party_id: str, label: str = DEFAULT_LABEL) -> ProductKey:
    """The party's product key `label` in the node's `key_dir`, created (32 random bytes, 0600) on first use."""
    path = key_path(key_dir, party_id, label)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    secret = read_or_create_secret(path, secrets.token_bytes(MIN_KEY_BYTES))
    check_key(secret)
    return ProductKey(label, secret)
