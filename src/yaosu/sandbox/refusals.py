"""Why a sandbox query is refused: a stable code and the reason in Chinese and English (pure)."""

from __future__ import annotations

from yaosu.errors import PolicyViolation

# code -> (zh-CN, English); `{detail}` names the offending part of the query.
REASONS: dict[str, tuple[str, str]] = {
    "sql_too_long": ("查询语句过长（{detail}）", "the query is too long ({detail})"),
    "sql_parse_error": ("无法解析查询语句：{detail}", "the query cannot be parsed: {detail}"),
    "sql_not_one_statement": ("只能提交一条语句", "submit exactly one statement"),
    "sql_not_select": ("只允许 SELECT 查询，不允许 {detail}", "only a SELECT is allowed, not {detail}"),
    "sql_node_not_allowed": ("查询中含有不允许的结构：{detail}",
                             "the query uses a construct that is not allowed: {detail}"),
    "sql_function_not_allowed": ("函数 {detail} 不允许使用", "function {detail} is not allowed"),
    "sql_unknown_table": ("未知的表：{detail}", "unknown table: {detail}"),
    "sql_unknown_column": ("未知或有歧义的列：{detail}", "unknown or ambiguous column: {detail}"),
    "sql_join_not_allowed": ("只允许用连接列与买方表做一次内连接（{detail}）",
                             "only one inner join with the buyer's table on join columns is allowed ({detail})"),
    "sql_output_not_allowed": ("列 {detail} 不能输出", "column {detail} may not be output"),
    "sql_aggregate_not_allowed": ("该列不允许此聚合：{detail}",
                                  "this aggregate is not allowed on the column: {detail}"),
    "sql_group_by_not_allowed": ("只能按维度列分组：{detail}", "GROUP BY only dimension columns: {detail}"),
    "sql_group_by_missing": ("输出的维度列必须出现在 GROUP BY 中：{detail}",
                             "an output dimension column must be in GROUP BY: {detail}"),
    "sql_filter_not_allowed": ("过滤条件只能比较允许的列与常量：{detail}",
                               "a filter may only compare allowed columns with constants: {detail}"),
    "sql_order_not_allowed": ("只能按输出列排序：{detail}", "ORDER BY only output columns: {detail}"),
    "sql_limit_not_allowed": ("LIMIT 必须是不超过 {detail} 的整数", "LIMIT must be an integer no larger than {detail}"),
    "sql_no_aggregate": ("聚合规则下每个查询至少要有一个聚合函数",
                         "under an aggregation rule a query needs an aggregate"),
    "sql_join_required": ("列表规则下必须与买方表连接", "under a list rule the query must join the buyer's table"),
    "buyer_table_invalid": ("买方上传的表不合规：{detail}", "the buyer's table is not acceptable: {detail}"),
    "sandbox_query_failed": ("查询无法执行（{detail}），请检查常量与列的类型是否一致",
                             "the query could not run ({detail}); check that constants match the column types"),
    "sandbox_timeout": ("查询超时（{detail} 秒）", "the query ran out of time ({detail} s)"),
    "sandbox_resource_limit": ("查询超出资源限制：{detail}", "the query exceeded a resource limit: {detail}"),
}


def refusal(code: str, detail: object = "") -> PolicyViolation:
    """A PolicyViolation with `code`, its bilingual message and the detail in `details`."""
    zh, en = REASONS[code]
    text = str(detail)[:200]
    return PolicyViolation(f"{zh.format(detail=text)} / {en.format(detail=text)}", code=code,
                           field="sql", details={"detail": text, "zh": zh.format(detail=text),
                                                 "en": en.format(detail=text)})
