"""The reject and skip lines of ingest in English and Chinese.

A reject reason is stored once and read by people using either language (CLI, the web's rejects
page, the JSONL rejects file), so each message is written as ``English / 中文``: the English part
first (the part scripts and tests match on), the Chinese after it. Every message names its file
or record through the fields the caller passes.
"""

from __future__ import annotations

from typing import Any

#: key → (English, Chinese); ``{fields}`` are filled from the caller's keyword arguments
MESSAGES: dict[str, tuple[str, str]] = {
    "skip.aux": ("skipped: not a record format: {file} (image, document or schema file)",
                 "已跳过：不是著录数据格式：{file}（图像、说明文档或模式文件）"),
    "skip.unknown": ("skipped: not a record format: unknown format: {file}: not a recognised patent or "
                     "trademark format (starts with {preview}); see 'ipai formats'",
                     "已跳过：不是著录数据格式：未知格式：{file}：不是可识别的专利或商标格式（开头为 {preview}）；"
                     "支持的格式见 'ipai formats'"),
    "skip.duplicate": ("skipped: {file} has the same content as {other}, already loaded",
                       "已跳过：{file} 与已载入的 {other} 内容相同"),
    "file.unknown": ("unknown format: {file}: not a recognised patent or trademark format (starts with "
                     "{preview}); see 'ipai formats' for the supported formats",
                     "未知格式：{file}：不是可识别的专利或商标格式（开头为 {preview}）；支持的格式见 'ipai formats'"),
    "file.empty": ("no records found in {file} read as {format}: the file holds no {what}",
                   "按 {format} 读取 {file} 未找到任何记录：文件中没有{what_zh}"),
    "xml.syntax": ("not well-formed XML: {detail} (line {line}, column {column})",
                   "XML 格式错误：{detail}（第 {line} 行，第 {column} 列）"),
    "xml.root": ("not a {format} record: root element <{tag}>", "不是 {format} 记录：根元素为 <{tag}>"),
    "rec.no_number": ("no publication number in the record", "记录中没有公开（公告）号"),
    "rec.bad_number": ("publication number {raw!r} cannot be read", "无法识别公开（公告）号 {raw!r}"),
    "rec.map": ("cannot map the record: {error}", "无法转换该记录：{error}"),
    "rec.no_document": ("{what} names no publication to attach it to (no publication or patent number)",
                        "{what_zh}没有可归属的文献（无公开号或专利号）"),
    "rec.unreadable_json": ("not valid JSON: {detail}", "不是有效的 JSON：{detail}"),
    "zip.nested_unreadable": ("unreadable zip inside the archive: {detail}", "压缩包内的 zip 文件无法读取：{detail}"),
    "pv.not_table": ("not a PatentsView table: no patent number with title/abstract columns, and not one of the "
                     "per-patent tables (columns: {columns})",
                     "不是 PatentsView 数据表：既没有专利号及标题/摘要列，也不是按专利号关联的分表（列：{columns}）"),
    "gzip.broken": ("broken gzip data: {detail}", "gzip 数据损坏：{detail}"),
}


def say(key: str, **fields: Any) -> str:
    """The message ``key`` in both languages, ``English / 中文``, with its fields filled in."""
    en, zh = MESSAGES[key]
    return f"{en.format(**fields)} / {zh.format(**fields)}"
