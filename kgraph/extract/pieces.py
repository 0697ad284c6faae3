"""Long articles go to NER in pieces, and their pieces' Extractions are joined into one.

spaCy refuses a text longer than the model's `max_length`, and its NER takes about 1 GB per
100,000 characters of one Doc. So an article longer than `PIECE_CHARS` (or the model's
`max_length`) is cut into pieces (`pieces`) that go to NER as articles of their own, and
the Extractions of its pieces, which come back in order, are joined (`join_pieces`): the
sentence numbers of piece i are shifted by i * `PIECE_SENTENCE_STRIDE`, so that sentences of
two pieces never count as one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..records import Article, Extraction, Mention

#: How far apart the sentence numbers of two pieces of an article are (part of the
#: extraction cache's key: `kgraph.cache.settings_digest`).
PIECE_SENTENCE_STRIDE = 1_000_000
#: Articles longer than this go to NER in pieces of about this many characters: spaCy's
#: parser and NER take about 1 GB per 100,000 characters of one Doc, while pieces keep the
#: memory of a long article to that of a few ordinary ones (bench/long_article.py).
PIECE_CHARS = 20_000


def pieces(articles: Iterable[Article], limit: int) -> Iterator[Article]:
    """`articles`, each one longer than `limit` characters cut into consecutive pieces of at
    most `limit` (each with the article's id): at a line break, else after a full stop, a
    semicolon or a comma, else at a space, in the second half of a piece; else at the limit."""
    for a in articles:
        if len(a.text) <= limit:
            yield a
            continue
        start = 0
        text = a.text
        while start < len(text):
            end = min(len(text), start + limit)
            if end < len(text):
                cut = text.rfind("\n", start + limit // 2, end)
                for mark in (". ", "; ", ", "):  # no line break: after a full stop, else between list items
                    if cut != -1:
                        break
                    cut = text.rfind(mark, start + limit // 2, end - 1)
                    cut = cut + 1 if cut != -1 else -1
                if cut == -1:  # else at a space (a name may be split: rare in prose)
                    cut = text.rfind(" ", start + limit // 2, end)
                end = cut + 1 if cut != -1 else end
            yield a.model_copy(update={"text": text[start:end]})
            start = end


def join_pieces(parts: list[Extraction]) -> Extraction:
    """The extractions of an article's pieces as one. Empties `parts` as it goes, so that a
    very long article's mentions are held about once, not twice, while they are joined."""
    if len(parts) == 1:
        return parts.pop()
    article, tokens = parts[0].article, sum(p.tokens for p in parts)
    mentions: list[Mention] = []
    sentences: dict[int, str] = {}
    acronyms: dict[str, str] = {}
    unlabelled: dict[str, tuple[int, ...]] = {}
    parts.reverse()
    for i in range(len(parts)):
        p = parts.pop()
        shift = i * PIECE_SENTENCE_STRIDE
        if shift:
            mentions.extend(m.model_copy(update={"sentence": m.sentence + shift}) for m in p.mentions)
        else:
            mentions.extend(p.mentions)
        sentences.update({s + shift: t for s, t in p.sentences.items()})
        acronyms.update(p.acronyms)
        for name, sents in p.unlabelled.items():
            unlabelled[name] = unlabelled.get(name, ()) + tuple(s + shift for s in sents)
    return Extraction(
        article=article,
        mentions=tuple(mentions),
        sentences=sentences,
        acronyms=acronyms,
        tokens=tokens,
        unlabelled=unlabelled,
    )
