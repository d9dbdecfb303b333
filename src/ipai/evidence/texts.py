"""What the evidence certificate and the verification write, in English and Chinese: the names of
an entry's fields and metadata, kinds of deposit, and every verification check as a code with its
values (``{"code": …, values}``), so a Chinese certificate never shows "kept True"."""

from __future__ import annotations

from typing import Any

FIELDS: dict[str, tuple[str, str]] = {  # entry, head and metadata fields: (English, Chinese)
    "index": ("index", "序号"),
    "time": ("time (UTC)", "存证时间（UTC）"),
    "kind": ("kind", "类型"),
    "content_sha256": ("content SHA-256", "内容 SHA-256"),
    "tenant": ("tenant", "租户"),
    "leaf_hash": ("leaf hash", "叶哈希"),
    "log_id": ("log id", "日志标识"),
    "tree_size": ("tree size", "树规模"),
    "root_hash": ("root hash", "根哈希"),
    "timestamp": ("signed at (UTC)", "签名时间（UTC）"),
    "signature": ("Ed25519 signature", "Ed25519 签名"),
    "public_key": ("public key", "公钥"),
    # metadata of deposits (ipai.service.evidence)
    "name": ("name", "文件名"),
    "who": ("depositor", "存证人"),
    "note": ("note", "备注"),
    "title": ("title", "标题"),
    "chars": ("characters", "字符数"),
    "bytes": ("bytes", "字节数"),
    "kept": ("content kept", "原文是否留存"),
    "folder": ("folder", "文件夹"),
    "files": ("files", "文件数"),
    "url": ("URL", "网址"),
    "final_url": ("final URL", "最终网址"),
    "status": ("HTTP status", "HTTP 状态码"),
    "fetched_at": ("fetched at (UTC)", "抓取时间（UTC）"),
    "headers": ("HTTP headers", "HTTP 响应头"),
    "batch": ("batch", "批次"),
    "event": ("event", "事件"),
    "previous": ("previous record", "上一条记录"),
}
# metadata a depositor wrote (shown as source text: not translated)
SOURCE_META = {"name", "who", "note", "title", "folder", "url", "final_url", "batch", "event", "headers"}
KINDS: dict[str, tuple[str, str]] = {
    "file": ("file", "文件"),
    "hash": ("hash", "哈希值"),
    "url": ("web page", "网页"),
    "disclosure": ("disclosure", "技术交底书"),
    "folder": ("folder", "文件夹"),
    "gi": ("geographical indication", "地理标志"),
    "deal": ("deal", "交易"),
}
LABELS: dict[str, tuple[str, str]] = {
    "title": ("Evidence certificate", "存证证书"),
    "entry": ("Deposit", "存证记录"),
    "head": ("Signed tree head", "签名树头"),
    "proof": ("Inclusion proof", "包含性证明"),
    "verify": ("Verify offline", "离线验证"),
    "how": (
        "On any machine with ipai: ipai evidence verify RECEIPT.json --file ORIGINAL --key LOG-PUBLIC-KEY",
        "在任何一台安装了 ipai 的计算机上：ipai evidence verify 收据.json --file 原文件 --key 日志公钥",
    ),
    "digest": ("receipt SHA-256", "收据 SHA-256"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
}
CHECKS: dict[str, tuple[str, str]] = {  # verification checks: names
    "format": ("format", "格式"),
    "entry": ("entry", "存证记录"),
    "inclusion": ("inclusion", "包含性"),
    "key": ("key", "公钥"),
    "log": ("log", "日志"),
    "signature": ("signature", "签名"),
    "file": ("file", "文件"),
}
MESSAGES: dict[str, tuple[str, str]] = {  # verification messages: (English, Chinese)
    "not_json": ("the receipt is not valid UTF-8 JSON ({error})", "收据不是有效的 UTF-8 JSON"),
    "fields": (
        "the receipt does not have exactly the fields {fields}",
        "收据的字段与规定不符（应为 {fields}）",
    ),
    "edited": (
        "the receipt is not byte-for-byte the canonical form ipai wrote: it was edited",
        "收据与 ipai 写出的规范格式逐字节不一致：已被修改",
    ),
    "layout": (
        "unsupported receipt or entry layout (version {version})",
        "不支持的收据或记录格式（版本 {version}）",
    ),
    "canonical": ("canonical receipt", "收据为规范格式"),
    "leaf_ok": ("the entry hashes to its leaf hash", "存证记录的哈希与叶哈希一致"),
    "leaf_bad": (
        "the entry hashes to {got}…, the receipt's leaf hash is {want}…: the entry (content hash, time, "
        "metadata or index) was changed",
        "存证记录的哈希为 {got}…，收据中的叶哈希为 {want}…：记录（内容哈希、时间、元数据或序号）已被修改",
    ),
    "included": (
        "entry #{index} is included in the signed tree of size {size}",
        "第 {index} 号记录包含在规模为 {size} 的签名树中",
    ),
    "proof_bad": (
        "the inclusion proof leads to root {got}…, the signed head's root is {want}…: the proof, the index "
        "or the head was changed",
        "包含性证明得到的根哈希为 {got}…，签名树头的根哈希为 {want}…：证明、序号或树头已被修改",
    ),
    "proof_malformed": ("the inclusion proof is malformed: {error}", "包含性证明格式错误"),
    "other_key": ("the receipt names another public key than the one given", "收据中的公钥与所给公钥不同"),
    "log_ok": ("the head is from the log of this key", "签名树头来自该公钥对应的日志"),
    "log_bad": ("the log id does not match the public key", "日志标识与公钥不符"),
    "sig_ok": ("{why} ({key_from})", "签名有效（{key_from_zh}）"),
    "sig_bad": (
        "the tree head's {why}: the head (size, root, time) was changed or signed by another key",
        "签名树头的签名无效：树头（规模、根哈希、时间）已被修改，或由其他密钥签名",
    ),
    "file_ok": ("the file is the deposited content", "文件即为存证的内容"),
    "file_bad": (
        "the file's SHA-256 is {got}…, the deposit recorded {want}…: it is not the deposited file (one "
        "byte differs at least)",
        "文件的 SHA-256 为 {got}…，存证记录为 {want}…：不是存证的文件（至少有一个字节不同）",
    ),
    "key_given": ("given public key", "使用所给公钥"),
    "key_own": (
        "the receipt's own public key — compare its fingerprint with the log's published key",
        "使用收据自带的公钥——请将其指纹与日志公布的公钥核对",
    ),
}


def _i(lang: str | None) -> int:
    return 1 if lang == "zh" else 0


def field(name: str, lang: str | None = "en") -> str:
    """A field's or metadata key's name in ``lang`` (the key itself when unknown)."""
    return FIELDS.get(name, (name, name))[_i(lang)]


def kind(name: str, lang: str | None = "en") -> str:
    """A kind of deposit in ``lang``."""
    return KINDS.get(name, (name, name))[_i(lang)]


def label(name: str, lang: str | None = "en") -> str:
    """A certificate label in ``lang``."""
    return LABELS[name][_i(lang)]


def value(v: Any, lang: str | None = "en") -> str:
    """A metadata value as shown: yes/no for booleans, key: value pairs for a mapping."""
    if isinstance(v, bool):
        return label("yes" if v else "no", lang)
    if isinstance(v, dict):
        return "; ".join(f"{k}: {x}" for k, x in v.items())
    return "" if v is None else str(v)


def check_name(name: str, lang: str | None = "en") -> str:
    """A verification check's name in ``lang``."""
    return CHECKS.get(name, (name, name))[_i(lang)]


def message(code: str, lang: str | None = "en", **values: Any) -> str:
    """A verification message in ``lang``."""
    return MESSAGES[code][_i(lang)].format(**values)


def check_text(check: dict[str, Any], lang: str | None = "en") -> str:
    """A verification check's message in ``lang`` (its English message when it has no code)."""
    if not check.get("code"):
        return str(check.get("message", ""))
    return message(check["code"], lang, **check.get("params", {}))
