"""Column-level accuracy of `classify_column` on a labelled evaluation set generated here (fixed seed).

    python benchmarks/scan_accuracy.py [--rows 400] [--per-entity 6] [--seed 20260601]

Every one of the 23 entity codes gets `--per-entity` columns that vary in blanks, dirty values and
header (a naming header, an opaque one such as c1/col_7, or a misleading one); hard negatives
(18-digit order numbers failing MOD 11-2 under 身份证号, serials failing Luhn under 卡号, recent
order dates, numeric ids, product codes, hashes, status words, everyday words) must come back as
None. Prints JSON: per-entity precision/recall/F1, the column-level macro-F1 over the 23 codes,
the confusions, and the embedded-entity counts found in the prose columns against those planted.
"""

from __future__ import annotations

import argparse
import json
import random
import string
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent))
import accuracy_data as gen
from yaosu.privacy.classify import classify_column

OPAQUE = ["c1", "col_7", "field3", "x", "remark", None]


@dataclass(frozen=True)
class Spec:
    """One kind of evaluation column: its true label (None for a hard negative), value maker and headers."""

    label: str | None
    make: gen.Gen
    headers: tuple[str | None, ...]


def _mac(rng: random.Random) -> str:
    sep = rng.choice(":-")
    return sep.join(f"{rng.randint(0, 255):02X}" for _ in range(6))


