"""Mentions -> Entities: one entity per real-world thing, and never two things in one.

Resolution runs in two steps, so a build can stream:

1. `Resolver.add(extraction)` resolves one article on its own: names are normalised
   (case, accents, acronym dots, hyphens, titles in front of names), built-in and user
   aliases apply, and a short name ("Naeem") joins the one full name in the same article
   it fits ("Mohammad Naeem"). Only a compact record of the article is kept.
2. `Resolver.finish()` links across articles: the same name anywhere is one entity, an
   acronym defined in an article ("Competition and Markets Authority (CMA)") joins its
   expansion everywhere, a short name left alone joins a full name only when the whole
   corpus has exactly one candidate, and each entity's type is decided by its mentions.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import combinations
from dataclasses import dataclass, field

from spacy.lang.en.stop_words import STOP_WORDS

from .aliases import AliasTable
from .normalize import match_key, slug
from .records import ENTITY_TYPES, AliasRow, ArticleMeta, Entity, EntityType, Extraction, Mention

#: Words that, in front of a name, say the name is a person's.
PERSON_TITLES = frozenset(
    """mr mrs ms miss mx dr prof professor sir dame lord lady president vice-president
    minister secretary ambassador envoy representative senator sen rep congressman congresswoman
    governor gov mayor general gen marshal admiral colonel col lieutenant lt captain capt major
    sergeant sgt commander chairman chairwoman chairperson chancellor premier king queen prince
    princess sheikh emir sultan pope cardinal bishop rev reverend father imam mullah ayatollah
    judge justice spokesman spokeswoman spokesperson director ceo founder coach""".split()
)
#: Words that can stand in front of a title: "Foreign Minister", "Special Representative".
TITLE_MODIFIERS = frozenset(
    """vice deputy acting former interim prime foreign defence defense interior state home
    finance economy trade health education justice special chief senior junior assistant
    executive managing attorney first field crown grand supreme high us u.s uk""".split()
)
_CONNECTORS = frozenset({"of", "for", "the"})


@dataclass
class _Local:
    """One entity inside one article."""

    key: str
    forms: Counter[str] = field(default_factory=Counter)  # cleaned surface -> mentions
    core: Counter[str] = field(default_factory=Counter)  # name after titles -> mentions
    votes: Counter[str] = field(default_factory=Counter)
    titled: int = 0
    mentions: int = 0
    alias: tuple[str, EntityType, str] | None = None
    rules: dict[str, str] = field(default_factory=dict)  # surface -> rule


@dataclass
class _ArticleRecord:
    meta: ArticleMeta
    keys: list[str]  # one per local entity, its match key
    sentences: list[tuple[int, tuple[int, ...]]]  # (sentence index, local indices), 2+ entities
    sentence_text: dict[int, str]


@dataclass
class _Cluster:
    """One entity across the corpus while resolution is under way."""

    key: str
    forms: Counter[str] = field(default_factory=Counter)
    core: Counter[str] = field(default_factory=Counter)
    votes: Counter[str] = field(default_factory=Counter)
    titled: int = 0
    mentions: int = 0
    articles: set[str] = field(default_factory=set)
    alias: tuple[str, EntityType, str] | None = None
    rules: dict[str, tuple[str, set[str]]] = field(default_factory=dict)

    def absorb(self, other: _Cluster, rule: str | None = None) -> None:
        self.forms.update(other.forms)
        self.core.update(other.core)
        self.votes.update(other.votes)
        self.titled += other.titled
        self.mentions += other.mentions
        self.articles |= other.articles
        if self.alias is None:
            self.alias = other.alias
        for surface, (r, arts) in other.rules.items():
            new_rule = rule if rule and r in ("exact", "normalised") else r
            have = self.rules.get(surface)
            if have is None:
                self.rules[surface] = (new_rule, set(arts))
            else:
                have[1].update(arts)

    def type(self) -> EntityType:
        if self.alias is not None:
            return self.alias[1]
        votes = Counter(self.votes)
        votes["person"] += 2 * self.titled
        best = max(ENTITY_TYPES, key=lambda t: (votes[t], t == "person"))
        return best


@dataclass
class Resolution:
    """The result of resolution: entities, and which of them each article mentions."""

    entities: list[Entity]
    articles: list[ArticleMeta]
    article_entities: list[tuple[int, ...]]  # per article (same order), entity indices
    sentence_entities: list[list[tuple[int, tuple[int, ...]]]]  # per article: (sentence, entity indices)
    sentence_text: list[dict[int, str]]
    alias_rows: list[AliasRow]


def is_noise(name: str) -> bool:
    """Spans NER tags as names that are not names, by rules that hold beyond one corpus.

    >>> is_noise("A THIRD PARTY"), is_noise("An official"), is_noise("Taliban")
    (True, True, False)
    """
    words = name.split()
    if not words:
        return True
    first = words[0].lower()
    if len(words) >= 2 and first in ("a", "an", "this", "that", "these", "those", "our", "their", "his", "her"):
        return True
    letters = [ch for ch in name if ch.isalpha()]
    if len(words) >= 2 and letters and all(ch.isupper() for ch in letters):
        if first in STOP_WORDS or sum(w.lower() in STOP_WORDS for w in words) * 2 >= len(words):
            return True
    return False


def strip_titles(name: str) -> tuple[str, bool]:
    """Split titles off the front of a name: ('Khalilzad', True) for 'Special Representative
    Khalilzad'. The bool says whether a person title (not only a modifier) was removed."""
    words = name.split()
    i = 0
    person = False
    while i < len(words) - 1:
        w = words[i].lower().rstrip(".")
        if w in PERSON_TITLES:
            person = True
        elif w in TITLE_MODIFIERS:
            pass
        elif w in _CONNECTORS and i > 0 and words[i + 1].lower().rstrip(".") in (PERSON_TITLES | TITLE_MODIFIERS):
            pass
        else:
            break
        i += 1
    if i == 0 or not words[i][:1].isupper():
        return name, False
    return " ".join(words[i:]), person


