"""The examiner query language: every construct, precedence, fields, dates, codes, errors
with their exact positions, the free-text fallback, ``describe`` round trips and speed."""

from __future__ import annotations

import dataclasses

import pytest

from ipai.errors import QueryError
from ipai.search.query import parser as parser_mod
from ipai.search.query.ast import (
    And,
    Code,
    DateRange,
    FreeText,
    Match,
    Node,
    Not,
    Or,
    Phrase,
    Prefix,
    Seq,
    Term,
)
from ipai.search.query.parser import MAX_DEPTH, MAX_QUERY_CHARS, describe, parse_query, query_terms

# the first 40-odd words of a real-looking claim, with a stray "(" (no closing parenthesis)
CLAIM = (
    "1. A method for controlling an unmanned aerial vehicle (UAV, the method comprising: "
    "receiving, by a processor of the UAV, sensor data from an image sensor mounted on a "
    "gimbal; determining, based on the sensor data, a position of a target object relative "
    "to the UAV; and adjusting a flight path so that the target object remains in view."
)
CLAIM_ZH = (
    "1. 一种无人机的控制方法（其特征在于，包括：由所述无人机的处理器接收安装在云台上的图像传感器的"
    "传感器数据 (UAV；基于所述传感器数据确定目标物体相对于所述无人机的位置；以及调整飞行路径，"
    "使得所述目标物体保持在所述图像传感器的视场内。"
)


def bare(node: Node) -> Node:
    """The tree with every position set to 0, to compare shapes."""
    changes: dict = {"pos": 0}
    if isinstance(node, Not):
        changes["child"] = bare(node.child)
    if isinstance(node, (And, Or, Seq)):
        changes["children"] = tuple(bare(c) for c in node.children)
    return dataclasses.replace(node, **changes)


def shape(text: str) -> Node:
    return bare(parse_query(text))


def T(text: str, field: str | None = None, required: bool = False) -> Term:
    return Term(0, text, field, required)


def P(text: str, field: str | None = None, required: bool = False) -> Phrase:
    return Phrase(0, text, field, required)


def X(text: str, field: str | None = None) -> Prefix:
    return Prefix(0, text, field)


def seq(*c: Node) -> Seq:
    return Seq(0, c)


def and_(*c: Node) -> And:
    return And(0, c)


def or_(*c: Node) -> Or:
    return Or(0, c)


def not_(c: Node) -> Not:
    return Not(0, c)


def error(text: str, **kw) -> QueryError:
    with pytest.raises(QueryError) as info:
        parse_query(text, **kw)
    return info.value


# --- words, phrases, Chinese ---------------------------------------------------------------


def test_words_and_phrase_keep_positions():
    assert parse_query('neural network "image sensor"') == Seq(
        0, (Term(0, "neural"), Term(7, "network"), Phrase(15, "image sensor"))
    )


def test_chinese_words_phrases_and_mixed():
    assert parse_query('无人机 "电池 管理"') == Seq(0, (Term(0, "无人机"), Phrase(4, "电池 管理")))
    assert parse_query("无人机电池") == Term(0, "无人机电池")  # segmentation is the planner's job
    assert shape("drone 无人机 OR UAV") == or_(seq(T("drone"), T("无人机")), T("UAV"))
    assert shape("“电池 管理” 无人机") == seq(P("电池 管理"), T("无人机"))  # curly quotes
    assert shape("无人机\u3000电池") == seq(T("无人机"), T("电池"))  # ideographic space


@pytest.mark.parametrize(
    "word",
    [
        "wi-fi",
        "3.5",
        "IEEE802.11",
        "AT&T",
        "C++",
        "x-ray*",
        "http://example.com/a?b=1",
        "US8926509B2",
        "（无人机）",
    ],
)
def test_hyphen_dot_and_punctuation_words_stay_one_word(word):
    node = parse_query(word)
    assert isinstance(node, (Term, Prefix))
    assert node.text == word.rstrip("*")


def test_phrase_whitespace_is_normalised():
    assert parse_query('"  image \t sensor "') == Phrase(0, "image sensor")


def test_lower_case_and_or_not_are_words():
    assert shape("cats and dogs or mice not birds") == seq(
        *map(T, ["cats", "and", "dogs", "or", "mice", "not", "birds"])
    )
    assert shape("ANDROID ORACLE NOTE") == seq(T("ANDROID"), T("ORACLE"), T("NOTE"))