def _plate(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    body = "".join(rng.choice(letters + string.digits) for _ in range(5))
    if rng.random() < 0.2:
        return rng.choice(gen.PROVINCE_CHARS) + rng.choice(letters) + rng.choice("DF") + gen.digits(rng, 5)
    return rng.choice(gen.PROVINCE_CHARS) + rng.choice(letters) + body


POSITIVES: list[Spec] = [
    Spec("CN_ID_CARD", gen.id_card, ("身份证号", "证件号码", "c1")),
    Spec("CN_MOBILE", gen.mobile, ("手机号", "remark", "col_7")),
    Spec("CN_LANDLINE", gen.landline, ("座机", "电话", "c2")),
    Spec("EMAIL", lambda r: f"{''.join(r.choices(string.ascii_lowercase, k=7))}{r.randint(1, 99)}@"
         f"{r.choice(['qq.com', '163.com', 'example.com.cn'])}", ("邮箱", "contact", "c3")),
    Spec("CN_BANK_CARD", gen.bank_card, ("银行卡号", "account", "c4")),
    Spec("CN_USCC", gen.uscc, ("统一社会信用代码", "code", "c5")),
    Spec("IMEI", gen.imei, ("imei", "设备号", "c6")),
    Spec("VEHICLE_VIN", gen.vin, ("车架号", "vin", "c7")),
    Spec("IP_ADDRESS", gen.ip_address, ("ip", "登录地址", "c8")),
    Spec("MAC_ADDRESS", _mac, ("mac", "网卡", "c9")),
    Spec("CN_LICENSE_PLATE", _plate, ("车牌号", "plate", "c10")),
    Spec("CN_PASSPORT", lambda r: r.choice("EG") + gen.digits(r, 8), ("护照号", "passport", "c11")),
    Spec("CN_HK_MACAO_PERMIT", lambda r: "C" + gen.digits(r, 8), ("港澳通行证", "permit", "c12")),
    Spec("GPS_COORDINATE", lambda r: f"{r.uniform(18, 53):.6f},{r.uniform(73, 135):.6f}", ("经纬度", "c13")),
    Spec("PERSON_NAME", gen.person_name, ("姓名", "联系人", "c14", "身份证号")),
    Spec("PERSON_NAME", gen.staff, ("经办人", "负责人")),
    Spec("ADDRESS", gen.address, ("地址", "住址", "c15")),
    Spec("DATE_OF_BIRTH", gen.birth_date, ("出生日期", "birthday", "c16", "col_7")),
    Spec("GENDER", gen.pick(["男", "女", "未知"], [48, 48, 4]), ("性别", "sex", "c17")),
    Spec("ETHNICITY", gen.pick(["汉族", "回族", "满族", "壮族", "维吾尔族", "苗族", "土家族", "汉"],
                               [70, 5, 5, 5, 5, 4, 4, 2]), ("民族", "c18")),
    Spec("ORG_NAME", gen.org_name, ("工作单位", "company", "c19")),
    Spec("MEDICAL", gen.medical, ("诊断", "diagnosis", "c20")),
    Spec("RELIGION", gen.pick(["无宗教信仰", "佛教", "基督教", "伊斯兰教", "道教", "天主教"], [60, 15, 10, 8, 4, 3]),
         ("宗教信仰", "c21")),
    Spec("FREE_TEXT", lambda r: gen.prose(r, plant=0.3), ("备注", "comment", "c22")),
]

COLOURS = ["红色", "黄色", "白色", "蓝色", "金色", "黑色", "绿色", "紫色"]
JOBS = ["工程师", "经理", "会计", "司机", "教师", "护士", "销售", "主管", "厨师", "保安"]
CITIES = ["北京市", "上海市", "广州市", "深圳市", "杭州市", "南京市", "武汉市", "成都市"]
_WORDS = ("时间方法安全程序常见高度黄金金融文化国家通知能力和平明天成功平台管理服务市场经济"
          "发展技术系统数据信息产品质量价格计划工作学习生活问题项目客户订单支付物流仓库库存"
          "销售采购合同发票财务审计人力招聘培训考核薪资福利会议报告文件邮件名称类型状态数量"
          "金额单价折扣积分")
KEYWORDS = [_WORDS[i:i + 2] for i in range(0, len(_WORDS), 2)]  # everyday two-character words
GROCERIES = ["苹果", "香蕉", "白菜", "黄瓜", "牛奶", "面包", "鸡蛋", "大米", "可乐", "饼干", "酱油", "毛巾"]
NEGATIVES: list[Spec] = [
    Spec(None, gen.order_number, ("身份证号", "order_no", "c30")),
    Spec(None, gen.bad_luhn_serial, ("卡号", "serial", "c31")),
    Spec(None, gen.recent_date, ("下单日期", "c32", "col_7")),
    Spec(None, lambda r: str(r.randint(1, 10**6)), ("id", "c33")),
    Spec(None, lambda r: f"{r.uniform(1, 5000):.2f}", ("金额", "c34")),
    Spec(None, lambda r: f"SKU-{r.choice('ABCDEF')}{gen.digits(r, 6)}", ("product_code", "c35")),
    Spec(None, lambda r: uuid.UUID(int=r.getrandbits(128)).hex, ("hash", "c36")),
    Spec(None, lambda r: str(uuid.UUID(int=r.getrandbits(128))), ("uuid", "c37")),
    Spec(None, gen.pick(["已完成", "待付款", "已发货", "已取消", "退款中"]), ("状态", "c38")),
    Spec(None, gen.pick(["是", "否"]), ("是否会员", "c39")),
    Spec(None, gen.pick(GROCERIES), ("商品", "c40", "姓名")),
    Spec(None, gen.pick(["N/A", "-", "不详", "null", "无"]), ("c41", "身份证号")),
    Spec(None, lambda r: f"2024-{r.randint(1, 12):02d}-{r.randint(1, 28):02d} {r.randint(0, 23):02d}:"
         f"{r.randint(0, 59):02d}:{r.randint(0, 59):02d}", ("created_at", "c42")),
    Spec(None, lambda r: f"{r.uniform(-90, 90):.6f}", ("lat", "c43")),
    Spec(None, lambda r: gen.digits(r, 15), ("c44", "imei")),
    Spec(None, gen.pick(COLOURS), ("颜色", "c45")),
    Spec(None, gen.pick(JOBS), ("职位", "c46")),
    Spec(None, gen.pick(CITIES), ("城市", "c47", "地址")),
    Spec(None, gen.pick(["财务部", "人事部", "技术部", "市场部"]), ("部门", "c48")),
    Spec(None, gen.hire_date, ("c49", "入职日期")),
    Spec(None, gen.pick(KEYWORDS), ("标签", "c50")),
]
DIRT = ["", " ", None, "N/A", "-", "不详", "???"]


def make_column(spec: Spec, rng: random.Random, rows: int, variant: int) -> tuple[str | None, list[str | None]]:
    """A column of `spec` with a header and a dirt level chosen by `variant` (blanks and junk up to 30%)."""
    header = spec.headers[variant % len(spec.headers)]
    dirt = [0.0, 0.05, 0.15, 0.3][variant % 4]
    values = [rng.choice(DIRT) if rng.random() < dirt else spec.make(rng) for _ in range(rows)]
    return header, values


def evaluate(rows: int, per_entity: int, seed: int) -> dict[str, Any]:
    """Generate, classify, score: the JSON-ready report."""
    rng = random.Random(seed)
    truth: list[str | None] = []
    found: list[str | None] = []
    embedded: dict[str, int] = {}
    planted = 0
    for spec in [*POSITIVES, *NEGATIVES]:
        for variant in range(per_entity):
            header, values = make_column(spec, rng, rows, variant)
            finding = classify_column(pa.array(values, pa.string()), header=header)
            truth.append(spec.label)
            found.append(finding.entity if finding else None)
            for code, n in (finding.embedded if finding else {}).items():
                embedded[code] = embedded.get(code, 0) + n
            if spec.label == "FREE_TEXT":
                planted += sum(v.count(gen.PLANT_MARK) for v in values if v)
    return {"benchmark": "scan_accuracy", "seed": seed, "rows_per_column": rows, "columns": len(truth),
            **score(truth, found), "embedded_in_prose": {"found": embedded, "planted_each": {
                "CN_ID_CARD": planted, "CN_MOBILE": planted}}}


def score(truth: list[str | None], found: list[str | None]) -> dict[str, Any]:
    """Per-entity precision/recall/F1 and their macro average over the labelled entity codes."""
    per: dict[str, dict[str, float]] = {}
    for code in sorted({t for t in truth if t}):
        tp = sum(1 for t, f in zip(truth, found, strict=True) if t == f == code)
        fp = sum(1 for t, f in zip(truth, found, strict=True) if f == code and t != code)
        fn = sum(1 for t, f in zip(truth, found, strict=True) if t == code and f != code)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per[code] = {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}
    confusions: dict[str, int] = {}
    for t, f in zip(truth, found, strict=True):
        if t != f:
            key = f"{t}->{f}"
            confusions[key] = confusions.get(key, 0) + 1
    macro = sum(p["f1"] for p in per.values()) / len(per)
    return {"macro_f1": round(macro, 4), "per_entity": per, "confusions": confusions}


def main(argv: list[str] | None = None, out: Callable[[str], Any] = print) -> None:
    """Parse arguments, run, print JSON."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=400)
    parser.add_argument("--per-entity", type=int, default=6)
    parser.add_argument("--seed", type=int, default=20260601)
    args = parser.parse_args(argv)
    out(json.dumps(evaluate(args.rows, args.per_entity, args.seed), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