class Resolver:
    """Resolves mentions into entities, one article at a time (see the module docstring)."""

    def __init__(
        self,
        aliases: AliasTable | None = None,
        *,
        types: Iterable[EntityType] | None = None,
        max_sentences: int | None = None,
    ) -> None:
        self.aliases = aliases if aliases is not None else AliasTable()
        self.types = tuple(types) if types is not None else ENTITY_TYPES
        #: Evidence sentences needed per pair of entities (None: keep the text of every one).
        self.max_sentences = max_sentences
        self._records: list[_ArticleRecord] = []
        self._key_ids: dict[str, int] = {}
        self._evidence: dict[int, int] = {}  # pair of key ids -> sentences kept for it
        self._clusters: dict[str, _Cluster] = {}
        self._acronyms: dict[str, set[str]] = defaultdict(set)
        self._dropped: dict[str, tuple[str, set[str]]] = {}

    # -- step 1: one article -------------------------------------------------------------
    def add(self, extraction: Extraction) -> None:
        """Resolve one article's mentions and remember what the corpus step needs."""
        art = extraction.article.id
        person_keys = {match_key(m.name) for m in extraction.mentions if m.type == "person"}
        locals_: dict[str, _Local] = {}
        mention_key: list[str | None] = []
        for m in extraction.mentions:
            key = self._add_mention(m, locals_, person_keys, art)
            mention_key.append(key)
        merged = _link_short_names(locals_)
        for acronym, expansion in extraction.acronyms.items():
            a, e = match_key(acronym), match_key(expansion)
            if a and e and a != e:
                self._acronyms[a].add(merged.get(e, e))
        keys = sorted({merged.get(k, k) for k in locals_})
        index = {k: i for i, k in enumerate(keys)}
        for key, loc in locals_.items():
            target = merged.get(key, key)
            cluster = self._clusters.get(target)
            if cluster is None:
                cluster = self._clusters[target] = _Cluster(key=target)
            part = _Cluster(
                key=key,
                forms=loc.forms,
                core=loc.core,
                votes=loc.votes,
                titled=loc.titled,
                mentions=loc.mentions,
                articles={art},
                alias=loc.alias,
                rules={s: (r, {art}) for s, r in loc.rules.items()},
            )
            cluster.absorb(part, "short name (same article)" if target != key else None)
        by_sentence: dict[int, set[int]] = defaultdict(set)
        for m, key in zip(extraction.mentions, mention_key):
            if key is not None:
                by_sentence[m.sentence].add(index[merged.get(key, key)])
        sentences = [(s, tuple(sorted(ids))) for s, ids in sorted(by_sentence.items()) if len(ids) >= 2]
        keys = [self._clusters[k].key for k in keys]  # one string object per key, shared by all records
        used = self._evidence_needed(keys, sentences)
        self._records.append(
            _ArticleRecord(
                meta=extraction.article,
                keys=keys,
                sentences=sentences,
                sentence_text={s: t for s, t in extraction.sentences.items() if s in used},
            )
        )

    def _evidence_needed(self, keys: list[str], sentences: list[tuple[int, tuple[int, ...]]]) -> set[int]:
        """The sentences whose text may still become evidence: each holds a pair of keys that
        has fewer than `max_sentences` sentences so far.

        Entities are unions of keys, so the first `max_sentences` sentences of a pair of
        entities are all among those kept: the graph gets the same evidence as if every
        text were kept, and memory stays bounded by the number of pairs.
        """
        if self.max_sentences is None:
            return {s for s, _ in sentences}
        cap = self.max_sentences
        ids = [self._key_ids.setdefault(k, len(self._key_ids)) for k in keys]
        evidence = self._evidence
        keep: set[int] = set()
        for s, locs in sentences:
            for i, j in combinations(locs, 2):
                a, b = ids[i], ids[j]
                pair = (a << 32) | b if a < b else (b << 32) | a
                n = evidence.get(pair, 0)
                if n < cap:
                    evidence[pair] = n + 1
                    keep.add(s)
        return keep

    def _add_mention(self, m: Mention, locals_: dict[str, _Local], person_keys: set[str], art: str) -> str | None:
        name = m.name
        key = match_key(name)
        if not key or key in self.aliases.ignored or is_noise(name):
            rule = "ignored (alias file)" if key in self.aliases.ignored else "dropped (noise)"
            self._dropped.setdefault(name, (rule, set()))[1].add(art)
            return None
        rule = "exact"
        titled = False
        alias = self.aliases.lookup(name)
        core = name
        if alias is None:
            stripped, person_title = strip_titles(name)
            if stripped != name and (
                m.label == "PERSON" or person_title or match_key(stripped) in person_keys
            ):
                core, titled = stripped, person_title or m.label != "PERSON"
                rule = "title removed"
                alias = self.aliases.lookup(core)
        if alias is not None:
            key = match_key(alias[0])
            rule = "user alias" if alias[2] == "user" else "built-in alias"
        else:
            key = match_key(core)
        if not key or key in self.aliases.ignored:
            return None
        loc = locals_.get(key)
        if loc is None:
            loc = locals_[key] = _Local(key=key, alias=alias)
        loc.forms[name] += 1
        loc.core[core] += 1
        loc.votes[m.type] += 1
        loc.titled += int(titled)
        loc.mentions += 1
        if rule == "exact" and name != core:
            rule = "normalised"
        loc.rules.setdefault(name, rule)
        return key

    # -- step 2: the corpus ----------------------------------------------------------------
    def finish(self) -> Resolution:
        """Link across articles and return the entities."""
        clusters = self._clusters
        parent: dict[str, str] = {}

        def find(k: str) -> str:
            while k in parent:
                k = parent[k]
            return k

        def merge(src: str, dst: str, rule: str) -> None:
            a, b = find(src), find(dst)
            if a == b:
                return
            clusters[b].absorb(clusters[a], rule)
            parent[a] = b

        # acronyms defined in the text, when the corpus defines them one way only
        for acronym, expansions in sorted(self._acronyms.items()):
            if len(expansions) == 1:
                (expansion,) = expansions
                if acronym in clusters and expansion in clusters:
                    merge(acronym, expansion, "acronym")
        # short names left alone, when the corpus has exactly one full name for them
        by_last: dict[str, list[str]] = defaultdict(list)
        for key, c in clusters.items():
            if key in parent or c.alias is not None:
                continue
            words = key.split()
            if len(words) >= 2 and c.type() == "person":
                by_last[words[-1]].append(key)
        for key in sorted(clusters):
            c = clusters[key]
            if key in parent or c.alias is not None or " " in key:
                continue
            if c.type() == "place" and not c.titled:
                continue
            candidates = {find(k) for k in by_last.get(key, [])}
            if len(candidates) == 1:
                merge(key, candidates.pop(), "short name (corpus)")
        return self._build(find)

    def _build(self, find) -> Resolution:  # type: ignore[no-untyped-def]
        roots = sorted({find(k) for k in self._clusters})
        roots = [r for r in roots if self._clusters[r].type() in self.types]
        entities: list[Entity] = []
        index: dict[str, int] = {}
        used_ids: set[str] = set()
        rows: list[AliasRow] = []
        for root in sorted(roots, key=lambda r: (-len(self._clusters[r].articles), r)):
            c = self._clusters[root]
            etype = c.type()
            label = _best_label(c)
            eid = f"{etype}:{slug(label)}"
            n = 2
            while eid in used_ids:
                eid = f"{etype}:{slug(label)}-{n}"
                n += 1
            used_ids.add(eid)
            index[root] = len(entities)
            entities.append(
                Entity(
                    id=eid,
                    label=label,
                    type=etype,
                    aliases=tuple(sorted(c.forms, key=lambda f: (-c.forms[f], f))),
                    article_ids=(),  # filled below, in corpus order
                    mention_count=c.mentions,
                )
            )
            for surface, (rule, arts) in sorted(c.rules.items()):
                rows.append(
                    AliasRow(
                        surface=surface, entity_id=eid, entity_label=label, rule=rule, article_ids=tuple(sorted(arts))
                    )
                )
        for surface, (rule, arts) in sorted(self._dropped.items()):
            rows.append(AliasRow(surface=surface, entity_id="", entity_label="", rule=rule, article_ids=tuple(sorted(arts))))

        article_ids: list[list[str]] = [[] for _ in entities]
        metas: list[ArticleMeta] = []
        art_entities: list[tuple[int, ...]] = []
        sent_entities: list[list[tuple[int, tuple[int, ...]]]] = []
        sent_text: list[dict[int, str]] = []
        for rec in self._records:
            local_to_entity = [index.get(find(k), -1) for k in rec.keys]
            ents = sorted({e for e in local_to_entity if e >= 0})
            for e in ents:
                article_ids[e].append(rec.meta.id)
            sents = []
            for s, locs in rec.sentences:
                es = tuple(sorted({local_to_entity[i] for i in locs if local_to_entity[i] >= 0}))
                if len(es) >= 2:
                    sents.append((s, es))
            metas.append(rec.meta)
            art_entities.append(tuple(ents))
            sent_entities.append(sents)
            sent_text.append({s: rec.sentence_text[s] for s, _ in sents if s in rec.sentence_text})
        entities = [e.model_copy(update={"article_ids": tuple(ids)}) for e, ids in zip(entities, article_ids)]
        return Resolution(
            entities=entities,
            articles=metas,
            article_entities=art_entities,
            sentence_entities=sent_entities,
            sentence_text=sent_text,
            alias_rows=rows,
        )


