"""A reproducible corpus of realistic Chinese catalog entries for the catalog search benchmark."""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

SUBJECTS: dict[str, list[str]] = {
    "transport": ["公交客流", "地铁客流", "港口吞吐量", "航班起降", "道路拥堵指数", "出租车轨迹", "货运物流",
                  "停车场泊位", "交通违法记录", "高速公路通行"],
    "finance": ["企业信贷", "银行网点", "保险理赔", "证券交易", "跨境支付", "小微企业融资", "信用卡消费"],
    "energy": ["电力负荷", "光伏发电", "充电桩使用", "天然气消费", "风电出力", "居民用电量"],
    "health": ["医院门诊量", "疫苗接种", "医保结算", "药品流通", "体检报告", "医疗机构名录"],
    "education": ["学校名录", "招生计划", "学籍变动", "教师资格", "高校科研经费"],
    "commerce": ["商品零售价格", "跨境电商订单", "餐饮门店", "商圈客流", "网络零售额"],
    "government": ["政务服务事项", "行政审批", "信访办理", "财政预算", "政府采购"],
    "environment": ["空气质量监测", "水质监测", "噪声监测", "污染源排放", "垃圾分类"],
    "meteorology": ["气象观测", "降水量", "台风路径", "气温预报"],
    "agriculture": ["农产品价格", "耕地面积", "粮食产量", "畜牧养殖", "农机作业"],
    "market_regulation": ["企业登记", "市场主体", "食品抽检", "特种设备", "商标注册"],
    "social_security": ["社保缴纳", "就业登记", "养老金发放", "职业技能培训"],
    "urban": ["房地产交易", "建筑工地", "城市管网", "不动产登记", "物业管理"],
    "natural_resources": ["土地利用", "矿产资源", "地质灾害", "测绘成果"],
    "telecom": ["基站分布", "5G覆盖", "宽带接入", "手机信令"],
    "industry": ["工业产值", "规上企业能耗", "设备运行", "工业互联网"],
    "culture": ["景区客流", "文物保护单位", "图书馆借阅", "演出票务"],
    "science": ["专利申请", "科研项目", "论文发表", "科技企业"],
}
REGIONS = ["北京市", "上海市", "广州市", "深圳市", "杭州市", "成都市", "重庆市", "武汉市", "南京市",
           "西安市", "天津市", "苏州市", "长沙市", "郑州市", "青岛市", "厦门市", "宁波市", "合肥市",
           "福州市", "济南市", "贵阳市", "昆明市", "沈阳市", "大连市", "哈尔滨市", "南宁市", "海口市",
           "兰州市", "乌鲁木齐市", "拉萨市"]
SUFFIXES = ["统计", "明细", "数据集", "月报", "年报", "汇总", "实时数据", "监测数据", "分析报告", "目录",
            "清单", "指标"]
ASPECTS = ["分区县统计结果", "逐日明细", "月度汇总", "空间分布", "变化趋势", "分类构成"]
SOURCES = ["业务系统", "物联网感知设备", "政务数据共享平台", "企业自有系统", "第三方采集", "卫星遥感"]
FIELDS = ["名称", "编码", "地址", "经度", "纬度", "日期", "数量", "金额", "类型", "状态", "所属区县",
          "统一社会信用代码", "时间戳"]
USES = ["城市规划", "风险评估", "精准营销", "信用评价", "产业分析", "应急管理", "学术研究", "金融风控"]
FREQ_ZH = {"realtime": "实时", "daily": "日", "weekly": "周", "monthly": "月", "quarterly": "季度",
           "yearly": "年", "once": "一次性"}
LATIN_TAGS = ["GDP", "API", "IoT", "GPS", "AI", "5G", "ETC", "POI", "OCR", "CPI"]
ZH_TAGS = ["开放数据", "实时", "历史数据", "脱敏", "高频", "空间数据", "统计数据", "民生"]
BUREAUS = ["交通运输局", "大数据中心", "生态环境局", "卫生健康委员会", "市场监督管理局", "气象局",
           "农业农村局", "住房和城乡建设局", "人力资源和社会保障局", "自然资源局"]
BRANDS = ["云图", "数智", "星河", "智联", "卓信", "汇通", "远景", "拓维", "华数", "天元"]
# status weights: most of a live catalog is public; some drafts and a few others
STATUSES = [("registered", 70), ("notice", 10), ("draft", 12), ("submitted", 5), ("cancelled", 3)]
NOW = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Holder:
    """A holder party to be created before the resources."""

    name: str
    kind: str
    public_body: bool


@dataclass
class Entry:
    """The metadata of one resource (what ResourceCreate would carry, plus status and times)."""

    title: str
    description: str
    domain: str
    tags: list[str]
    classification: str
    grade: str
    level: int | None
    open_condition: str | None
    update_frequency: str
    time_span_start: date
    time_span_end: date
    holder_index: int
    status: str
    created_at: datetime
    updated_at: datetime
    extra: dict[str, str] = field(default_factory=dict)


