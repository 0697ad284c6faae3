from __future__ import annotations

import pytest

from kgraph.errors import ModelError
from kgraph.extract import extract, load_nlp
from kgraph.normalize import clean_name
from kgraph.records import Article


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("the United States", "United States"),
        ("The State Department", "State Department"),
        ("the United States'", "United States"),
        ("Zalmay Khalilzad’s", "Zalmay Khalilzad"),
        ("Zalmay Khalilzad's", "Zalmay Khalilzad"),
        ("“Taliban”", "Taliban"),
        ("  Kabul , ", "Kabul"),
        ("U.S.", "U.S."),
        ("Theresa May", "Theresa May"),
        ("Thessaloniki", "Thessaloniki"),
    ],
)
def test_clean_name(raw: str, clean: str) -> None:
    assert clean_name(raw) == clean


def test_label_mapping_and_sentences(blank_nlp) -> None:
    text = (
        "Zalmay Khalilzad met the Taliban in Doha. NATO was not there.\n\n"
        "Bagram Airfield is near Kabul\nthe Gulf is far"
    )
    (ex,) = list(extract([Article(id="a", text=text)], blank_nlp))
    got = [(m.name, m.type, m.sentence) for m in ex.mentions]
    by_name = {name: (etype, sent) for name, etype, sent in got}
    assert by_name["Zalmay Khalilzad"][0] == "person"
    assert by_name["Taliban"][0] == "organization"
    assert by_name["Doha"][0] == "place"
    assert by_name["Bagram Airfield"][0] == "place"  # FAC
    assert by_name["Gulf"][0] == "place"  # LOC
    # one sentence per line of prose; the lower-case continuation stays in its sentence
    assert by_name["Zalmay Khalilzad"][1] == by_name["Doha"][1]
    assert by_name["NATO"][1] != by_name["Doha"][1]
    assert by_name["Bagram Airfield"][1] != by_name["NATO"][1]  # paragraph break
    assert by_name["Kabul"][1] == by_name["Gulf"][1]  # "near Kabul\nthe Gulf": wrapped line
    assert ex.sentences[by_name["Doha"][1]].startswith("Zalmay Khalilzad met")


def test_headline_without_full_stop_is_its_own_sentence(blank_nlp) -> None:
    text = "Taliban meet in Doha\nKhalilzad spoke in Kabul."
    (ex,) = list(extract([Article(id="a", text=text)], blank_nlp))
    sent = {m.name: m.sentence for m in ex.mentions}
    assert sent["Doha"] != sent["Kabul"]


def test_types_filter(blank_nlp) -> None:
    (ex,) = list(extract([Article(id="a", text="Khalilzad met the Taliban in Doha.")], blank_nlp, types=["place"]))
    assert [m.name for m in ex.mentions] == ["Doha"]


def test_acronym_defined_in_text(blank_nlp) -> None:
    text = "The Competition and Markets Authority (CMA) said no. The CMA was firm."
    (ex,) = list(extract([Article(id="a", text=text)], blank_nlp))
    assert ex.acronyms == {"CMA": "Competition and Markets Authority"}


def test_missing_model_says_how_to_install() -> None:
    with pytest.raises(ModelError, match="not installed.*--model"):
        load_nlp("no_such_model_xyz")


def test_model_without_ner_is_refused(tmp_path) -> None:
    import spacy

    spacy.blank("en").to_disk(tmp_path / "m")
    with pytest.raises(ModelError, match="no 'ner'"):
        load_nlp(str(tmp_path / "m"))


@pytest.mark.parametrize(
    ("name", "acronym"),
    [
        ("National Electoral Institute", "INE"),  # a translated name: its letters in another order
        ("Competition and Markets Authority", "CMA"),
        ("Korean People's Army", "KPA"),
        ("Taliban", "UN"),
        ("Competition Authority", "Ca"),
    ],
)
def test_one_acronym_rule_after_a_span_and_inside_one(name: str, acronym: str) -> None:
    """extract (an acronym in brackets after a span) and normalize (one inside a span) agree."""
    from kgraph.extract.ner import _acronym_after
    from kgraph.normalize import split_acronym

    text = f"the {name} ({acronym}) said"
    after = _acronym_after(text, text.index(" ("), name)
    inside = split_acronym(f"{name} ({acronym})")[1]
    assert after == inside


def test_ner_is_given_a_bounded_number_of_characters_at_once(blank_nlp, monkeypatch) -> None:
    """The pieces of a long article go to spaCy a few at a time: its memory grows with the
    characters of one `nlp.pipe` call, not with the count of texts."""
    import kgraph.extract.ner as ex_mod

    monkeypatch.setattr(ex_mod, "PIPE_CHARS", 100)
    calls: list[list[str]] = []
    real_pipe = type(blank_nlp).pipe

    def pipe(self, texts, **kwargs):
        texts = list(texts)
        calls.append(texts)
        return real_pipe(self, texts, **kwargs)

    monkeypatch.setattr(type(blank_nlp), "pipe", pipe)
    texts = [f"Khalilzad met the Taliban in Doha, report {i}." for i in range(10)]  # 45 characters each
    out = list(extract([Article(id=str(i), text=t) for i, t in enumerate(texts)], blank_nlp, batch_size=64))
    assert [len(c) for c in calls] == [2, 2, 2, 2, 2]
    assert all(sum(map(len, c)) <= 100 for c in calls)
    # every article is still there, in order, with its mentions
    assert [e.article.id for e in out] == [str(i) for i in range(10)]
    assert all({m.name for m in e.mentions} == {"Khalilzad", "Taliban", "Doha"} for e in out)
