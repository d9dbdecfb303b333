"""Error messages in the reader's language: the Chinese text of every error code.

An :class:`ipai.errors.IpaiError` carries a ``code`` and ``params`` (the values its message names);
English is the message as raised, other languages are written here from the code and the values,
never by translating the English sentence. An error raised without a code of its own gets its
class's (``query_syntax``, ``too_large``, ``forbidden``) or, when its ``errors`` name a field, the
field's kind (``empty``, ``out of range``, ``required`` … → ``field_empty``…).
"""

from __future__ import annotations

import string
from typing import Any

# what a not-found error names (``not_found`` with ``what`` and ``id``)
WHAT_ZH = {
    "document": "文献",
    "task": "任务",
    "watchlist": "监控列表",
    "alert": "提醒",
    "demand": "技术需求",
    "match": "匹配结果",
    "disclosure": "技术交底书",
    "deadline": "期限",
    "deal": "交易",
    "user": "用户",
    "api_key": "有效的 API 密钥",
    "knowledge_document": "知识库文档",
    "evidence_entry": "存证记录",
    "tree_head": "该规模的签名树头",
    "image": "图像",
    "trademark": "商标",
    "applicant": "该申请人的文献",
    "claims": "权利要求",
    "concordance": "分类对照表",
    "model": "分类模型",
    "image_index": "图像索引",
    "gi_batch": "该地理标志批次的事件",
    "page": "页面或接口",
}
# the roles a refusal names (ipai.security.roles)
ROLES_ZH = {
    "public": "访客（未登录）",
    "enterprise": "企业用户",
    "analyst": "分析师",
    "agency": "代理机构",
    "admin": "管理员",
    "regulator": "监管审计",
}
# the kinds a field error names in its ``errors`` (the raise sites' short words) → a code here
FIELD_KINDS = {
    "empty": "field_empty",
    "out of range": "field_range",
    "required": "field_required",
    "unknown": "field_unknown",
    "missing": "field_missing",
    "not found": "field_not_found",
    "too large": "field_too_large",
    "too long": "field_too_long",
    "bad code": "field_bad",
    "bad name": "field_bad",
    "not a date": "field_date",
    "not a year": "field_date",
    "no name": "field_no_name",
    "not text": "field_not_text",
    "binary": "field_not_text",
    "encoding": "field_encoding",
    "unknown kind": "field_unknown",
    "negative": "field_range",
    "must be >= 1": "field_range",
    "not a string": "field_bad",
    "both given": "field_both",
}