def test_colon_followed_by_space_is_punctuation():
    assert shape("ratio: 3") == seq(T("ratio:"), T("3"))
    assert shape("ti: robot") == seq(T("ti:"), T("robot"))
    assert shape("(ratio:)") == T("ratio:")
    assert shape("see http://example.com/x") == seq(T("see"), T("http://example.com/x"))


# --- operators, precedence, flattening ------------------------------------------------------


@pytest.mark.parametrize("text", ["a AND b", "a && b", "a 与 b"])
def test_and_spellings(text):
    assert shape(text) == and_(T("a"), T("b"))


@pytest.mark.parametrize("text", ["a OR b", "a || b", "a 或 b"])
def test_or_spellings(text):
    assert shape(text) == or_(T("a"), T("b"))


@pytest.mark.parametrize("text", ["NOT b", "-b", "!b", "非 b"])
def test_not_spellings(text):
    assert shape(text) == not_(T("b"))


def test_chinese_operators_only_between_spaces():
    assert shape("无人机 与 电池") == and_(T("无人机"), T("电池"))
    assert shape("电池 或 电容") == or_(T("电池"), T("电容"))
    assert shape("无人机 非 燃油") == seq(T("无人机"), not_(T("燃油")))
    assert shape("无人机与电池") == T("无人机与电池")
    assert shape("与其 或者") == seq(T("与其"), T("或者"))


def test_operators_are_whole_words_only():
    assert shape("a&&b x||y") == seq(T("a&&b"), T("x||y"))
    assert shape("a - b") == seq(T("a"), T("-"), T("b"))  # a lone dash is not NOT


def test_required_marks_text_nodes_only():
    assert shape('+robot +"image sensor" +comput*') == seq(
        T("robot", required=True), P("image sensor", required=True), Prefix(0, "comput", None, True)
    )
    assert shape("+ti:robot") == T("robot", "ti", True)
    assert shape("+(a b)") == seq(T("a"), T("b"))
    assert shape("+cc:US") == Match(0, "cc", "US")


def test_negation_positions():
    assert parse_query("a -b") == Seq(0, (Term(0, "a"), Not(2, Term(3, "b"))))
    assert parse_query("NOT cc:US") == Not(0, Match(4, "cc", "US"))


@pytest.mark.parametrize(
    "text,expected",
    [
        ("a b OR c d", or_(seq(T("a"), T("b")), seq(T("c"), T("d")))),
        ("a AND b c", seq(and_(T("a"), T("b")), T("c"))),
        ("a b AND c", seq(T("a"), and_(T("b"), T("c")))),
        ("a OR b AND c", or_(T("a"), and_(T("b"), T("c")))),
        ("NOT a AND b", and_(not_(T("a")), T("b"))),
        ("NOT a b", seq(not_(T("a")), T("b"))),
        ("a AND NOT b", and_(T("a"), not_(T("b")))),
        ("a OR NOT b c", or_(T("a"), seq(not_(T("b")), T("c")))),
        ("a AND b OR c AND d", or_(and_(T("a"), T("b")), and_(T("c"), T("d")))),
        ("(a OR b) AND c", and_(or_(T("a"), T("b")), T("c"))),
        ("-(a OR b) c", seq(not_(or_(T("a"), T("b"))), T("c"))),
    ],
)
def test_precedence(text, expected):
    assert shape(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("a AND b AND c", and_(T("a"), T("b"), T("c"))),
        ("(a AND b) AND (c AND d)", and_(T("a"), T("b"), T("c"), T("d"))),
        ("a OR (b OR (c OR d))", or_(T("a"), T("b"), T("c"), T("d"))),
        ("(a b) c (d e)", seq(T("a"), T("b"), T("c"), T("d"), T("e"))),
        ("((a))", T("a")),
        ("(a OR b) c", seq(or_(T("a"), T("b")), T("c"))),
        ("NOT (a b)", not_(seq(T("a"), T("b")))),
        ("a AND (b c)", and_(T("a"), seq(T("b"), T("c")))),
    ],
)
def test_groups_collapse_and_flatten(text, expected):
    assert shape(text) == expected


