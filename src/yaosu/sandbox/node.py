"""The node side of sandbox and verification products: keys, loaded product tables and verification indexes.

Everything here runs where the data lives. The product table is decrypted from the vault once and
kept loaded (a small cache keyed by dataset content hash and rule hash), so a query does not pay
for decryption; a verification index is built once when the product is configured and stored next
to the vault (`verification/<product>.arrow`, keyed hashes only), then kept loaded.
`yaosu.node.client.LocalNode` calls these for the exchange (the NodeClient boundary); its callers are
services that already checked the contract, so these functions do not authorize.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.ipc as ipc
from sqlalchemy.orm import Session

from yaosu.deid.keys import ProductKey, product_key
from yaosu.errors import Invalid, NotFound
from yaosu.node.models import Dataset
from yaosu.node.vault import Vault
from yaosu.sandbox.query import Rule, load_product
from yaosu.sandbox.runner import Engine
from yaosu.sandbox.verification import Index, VerificationRule

KEY_LABEL = "sandbox"
CACHED_TABLES = 2
_tables: OrderedDict[tuple[str, str, str], Loaded] = OrderedDict()
_indexes: dict[tuple[str, str], Index] = {}
_lock = threading.Lock()


def party_key(vault: Vault, party_id: str) -> ProductKey:
    """The provider's sandbox key on this node (32 random bytes, 0600, created on first use)."""
    return product_key(vault.key_dir, party_id, KEY_LABEL)


def product_secret(key: ProductKey, product_id: str, purpose: str) -> bytes:
    """A per-product secret derived from the provider's key: the noise salt or the verification key."""
    return hmac.new(key.secret, f"yaosu-{purpose}\n{product_id}".encode(), hashlib.sha256).digest()


def dataset_row(session: Session, dataset_id: str) -> Dataset:
    """The product's dataset row (NotFound if it is gone from the node)."""
    dataset = session.get(Dataset, dataset_id)
    if dataset is None:
        raise NotFound("the product's dataset is gone from the node", field="product_id")
    return dataset


def read_table(vault: Vault, dataset: Dataset, columns: list[str]) -> pa.Table:
    """The dataset's `columns`, decrypted from the vault (checked against the node's master key)."""
    if dataset.master_key_id != vault.crypto.master.key_id:
        raise Invalid("数据集由另一主密钥加密 / the dataset was encrypted under another master key",
                      field="master_key", code="vault_wrong_key")
    source = vault.open(dataset.id, dataset.name, columns=columns)
    batches = list(source.batches)  # in the order asked for, which may differ from source.schema's file order
    return pa.Table.from_batches(batches).select(columns) if batches else source.schema.empty_table()


@dataclass(frozen=True)
class Loaded:
    """A product table as the sandbox reads it, and the locked database its queries run on."""

    table: pa.Table
    engine: Engine


def product_table(vault: Vault, dataset: Dataset, rule: Rule, rule_hash: str, product_id: str,
                  lister: str) -> Loaded:
    """The loaded product table for `rule` (clamped, subjects hashed) and its engine, cached or from the vault."""
    cache_key = (dataset.id, dataset.content_hash, rule_hash)
    with _lock:
        if cache_key in _tables:
            _tables.move_to_end(cache_key)
            return _tables[cache_key]
    salt = product_secret(party_key(vault, lister), product_id, "sandbox-noise")
    loaded = Loaded(load_product(read_table(vault, dataset, list(rule.columns)), rule, salt), Engine())
    with _lock:
        _tables[cache_key] = loaded
        while len(_tables) > CACHED_TABLES:
            _tables.popitem(last=False)  # its engine is closed when the garbage collector takes it
    return loaded


def index_path(vault: Vault, product_id: str) -> Path:
    """Where a verification product's index file lives on the node."""
    if not product_id.isalnum():
        raise Invalid("bad product id", field="product_id")
    return vault.root.parent / "verification" / f"{product_id}.arrow"


def build_index(vault: Vault, dataset: Dataset, rule: VerificationRule, product_id: str, lister: str) -> Index:
    """Build and store the product's keyed-hash index from the dataset (one pass over the data)."""
    key = product_secret(party_key(vault, lister), product_id, "verification")
    index = Index.build(read_table(vault, dataset, list(rule.fields)), rule, key)
    path = index_path(vault, product_id)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temp = path.with_suffix(".part")
    with ipc.new_file(str(temp), index.table.schema) as writer:
        writer.write_table(index.table)
    temp.chmod(0o600)
    temp.replace(path)
    with _lock:
        _indexes[(product_id, dataset.content_hash)] = index
    return index


def load_index(vault: Vault, dataset: Dataset, rule: VerificationRule, product_id: str, lister: str) -> Index:
    """The product's index, loaded from its file (or rebuilt if the file is gone)."""
    with _lock:
        cached = _indexes.get((product_id, dataset.content_hash))
    if cached is not None:
        return cached
    path = index_path(vault, product_id)
    if not path.is_file():
        return build_index(vault, dataset, rule, product_id, lister)
    with ipc.open_file(str(path)) as reader:
        index = Index(rule, reader.read_all())
    with _lock:
        _indexes[(product_id, dataset.content_hash)] = index
    return index


def verification_key(vault: Vault, product_id: str, lister: str) -> bytes:
    """The key a verification product's submitted records are hashed with."""
    return product_secret(party_key(vault, lister), product_id, "verification")
