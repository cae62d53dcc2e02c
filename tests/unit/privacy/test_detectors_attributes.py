"""Table-driven tests of the dictionary and text detectors: PERSON_NAME ... FREE_TEXT (valid, invalid, edge)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from yaosu.privacy import reference
from yaosu.privacy.detect import DETECTORS

CASES: list[tuple[str, str | None, bool, str]] = [
    ("PERSON_NAME", "张伟", True, "name-2-chars"),
    ("PERSON_NAME", "王晓明", True, "name-3-chars"),
    ("PERSON_NAME", "欧阳娜娜", True, "name-compound-ouyang"),
    ("PERSON_NAME", "司马光", True, "name-compound-sima"),
    ("PERSON_NAME", "诸葛亮", True, "name-zhuge"),
    ("PERSON_NAME", "买买提·艾力", True, "name-transliterated-dot"),
    ("PERSON_NAME", "Zhang Wei", True, "name-pinyin"),
    ("PERSON_NAME", "OUYANG Nana", True, "name-pinyin-upper-surname"),
    ("PERSON_NAME", "Xiaoming Wang", True, "name-pinyin-given-first"),
    ("PERSON_NAME", "高血压", False, "name-is-a-diagnosis"),
    ("PERSON_NAME", "白族", False, "name-is-an-ethnic-group"),
    ("PERSON_NAME", "朝阳区", False, "name-is-a-district"),
    ("PERSON_NAME", "张家口市", False, "name-city-too-long"),
    ("PERSON_NAME", "张", False, "name-surname-only"),
    ("PERSON_NAME", "张三丰四", False, "name-single-surname-3-given"),
    ("PERSON_NAME", "苹果", False, "name-unlisted-surname"),
    ("PERSON_NAME", "New York", False, "name-english-words"),
    ("GENDER", "男", True, "gender-male-zh"),
    ("GENDER", "女性", True, "gender-female-zh"),
    ("GENDER", "F", True, "gender-f"),
    ("GENDER", " Male ", True, "gender-male-en-padded"),
    ("GENDER", "未知", True, "gender-unknown"),
    ("GENDER", "X", False, "gender-x"),
    ("GENDER", "男女", False, "gender-both"),
    ("GENDER", "1", False, "gender-code-not-read-as-gender"),
    ("ETHNICITY", "汉族", True, "ethnic-han"),
    ("ETHNICITY", "汉", True, "ethnic-han-without-zu"),
    ("ETHNICITY", "柯尔克孜族", True, "ethnic-5-chars"),
    ("ETHNICITY", "土家", True, "ethnic-tujia-short"),
    ("ETHNICITY", "火星族", False, "ethnic-not-listed"),
    ("ETHNICITY", "Han", False, "ethnic-pinyin-not-listed"),
    ("RELIGION", "佛教", True, "religion-buddhism"),
    ("RELIGION", "伊斯兰教", True, "religion-islam"),
    ("RELIGION", "无宗教信仰", True, "religion-none-answer"),
    ("RELIGION", "christianity", True, "religion-en-lowercase"),
    ("RELIGION", "宗教", False, "religion-generic-word"),
    ("RELIGION", "教育", False, "religion-education"),
    ("DATE_OF_BIRTH", "1990-03-07", True, "dob-iso"),
    ("DATE_OF_BIRTH", "1990/3/7", True, "dob-slash-short"),
    ("DATE_OF_BIRTH", "1990.03.07", True, "dob-dots"),
    ("DATE_OF_BIRTH", "19900307", True, "dob-compact"),
    ("DATE_OF_BIRTH", "1990年3月7日", True, "dob-chinese"),
    ("DATE_OF_BIRTH", "2000-02-29 00:00:00", True, "dob-leap-day-midnight-timestamp"),
    ("DATE_OF_BIRTH", "1900-02-29", False, "dob-1900-not-leap"),
    ("DATE_OF_BIRTH", "1990-02-30", False, "dob-feb-30"),
    ("DATE_OF_BIRTH", "2099-01-01", False, "dob-future"),
    ("DATE_OF_BIRTH", "1990-03/07", False, "dob-mixed-separators"),
    ("DATE_OF_BIRTH", "1890-01-01", False, "dob-too-old"),
    ("DATE_OF_BIRTH", "1990-03-07 14:30:00", False, "dob-with-time-of-day"),
    ("ADDRESS", "北京市朝阳区建国路88号", True, "address-road-number"),
    ("ADDRESS", "广东省深圳市南山区科技园南区3栋501室", True, "address-province-building-room"),
    ("ADDRESS", "朝阳区建国路88号院3号楼2单元301室", True, "address-district-first"),
    ("ADDRESS", "浙江杭州西湖区文三路一百号", True, "address-short-province-chinese-numeral"),
    ("ADDRESS", "上海浦东新区张江镇", True, "address-town"),
    ("ADDRESS", "北京市朝阳区人民医院", False, "address-is-an-organisation"),
    ("ADDRESS", "火星市某某区3号楼", False, "address-unknown-division"),
    ("ADDRESS", "北京市", False, "address-city-only"),
    ("ADDRESS", "客户说北京市朝阳区建国路88号，请送货。", False, "address-inside-prose"),
    ("ORG_NAME", "阿里巴巴（中国）有限公司", True, "org-limited-company"),
    ("ORG_NAME", "中国平安保险（集团）股份有限公司", True, "org-joint-stock"),
    ("ORG_NAME", "北京大学", True, "org-university"),
    ("ORG_NAME", "国家统计局", True, "org-bureau"),
    ("ORG_NAME", "中国科学院自动化研究所", True, "org-institute"),
    ("ORG_NAME", "Acme Trading Co., Ltd.", True, "org-english"),
    ("ORG_NAME", "公司", False, "org-suffix-only"),
    ("ORG_NAME", "张伟", False, "org-person"),
    ("ORG_NAME", "有限公司的产品很好", False, "org-suffix-not-at-end"),
    ("MEDICAL", "高血压", True, "medical-listed"),
    ("MEDICAL", "2型糖尿病", True, "medical-type-2-diabetes"),
    ("MEDICAL", "高血压3级", True, "medical-listed-with-grade"),
    ("MEDICAL", "急性化脓性阑尾炎", True, "medical-disease-ending"),
    ("MEDICAL", "I10", True, "medical-icd10-3"),
    ("MEDICAL", "E11.9", True, "medical-icd10-dotted"),
    ("MEDICAL", "苹果手机", False, "medical-product"),
    ("MEDICAL", "A1", False, "medical-too-short-code"),
    ("MEDICAL", "e11.9", False, "medical-lowercase-code"),
    ("FREE_TEXT", "客户来电反映，包裹已经三天没有更新物流信息，请尽快处理。", True, "text-zh-sentence"),
    ("FREE_TEXT", "The parcel arrived late and the box was damaged", True, "text-en-words"),
    ("FREE_TEXT", "已发货", False, "text-short"),
    ("FREE_TEXT", "39.904200, 116.407396", False, "text-numbers-only"),
    ("FREE_TEXT", "北京市朝阳区建国路88号", False, "text-address-no-punctuation"),
]


@pytest.mark.parametrize(("entity", "value", "expected"),
                         [pytest.param(e, v, x, id=i) for e, v, x, i in CASES])
def test_attribute_detector_table(entity: str, value: str | None, expected: bool) -> None:
    detector = DETECTORS.get(entity)()
    assert detector.entity == entity
    assert detector.detect(pa.array([value], pa.string())).to_pylist() == [expected]


def test_reference_lists_ship_with_the_package() -> None:
    """The package data holds the 56 groups, compound surnames, religions and diagnoses; divisions reach districts."""
    assert len(reference.entries("ethnic_groups")) == 56
    assert {"欧阳", "司马", "诸葛"} <= set(reference.entries("compound_surnames"))
    assert len(reference.entries("surnames")) > 400
    assert {"佛教", "道教", "伊斯兰教", "天主教", "基督教"} <= set(reference.entries("religions"))
    assert "2型糖尿病" in reference.entries("diagnoses")
    assert {"海淀区", "南山区", "广东省", "广东", "内蒙古自治区", "内蒙古"} <= reference.divisions()
    assert len(reference.divisions()) > 3000


def test_gender_column_of_only_unknown_is_not_gender() -> None:
    detector = DETECTORS.get("GENDER")()
    unknown = pa.array(["未知"] * 10)
    mixed = pa.array(["男", "女", "未知", "男"])
    assert not detector.confirm_column(unknown, detector.detect(unknown), hinted=False)
    assert detector.confirm_column(mixed, detector.detect(mixed), hinted=False)


def test_reference_lists_are_declared_as_package_data() -> None:
    """Every shipped list matches a package-data glob, so wheels carry it (not only the editable install)."""
    import fnmatch
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    globs = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["yaosu"]
    shipped = sorted((root / "src/yaosu/privacy/data").glob("*.txt"))
    assert len(shipped) == 6
    for path in shipped:
        relative = path.relative_to(root / "src/yaosu").as_posix()
        assert any(fnmatch.fnmatch(relative, g) for g in globs), relative