def test_group_position_is_its_parenthesis():
    assert parse_query("x AND (a b)").children[1].pos == 6
    assert parse_query("((a))") == Term(2, "a")


# --- fields ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        ("ti:robot", T("robot", "ti")),
        ("title:robot", T("robot", "ti")),
        ("TI:Robot", T("Robot", "ti")),
        ('ab:"image sensor"', P("image sensor", "ab")),
        ("abstract:sensor", T("sensor", "ab")),
        ("cl:comput*", X("comput", "cl")),
        ("claims:gimbal", T("gimbal", "cl")),
        ("desc:battery", T("battery", "desc")),
        ("description:battery", T("battery", "desc")),
        ("all:无人机", T("无人机", "all")),
        ("tac:drone", T("drone", "tac")),
        ("ti：无人机", T("无人机", "ti")),  # fullwidth colon after a known field
        ('pa:"Acme Corp"', P("Acme Corp", "pa")),
        ("applicant:acme", T("acme", "pa")),
        ("assignee:acme*", X("acme", "pa")),
        ("in:smith", T("smith", "in")),
        ("inventor:张三", T("张三", "in")),
    ],
)
def test_text_and_name_fields(text, expected):
    assert shape(text) == expected


def test_field_node_starts_at_the_field_name():
    assert parse_query("robot ti:arm") == Seq(0, (Term(0, "robot"), Term(6, "arm", "ti")))


@pytest.mark.parametrize(
    "text,field,value",
    [
        ("cc:CN", "cc", "CN"),
        ("country:us", "cc", "us"),
        ("lang:zh", "lang", "zh"),
        ("kind:B1", "kind", "B1"),
        ("type:design", "type", "design"),
        ("pn:US8926509", "pn", "US8926509"),
        ("id:US8926509B2", "pn", "US8926509B2"),
        ('cc:"EP"', "cc", "EP"),
    ],
)
def test_keyword_fields(text, field, value):
    assert shape(text) == Match(0, field, value)


def test_fields_on_groups():
    assert parse_query("ti:(robot OR arm)") == Or(0, (Term(4, "robot", "ti"), Term(13, "arm", "ti")))
    assert shape("cc:(US OR CN)") == or_(Match(0, "cc", "US"), Match(0, "cc", "CN"))
    assert shape("cpc:(G06N* OR G06F17*)") == or_(
        Code(0, "cpc", "G06N", True), Code(0, "cpc", "G06F17", True)
    )
    assert shape("ti:(robot -arm)") == seq(T("robot", "ti"), not_(T("arm", "ti")))
    assert shape('ab:(robot AND "image sensor")') == and_(T("robot", "ab"), P("image sensor", "ab"))
    assert shape("ti:(robot ab:arm)") == seq(T("robot", "ti"), T("arm", "ab"))  # inner field wins
    assert shape("pd:(2015 OR 2017)") == or_(
        DateRange(0, "pd", "2015-01-01", "2015-12-31"), DateRange(0, "pd", "2017-01-01", "2017-12-31")
    )
    assert shape("x ti:(a b) y") == seq(T("x"), T("a", "ti"), T("b", "ti"), T("y"))


@pytest.mark.parametrize(
    "text,scheme,code,prefix",
    [
        ("cpc:G06N3*", "cpc", "G06N3", True),
        ("cpc:G06N3/08", "cpc", "G06N3/08", False),
        ('ipc:"H04L 29/06"', "ipc", "H04L29/06", False),
        ("cpc:G06N3/0*", "cpc", "G06N3/0", True),
        ("cpc:g06n", "cpc", "G06N", False),
        ("ipc:G06F015/16", "ipc", "G06F15/16", False),
        ("cpc:A61K2039/55555", "cpc", "A61K2039/55555", False),
        ("cpc:Y02E*", "cpc", "Y02E", True),
        ("cpc:H*", "cpc", "H", True),
        ("cls:H04L*", "cls", "H04L", True),
        ("locarno:14-01", "locarno", "14-01", False),
        ("locarno:1401", "locarno", "14-01", False),
        ("locarno:14*", "locarno", "14", True),
    ],
)
def test_code_normalisation(text, scheme, code, prefix):
    assert shape(text) == Code(0, scheme, code, prefix)


