"""Mentions -> Entities: one entity per real-world thing, and never two things in one.

Resolution runs in two steps, so a build can stream:

1. `Resolver.add(extraction)` resolves one article on its own. Each name is cleaned
   (titles, company suffixes, "province", "Government of"), noise is dropped, built-in and
   user aliases apply, and inside the article a short name ("Naeem", "Mr Sunak", "Xi",
   "Prince Mohammed") joins the one full name it fits, and an acronym joins the name it
   abbreviates there. Only a compact record of the article is kept.
2. `Resolver.finish()` links across articles: the same name anywhere is one entity; an
   acronym defined in some article joins its expansion everywhere; a name with a title that
   could not be placed in its article ("Defence Lloyd Austin") joins the person it names;
   a short name left alone joins a full name only when the whole corpus has exactly one
   candidate and the two share context; a lone ordinary word ("Cease") is dropped; and each
   entity's type is decided by its mentions.

Every decision is kept as a rule per surface form (`AliasRow`), so aliases.csv shows why a
name joined an entity, or why it was dropped or kept apart.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .aliases import AliasTable
from .normalize import (
    first_name,
    is_portfolio,
    name_tokens,
    government_of,
    match_key,
    name_words,
    noise_reason,
    slug,
    split_acronym,
    split_titles,
    starts_with_given_name,
    surname_refs,
    tidy,
    without_company_suffix,
    without_place_word,
)
from .normalize import is_noise as is_noise  # noqa: F401  (re-exported: part of this stage's surface)
from .normalize import strip_titles as strip_titles  # noqa: F401
from .records import ENTITY_TYPES, AliasRow, ArticleMeta, Entity, EntityType, Extraction, Mention

# Rules, as aliases.csv shows them.
EXACT = "exact"
NORMALISED = "normalised (case, accents, punctuation)"
TITLE = "title removed"
COMPANY = "company suffix removed"
PLACE_WORD = "place word removed"
GOVERNMENT = "government of a place"
BUILTIN = "built-in alias"
USER = "user alias"
SHORT_ARTICLE = "short name (same article)"
FIRST_ARTICLE = "first name (same article)"
SHORT_CORPUS = "short name (only candidate in the corpus)"
ORG_SHORT = "shorter organization name (same article)"
ACRONYM_ARTICLE = "acronym (defined in the article)"
ACRONYM_CORPUS = "acronym (defined in another article)"
SPLIT = "split from an organization name"
MIDDLE = "same first and family name (middle name or initial added)"
COMMON_WORD = "dropped (ordinary word, seen once)"
TITLE_FRONT = "dropped (front of a title)"
IGNORED = "ignored (alias file)"

_LINK_RULES = frozenset({SHORT_ARTICLE, FIRST_ARTICLE, SHORT_CORPUS, TITLE})


@dataclass
class _Part:
    """What one mention (or one part of it) says about an entity."""

    surface: str
    core: str
    etype: EntityType
    rule: str = EXACT
    key: str = ""  # when the match key is not the core's ("Apple Inc." has the key of "Apple")
    alias: tuple[str, EntityType, str] | None = None
    titled: bool = False
    evidence: bool = False  # starts with a given name
    first_ref: str = ""  # "Prince Mohammed": the first name it stands for
    alt: str = ""  # a name behind titles, to try at the corpus step
    alt_titled: bool = False
    royal: bool = False  # had a title used with first names ("Crown Prince"), or a "bin"


@dataclass
class _Cluster:
    """One entity, inside an article and then across the corpus."""

    key: str
    forms: dict[str, int] = field(default_factory=dict)  # surface -> mentions
    core: dict[str, int] = field(default_factory=dict)  # name after clean-up -> mentions
    names: dict[str, int] = field(default_factory=dict)  # its own names (not linked short names)
    own: dict[str, float] = field(default_factory=dict)  # type -> votes of its own names
    linked: dict[str, float] = field(default_factory=dict)  # type -> votes of short names linked to it
    titled: int = 0
    evidence: int = 0
    mentions: int = 0
    articles: set[str] = field(default_factory=set)
    alias: tuple[str, EntityType, str] | None = None
    rules: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # (surface, rule) -> articles
    first_ref: str = ""
    alt: str = ""
    alt_titled: int = 0
    royal: int = 0

    def add(self, part: _Part, art: str) -> None:
        _count(self.forms, part.surface)
        _count(self.core, part.core)
        _count(self.names, part.core)
        _count(self.own, part.etype)
        self.titled += int(part.titled)
        self.evidence += int(part.evidence)
        self.mentions += 1
        self.articles.add(art)
        if self.alias is None:
            self.alias = part.alias
        self.first_ref = self.first_ref or part.first_ref
        self.alt = self.alt or part.alt
        self.alt_titled += int(part.alt_titled)
        self.royal += int(part.royal)
        self.rules.setdefault((part.surface, part.rule), set()).add(art)

    def absorb(self, other: _Cluster, rule: str | None = None) -> None:
        """Take in `other`; `rule` (if any) says why, and replaces its plain rules."""
        _add_counts(self.forms, other.forms)
        _add_counts(self.core, other.core)
        if rule is None or rule == MIDDLE:
            _add_counts(self.names, other.names)
        if rule in _LINK_RULES:
            # a family name NER took for a place ("Scholz" as GPE) is a person's
            for t, n in other.own.items():
                _count(self.linked, "person" if t == "place" else t, n)
        else:
            _add_counts(self.own, other.own)
        _add_counts(self.linked, other.linked)
        self.titled += other.titled + (other.alt_titled if rule == TITLE else 0)
        if rule is None:  # the same name from another article
            self.alt = self.alt or other.alt
            self.alt_titled += other.alt_titled
            self.first_ref = self.first_ref or other.first_ref
        self.evidence += other.evidence
        self.royal += other.royal
        self.mentions += other.mentions
        self.articles |= other.articles
        if self.alias is None:
            self.alias = other.alias
        for (surface, r), arts in other.rules.items():
            if rule is not None:
                r = rule if r in (EXACT, NORMALISED) or r.startswith("ambiguous") else f"{r}; {rule}"
            self.rules.setdefault((surface, r), set()).update(arts)

    def type(self) -> EntityType:
        if self.alias is not None:
            return self.alias[1]
        evidence = min(self.evidence, len(self.articles))
        return _decide_type(self.own, self.linked, self.titled, evidence, " " not in self.key)

    def is_full_person(self, lenient: bool = False) -> bool:
        """A person's full name (two words or more), which short names can join. `lenient`
        also takes a name that starts with a given name whatever NER called it (used within
        one article: "Denzel Washington" tagged ORG, then "Washington")."""
        if self.first_ref or " " not in self.key:
            return False
        if self.alias is not None:
            return self.alias[1] == "person"
        return self.type() == "person" or (lenient and self.evidence > 0)

    def refs(self) -> set[str]:
        out: set[str] = set()
        for name in self.names:
            out |= surname_refs(name)
        return out

    def first_names(self) -> set[str]:
        return {first_name(f) for f in self.names} - {""}

    def best(self) -> str:
        return _best_label(self)


def _count(counts: dict, key: str, n: float = 1) -> None:
    counts[key] = counts.get(key, 0) + n


def _add_counts(counts: dict, other: dict) -> None:
    for key, n in other.items():
        counts[key] = counts.get(key, 0) + n


def _decide_type(
    own: dict[str, float], linked: dict[str, float], titled: int, evidence: int, single: bool
) -> EntityType:
    """The type most mentions give: a title counts twice for a person, a linked short name
    half, and a name that starts with a given name once per article. Ties go to the place for
    one-word names ("Jordan") and to the person for longer ones."""
    person = own.get("person", 0) + 0.5 * linked.get("person", 0) + 2 * titled + evidence
    org = own.get("organization", 0) + 0.5 * linked.get("organization", 0)
    place = own.get("place", 0) + 0.5 * linked.get("place", 0)
    if single:
        return "place" if place >= org and place >= person else "organization" if org >= person else "person"
    return "person" if person >= org and person >= place else "organization" if org >= place else "place"


@dataclass
class _ArticleRecord:
    meta: ArticleMeta
    keys: list[str]  # one per entity in the article, its cluster key
    sentences: list[tuple[int, tuple[int, ...]]]  # (sentence index, indices into keys), 2+ entities
    sentence_text: dict[int, str]


@dataclass
class Resolution:
    """The result of resolution: entities, and which of them each article mentions."""

    entities: list[Entity]
    articles: list[ArticleMeta]
    article_entities: list[tuple[int, ...]]  # per article (same order), entity indices
    sentence_entities: list[list[tuple[int, tuple[int, ...]]]]  # per article: (sentence, entity indices)
    sentence_text: list[dict[int, str]]
    alias_rows: list[AliasRow]


class Resolver:
    """Resolves mentions into entities, one article at a time (see the module docstring).

    `lexicon` is a set of ordinary English words (verbs, adjectives, adverbs; see
    `kgraph.normalize.common_words`): with it, a one-word name seen once that is such a word
    ("Cease") is dropped. Without it that rule is off; everything else works the same.
    """

    def __init__(
        self,
        aliases: AliasTable | None = None,
        *,
        types: Iterable[EntityType] | None = None,
        lexicon: Iterable[str] = (),
    ) -> None:
        self.aliases = aliases if aliases is not None else AliasTable()
        self.types = tuple(types) if types is not None else ENTITY_TYPES
        self.lexicon = frozenset(lexicon)
        self._records: list[_ArticleRecord] = []
        self._clusters: dict[str, _Cluster] = {}
        self._acronyms: dict[str, set[str]] = defaultdict(set)
        self._dropped: dict[tuple[str, str], set[str]] = {}

    # -- step 1: one article -------------------------------------------------------------
    def add(self, extraction: Extraction) -> None:
        """Resolve one article's mentions and remember what the corpus step needs."""
        art = extraction.article.id
        person_refs = _article_person_refs(extraction.mentions)
        acronyms: dict[str, str] = dict(extraction.acronyms)
        locals_: dict[str, _Cluster] = {}
        surface_key: dict[str, str] = {}
        mention_keys: list[tuple[str, ...]] = []
        mentions = extraction.mentions
        for i, m in enumerate(mentions):
            keys: list[str] = []
            nxt = mentions[i + 1] if i + 1 < len(mentions) else None
            # "Defense" in "Defense Secretary Lloyd Austin": NER cut the title in two
            before_person = (
                nxt is not None
                and nxt.label == "PERSON"
                and nxt.sentence == m.sentence
                and 0 <= nxt.start - m.end <= 25
            )
            for part in self._parts(m, person_refs, acronyms, art, before_person):
                key = match_key(part.alias[0]) if part.alias else part.key or match_key(part.core)
                if not key or key in self.aliases.ignored:
                    continue
                loc = locals_.get(key)
                if loc is None:
                    loc = locals_[key] = _Cluster(key=key)
                loc.add(part, art)
                surface_key.setdefault(match_key(part.surface), key)
                surface_key.setdefault(match_key(part.core), key)
                keys.append(key)
            mention_keys.append(tuple(keys))
        # "Special Representative Khalilzad" (ORG) and "Khalilzad" in one article: one person
        redirect: dict[str, str] = {}
        for key in sorted(locals_):
            loc = locals_[key]
            target = loc.alt
            if target and target != key and target in locals_ and target not in redirect and not locals_[target].alias:
                loc.alt = ""
                locals_[target].absorb(loc, TITLE)
                redirect[key] = target
        for key in redirect:
            del locals_[key]
        mention_keys = [tuple(redirect.get(k, k) for k in keys) for keys in mention_keys]
        surface_key = {s: redirect.get(k, k) for s, k in surface_key.items()}
        merged = _link_in_article(locals_, self._ordinary)
        for acronym, expansion in acronyms.items():
            a = match_key(acronym)
            e = surface_key.get(match_key(expansion), match_key(expansion))
            e = _follow(merged, e)
            if not a or not e or a == e:
                continue
            self._acronyms[a].add(e)
            if a in locals_ and e in locals_ and a not in merged and locals_[a].alias is locals_[e].alias is None:
                merged[a] = (e, ACRONYM_ARTICLE)
        final = {k: _follow(merged, k) for k in locals_}
        keys_out = sorted(set(final.values()))
        index = {k: i for i, k in enumerate(keys_out)}
        for key in sorted(locals_, key=lambda k: k in merged):  # targets first
            loc = locals_[key]
            target, rule = final[key], merged.get(key, (key, ""))[1]
            cluster = self._clusters.get(target)
            if cluster is None:
                cluster = self._clusters[target] = _Cluster(key=target)
            cluster.absorb(loc, rule or None)
        by_sentence: dict[int, set[int]] = defaultdict(set)
        for m, keys in zip(extraction.mentions, mention_keys):
            for key in keys:
                by_sentence[m.sentence].add(index[final[key]])
        sentences = [(s, tuple(sorted(ids))) for s, ids in sorted(by_sentence.items()) if len(ids) >= 2]
        used = {s for s, _ in sentences}
        self._records.append(
            _ArticleRecord(
                meta=extraction.article,
                keys=keys_out,
                sentences=sentences,
                sentence_text={s: t for s, t in extraction.sentences.items() if s in used},
            )
        )

    def _drop(self, surface: str, rule: str, art: str) -> list[_Part]:
        self._dropped.setdefault((surface, rule), set()).add(art)
        return []

    def _parts(
        self, m: Mention, person_refs: _PersonNames, acronyms: dict[str, str], art: str, before_person: bool = False
    ) -> list[_Part]:
        """What one mention names: usually one part; two when an organization's name swallowed
        a person's ("High Council for National Reconciliation Abdullah Abdullah")."""
        surface = m.name
        name = tidy(surface)
        name, acronym = split_acronym(name)
        if acronym:
            acronyms.setdefault(acronym, name)
        if match_key(name) in self.aliases.ignored:
            return self._drop(surface, IGNORED, art)
        alias = self.aliases.lookup(name)
        if alias is not None:
            return [_Part(surface, name, alias[1], USER if alias[2] == "user" else BUILTIN, alias=alias)]
        reason = noise_reason(name, m.label)
        if reason:
            return self._drop(surface, reason, art)
        if before_person and m.label != "PERSON" and is_portfolio(name):
            return self._drop(surface, TITLE_FRONT, art)
        part = _Part(surface, name, m.type)
        titled = split_titles(name)
        if titled.titles:
            core_key = match_key(titled.core)
            sure = core_key in person_refs or starts_with_given_name(titled.core)
            if m.label == "PERSON" and (titled.person_title or len(titled.core.split()) >= 2):
                sure = True
            if sure:
                part.core, part.rule, part.titled = titled.core, TITLE, titled.person_title
                part.royal = titled.first_name_title
                if titled.first_name_title and (" " not in titled.core or _only_suffix_after(titled.core)):
                    # "King Salman", "Prince Mohammed": the title stays, with the first name
                    title = next(t for t in reversed(titled.titles) if t[:1].isupper())
                    part.core, part.rule = f"{title} {titled.core}", EXACT
                    part.first_ref = match_key(titled.core.split()[0])
            elif m.label != "PERSON":
                part.alt, part.alt_titled = core_key, titled.person_title
        if part.rule == EXACT:
            place = government_of(name)
            if place:
                part.core, part.etype, part.rule = place, "place", GOVERNMENT
            elif part.etype == "place" and without_place_word(name) != name:
                part.core, part.rule = without_place_word(name), PLACE_WORD
            elif m.label != "PERSON" and without_company_suffix(name) != name:
                part.key, part.rule = match_key(without_company_suffix(name)), COMPANY
            elif part.etype == "organization":
                split = _split_person(name, person_refs)
                if split is not None:
                    head, person = split
                    parts = [_Part(surface, person, "person", SPLIT, evidence=True)]
                    if len(head.split()) >= 2:
                        parts.insert(0, _Part(surface, head, "organization", SPLIT))
                    return parts
        if part.core != name:
            alias = self.aliases.lookup(part.core)
            if alias is not None:
                part.alias, part.etype = alias, alias[1]
                part.rule = USER if alias[2] == "user" else BUILTIN
        part.evidence = part.etype != "place" and starts_with_given_name(part.core)
        part.royal = part.royal or any(w.lower() in name_words().patronymic_particles for w in part.core.split()[1:-1])
        if part.rule == EXACT and match_key(surface) == match_key(part.core) and surface != part.core:
            part.rule = NORMALISED
        return [part]

    # -- step 2: the corpus ----------------------------------------------------------------
    def finish(self) -> Resolution:
        """Link across articles and return the entities."""
        clusters = self._clusters
        parent: dict[str, str] = {}

        def find(k: str) -> str:
            root = k
            while root in parent:
                root = parent[root]
            while k != root:  # path compression
                parent[k], k = root, parent[k]
            return root

        def merge(src: str, dst: str, rule: str) -> None:
            a, b = find(src), find(dst)
            if a == b:
                return
            clusters[b].absorb(clusters[a], rule)
            parent[a] = b

        # acronyms defined in the text, when the corpus defines them one way only
        for acronym, expansions in sorted(self._acronyms.items()):
            roots = {find(e) for e in expansions if e in clusters}
            if len(roots) == 1 and acronym in clusters and len({find(e) for e in expansions}) == 1:
                target = roots.pop()
                if clusters[find(acronym)].alias is None and clusters[target].alias is None:
                    merge(acronym, target, ACRONYM_CORPUS)
        context = _Context(self._records, clusters, find)
        notes: dict[str, str] = {}
        # "Harry Truman" and "Harry S. Truman": one person, when no other middle name fits
        by_ends: dict[tuple[str, str], dict[str, bool]] = defaultdict(dict)
        for key in sorted(clusters):
            c = clusters[key]
            if key in parent or not c.is_full_person():
                continue
            for name in c.names:
                ends = _first_last(name)
                if ends:
                    by_ends[ends[:2]][key] = by_ends[ends[:2]].get(key, False) or ends[2]
        for group in by_ends.values():
            plain = [k for k, middle in group.items() if not middle]
            longer = {find(k) for k, middle in group.items() if middle}
            for key in plain:
                if len(longer - {find(key)}) == 1:
                    target = next(iter(longer - {find(key)}))
                    if context.shared(key, target):
                        merge(key, target, MIDDLE)
        # full names of people, by the family names they can be shortened to
        by_ref: dict[str, set[str]] = defaultdict(set)
        for key in sorted(clusters):
            c = clusters[key]
            if key not in parent and c.is_full_person() and not self._starts_with_word(c):
                for ref in c.refs():
                    if ref != key:
                        by_ref[ref].add(key)
        # names behind titles that their article could not place ("Defence Lloyd Austin")
        for key in sorted(clusters):
            c = clusters[key]
            if not c.alt or key in parent:
                continue
            if c.alt in clusters and c.alt != key and clusters[find(c.alt)].type() == "person":
                merge(key, c.alt, TITLE)
            else:
                cands = {find(k) for k in by_ref.get(c.alt, ())}
                if len(cands) == 1 and context.shared(key, next(iter(cands))):
                    merge(key, cands.pop(), TITLE)
        # short names left alone, when the corpus has exactly one full name for them
        for key in sorted(clusters):
            c = clusters[key]
            if key in parent or c.alias is not None or c.first_ref or c.type() != "person":
                continue
            if key not in by_ref:
                continue
            cands = {find(k) for k in by_ref.get(key, ())} - {find(key)}
            if len(cands) == 1:
                target = next(iter(cands))
                if context.shared(key, target):
                    merge(key, target, SHORT_CORPUS)
                else:
                    notes[key] = f"short name kept apart (no shared context with {clusters[target].best()})"
            elif len(cands) > 1:
                names = " | ".join(sorted(clusters[k].best() for k in cands))
                notes[key] = f"ambiguous short name kept apart ({names})"
        # a lone ordinary word, seen once in the whole corpus, that NER took for an organization
        for key in sorted(clusters):
            c = clusters[key]
            if key in parent or c.alias is not None or c.mentions != 1 or " " in key or c.titled:
                continue
            form = next(iter(c.core))
            if self._ordinary(key) and not form.isupper() and c.type() == "organization":
                parent[key] = _DROPPED
                for (surface, _), arts in c.rules.items():
                    self._dropped.setdefault((surface, COMMON_WORD), set()).update(arts)
        return self._build(find, notes)

    def _ordinary(self, word: str) -> bool:
        """Whether `word` (a match key) is an ordinary English verb, adjective or adverb, or an
        inflection of one ("defends", "heavily"), and not also a common given or family name."""
        lex = self.lexicon
        nw = name_words()
        if not lex or not word.isalpha() or word in nw.given_names or word in nw.family_name_first:
            return False
        stems = [word]
        for end, cut in (("s", 1), ("es", 2), ("ed", 2), ("ed", 1), ("ing", 3), ("ly", 2), ("ily", 3)):
            if word.endswith(end) and len(word) - cut >= 3:
                stems.append(word[:-cut] + ("y" if end == "ily" else ""))
        return any(stem in lex for stem in stems)

    def _starts_with_word(self, c: _Cluster) -> bool:
        """A full name whose first word is an ordinary word, not a given name ("Defends Ike",
        "Simply Red"): NER glued a word to a name, so it is no target for names elsewhere."""
        return self._ordinary(c.key.split()[0])

    def _build(self, find: Callable[[str], str], notes: dict[str, str]) -> Resolution:
        clusters = self._clusters
        types = {r: clusters[r].type() for r in {find(k) for k in clusters} - {_DROPPED}}
        roots = sorted((r for r in types if types[r] in self.types), key=lambda r: (-len(clusters[r].articles), r))
        index = {root: i for i, root in enumerate(roots)}
        # which entities each article names, in corpus order
        article_ids: list[list[str]] = [[] for _ in roots]
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
        entities: list[Entity] = []
        used_ids: set[str] = set()
        rows: list[AliasRow] = []
        for root, ids in zip(roots, article_ids):
            c = clusters[root]
            etype = types[root]
            label = c.best()
            eid = f"{etype}:{slug(label)}"
            n = 2
            while eid in used_ids:
                eid = f"{etype}:{slug(label)}-{n}"
                n += 1
            used_ids.add(eid)
            entities.append(
                Entity(
                    id=eid,
                    label=label,
                    type=etype,
                    aliases=tuple(sorted(c.forms, key=lambda f: (-c.forms[f], f))),
                    article_ids=tuple(ids),
                    mention_count=c.mentions,
                )
            )
            note = notes.get(root)
            for (surface, rule), arts in sorted(c.rules.items()):
                if note and rule in (EXACT, NORMALISED):
                    rule = note
                rows.append(
                    AliasRow(
                        surface=surface, entity_id=eid, entity_label=label, rule=rule, article_ids=tuple(sorted(arts))
                    )
                )
        for (surface, rule), arts in sorted(self._dropped.items()):
            rows.append(
                AliasRow(surface=surface, entity_id="", entity_label="", rule=rule, article_ids=tuple(sorted(arts)))
            )
        return Resolution(
            entities=entities,
            articles=metas,
            article_entities=art_entities,
            sentence_entities=sent_entities,
            sentence_text=sent_text,
            alias_rows=rows,
        )