ZH: dict[str, str] = {
    # the classes' own texts
    "query_syntax": "检索式在位置 {pos} 处有语法错误",
    "too_large": "内容超过大小上限",
    "forbidden": "无权执行此操作",
    "missing_extra": "此功能需要可选组件 {package}：请用 pip install 'ipai[{extra}]' 安装",
    # a field named in ``errors``
    "field_empty": "{field} 不能为空",
    "field_range": "{field} 的取值超出允许范围",
    "field_required": "缺少必填项 {field}",
    "field_unknown": "{field} 的取值无法识别",
    "field_missing": "请提供 {field}",
    "field_not_found": "{field} 指定的文件或对象不存在",
    "field_too_large": "{field} 超过大小上限",
    "field_too_long": "{field} 过长",
    "field_bad": "{field} 的取值无效",
    "field_date": "{field} 不是有效日期（格式为 YYYY-MM-DD）",
    "field_no_name": "上传的文件没有文件名",
    "field_not_text": "{field} 不像文本（含控制字符或无法解码的字节）；请提供 UTF-8 文本",
    "field_encoding": "{field} 既不是 UTF-8 也不是 GB18030 编码的文本",
    "field_both": "{field} 与其他参数不能同时给出",
    # requests (API and pages)
    "bad_request": "请求参数有误：{fields}",
    "http_404": "没有此页面或接口：{path}",
    "http_405": "{path} 不接受 {method} 请求",
    "internal": "内部错误（编号 {error_id}）；详情见服务器日志",
    "audit_failed": "审计日志写入失败，请求未执行；请稍后重试",
    "not_found": "没有{what_zh} {id}",
    "not_found_in_store": "库中没有{what_zh} {id}",
    "empty_query": "检索式为空",
    "empty_company": "企业名称为空",
    "empty_question": "问题为空",
    "range": "{field} 必须在 {lo} 到 {hi} 之间",
    "one_of": "{field} 只能是 {allowed}",
    "lang": "--lang 只能是 en 或 zh，不能是 {value}",
    "not_pubno": "{number} 不是公开（公告）号",
    "ambiguous_pubno": "{number} 对应多件公开文献（{ids}）；请加上文献种类代码",
    "paths_missing": "找不到：{path}",
    "nothing_to_ingest": "没有可导入的内容：请至少给出一个文件或文件夹",
    "file_not_found": "文件不存在：{file}",
    "not_a_text_file": "{file} 不是文本文件（二进制内容）；请提供 UTF-8 文本文件",
    "file_encoding": "{file} 既不是 UTF-8 也不是 GB18030 编码的文本",
    "no_applicant_docs": "库中没有申请人为 {name} 的文献",
    "folder_not_found": "文件夹不存在：{folder}",
    "not_writable": "无法写入 {path}：{reason}",
    "unknown_format": "无法识别的格式 {format}",
    "unsupported_image": "{name}：不支持的图像格式 {suffix}（支持：{supported}）",
    "not_an_image": "{name}：无法识别为图像文件",
    "image_unreadable": "{name}：图像无法读取或解码",
    "image_pixels": "{name}：{width}×{height} 像素，超过 {limit} 像素的上限",
    "image_too_large": "图像 {name} 超过 {mb} MB 的上限",
    "image_empty": "图像 {name} 是空文件",
    "image_too_many_pixels": "{name}：图像像素过多，无法解码",
    "no_image_index": "尚未建立图像索引：请先运行 ipai images index",
    "index_not_ready": "搜索索引正在建立或更新，请稍后再试",
    "image_kind": "无法识别的图像类型 {kind}：只能是 mark（商标）或 design（外观设计）",
    "image_class": "{code} 不是有效的{scheme}分类号（如 {example}）",
    "word_mark": "请输入 1 至 200 个字符的文字商标",
    "choose_image": "请选择一个图像文件",
    "choose_file_or_text": "请选择文件或粘贴文本",
    "choose_receipt": "请选择收据文件（JSON）",
    "upload_too_large": "上传文件 {name} 超过 {mb} MB 的上限",
    "upload_empty": "上传文件 {name} 是空文件",
    "upload_bad_name": "文件名不可用：{name}",
    "body_too_large": "请求体超过 {mb} MB 的上限（设置项 {setting}）",
    "role_forbidden": "当前角色“{role}”无权执行此操作",
    "role_forbidden_anonymous": "当前角色“{role}”无权执行此操作：请登录或提供 API 密钥",
    "csrf": "表单已过期或并非从本站提交：请刷新页面后重试",
    "cross_site": "跨站请求被拒绝：只接受来自本站的修改请求",
    "bad_key": "API 密钥无效、已吊销或已停用",
    "bad_password": "用户名或密码错误",
    "rate_limited": "请求过于频繁：请在 {s} 秒后重试",
    "auth_off": "未开启登录（单机模式：所有请求均以本机管理员身份执行）",
    # FTO (the product and the patent to compare)
    "fto_no_claims": "库中 {doc} 没有权利要求（其数据来源未提供）",
    "fto_no_claim_n": "{doc} 没有第 {n} 项权利要求",
    "fto_no_independent": "{doc}：没有独立权利要求",
    "fto_no_company_docs": "库中没有申请人为 {company} 的文献，也未提供产品描述",
    "fto_markets": "请至少给出一个目标市场（如 US,EP）",
    # the query language (positions are 0-based, as in ``errors[].position``)
    "q_empty": '检索式为空：请输入检索词、"短语"或字段检索（如 ti:robot）',
    "q_too_long": "检索式过长：最多 {limit_chars} 个字符，当前有 {n} 个",
    "q_unclosed_quote": "位置 {pos} 处的引号 {ch} 没有对应的 {close}",
    "q_unexpected_rpar": "位置 {pos} 处的 ')' 前面没有与之配对的 '('",
    "q_missing_rpar": "位置 {pos} 处的 '(' 缺少对应的 ')'",
    "q_unexpected": "位置 {pos} 处出现无法识别的 '{tok}'",
    "q_field_needs_term": "位置 {fpos} 处的字段 '{field}' 后面须直接跟检索词、\"短语\"或（括号组），而不是位置 {pos} 处的 "
    "'{tok}'；排除某字段请把 NOT、- 或 + 放在字段前（-{field}…）",
    "q_empty_parens": "位置 {pos} 处的括号内为空",
    "q_needs_term_after": "位置 {pos} 处：'{op}' 后面缺少检索词",
    "q_needs_term_between": "位置 {pos} 处：'{a}' 与 '{b}' 之间缺少检索词",
    "q_needs_term_before": "位置 {pos} 处的 '{op}' 前面缺少检索词",
    "q_range_needs_field": "位置 {pos} 处的范围前须有日期字段，如 pd:{tok}",
    "q_lone_star": "位置 {pos} 处单独的 '*' 不是检索词；截词请写在词尾，如 comput*",
    "q_star_inside": "位置 {pos} 处的 '*' 只能用在词尾（截词，如 comput*）",
    "q_empty_quotes": "位置 {pos} 处的引号内为空：请在引号中输入词语",
    "q_range_field": "位置 {fpos} 处的字段 '{field}' 不能用范围；范围只用于日期字段（pd:、ad:、prd:、py:）",
    "q_unknown_field": "位置 {pos} 处的字段 '{field}' 无法识别；可用字段：{known}",
    "q_too_deep": "位置 {pos} 处嵌套过深：括号、NOT/-/!/+ 与字段前缀最多 {depth} 层",
    "q_bad_value": "位置 {pos} 处的 '{value}' 不是有效的{kind_zh}",
    "q_not_pubno": "位置 {pos} 处：{value} 不是公开（公告）号",
    "q_unsupported": "位置 {pos} 处的检索式成分不受支持",
}
VALUE_KINDS_ZH = {
    "date": "日期（如 2015、2015-03、2015-03-01 或 20150301）",
    "range": "日期范围（如 [2010 TO 2015]、2010..2015）",
    "code": "分类号（如 G06N、G06N3/08、G06N3*）",
    "status": "法律状态（如 pending、granted、in_force、lapsed、expired）",
    "locarno": "洛迦诺分类号（如 14-01、1401 或 14*）",
}
TEXTS = {"zh": ZH}