@pytest.mark.parametrize(
    "text,start,end",
    [
        ("pd:2015", "2015-01-01", "2015-12-31"),
        ("pd:2015-03", "2015-03-01", "2015-03-31"),
        ("pd:2016-02", "2016-02-01", "2016-02-29"),
        ("pd:201503", "2015-03-01", "2015-03-31"),
        ("pd:2015-03-07", "2015-03-07", "2015-03-07"),
        ("pd:20150307", "2015-03-07", "2015-03-07"),
        ("pd:2015/3/7", "2015-03-07", "2015-03-07"),
        ("pd:2015.03.07", "2015-03-07", "2015-03-07"),
        ("pd:2015-3", "2015-03-01", "2015-03-31"),
        ("pd:2015年3月", "2015-03-01", "2015-03-31"),
        ("pd:[2010 TO 2015]", "2010-01-01", "2015-12-31"),
        ("pd:{2010 TO 2015}", "2011-01-01", "2014-12-31"),
        ("pd:[2010 TO 2015}", "2010-01-01", "2014-12-31"),
        ("pd:{2015-03-01 TO 2015-03-31}", "2015-03-02", "2015-03-30"),
        ("pd:[20100101 TO 20151231]", "2010-01-01", "2015-12-31"),
        ("pd:[2010 TO *]", "2010-01-01", None),
        ("pd:[* TO 2015-06]", None, "2015-06-30"),
        ("pd:>=2015-01-01", "2015-01-01", None),
        ("pd:>2015", "2016-01-01", None),
        ("pd:>2015-02", "2015-03-01", None),
        ("pd:<2010-06-30", None, "2010-06-29"),
        ("pd:<=2010", None, "2010-12-31"),
        ("pd:<2010", None, "2009-12-31"),
        ("pd:2010..2015", "2010-01-01", "2015-12-31"),
        ("pd:2010..", "2010-01-01", None),
    ],
)
def test_date_forms(text, start, end):
    assert shape(text) == DateRange(0, "pd", start, end)


def test_date_fields():
    assert shape("ad:2015") == DateRange(0, "ad", "2015-01-01", "2015-12-31")
    assert shape("prd:[2001 TO 2002]") == DateRange(0, "prd", "2001-01-01", "2002-12-31")
    assert shape("py:2015") == DateRange(0, "pd", "2015-01-01", "2015-12-31")  # py is pd
    assert parse_query("robot pd:2015") == Seq(
        0, (Term(0, "robot"), DateRange(6, "pd", "2015-01-01", "2015-12-31"))
    )