_DROPPED = "\x00dropped"


def _follow(merged: dict[str, tuple[str, str]], key: str) -> str:
    seen = {key}
    while key in merged and merged[key][0] not in seen:
        key = merged[key][0]
        seen.add(key)
    return key


class _Context:
    """Which entities each entity is mentioned with: two names of one person share some."""

    def __init__(self, records: list[_ArticleRecord], clusters: dict[str, _Cluster], find: Callable[[str], str]):
        self.by_article = {r.meta.id: r.keys for r in records}
        self.clusters = clusters
        self.find = find
        # an entity in more than this many articles says little (the country of the news desk)
        self.informative = max(3, len(records) // 10)

    def _around(self, root: str) -> set[str]:
        out: set[str] = set()
        for art in self.clusters[root].articles:
            out.update(self.find(k) for k in self.by_article.get(art, ()))
        return out

    def shared(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        both = (self._around(ra) & self._around(rb)) - {ra, rb, _DROPPED}
        return any(len(self.clusters[k].articles) <= self.informative for k in both)


@dataclass
class _PersonNames:
    """The names of people in one article: full names, and everything that can refer to one."""

    full: set[str]  # match keys of full names ("ned price")
    refs: set[str]  # full names, their family names, one-word PERSON names

    def __contains__(self, key: str) -> bool:
        return key in self.refs


def _article_person_refs(mentions: Iterable[Mention]) -> _PersonNames:
    """The people an article names: PERSON names and names that start with a given name,
    with titles off, and the family names of the full ones."""
    full: set[str] = set()
    refs: set[str] = set()
    for m in mentions:
        core = split_titles(tidy(m.name)).core
        if m.label != "PERSON" and (m.type == "place" or not starts_with_given_name(core)):
            continue
        key = match_key(core)
        refs.add(key)
        if " " in key:
            full.add(key)
            refs.update(surname_refs(core))
    refs.discard("")
    return _PersonNames(full, refs)


def _first_last(name: str) -> tuple[str, str, bool] | None:
    """(first name, family name, has a middle part) of a plain Western-order full name;
    None for names with particles ("bin", "de") or family name first."""
    nw = name_words()
    toks = name_tokens(name)
    if len(toks) < 2 or any(t.lower() in nw.surname_particles | nw.patronymic_particles for t in toks[1:-1]):
        return None
    first, last = match_key(toks[0]), match_key(toks[-1])
    if not first or not last or first in nw.family_name_first or len(first) == 1:
        return None
    return first, last, len(toks) > 2


def _only_suffix_after(core: str) -> bool:
    """'Abdullah II', 'Elizabeth II': one name and a regnal number."""
    words = core.split()
    return len(words) == 2 and words[1].strip(".").upper() in {"I", "II", "III", "IV", "V", "VI", "VII", "VIII"}


def _split_person(name: str, people: _PersonNames) -> tuple[str, str] | None:
    """'High Council for National Reconciliation Abdullah Abdullah' -> (organization, person),
    when the last words are a person named in the article, or a given name and a family name
    after an organization's name."""
    nw = name_words()
    words = name.split()
    for n in (3, 2):
        if len(words) < n + 1:
            continue
        head, tail = words[:-n], words[-n:]
        if head[-1].lower() in ("of", "for", "and", "&", "the", "de") or not all(w[:1].isupper() for w in tail):
            continue
        person = " ".join(tail)
        if match_key(tail[-1]) in nw.non_person_heads:
            continue
        if match_key(person) in people.full:
            return " ".join(head), person
        if starts_with_given_name(person) and any(match_key(w) in nw.non_person_heads for w in head):
            return " ".join(head), person
    return None


def _link_in_article(locals_: dict[str, _Cluster], ordinary: Callable[[str], bool]) -> dict[str, tuple[str, str]]:
    """Within one article: key -> (the key it stands for, rule), for short names that fit
    exactly one full name, and shorter organization names that end exactly one longer one.
    `ordinary` tells an ordinary English word, which no person's name starts with."""
    given = name_words().given_names
    full = [
        k
        for k, loc in locals_.items()
        if loc.is_full_person(lenient=True) and (k.split()[0] in given or not ordinary(k.split()[0]))
    ]
    by_ref: dict[str, set[str]] = defaultdict(set)
    by_first: dict[str, set[str]] = defaultdict(set)
    for k in full:
        for ref in locals_[k].refs():
            if ref != k:
                by_ref[ref].add(k)
        for first in locals_[k].first_names():
            by_first[first].add(k)
    merged: dict[str, tuple[str, str]] = {}

    def target(k: str) -> str:
        while k in merged:
            k = merged[k][0]
        return k

    for key in sorted(locals_, key=lambda k: (-len(k.split()), k)):
        loc = locals_[key]
        if loc.alias is not None:
            continue
        if loc.first_ref:  # "Prince Mohammed": a full name with such a title, or with "bin"
            cands = {c for c in by_first.get(loc.first_ref, set()) if locals_[c].royal}
            rule = FIRST_ARTICLE
        else:
            cands, rule = by_ref.get(key, set()) - {key}, SHORT_ARTICLE
            if not cands and key in full:  # "Lula da Silva" after "Luiz Inácio Lula da Silva"
                cands = {k for k in full if k.endswith(" " + key) and k.split()[0] in given}
            if loc.type() == "place":  # "Scholz" tagged GPE; but "London" next to Julie London stays
                cands = {c for c in cands if any(starts_with_given_name(n) for n in locals_[c].names)}
            if not cands and key not in full and " " not in key and loc.type() == "person" and not loc.titled:
                # "Hillary" for Hillary Clinton: a given name, or a one-word PERSON name and a
                # full name that is clearly a person's
                cands = {
                    c
                    for c in by_first.get(key, set())
                    if key in given or (loc.own.get("person") and not ordinary(key) and locals_[c].type() == "person")
                }
                rule = FIRST_ARTICLE
        cands = {target(c) for c in cands} - {key}
        if len(cands) == 1:
            merged[key] = (cands.pop(), rule)
        elif len(cands) > 1:
            names = " | ".join(sorted(locals_[c].best() for c in cands))
            note = f"ambiguous short name kept apart (same article: {names})"
            for (surface, r) in list(loc.rules):
                if r in (EXACT, NORMALISED, TITLE):
                    loc.rules[(surface, note)] = loc.rules.pop((surface, r))
    orgs = [k for k, loc in locals_.items() if " " in k and k not in merged and loc.type() == "organization"]
    for key in orgs:
        cands = [k for k in orgs if k != key and k.endswith(" " + key)]
        if len(cands) == 1 and locals_[key].alias is None:
            merged[key] = (cands[0], ORG_SHORT)
    return merged


def _best_label(c: _Cluster) -> str:
    if c.alias is not None:
        return c.alias[0]
    own = dict(c.names) or dict(c.core)

    def score(name: str) -> tuple[int, int, int, int, int, str]:
        letters = [ch for ch in name if ch.isalpha()]
        caps = bool(letters) and all(ch.isupper() for ch in letters)
        return (
            sum(ord(ch) > 127 for ch in name),  # the accented spelling is the better-written one
            own[name],
            int(not caps or len(letters) <= 5),
            int(without_company_suffix(name) == name),  # "Microsoft" over "Microsoft Corp"
            len(name),
            name,
        )

    return max(own, key=score)
