"""Claim structure on real Chinese claims.

The shared data has no Chinese claim sets, so these are real claim sentences of three CN
publications as published in the UD_Chinese-PatentChar treebank (UniversalDependencies,
CC BY-SA 4.0; patent ids as given there). The treebank samples sentences, so some middle
sentences of a claim are missing; every claim opening is kept in order.
"""

from __future__ import annotations

from ipai.text.claims import split_claims

# treebank patent_id CN102017001004271… (published 2018-01-30): 封闭式液冷服务器
LIQUID_COOLED_SERVER = (
    "1.一种封闭式液冷服务器，包括壳体和服务器主板；其特征在于：所述壳体内容纳有制冷剂；"
    "所述服务器主板设置在壳体中，壳体内的制冷剂浸没服务器主板；所述制冷剂为硅油。"
    "2.根据权利要求1所述的一种封闭式液冷服务器，其特征在于：所述壳体是一个金属的密封腔体或者金属铸造密封腔体，"
    "制冷剂和服务器主板设置于密封腔体内，制冷剂浸没服务器主板的所有发热元件。"
)

# treebank patent_id CN102017000832312… (published 2018-01-23): 燃煤热值修正方法
COAL_HEAT_VALUE = (
    "1.一种燃煤热值修正方法，其特征在于，包括：实时获取发电机功率和燃煤流量；"
    "分别对所述发电机功率和燃煤流量进行积分累积运算，得到当前时刻的发电机功率累积值和当前时刻的燃煤流量累积值；"
    "分别将所述当前时刻的发电机功率累积值和当前时刻的燃煤流量累积值存储到预设的存储器中；"
    "获取预设时长的发电机功率累积值和燃煤流量累积值；"
    "依据所述预设时长的发电机功率累积值和燃煤流量累积值，计算煤电比；依据所述煤电比对当前燃煤热值进行修正。"
    "2.根据权利要求1所述的方法，其特征在于，所述分别对所述发电机功率和燃煤流量进行积分累积运算，"
    "得到当前时刻的发电机功率累积值和当前时刻的燃煤流量累积值中，对所述发电机功率进行积分累积运算，"
    "得到发电机功率累积值，包括：判断所述第一发电机功率累积值是否超过了预设的第一阈值，"
    "并判断所述第二发电机功率是否超过了预设的第二阈值；"
    "从所述第一积分运算器和第二积分运算器中确定主积分运算器，主积分运算器中得到的积分运算结果为当前时刻的发电机功率累积值。"
)


def test_real_cn_claims_structure() -> None:
    server = split_claims(LIQUID_COOLED_SERVER, "zh")
    assert [(c.num, c.depends_on) for c in server] == [(1, []), (2, [1])]
    assert server[0].text.startswith("一种封闭式液冷服务器") and server[0].text.endswith("所述制冷剂为硅油。")
    coal = split_claims(COAL_HEAT_VALUE, "zh")
    assert [(c.num, c.independent) for c in coal] == [(1, True), (2, False)]
    assert coal[1].depends_on == [1] and "第一阈值" in coal[1].text
    # "第一"/"第二" ordinals and "1.0" style numbers inside a claim are not claim starts
    assert len(coal) == 2