def test_truncation():
    assert parse_query("comput*") == Prefix(0, "comput")
    assert shape("无人* comput*") == seq(X("无人"), X("comput"))


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,position,fragment",
    [
        ("a AND", 5, "'AND' needs a search term after it at position 5"),
        ("a AND ", 5, "'AND' needs a search term after it"),
        ("a OR", 4, "'OR' needs a search term after it"),
        ("a &&", 4, "'&&' needs a search term after it"),
        ("a NOT", 5, "'NOT' needs a search term after it"),
        ("robot -", 7, "robot"),  # a trailing lone dash is a word, this one is not an error
        ("AND b", 0, "'AND' at position 0 needs a search term before it"),
        ("OR b", 0, "'OR' at position 0 needs a search term before it"),
        ("(OR b)", 1, "'OR' at position 1 needs a search term before it"),
        ("a AND OR b", 6, "missing search term between 'AND' and 'OR' at position 6"),
        ("NOT AND b", 4, "missing search term between 'NOT' and 'AND'"),
        ("(a OR)", 5, "'OR' needs a search term after it at position 5"),
        ("a ()", 2, "empty parentheses at position 2"),
        ("foo:bar", 0, "unknown field 'foo' at position 0; known fields: ti, title, ab"),
        ("robot Foo:bar", 6, "unknown field 'Foo' at position 6"),
        ("(robot", 0, "missing ')' for '(' at position 0"),
        ("neural AND (robot OR arm", 11, "missing ')' for '(' at position 11"),
        ("a) b", 1, "unexpected ')' at position 1: there is no '(' before it"),
        ('"abc', 0, "unclosed quote: the '\"' at position 0"),
        ('a "b c', 2, "unclosed quote"),
        ('a "b (" c', None, None),  # parentheses inside quotes are text
        ("“电池", 0, "has no closing '”'"),
        ("", 0, "empty query"),
        ("   ", 0, "empty query"),
        ('""', 0, "empty quotes at position 0"),
        ("*", 0, "a lone '*' at position 0"),
        ("a *", 2, "a lone '*' at position 2"),
        ("com*p", 3, "'*' at position 3 may only end a word"),
        ("pd:2015-13-01", 3, "'2015-13-01' at position 3 is not a date: there is no month 13"),
        ("pd:2015-02-30", 3, "month 2 of 2015 has no day 30"),
        ("pd:15", 3, "a year has four digits"),
        ("pd:soon", 3, "'soon' at position 3 is not a date"),
        ("pd:2015123", 3, "'2015123' at position 3 is not a date"),
        ("pd:>9999", 4, "'9999' at position 4 is out of the calendar's range"),
        ("pd:[2015 TO 2010]", 3, "is an empty date range"),
        ("pd:{2015 TO 2015}", 3, "is an empty date range"),
        ("pd:[2010 TO 2015-13]", 12, "'2015-13' at position 12 is not a date"),
        ("pd:[2010 2015]", 3, "is not a date range: write it as [2010 TO 2015]"),
        ("pd:>", 3, "'>' at position 3 needs a date"),
        ("pd:*", 3, "a lone '*'"),
        ("ti:[2010 TO 2015]", 3, "field 'ti' at position 0 does not take a range"),
        ("[2010 TO 2015]", 0, "a range at position 0 needs a date field in front of it"),
        ("cpc:123", 4, "'123' at position 4 is not a classification code"),
        ("cpc:G06N3/", 4, "is not a classification code"),
        ('ipc:"06 N"', 5, "is not a classification code"),
        ("cpc:G0*6", 6, "'*' at position 6 may only end a word"),
        ("locarno:ABC", 8, "is not a Locarno class"),
        ("ti:-robot", 3, "'ti:' at position 0 must be followed directly by a word"),
    ],
)
def test_errors_and_positions(text, position, fragment):
    if fragment is None or fragment == "robot":
        parse_query(text)  # no error
        return
    exc = error(text)
    assert exc.position == position
    assert exc.query == text
    assert fragment in exc.message


def test_error_message_has_a_caret_line():
    exc = error("a AND")
    assert exc.message == "'AND' needs a search term after it at position 5\n  a AND\n       ^"
    assert exc.to_json()["errors"] == [{"query": "a AND", "position": 5}]
    assert exc.status == 400


def test_caret_counts_wide_chinese_characters():
    exc = error("无人机 AND")
    assert exc.position == 7
    assert exc.message.splitlines()[-1] == "  " + " " * 10 + "^"  # 3 wide chars, space, AND


def test_caret_window_on_long_text():
    exc = error(CLAIM, free_text_fallback=False)
    assert exc.position == CLAIM.index("(")
    line, caret = exc.message.splitlines()[1:]
    assert line.startswith("  …") and line.endswith("…")
    assert line[caret.index("^")] == "("


# --- free-text fallback ---------------------------------------------------------------------


def test_free_text_fallback_for_pasted_claim():
    assert len(CLAIM.split()) >= 25
    assert parse_query(CLAIM) == FreeText(0, CLAIM)
    assert parse_query(CLAIM_ZH) == FreeText(0, CLAIM_ZH)


def test_no_fallback_when_disabled_short_or_fielded():
    assert error(CLAIM, free_text_fallback=False).position == CLAIM.index("(")
    assert error("unmanned aerial vehicle (UAV").position == 24  # short: the error stands
    fielded = "ti:drone " + CLAIM
    assert error(fielded).position == fielded.index("(")


def test_long_text_that_parses_is_not_free_text():
    text = CLAIM.replace("(", "")
    node = parse_query(text)
    assert isinstance(node, Seq) and len(node.children) == len(text.split())


# --- query_terms and describe ---------------------------------------------------------------


