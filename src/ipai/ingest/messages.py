"""The reject and skip lines of ingest in English and Chinese.

A reject reason is stored once and read by people using either language (CLI, the web's rejects
page, the JSONL rejects file), so each message is written as ``English / 中文``: the English part
first (the part scripts and tests match on), the Chinese after it. Every message names its file
or record through the fields the caller passes.
"""

from __future__ import annotations

import re
from typing import Any

#: key → (English, Chinese); ``{fields}`` are filled from the caller's keyword arguments
MESSAGES: dict[str, tuple[str, str]] = {
    "skip.aux": (
        "skipped: not a record format: {file} (image, document or schema file)",
        "已跳过：不是著录数据格式：{file}（图像、说明文档或模式文件）",
    ),
    "skip.unknown": (
        "skipped: not a record format: unknown format: {file}: not a recognised patent or "
        "trademark format (starts with {preview}); see 'ipai formats'",
        "已跳过：不是著录数据格式：未知格式：{file}：不是可识别的专利或商标格式（开头为 {preview}）；"
        "支持的格式见 'ipai formats'",
    ),
    "skip.binary": (
        "skipped: not a record format: {file} is binary data, not a recognised patent or trademark "
        "format; see 'ipai formats'",
        "已跳过：不是著录数据格式：{file} 是二进制数据，不是可识别的专利或商标格式；支持的格式见 'ipai formats'",
    ),
    "file.binary": (
        "unknown format: {file} is binary data, not a recognised patent or trademark format; see "
        "'ipai formats' for the supported formats",
        "未知格式：{file} 是二进制数据，不是可识别的专利或商标格式；支持的格式见 'ipai formats'",
    ),
    "skip.duplicate": (
        "skipped: {file} has the same content as {other}, already loaded",
        "已跳过：{file} 与已载入的 {other} 内容相同",
    ),
    "file.unknown": (
        "unknown format: {file}: not a recognised patent or trademark format (starts with "
        "{preview}); see 'ipai formats' for the supported formats",
        "未知格式：{file}：不是可识别的专利或商标格式（开头为 {preview}）；支持的格式见 'ipai formats'",
    ),
    "file.empty": (
        "no records found in {file} read as {format}: the file holds no {what}",
        "按 {format} 读取 {file} 未找到任何记录：文件中没有{what_zh}",
    ),
    "xml.broken": ("XML syntax error {where}: {detail}", "XML 语法错误（{where_zh}）：文件结构不完整或有误"),
    "xml.syntax": (
        "not well-formed XML: {detail} (line {line}, column {column})",
        "XML 格式错误：{detail}（第 {line} 行，第 {column} 列）",
    ),
    "xml.root": ("not a {format} record: root element <{tag}>", "不是 {format} 记录：根元素为 <{tag}>"),
    "rec.no_number": ("no publication number in the record", "记录中没有公开（公告）号"),
    "rec.bad_number": ("publication number {raw!r} cannot be read", "无法识别公开（公告）号 {raw!r}"),
    "rec.map": ("cannot map the record: {error}", "无法转换该记录：{error}"),
    "rec.no_document": (
        "{what} names no publication to attach it to (no publication or patent number)",
        "{what_zh}没有可归属的文献（无公开号或专利号）",
    ),
    "rec.unreadable_json": ("not valid JSON: {detail}", "不是有效的 JSON：{detail}"),
    "zip.nested_unreadable": (
        "unreadable zip inside the archive: {detail}",
        "压缩包内的 zip 文件无法读取：{detail}",
    ),
    "pv.not_table": (
        "not a PatentsView table: no patent number with title/abstract columns, and not one of the "
        "per-patent tables (columns: {columns})",
        "不是 PatentsView 数据表：既没有专利号及标题/摘要列，也不是按专利号关联的分表（列：{columns}）",
    ),
    "gzip.broken": ("broken gzip data: {detail}", "gzip 数据损坏：{detail}"),
}


def say(key: str, **fields: Any) -> str:
    """The message ``key`` in both languages, ``English / 中文``, with its fields filled in."""
    en, zh = MESSAGES[key]
    return f"{en.format(**fields)} / {zh.format(**fields)}"


_CJK = re.compile(r"[\u3400-\u9fff]")
_PREVIEW = re.compile(r"\s*(?:\(starts with |（开头为 )(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")[)）]")
_BYTES = re.compile(r"b'(?:[^'\\]|\\.)*'|(?:\\x[0-9a-f]{2})+", re.I)
_LEGACY_UNKNOWN = re.compile(
    r"^(skipped: )?(?:not a record format: )?unknown format: (.+?): not a recognised patent or "
    r"trademark format"
)


def reason_text(reason: str | None, lang: str | None = "en") -> str:
    """A stored reject reason as one clean line in ``lang``: the reader's half of an
    ``English / 中文`` message, no preview of the file's bytes, no folders of server paths, no
    control characters (the rejects file keeps the whole reason)."""
    from ipai.text.paths import strip_dirs

    text = str(reason or "")
    en, zh = text, None
    for m in re.finditer(" / ", text):  # the split whose right half is the Chinese one
        left, right = text[: m.start()], text[m.end() :]
        if _CJK.search(right) and not _CJK.search(left):
            en, zh = left, right
            break
    if zh is None:
        legacy = _LEGACY_UNKNOWN.match(text)  # reasons written before the messages were bilingual
        if legacy:
            key = "skip.unknown" if legacy.group(1) else "file.unknown"
            en, zh = (x.format(file=legacy.group(2), preview="''") for x in MESSAGES[key])
    out = zh if lang == "zh" and zh else en
    out = _BYTES.sub("", _PREVIEW.sub("", out))
    out = re.sub(r"\\+[nrt]|[\x00-\x1f\x7f]", " ", strip_dirs(out))
    return " ".join(out.split())[:400]