def holders(count: int = 50) -> list[Holder]:
    """`count` holders: public bodies (region + bureau) and companies, some individuals."""
    rng = random.Random(7)
    out: list[Holder] = []
    for i in range(count):
        if i % 2 == 0:
            name = REGIONS[i % len(REGIONS)] + BUREAUS[(i // 2) % len(BUREAUS)]
            out.append(Holder(name, "organization", True))
        elif i % 10 == 9:
            out.append(Holder(f"个人数据主体{i}", "individual", False))
        else:
            name = f"{rng.choice(REGIONS)[:-1]}{BRANDS[i % len(BRANDS)]}科技有限公司"
            out.append(Holder(name, "organization", False))
    return out


def _description(rng: random.Random, region: str, subject: str, freq: str, y1: int, y2: int) -> str:
    fields = "、".join(rng.sample(FIELDS, 3))
    parts = [f"本数据集汇总{region}{subject}的{rng.choice(ASPECTS)}，时间范围为{y1}年至{y2}年，"
             f"按{FREQ_ZH[freq]}更新。",
             f"数据来源于{rng.choice(SOURCES)}，字段包括{fields}等，已完成脱敏处理。"]
    if rng.random() < 0.5:
        parts.append(f"可用于{rng.choice(USES)}等场景。")
    return "".join(parts)


def entry(rng: random.Random, all_holders: list[Holder]) -> Entry:
    """One random but realistic catalog entry."""
    domain = rng.choice(list(SUBJECTS))
    subject, region = rng.choice(SUBJECTS[domain]), rng.choice(REGIONS)
    y2 = rng.randint(2019, 2025)
    y1 = y2 - rng.randint(0, 4)
    year = f"{y2}年" if rng.random() < 0.5 else ""
    title = f"{region}{year}{subject}{rng.choice(SUFFIXES)}"
    freq = rng.choice(list(FREQ_ZH))
    holder_index = rng.randrange(len(all_holders))
    holder = all_holders[holder_index]
    classification = "public" if holder.public_body else ("personal" if rng.random() < 0.1 else "enterprise")
    grade = "important" if rng.random() < 0.1 else "general"
    tags = list(dict.fromkeys([subject[:2], *rng.sample(ZH_TAGS, rng.randint(0, 2)),
                               *rng.sample(LATIN_TAGS, rng.randint(0, 2))]))
    created = NOW - timedelta(seconds=rng.randint(0, 2 * 365 * 86400))
    status = rng.choices([s for s, _ in STATUSES], [w for _, w in STATUSES])[0]
    return Entry(title=title, description=_description(rng, region, subject, freq, y1, y2), domain=domain,
                 tags=tags, classification=classification, grade=grade,
                 level=rng.randint(1, 4) if grade == "general" else None,
                 open_condition=rng.choice(["unconditional", "conditional", "not_open"])
                 if classification == "public" else None,
                 update_frequency=freq, time_span_start=date(y1, 1, 1), time_span_end=date(y2, 12, 31),
                 holder_index=holder_index, status=status, created_at=created,
                 updated_at=created + timedelta(seconds=rng.randint(0, 30 * 86400)))


@dataclass(frozen=True)
class QuerySpec:
    """One benchmark query: its kind (for the report), keywords, filters, page and who asks."""

    kind: str
    q: str = ""
    domain: str | None = None
    classification: str | None = None
    holder_index: int | None = None
    page: int = 1
    actor: str = "anonymous"  # anonymous | holder | operator
    actor_holder: int = 0  # which holder's user asks, when actor == "holder"


TWO_CHAR = ["客流", "港口", "信用", "电力", "数据", "统计", "监测", "上海", "价格", "登记", "医保", "气象"]
LONGER = ["吞吐量", "空气质量", "公交客流", "跨境电商", "充电桩", "医保结算", "深圳市", "房地产交易",
          "企业信用", "风险评估", "政务数据共享"]
LATIN = ["gdp", "api", "5g", "iot", "poi", "etc"]


def query_mix(count: int, n_holders: int, seed: int = 11) -> list[QuerySpec]:
    """`count` queries in a fixed mix of kinds, reproducible from `seed`."""
    rng = random.Random(seed)
    actors = ["anonymous"] * 7 + ["holder"] * 2 + ["operator"]
    domains = list(SUBJECTS)
    makers = [
        lambda a: QuerySpec("two_char", q=rng.choice(TWO_CHAR), actor=a),
        lambda a: QuerySpec("three_four_char", q=rng.choice(LONGER), actor=a),
        lambda a: QuerySpec("latin", q=rng.choice(LATIN), actor=a),
        lambda a: QuerySpec("filter_only", domain=rng.choice(domains), actor=a),
        lambda a: QuerySpec("word_and_filter", q=rng.choice(TWO_CHAR + LONGER), domain=rng.choice(domains),
                            actor=a),
        lambda a: QuerySpec("holder_filter", holder_index=rng.randrange(n_holders), classification="public",
                            actor=a),
        lambda a: QuerySpec("page_2", q=rng.choice(TWO_CHAR), page=2, actor=a),
    ]
    return [replace(makers[i % len(makers)](rng.choice(actors)), actor_holder=rng.randrange(n_holders))
            for i in range(count)]