def test_query_terms_positive_only():
    node = parse_query(
        'ti:robot "image sensor" -noise NOT (foo bar) comput* cc:US cpc:G06N pd:2015 pa:acme robot ti:robot'
    )
    assert query_terms(node) == [
        ("robot", "ti"),
        ("image sensor", None),
        ("comput*", None),
        ("acme", "pa"),
        ("robot", None),
    ]
    assert query_terms(parse_query(CLAIM)) == [(CLAIM, None)]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("a -b +c !d", "a NOT b +c NOT d"),
        ("a b OR c d", "a b OR c d"),
        ("(a OR b) c", "(a OR b) c"),
        ("a AND (b OR c)", "a AND (b OR c)"),
        ("(a b) AND c", "(a b) AND c"),
        ("NOT (a b)", "NOT (a b)"),
        ("a && b || c", "a AND b OR c"),
        ("无人机 与 电池 或 非 飞机", "无人机 AND 电池 OR NOT 飞机"),
        ("ti:(robot OR arm)", "ti:robot OR ti:arm"),
        ("TITLE:robot", "ti:robot"),
        ('pa:"Acme Corp"', 'pa:"Acme Corp"'),
        ("cc:(US OR CN)", "cc:US OR cc:CN"),
        ('ipc:"h04l 29/06"', "ipc:H04L29/06"),
        ("cpc:G06N3/0*", "cpc:G06N3/0*"),
        ("py:2015", "pd:2015"),
        ("pd:2015-03", "pd:2015-03"),
        ("pd:20150307", "pd:2015-03-07"),
        ("pd:{2010 TO 2015}", "pd:[2011 TO 2014]"),
        ("pd:[2010 TO *]", "pd:>=2010"),
        ("pd:>2015", "pd:>=2016"),
        ("pd:<2010-06-30", "pd:<=2010-06-29"),
        ("pd:[2015-01-01 TO 2015-01-31]", "pd:2015-01"),
        ("pd:[2015-01-01 TO 2015-02-14]", "pd:[2015 TO 2015-02-14]"),
        ('cc:"United States"', 'cc:"United States"'),
        ("ratio: 3", "ratio: 3"),
    ],
)
def test_describe(text, expected):
    assert describe(parse_query(text)) == expected


ROUND_TRIP = [
    'neural network "image sensor"',
    "a b OR c d",
    "a AND b c",
    "-(a OR b) c AND NOT d",
    "ti:(robot OR arm) AND cpc:G06N3* pd:[2010 TO 2015] -cc:US",
    '+robot +ti:arm +"x y"',
    "locarno:1401 OR cls:H04L*",
    "pd:{2010-03 TO 2015-06-15]",
    "pd:[* TO *]",
    "ad:<2001",
    "无人机 与 (电池 或 电容) 非 燃油",
    "(a -) OR !b",
    "ratio: (x:)",
    'cc:“say "hi"”',
    "a AND (b c) AND (d OR e)",
    "NOT NOT a",
    CLAIM,
    CLAIM.replace("(", ""),
]


@pytest.mark.parametrize("text", ROUND_TRIP)
def test_describe_round_trip(text):
    node = parse_query(text)
    once = describe(node)
    assert describe(parse_query(once)) == once
    assert bare(parse_query(once)) == bare(node)


# --- the lexer's run folding and speed ------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ROUND_TRIP
    + [
        "a b c d e f AND g h i j k",
        'x "p q" y z w -v t u s r',
        "ti:a b c d e f",
        "(a b c d e)",
        "a b c d e f*g h",
        "NOT a b c d e OR f g h i j",
    ],
)
def test_run_folding_never_changes_the_tree(text, monkeypatch):
    def outcome():
        try:
            return parse_query(text)
        except QueryError as exc:
            return (exc.position, exc.message)

    folded = outcome()
    monkeypatch.setattr(parser_mod._Lexer, "fold", False)
    assert outcome() == folded


def test_a_300_word_text_parses_to_its_words_in_order():
    """A pasted 300-word text is one sequence of its words (its speed is a benchmark's
    figure, not a test's)."""
    words = (CLAIM.replace("(", "") + " ") * 8
    text = " ".join(words.split()[:300])
    tree = parse_query(text)
    assert isinstance(tree, Seq) and [c.text for c in tree.children] == text.split()
    assert parse_query(text) == tree