def _link_short_names(locals_: dict[str, _Local]) -> dict[str, str]:
    """Within one article: short key -> the one full key it stands for."""
    full_people = [
        k for k, loc in locals_.items() if " " in k and loc.alias is None and _local_type(loc) == "person"
    ]
    orgs = [k for k, loc in locals_.items() if " " in k and _local_type(loc) == "organization"]
    merged: dict[str, str] = {}
    for key, loc in locals_.items():
        if loc.alias is not None:
            continue
        words = key.split()
        ltype = _local_type(loc)
        if len(words) == 1 and (ltype != "place" or loc.titled):
            cands = [k for k in full_people if k.split()[-1] == key]
            if not cands:
                cands = [k for k in full_people if k.split()[0] == key]
            if len(cands) == 1:
                merged[key] = cands[0]
        elif len(words) >= 2 and ltype == "organization":
            cands = [k for k in orgs if k != key and k.endswith(" " + key)]
            if len(cands) == 1:
                merged[key] = cands[0]
    return merged


def _local_type(loc: _Local) -> str:
    if loc.alias is not None:
        return loc.alias[1]
    votes = Counter(loc.votes)
    votes["person"] += 2 * loc.titled
    return max(ENTITY_TYPES, key=lambda t: (votes[t], t == "person"))


def _best_label(c: _Cluster) -> str:
    if c.alias is not None:
        return c.alias[0]
    own = {n: k for n, k in c.core.items() if match_key(n) == c.key} or dict(c.core)

    def score(name: str) -> tuple[int, int, int, int, str]:
        letters = [ch for ch in name if ch.isalpha()]
        caps = bool(letters) and all(ch.isupper() for ch in letters)
        return (
            own[name],
            sum(ord(ch) > 127 for ch in name),
            int(not caps or len(letters) <= 5),
            len(name),
            name,
        )

    return max(own, key=score)
