"""Format-preserving encryption, NIST SP 800-38G Rev. 1 FF3-1, through the `ff3` library (DOMAIN.md §3).

FF3-1 enciphers one string at a time, so this operator is per value by nature: it runs once per
*distinct* value of the column (Arrow dictionary encoding) with one cipher object, then `take`
spreads the results back. Characters outside the alphabet (dashes, the ID card's X check
character in digits mode) stay where they are; the alphabet characters are enciphered together.
A value with fewer alphabet characters than FF3-1 allows (radix^len ≥ 1,000,000) is masked.
"""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa
import pyarrow.compute as pc
from ff3 import FF3Cipher

from yaosu.errors import Invalid
from yaosu.privacy.mask.base import MASKERS, Context, Params, as_text, derive_key

ALPHABETS = {
    "digits": "0123456789",
    "alphanumeric": "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "upper_alphanumeric": "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
}


def cipher_for(key: bytes, params: Params) -> tuple[FF3Cipher, str]:
    """The FF3-1 cipher (AES-256 key and 56-bit tweak derived from the product key) and its alphabet."""
    name = str(params.get("alphabet", "digits"))
    if name not in ALPHABETS:
        raise Invalid(f"alphabet must be one of {', '.join(ALPHABETS)}", field="alphabet")
    tweak = derive_key(key, f"fpe-tweak/{params.get('tweak', '')}")[:7]
    cipher = FF3Cipher.withCustomAlphabet(derive_key(key, "fpe").hex(), tweak.hex(), ALPHABETS[name])
    return cipher, ALPHABETS[name]


def _one(value: str, step: Callable[[str], str], cipher: FF3Cipher, alphabet: str, mask_char: str) -> str:
    """`value` with its alphabet characters passed through `step` as one string, the others kept in place."""
    inside = [ch for ch in value if ch in alphabet]
    if not cipher.minLen <= len(inside) <= cipher.maxLen:
        return mask_char * len(value)
    if len(inside) == len(value):
        return step(value)
    done = iter(step("".join(inside)))
    return "".join(next(done) if ch in alphabet else ch for ch in value)


def _map_distinct(column: pa.Array, params: Params, context: Context, decrypt: bool) -> pa.Array:
    """Encipher (or decipher) each distinct value once, then spread the results over the rows."""
    cipher, alphabet = cipher_for(context.key, params)
    mask_char = str(params.get("mask_char", "*"))
    step = cipher.decrypt if decrypt else cipher.encrypt
    encoded = as_text(column).dictionary_encode()
    done = [_one(v, step, cipher, alphabet, mask_char) for v in encoded.dictionary.to_pylist()]
    return pc.take(pa.array(done, pa.string()), encoded.indices)


@MASKERS.register("fpe")
def fpe_encrypt(column: pa.Array, params: Params, context: Context) -> pa.Array:
    """FF3-1 encryption keeping length and non-alphabet characters; nulls stay null."""
    return _map_distinct(column, params, context, decrypt=False)


def fpe_decrypt(column: pa.Array, params: Params, context: Context) -> pa.Array:
    """The inverse of `fpe_encrypt` under the same key and params (for re-identification by the key holder)."""
    return _map_distinct(column, params, context, decrypt=True)
