"""Q&A over the real Chinese IP laws (``../shared/data/cn-ip-law``): articles as passages with their
law and number, right citations for natural questions in Chinese and English, the answering
sentence quoted, refusals of what the laws do not answer, and the law-qa evaluation file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ipai.settings import load_settings

pytestmark = pytest.mark.slow  # scheduled first on the workers (tests/conftest.py)

REPO = Path(__file__).resolve().parents[2]
LAW_FILES = (
    "专利法(2020-10-17).md",
    "专利法实施细则(2023-12-11).md",
    "商标法(2019-04-23).md",
    "著作权法(2020-11-11).md",
    "反不正当竞争法(2019-04-23).md",
    "计算机软件保护条例(2013-01-30).md",
)


@pytest.fixture(scope="module")
def law_service(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[object]:
    """A service whose only knowledge is the main IP laws (loaded as the demo loads them)."""
    from ipai.service import Service

    laws = tmp_path_factory.mktemp("laws")
    for name in LAW_FILES:  # a folder with the main laws only (linked, not copied into the repository)
        (laws / name).symlink_to(shared_data / "cn-ip-law" / name)
    svc = Service(load_settings(home=tmp_path_factory.mktemp("law-home"), progress=False))
    out = svc.qa.load_builtin_laws(laws)
    assert len(out["documents"]) == len(LAW_FILES) and out["errors"] == []
    yield svc
    svc.close()


def test_law_text_is_cut_into_articles(shared_data: Path) -> None:
    from ipai.qa.documents import read_knowledge
    from ipai.qa.laws import article_of, law_of

    doc = read_knowledge(shared_data / "cn-ip-law" / "专利法(2020-10-17).md")
    assert law_of(doc.title).name == "专利法"
    arts = [article_of(w) for w, _ in doc.passages if article_of(w)]
    assert arts == list(range(1, 83))  # 82 articles, one passage each, in order
    art6 = next(t for w, t in doc.passages if article_of(w) == 6)
    # an article over several paragraphs stays one unit
    assert art6.startswith("第六条 执行本单位的任务") and "从其约定" in art6 and art6.count("\n") == 2
    where42 = next(w for w, _ in doc.passages if article_of(w) == 42)
    assert where42.startswith("第五章 专利权的期限、终止和无效 · 第四十二条")


def test_law_names_numbers_and_citations() -> None:
    from ipai.qa.laws import cn_number, cn_numeral, law_of

    assert [cn_numeral(n) for n in (6, 10, 42, 105, 120)] == ["六", "十", "四十二", "一百零五", "一百二十"]
    assert all(cn_number(cn_numeral(n)) == n for n in range(1, 200))
    patent = law_of("中华人民共和国专利法")
    assert patent.cite(42) == "《专利法》第四十二条" and patent.cite(42, "en") == "Patent Law, Article 42"
    regs = law_of("中华人民共和国专利法实施细则")
    assert regs.name == "专利法实施细则" and regs.subject == "patent" and regs.level == 0.5
    assert law_of("最高人民法院关于审理侵犯专利权纠纷案件应用法律若干问题的解释（二）").level == 0.0


def test_utility_model_term_cites_article_42_with_the_answer_sentence(law_service: object) -> None:
    a = law_service.qa.ask("实用新型专利能保护多少年？", remember=False)
    assert not a["refused"] and a["mode"] == "retrieval"
    first = a["citations"][0]
    assert first["label"] == "《专利法》第四十二条" and first["law"] == "专利法" and first["article"] == 42
    assert "十年" in a["quote"]["text"] and "实用新型专利权的期限为十年" in a["quote"]["text"]
    assert a["answer"].startswith("依据《专利法》第四十二条：“") and "十年" in a["answer"].splitlines()[0]


def test_employee_invention_cites_the_service_invention_articles(law_service: object) -> None:
    a = law_service.qa.ask("员工在公司上班时搞出来的发明，专利归谁？", remember=False)
    labels = [c["label"] for c in a["citations"]]
    assert labels[0] == "《专利法》第六条"  # 职务发明创造 … 申请专利的权利属于该单位
    assert "《专利法实施细则》第十三条" in labels[:3]  # what 执行本单位的任务 means
    assert "属于该单位" in a["quote"]["text"]


def test_english_question_about_trademark_validity(law_service: object) -> None:
    a = law_service.qa.ask("How long is a registered trademark valid?", remember=False)
    first = a["citations"][0]
    assert first["label"] == "《商标法》第三十九条" and first["label_en"].startswith(
        "Trademark Law, Article 39"
    )
    # an English lead-in built from the fields, the Chinese text quoted as it is
    assert a["answer"].startswith(
        "Under the Trademark Law, Article 39 (quoted in Chinese): “注册商标的有效期为十年"
    )


@pytest.mark.parametrize(
    "question, label",
    [
        ("注册商标到期了怎么续展？", "《商标法》第四十条"),
        ("委托别人创作的作品，版权归谁？", "《著作权法》第十九条"),
        ("What is a trade secret?", "《反不正当竞争法》第九条"),
        ("哪些东西不能申请专利？", None),  # answered (some patent article), whichever is ranked first
    ],
)
def test_more_natural_questions(law_service: object, question: str, label: str | None) -> None:
    a = law_service.qa.ask(question, remember=False)
    assert not a["refused"]
    if label:
        assert a["citations"][0]["label"] == label


@pytest.mark.parametrize(
    "question",
    [
        "红烧肉怎么做才好吃？",
        "How do I bake a chocolate cake without eggs?",
        "昨晚湖人队比赛的比分是多少？",
        "美国专利的保护期是多少年？",
    ],
)
def test_questions_the_laws_do_not_answer_are_refused(law_service: object, question: str) -> None:
    a = law_service.qa.ask(question, remember=False)
    assert a["refused"] and a["citations"] == []
    threshold = load_threshold()
    assert a["confidence"] < threshold and f"{threshold:.2f}" in a["answer"]


def load_threshold() -> float:
    from ipai.qa.calibration import calibration

    cal = calibration()
    assert cal["calibrated_on"]["file"] == "law-qa.tsv" and cal["calibrated_on"]["split"] == "dev"
    return float(cal["threshold"])


def test_llm_prompt_names_the_articles(law_service: object) -> None:
    from ipai.qa.answer import llm_messages

    _, ev = law_service.qa.qa_retriever.retrieve("实用新型专利能保护多少年？", top=3)
    prompt = llm_messages("实用新型专利能保护多少年？", ev, [])[-1]["content"]
    assert prompt.startswith("段落：\n[1] (《专利法》第四十二条;") and "实用新型专利权的期限为十年" in prompt


def test_question_understanding() -> None:
    from ipai.qa.understand import understand

    q = understand("员工在公司上班时搞出来的发明，专利归谁？", "员工 公司 上班时 搞出来 发明 专利 归谁")
    assert {"执行本单位的任务", "属于"} <= set(q.expansions) and q.subjects == {"patent"} and not q.foreign
    assert "期限" in understand("实用新型专利能保护多少年？", "实用新型专利 保护").expansions
    en = understand("How long does a utility model patent last?", "long utility model patent last")
    assert en.terms.get("实用新型") == 1.0 and "期限" in en.expansions
    assert understand("美国专利的保护期是多少年？", "美国专利 保护期").foreign
    assert not understand("在美国先申请了专利，再到中国申请能要求优先权吗？", "美国 专利 中国").foreign


def test_the_question_file_is_well_formed_and_checked_against_the_laws(shared_data: Path) -> None:
    from ipai.evals.law_qa import read_questions
    from ipai.qa.documents import read_knowledge
    from ipai.qa.laws import article_of, law_of

    qs = read_questions(REPO / "evals/queries/law-qa.tsv")
    answerable = [q for q in qs if q.answerable]
    assert len(answerable) >= 80 and len(qs) - len(answerable) >= 20
    assert {q.split for q in qs} == {"dev", "test"}
    articles: dict[str, set[int]] = {}
    for f in (shared_data / "cn-ip-law").glob("*.md"):
        if f.name != "README.md":
            doc = read_knowledge(f)
            articles[law_of(doc.title).name] = {a for w, _ in doc.passages if (a := article_of(w))}
    for q in answerable:
        for law, art in q.expected:
            assert art in articles[law], (q.question, law, art)
