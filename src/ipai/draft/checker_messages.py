"""Messages and suggested fixes of the claim checker's findings, in English and Chinese."""

from __future__ import annotations

from typing import Any

_CAT_ZH = {"method": "方法", "product": "产品", "use": "用途"}
_OFFICE_ZH = {"CN": "中国国家知识产权局", "EP": "欧洲专利局", "US": "美国专利商标局"}

# key -> (message en, fix en, message zh, fix zh); str.format placeholders
MESSAGES: dict[str, tuple[str, str, str, str]] = {
    "numbering": (
        "Claim numbered {num} where {expected} is expected: claims are numbered consecutively from 1.",
        "Renumber the claims 1, 2, 3… and update the references to them.",
        "权利要求编号为{num}，应为{expected}：权利要求应从1开始连续编号。",
        "按1、2、3……重新编号，并相应修改引用关系。",
    ),
    "ref-forward": (
        "Claim {num} refers to claim {ref}, which is not an earlier claim: a dependent claim may refer "
        "to preceding claims only.",
        "Refer to an earlier claim, or move this claim after claim {ref}.",
        "权利要求{num}引用了权利要求{ref}，但它不是在前的权利要求：从属权利要求只能引用在前的权利要求。",
        "改为引用在前的权利要求，或将本权利要求移到权利要求{ref}之后。",
    ),
    "ref-missing": (
        "Claim {num} refers to claim {ref}, which does not exist.",
        "Correct the claim number in the reference.",
        "权利要求{num}引用的权利要求{ref}不存在。",
        "更正引用的权利要求编号。",
    ),
    "ref-unparsed": (
        '"claim {x}" is not a claim number (a typing or OCR error?): the dependency is unclear.',
        'Write the number of the claim referred to, e.g. "claim 1".',
        "“claim {x}”不是权利要求编号（录入或识别错误？），引用关系不清楚。",
        "写明被引用的权利要求编号，例如“权利要求1”。",
    ),
    "multi-chain": (
        "Claim {num} is a multiple-dependent claim referring to multiple-dependent claim {ref}: "
        "not allowed at the {office} office.",
        "Make claim {num} refer to the claims claim {ref} refers to individually, or make one of them "
        "refer to a single claim.",
        "权利要求{num}为多项从属权利要求，却引用了多项从属权利要求{ref}：{office_zh}不允许多项从属权利要求作为另一项多项从属权利要求的基础。",
        "改为分别引用权利要求{ref}所引用的各项权利要求，或使其中之一只引用一项权利要求。",
    ),
    "multi-chain-indirect": (
        "Claim {num} is a multiple-dependent claim based, through other claims, on multiple-dependent "
        "claim {ref}: not allowed at the {office} office (directly or indirectly).",
        "Redraft the chain so that no multiple-dependent claim rests on another one.",
        "权利要求{num}为多项从属权利要求，间接以多项从属权利要求{ref}为基础：{office_zh}不允许（直接或间接）。",
        "调整引用关系，使任何多项从属权利要求都不以另一项多项从属权利要求为基础。",
    ),
    "multi-form": (
        "A multiple-dependent claim must refer to the other claims in the alternative only ({office}).",
        'Write "any one of claims …" or "claim 1 or 2" instead of "and".',
        "多项从属权利要求只能以择一方式引用在前的权利要求。",
        "写成“权利要求1或2所述的……”或“权利要求1至3中任一项所述的……”。",
    ),
    "category": (
        "Claim {num} is a {cat} claim but depends on claim {ref}, a {parent_cat} claim: a dependent claim "
        "has the category of the claim it refers to.",
        'Make it an independent claim of its own category (e.g. "A method of using the apparatus of '
        'claim {ref}, comprising …") or change its subject to that of claim {ref}.',
        "权利要求{num}的类型为{cat_zh}，却从属于{parent_cat_zh}权利要求{ref}：从属权利要求的类型应与被引用的权利要求相同。",
        "改写为独立权利要求（如“一种使用权利要求{ref}所述装置的方法，包括……”），或将主题改为与权利要求{ref}一致。",
    ),
    "subject-name": (
        'The subject "{subj}" of claim {num} differs from that of claim {ref} ("{parent_subj}").',
        "Use the subject name of claim {ref}.",
        "权利要求{num}的主题名称“{subj}”与权利要求{ref}的主题名称（“{parent_subj}”）不一致。",
        "使用与权利要求{ref}相同的主题名称。",
    ),
    "two-part": (
        'Independent claim without the two-part form ({office}: preamble, then "characterised in that" '
        "before the features that are new over the closest prior art, where appropriate).",
        "Consider the two-part form if a closest prior art document is known.",
        "独立权利要求未采用两部分撰写方式（前序部分 + “其特征在于”）；适合时应采用。",
        "如有最接近的现有技术，可改写为“……，其特征在于：……”的形式。",
    ),
    "antecedent": (
        '"{art} {term}" has no antecedent basis: no "a/an {term}" earlier in this claim or in the '
        "claims it depends on.",
        'Introduce it first ("a {term}"), or refer to the term used earlier.',
        "“{art} {term}”缺乏引用基础：本权利要求及其所引用的权利要求中此前未出现“一{term}”。",
        "先以“一……”引入该技术特征，或改用前文已出现的名称。",
    ),
    "antecedent-zh": (
        '"所述{term}" has no antecedent basis: "{term}" is not introduced earlier in this claim or in '
        "the claims it depends on.",
        'Introduce the feature first (e.g. "一{term}" / "设有{term}"), or use the name used earlier.',
        "“所述{term}”缺乏引用基础：本权利要求及其所引用的权利要求中此前未出现“{term}”。",
        "先引入该技术特征（如“一{term}”“设有{term}”），或改用前文已出现的名称。",
    ),
    "unclear": (
        '"{term}" before a value makes the range unclear unless the description defines the tolerance.',
        'State the limits of the range (e.g. "5 to 7 mm") or define the tolerance in the description.',
        "数值前的“{term}”使范围不清楚，除非说明书界定了误差范围。",
        "写明明确的数值范围（如“5～7mm”），或在说明书中界定误差。",
    ),
    "substantially": (
        '"{term}" is a term of degree: acceptable only if the description gives a standard for it.',
        "Check that the description explains the degree meant.",
        "“{term}”为程度用语：只有在说明书给出判断标准时才可接受。",
        "确认说明书对该程度有明确说明。",
    ),
    "optional": (
        '"{term}" introduces an optional or exemplary feature: the scope of the claim becomes unclear.',
        "Delete the expression, or claim the preferred feature in a dependent claim.",
        "“{term}”引入了可选或示例性的特征，使权利要求的保护范围不清楚。",
        "删除该用语，或将优选特征写入从属权利要求。",
    ),
    "unclear-zh": (
        '"{term}" makes the claim unclear (CNIPA Guidelines II-2 3.2.2: "约", "接近", "或类似物" are '
        "normally not allowed).",
        "Give exact values or a closed range; define any tolerance in the description.",
        "“{term}”使权利要求不清楚（《专利审查指南》第二部分第二章3.2.2：通常不允许使用“约”“接近”“或类似物”等用语）。",
        "写明确切数值或封闭的数值范围；误差可在说明书中界定。",
    ),
    "optional-zh": (
        '"{term}" in a claim: preferred or exemplary features make the scope unclear (CNIPA Guidelines '
        'II-2 3.2.2: "例如", "最好是", "尤其是", "必要时" may not be used).',
        "Delete it; claim the preferred feature in a dependent claim.",
        "权利要求中出现“{term}”：优选或举例的表述使保护范围不清楚（《专利审查指南》第二部分第二章3.2.2：不得使用“例如”“最好是”“尤其是”“必要时”等用语）。",
        "删除该用语，将优选特征写入从属权利要求。",
    ),
    "support": (
        '"{term}" does not occur in the description: the claim may lack support (or the description uses '
        "another word for it).",
        'Use the description\'s term, or add "{term}" to the description where the feature is disclosed.',
        "说明书中未出现“{term}”：权利要求可能得不到说明书的支持（或说明书使用了其他名称）。",
        "使用说明书中的名称，或在说明书公开该特征处补充“{term}”。",
    ),
    "support-zh": (
        '"{term}" does not occur in the description: the claim may lack support.',
        'Use the description\'s term, or add "{term}" to the description.',
        "说明书中未出现“{term}”：权利要求可能得不到说明书的支持。",
        "使用说明书中的名称，或在说明书中补充“{term}”。",
    ),
    "numeral": (
        'Reference numeral {n} is used for "{part}" here and for "{other}" in claim {other_claim}: one '
        "numeral, one part.",
        'Use the numeral of "{part}" in the drawings, or the same name for the same part.',
        "附图标记{n}在此用于“{part}”，在权利要求{other_claim}中用于“{other}”：同一附图标记应对应同一部件。",
        "改用附图中“{part}”的标记，或对同一部件使用同一名称。",
    ),
}


def render(key: str, lang: str, **params: Any) -> tuple[str, str]:
    """The message and the suggested fix of finding ``key`` in ``lang`` ("en" or "zh")."""
    en_msg, en_fix, zh_msg, zh_fix = MESSAGES[key]
    p = dict(params)
    for k in ("cat", "parent_cat"):
        if k in p:
            p[f"{k}_zh"] = _CAT_ZH.get(str(p[k]), str(p[k]))
    if "office" in p:
        p["office_zh"] = _OFFICE_ZH.get(str(p["office"]), str(p["office"]))
    if lang == "zh":
        return zh_msg.format(**p), zh_fix.format(**p)
    return en_msg.format(**p), en_fix.format(**p)
