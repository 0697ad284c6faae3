"""An article resolved on its own (`kgraph.resolve.record`): its bytes give back the same
record, and a corpus folded from records read back resolves exactly as one resolved afresh
(the extraction cache relies on both)."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgraph.aliases import AliasFile, AliasGroup, alias_table
from kgraph.records import ArticleMeta, Extraction, Mention
from kgraph.resolve import Resolver
from kgraph.resolve.record import ArticleResolution, decode, encode

from .test_hypothesis import nasty_text
from .test_resolve import LEXICON, art


def _with(ex: Extraction, **changes: object) -> Extraction:
    return ex.model_copy(update=changes)


#: Articles that take most in-article rules: titles, short and first names, an acronym defined,
#: a typo, plurals, initials, a generic word dropped, a user alias, an ignored name, noise, a
#: span repaired, capitalised words NER left untagged.
ARTICLES = [
    art(
        "a1",
        ("Special Representative Khalilzad", "organization", 0, "ORG"),
        ("Zalmay Khalilzad", "person", 0),
        ("Khalilzad", "person", 1),
        ("Competition and Markets Authority", "organization", 1),
        ("CMA", "organization", 2),
        ("Hillary Clinton", "person", 2),
        ("Hillary", "person", 3),
        acronyms={"CMA": "Competition and Markets Authority"},
    ),
    art(
        "a2",
        ("Kristin Wilkins", "person", 0),
        ("Kristen Wilkins", "person", 0),
        ("Kristen Wilkins", "person", 1),
        ("United Nations", "organization", 1),
        ("UN", "organization", 1),
        ("Church of Scientology", "organization", 2),
        ("the Church", "organization", 2),
        ("Fla.", "place", 3, "GPE"),
        ("Cease", "person", 3),
        ("Apple Inc.", "organization", 3),
    ),
    art("a3", ("Mr Smith", "person", 0), ("Acme Corp", "organization", 0), ("Khost province", "place", 1)),
]


def _aliases():
    table = alias_table()
    table.add(
        AliasFile(groups=[AliasGroup(name="Acme", type="organization", variants=["Acme Corp"])], ignore=["Mr Smith"]),
        "user",
    )
    return table


@pytest.fixture
def extractions() -> list[Extraction]:
    a1 = ARTICLES[0]
    repaired = tuple(
        m.model_copy(update={"repair": "title cut"}) if m.name == "Zalmay Khalilzad" else m for m in a1.mentions
    )
    return [
        _with(a1, mentions=repaired, unlabelled={"Yesterday Doha": (0,), "Kabul Airport": (1, 2)}),
        *ARTICLES[1:],
    ]


def test_a_record_reads_back_as_it_was(extractions) -> None:
    r = Resolver(_aliases(), lexicon=LEXICON)
    for ex in extractions:
        ex = _with(ex, article=ArticleMeta(id="the-id-of-the-file"))
        record = r.resolve_article(ex)
        data = encode(record, "the-id-of-the-file")
        assert data is not None
        assert decode(data, "the-id-of-the-file") == record
        assert b"the-id-of-the-file" not in data  # kept by text: the id is put back on reading


def test_what_the_records_say_is_what_was_found() -> None:
    record = Resolver(alias_table(), lexicon=LEXICON).resolve_article(ARTICLES[0])
    finals = {final for final, _, _ in record.clusters}
    assert "khalilzad" not in finals and "zalmay khalilzad" in finals  # the short name joined the full one
    assert ("cma", "competition and markets authority") in record.acronyms
    assert record.keys == sorted(set(record.keys))


def test_a_corpus_of_records_read_back_resolves_as_one_resolved_afresh(extractions) -> None:
    fresh = Resolver(_aliases(), lexicon=LEXICON, max_sentences=1)
    stored = Resolver(_aliases(), lexicon=LEXICON, max_sentences=1)
    for ex in extractions:
        fresh.add(ex)
        # the record was made under another id (same text): reading it back gives it this one
        data = encode(stored.resolve_article(_with(ex, article=ArticleMeta(id="other"))), "other")
        assert data is not None
        stored.add_resolved(ex.article, decode(data, ex.article.id))
    assert stored.finish() == fresh.finish()


def test_bytes_of_another_kind_do_not_read(extractions) -> None:
    record = Resolver(alias_table()).resolve_article(extractions[0])
    data = encode(record, "a1")
    assert data is not None
    for bad in (b"[]", b'{"clusters": []}', data.replace(b"[1,", b"[99,", 1), b"[1" + data[2:-1]):
        with pytest.raises(Exception):  # noqa: B017, PT011  (any error: the cache counts it as damage)
            decode(bad, "a1")


def test_a_record_holding_what_json_cannot_give_back_is_not_kept() -> None:
    record = Resolver(alias_table()).resolve_article(ARTICLES[2])
    cluster = record.clusters[0][2]
    odd = dataclasses.replace(cluster, forms={"Acme": (1, 2)})  # a tuple would come back a list
    assert encode(dataclasses.replace(record, clusters=[(cluster.key, "", odd)]), "a3") is None
    assert encode(record, "somebody else") is None  # its clusters name a3: not a record of that article


mention = st.tuples(nasty_text, st.sampled_from(["person", "place", "organization"]), st.integers(0, 3))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(mention, min_size=1, max_size=8),
    st.dictionaries(nasty_text, st.lists(st.integers(0, 3), max_size=2).map(tuple), max_size=3),
)
def test_any_article_reads_back_as_it_was(mentions, unlabelled) -> None:
    labels = {"person": "PERSON", "place": "GPE", "organization": "ORG"}
    ms = tuple(
        Mention(article_id="x", text=n, name=n, label=labels[t], type=t, sentence=s, start=i, end=i + 1)
        for i, (n, t, s) in enumerate(mentions)
    )
    ex = Extraction(
        article=ArticleMeta(id="x"),
        mentions=ms,
        sentences={m.sentence: f"{m.name} said" for m in ms},
        unlabelled=unlabelled,
    )
    record: ArticleResolution = Resolver(alias_table(), lexicon=LEXICON).resolve_article(ex)
    data = encode(record, "x")
    assert data is not None
    assert decode(data, "x") == record
