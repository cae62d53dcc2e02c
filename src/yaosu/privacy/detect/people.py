"""Detectors for attributes of a person: name, gender, ethnicity, religion, date of birth.

These are GB/T 35273 Annex B 个人基本资料 (name, birthday, sex, ethnicity) and, for religion, a
PIPL Art. 28 sensitive category (DOMAIN.md §2); the grading that follows is not done here.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from yaosu import clock
from yaosu.privacy import checksums, reference
from yaosu.privacy.detect.base import DETECTORS, Detector, is_listed

# A value ending in one of these is a place, a body, a creed or a disease, not a given name.
_NOT_A_NAME_END = "[族教区市县省路街病炎症癌号村镇乡局院司厂店部室站馆]$"
_GENDER_CORE = ("男", "女", "男性", "女性", "m", "f", "male", "female")
_GENDER_OTHER = ("男士", "女士", "未知", "未知的性别", "未说明", "未说明的性别", "unknown")


def _single_class() -> str:
    return "[" + "".join(reference.entries("surnames")) + "]"


def _alternation(name: str) -> str:
    return "(?:" + "|".join(reference.entries(name)) + ")"


MIN_DISTINCT_NAMES = 30  # a categorical column (colours, job titles) repeats a few words
MIN_DISTINCT_SHARE = 0.3


@DETECTORS.register("PERSON_NAME")
class PersonName(Detector):
    """Chinese personal names: a listed surname (single or compound) + 1-2 given characters; pinyin forms."""

    entity = "PERSON_NAME"
    patterns = (
        rf"^{_alternation('compound_surnames')}\p{{Han}}{{1,2}}$",
        rf"^{_single_class()}\p{{Han}}{{1,2}}$",
        r"^\p{Han}{2,6}[·•・]\p{Han}{2,8}$",  # transliterated minority / foreign names, e.g. 买买提·艾力
        rf"^(?i:{_alternation('surnames_pinyin')})[ ,]\s?[A-Z][a-z]{{1,12}}(?:[ -]?[A-Za-z][a-z]{{1,12}})?$",
        rf"^[A-Z][a-z]{{1,12}}(?:-?[a-z]{{1,12}})? (?i:{_alternation('surnames_pinyin')})$",
    )
    context = ("姓名", "名字", "联系人", "客户名", "患者", "经办人", "负责人", "业务员", "name", "contact")
    validation = ("surname list (百家姓 incl. compound); not a listed diagnosis, ethnic group, religion or division; "
                  f"a name-like vocabulary: >= {MIN_DISTINCT_NAMES} distinct or >= {MIN_DISTINCT_SHARE:.0%} distinct")
    strength = 0.8

    def validate(self, values: pa.StringArray, matched: pa.BooleanArray) -> pa.BooleanArray:
        """Drop words that only look like names: listed entities of other kinds and place/creed/disease endings."""
        listed = is_listed(values, reference.value_set("diagnoses"))
        for name in ("ethnic_groups", "religions", "divisions"):
            listed = pc.or_(listed, is_listed(values, reference.value_set(name)))
        bad_end = pc.fill_null(pc.match_substring_regex(values, _NOT_A_NAME_END), False)
        return pc.and_(matched, pc.invert(pc.or_(listed, bad_end)))

    def confirm_column(self, values: pa.StringArray, matches: pa.BooleanArray, hinted: bool) -> bool:
        """Names vary: unless the header names a person, the matches must not be a small repeated vocabulary."""
        matched = values.filter(matches)
        distinct = pc.count_distinct(matched).as_py() or 0
        return hinted or distinct >= MIN_DISTINCT_NAMES or distinct >= MIN_DISTINCT_SHARE * len(matched)


@DETECTORS.register("GENDER")
class Gender(Detector):
    """Gender values: 男/女, M/F, male/female and the GB/T 2261.1 words for unknown / unstated."""

    entity = "GENDER"
    patterns = (r"^\S{1,8}$",)
    context = ("性别", "gender", "sex")
    validation = "value list (男/女/M/F/male/female/未知/未说明); most matches must be 男/女-like"
    strength = 0.95
    priority = 2

    def validate(self, values: pa.StringArray, matched: pa.BooleanArray) -> pa.BooleanArray:
        """Keep listed gender words."""
        return is_listed(values, pa.array([*_GENDER_CORE, *_GENDER_OTHER], pa.string()))

    def confirm_column(self, values: pa.StringArray, matches: pa.BooleanArray, hinted: bool) -> bool:
        """At least half of the matched values must be a real gender (a column of only 未知 is not one)."""
        core = is_listed(values.filter(matches), pa.array(_GENDER_CORE, pa.string()))
        real = int(pc.sum(core).as_py() or 0)
        return 2 * real >= max(1, int(pc.sum(matches).as_py() or 0))


@DETECTORS.register("ETHNICITY")
class Ethnicity(Detector):
    """The 56 ethnic groups (GB/T 3304), with or without the final 族."""

    entity = "ETHNICITY"
    patterns = (r"^\p{Han}{1,6}$",)
    context = ("民族", "族别", "ethnic", "nation")
    validation = "list of the 56 ethnic groups (GB/T 3304)"
    strength = 0.95
    priority = 2

    def validate(self, values: pa.StringArray, matched: pa.BooleanArray) -> pa.BooleanArray:
        """Keep listed ethnic groups."""
        return is_listed(values, reference.value_set("ethnic_groups"))


@DETECTORS.register("RELIGION")
class Religion(Detector):
    """Religious belief: the five recognised religions, others, and 'no religion' answers."""

    entity = "RELIGION"
    patterns = (r"^\S{2,16}$",)
    context = ("宗教", "信仰", "religion", "faith")
    validation = "religion list"
    strength = 0.95
    priority = 2

    def validate(self, values: pa.StringArray, matched: pa.BooleanArray) -> pa.BooleanArray:
        """Keep listed religions."""
        return is_listed(values, reference.value_set("religions"))


_DAY = r"(?:0?[1-9]|[12][0-9]|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_TIME_ZERO = r"(?:[ T]00:00(?::00(?:\.0+)?)?)?"
_SEPARATED = r"^(?P<y>(?:19|20)[0-9]{2})[-/.年](?P<m>[0-9]{1,2})[-/.月](?P<d>[0-9]{1,2})"
_COMPACT = r"^(?P<y>(?:19|20)[0-9]{2})(?P<m>[0-9]{2})(?P<d>[0-9]{2})$"
MIN_MEDIAN_AGE = 16  # years: below this a column of dates is more likely events than births
MIN_AGE_SPREAD = 8  # years between the 25th and 75th percentile of ages


def _ints(parts: pa.StructArray, field: str) -> checksums.Matrix:
    numbers = pc.fill_null(pc.cast(pc.struct_field(parts, field), pa.int32()), 0)
    return np.asarray(numbers.to_numpy(zero_copy_only=False), dtype=np.int32)


def date_parts(values: pa.StringArray) -> tuple[checksums.Matrix, checksums.Matrix, checksums.Matrix]:
    """Year, month and day of each value in one of the accepted date forms (0, 0, 0 where none)."""
    out = [np.zeros(len(values), dtype=np.int32) for _ in range(3)]
    for pattern in (_SEPARATED, _COMPACT):
        parts = pc.extract_regex(values, pattern)
        hit = np.asarray(pc.fill_null(parts.is_valid(), False).to_numpy(zero_copy_only=False))
        for arr, name in zip(out, "ymd", strict=True):
            arr[hit] = _ints(parts, name)[hit]
    return out[0], out[1], out[2]


def birth_years(values: pa.StringArray, today: date | None = None) -> checksums.Mask:
    """True where the value is a real date no later than today and at most 120 years ago."""
    year, month, day = date_parts(values)
    oldest = (today or clock.now().date()).year - 120
    return checksums.real_dates(year, month, day, today) & (year >= oldest)


@DETECTORS.register("DATE_OF_BIRTH")
class DateOfBirth(Detector):
    """Dates of birth: a real date in a common form; the header or the age distribution says it is a birth."""

    entity = "DATE_OF_BIRTH"
    patterns = (
        rf"^(?:19|20)[0-9]{{2}}(?:-{_MONTH}-{_DAY}|/{_MONTH}/{_DAY}|\.{_MONTH}\.{_DAY}){_TIME_ZERO}$",
        rf"^(?:19|20)[0-9]{{2}}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01]){_TIME_ZERO}$",
        rf"^(?:19|20)[0-9]{{2}}年{_MONTH}月{_DAY}日?$",
    )
    context = ("出生", "生日", "birth", "dob", "birthday")
    validation = (f"real calendar date within the last 120 years; header names a birth date, or median age >= "
                  f"{MIN_MEDIAN_AGE} y with interquartile spread >= {MIN_AGE_SPREAD} y")
    strength = 0.9
    priority = 1

    def validate(self, values: pa.StringArray, matched: pa.BooleanArray) -> pa.BooleanArray:
        """Keep real dates in the plausible birth range."""
        return pa.array(birth_years(values), pa.bool_())

    def confirm_column(self, values: pa.StringArray, matches: pa.BooleanArray, hinted: bool) -> bool:
        """A birth-date header decides; otherwise the ages must look like a population, not recent events."""
        if hinted:
            return True
        year, month, day = date_parts(values.filter(matches))
        key = year * 10000 + month * 100 + day
        today = clock.now().date()
        ages = (today.year * 10000 + today.month * 100 + today.day - key) / 10000.0
        if len(ages) == 0:
            return False
        low, median, high = np.percentile(ages, [25, 50, 75])
        return bool(median >= MIN_MEDIAN_AGE and high - low >= MIN_AGE_SPREAD)
