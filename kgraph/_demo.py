"""A tiny graph for the examples in docstrings: four short articles, resolved and linked by the
real stages (only NER is replaced by hand-written mentions), so no spaCy model is needed."""

from __future__ import annotations

from .aliases import alias_table
from .graph import build_graph
from .normalize import clean_name
from .query import KnowledgeGraph
from .records import LABEL_TYPES, ArticleMeta, Extraction, Mention
from .resolve import Resolver

#: (id, title, date, url, [(sentence, [(span, spaCy label), ...]), ...])
ARTICLES: list[tuple[str, str, str | None, str | None, list[tuple[str, list[tuple[str, str]]]]]] = [
    (
        "a1",
        "Envoy meets the Taliban in Doha",
        "2021-03-01",
        "https://example.org/a1",
        [
            (
                "Zalmay Khalilzad met the Taliban in Doha.",
                [("Zalmay Khalilzad", "PERSON"), ("Taliban", "ORG"), ("Doha", "GPE")],
            ),
            ("He then flew to Kabul.", [("Kabul", "GPE")]),
        ],
    ),
    (
        "a2",
        "Talks resume",
        "2021-03-08",
        None,
        [
            (
                "Khalilzad’s team and the Taliban met again in Doha.",
                [("Khalilzad’s", "PERSON"), ("Taliban", "ORG"), ("Doha", "GPE")],
            ),
            ("The U.S. welcomed the talks.", [("U.S.", "GPE")]),
        ],
    ),
    (
        "a3",
        "A visit to Kabul",
        None,
        None,
        [
            (
                "In Kabul, Special Representative Khalilzad met President Ashraf Ghani.",
                [("Kabul", "GPE"), ("Special Representative Khalilzad", "PERSON"), ("Ashraf Ghani", "PERSON")],
            )
        ],
    ),
    (
        "a4",
        "Talks in Ankara",
        "2021-04-02",
        None,
        [("Mevlüt Çavuşoğlu spoke in Ankara.", [("Mevlüt Çavuşoğlu", "PERSON"), ("Ankara", "GPE")])],
    ),
]


def demo() -> KnowledgeGraph:
    """The graph of `ARTICLES`.

    >>> demo()
    <KnowledgeGraph 8 entities, 12 edges, 4 articles>
    """
    resolver = Resolver(alias_table())
    for art_id, title, date, url, sentences in ARTICLES:
        mentions = []
        texts = {}
        for s, (text, spans) in enumerate(sentences):
            if len(spans) > 1:
                texts[s] = text
            for span, label in spans:
                start = text.index(span)
                mentions.append(
                    Mention(
                        article_id=art_id,
                        text=span,
                        name=clean_name(span),
                        label=label,
                        type=LABEL_TYPES[label],
                        sentence=s,
                        start=start,
                        end=start + len(span),
                    )
                )
        meta = ArticleMeta(id=art_id, title=title, date=date, url=url, source="demo")
        resolver.add(Extraction(article=meta, mentions=tuple(mentions), sentences=texts))
    return KnowledgeGraph(build_graph(resolver.finish(), provenance={"inputs": ["demo"]}))