class _Values(dict):
    """Format values: lists joined the Chinese way; a missing name leaves the text unusable."""

    def __missing__(self, key: str) -> Any:
        raise KeyError(key)


def _value(v: Any) -> Any:
    if isinstance(v, (list, tuple, set)):
        return "、".join(str(x) for x in v)
    return v


def code_of(exc: Any) -> tuple[str, dict[str, Any]]:
    """The message code of an error and the values to write it with (a field error without a
    code of its own takes the kind its ``errors`` name)."""
    params = dict(getattr(exc, "params", {}) or {})
    code = getattr(exc, "code", "") or ""
    errors = getattr(exc, "errors", None) or []
    first = errors[0] if errors and isinstance(errors[0], dict) else {}
    if first.get("field"):
        params.setdefault("field", first["field"])
    if not code and first.get("field"):
        code = FIELD_KINDS.get(str(first.get("message", "")), "")
    if "what" in params:
        params.setdefault("what_zh", WHAT_ZH.get(params["what"], params["what"]))
    if "role" in params:
        params["role"] = ROLES_ZH.get(str(params["role"]), params["role"])
    if "kind" in params:
        params.setdefault("kind_zh", VALUE_KINDS_ZH.get(params["kind"], params["kind"]))
    return code, params


def render(code: str, lang: str, params: dict[str, Any] | None = None) -> str | None:
    """The text of ``code`` in ``lang`` with ``params`` filled in; None when there is none (or a
    value it names is missing)."""
    text = TEXTS.get(lang, {}).get(code)
    if text is None:
        return None
    try:
        return string.Formatter().vformat(
            text, (), _Values({k: _value(v) for k, v in (params or {}).items()})
        )
    except (KeyError, IndexError, ValueError):
        return None


def localize(exc: Any, lang: str) -> str | None:
    """An error's message in ``lang`` (None when the catalogue cannot write it)."""
    code, params = code_of(exc)
    return render(code, lang, params) if code else None