def test_random_queries_never_crash_and_round_trip(monkeypatch):
    """Seeded fuzz over syntax fragments: every query either parses (and ``describe`` reads back
    to the same tree, with or without run folding) or raises QueryError inside the text."""
    import random

    frags = [
        "a",
        "b",
        "无人机",
        "wi-fi",
        "AND",
        "OR",
        "NOT",
        "&&",
        "||",
        "与",
        "或",
        "非",
        "-",
        "+",
        "!",
        "(",
        ")",
        '"x y"',
        '"',
        "ti:",
        "cc:US",
        "cpc:G06N*",
        "pd:2015",
        "pd:[2010 TO 2015]",
        "comput*",
        "*",
        "ratio:",
        "foo:",
        "-x",
        "ab:(",
        "“电池 管理”",
        'pa:"Acme"',
        "ti:robot",
    ]
    rnd = random.Random(7)
    parsed = 0
    for _ in range(2000):
        text = "".join(
            rnd.choice(frags) + (" " if rnd.random() < 0.7 else "") for _ in range(rnd.randint(1, 9))
        )
        try:
            node = parse_query(text, free_text_fallback=False)
        except QueryError as exc:
            assert 0 <= exc.position <= len(text), text
            continue
        parsed += 1
        once = describe(node)
        assert bare(parse_query(once)) == bare(node), text
        with monkeypatch.context() as m:
            m.setattr(parser_mod._Lexer, "fold", False)
            assert parse_query(text) == node, text
    assert parsed > 300


# --- limits: nesting depth and length (issue 19: 'NOT '×1000 raised RecursionError) ----------


@pytest.mark.parametrize(
    "text,position",
    [
        ("NOT " * 1000 + "x", 4 * MAX_DEPTH),
        ("-(" * 1000 + "x", 2 * (MAX_DEPTH // 2)),
        ("-(" * 1000 + "x" + ")" * 1000, 2 * (MAX_DEPTH // 2)),
        ("非 " * 1000 + "x", 2 * MAX_DEPTH),
        ("-" * 1000 + "x", MAX_DEPTH),
        ("(" * 1000 + "x" + ")" * 1000, MAX_DEPTH),
        ("ti:(" * 500 + "x" + ")" * 500, 4 * (MAX_DEPTH // 2)),
        ("robot AND " + "+(" * 20 + "x" + ")" * 20, 10 + 2 * (MAX_DEPTH // 2)),
    ],
)
def test_nesting_over_the_limit_is_a_query_error_with_its_position(text, position):
    for fallback in (True, False):  # never taken as free text, however many words
        exc = error(text, free_text_fallback=fallback)
        assert exc.position == position, exc.message
        assert f"nests too deeply at position {position}" in exc.message
        assert exc.status == 400 and exc.to_json()["errors"] == [{"query": text, "position": position}]


@pytest.mark.parametrize(
    "text",
    [
        "NOT " * (MAX_DEPTH - 1) + "x",
        "(" * MAX_DEPTH + "x" + ")" * MAX_DEPTH,
        "-(" * (MAX_DEPTH // 2) + "x" + ")" * (MAX_DEPTH // 2),
        "ti:(" * (MAX_DEPTH // 2) + "x" + ")" * (MAX_DEPTH // 2),
        "(a) " * 2000,  # many groups side by side are not deep
    ],
)
def test_nesting_at_the_limit_parses_and_renders(text):
    node = parse_query(text, free_text_fallback=False)
    assert bare(parse_query(describe(node))) == bare(node)


def test_query_length_is_bounded():
    assert parse_query("x" * MAX_QUERY_CHARS, free_text_fallback=False) == Term(0, "x" * MAX_QUERY_CHARS)
    long = CLAIM * (MAX_QUERY_CHARS // len(CLAIM) + 1)  # prose, but too long: never free text
    exc = error(long)
    assert exc.position == MAX_QUERY_CHARS and "too long" in exc.message
    assert len(exc.message) < 400  # the caret shows a window, not the text


def test_deep_random_queries_are_errors_or_parse(monkeypatch):
    """Seeded fuzz of deep nestings: a QueryError inside the text or a tree describe reads back."""
    import random

    frags = ["NOT", "非", "-(", "(", ")", "+(", "!(", "ti:(", "a", "OR", "AND", "-", "x"]
    rnd = random.Random(19)
    for _ in range(300):
        text = " ".join(rnd.choice(frags) for _ in range(rnd.randint(20, 200)))
        try:
            node = parse_query(text)
        except QueryError as exc:
            assert 0 <= exc.position <= len(text), text
            continue
        assert bare(parse_query(describe(node))) == bare(node), text
