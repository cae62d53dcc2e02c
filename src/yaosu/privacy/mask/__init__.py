"""De-identification operators and policies: vectorized Arrow column transforms (issue 5; DOMAIN.md §3)."""

from yaosu.privacy.mask import fpe, generalize, keyed, simple, text
from yaosu.privacy.mask.apply import apply_policy, check_columns, mask_batch, output_schema
from yaosu.privacy.mask.base import MASKERS, Context, Masker, Span, derive_key
from yaosu.privacy.mask.defaults import default_policy, scan_report_for
from yaosu.privacy.mask.policy import ColumnRule, Policy, load_policy, parse_policy, policy_hash
from yaosu.privacy.mask.text import replace_spans

__all__ = ["MASKERS", "ColumnRule", "Context", "Masker", "Policy", "Span", "apply_policy", "check_columns",
           "default_policy", "derive_key", "fpe", "generalize", "keyed", "load_policy", "mask_batch",
           "output_schema", "parse_policy", "policy_hash", "replace_spans", "scan_report_for", "simple", "text"]
