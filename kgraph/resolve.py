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
from dataclasses import dataclass
from itertools import combinations

from ._cluster import (
    ACRONYM_ARTICLE,
    ACRONYM_CORPUS,
    BUILTIN,
    COMMON_WORD,
    COMPANY,
    COORDINATION,
    EXACT,
    FORMAL_PLACE,
    GOVERNMENT,
    IGNORED,
    MIDDLE,
    NORMALISED,
    PLACE_WORD,
    SHORT_CORPUS,
    SPLIT,
    TITLE,
    TITLE_FRONT,
    USER,
    Cluster,
    Context,
    Part,
    PersonNames,
    article_person_refs,
    first_last,
    link_in_article,
    only_suffix_after,
    split_person,
)
from ._variants import GENERIC_DROPPED, link_initials, link_plurals, link_short_forms
from .aliases import AliasTable
from .normalize import (
    coordinated,
    government_of,
    without_trailing_title,
    state_of,
    is_portfolio,
    looks_like_person_name,
    match_key,
    name_words,
    noise_reason,
    slug,
    split_acronym,
    split_titles,
    starts_with_given_name,
    strip_titles,
    tidy,
    without_company_suffix,
    without_place_word,
)
from .places import is_known_place, name_shape
from .records import ENTITY_TYPES, AliasRow, ArticleMeta, Entity, EntityType, Extraction, Mention

__all__ = ["Resolution", "Resolver", "strip_titles"]  # strip_titles: name lookup uses it too


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
        max_sentences: int | None = None,
    ) -> None:
        self.aliases = aliases if aliases is not None else AliasTable()
        self.types = tuple(types) if types is not None else ENTITY_TYPES
        self.lexicon = frozenset(lexicon)
        #: Evidence sentences needed per pair of entities (None: keep the text of every one).
        self.max_sentences = max_sentences
        self._records: list[_ArticleRecord] = []
        self._key_ids: dict[str, int] = {}
        self._evidence: dict[int, int] = {}  # pair of key ids -> sentences kept for it
        self._clusters: dict[str, Cluster] = {}
        self._acronyms: dict[str, set[str]] = defaultdict(set)
        self._dropped: dict[tuple[str, str], set[str]] = {}

    # -- step 1: one article -------------------------------------------------------------
    def add(self, extraction: Extraction) -> None:
        """Resolve one article's mentions and remember what the corpus step needs."""
        art = extraction.article.id
        person_refs = article_person_refs(extraction.mentions)
        acronyms: dict[str, str] = dict(extraction.acronyms)
        locals_: dict[str, Cluster] = {}
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
                    loc = locals_[key] = Cluster(key=key)
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
            if not target or target == key or target not in locals_ or target in redirect or locals_[target].alias:
                continue
            if loc.alt_titled or locals_[target].type() == "person":
                loc.alt = ""
                locals_[target].absorb(loc, TITLE)
                redirect[key] = target
        for key in redirect:
            del locals_[key]
        mention_keys = [tuple(_follow_one(redirect, k) for k in keys) for keys in mention_keys]
        surface_key = {s: _follow_one(redirect, k) for s, k in surface_key.items()}
        merged = link_in_article(locals_, self._ordinary)
        for acronym, expansion in acronyms.items():
            a = match_key(acronym)
            e = surface_key.get(match_key(expansion), match_key(expansion))
            e = _follow(merged, e)
            if not a or not e or a == e:
                continue
            self._acronyms[a].add(e)
            if a in locals_ and e in locals_ and a not in merged and locals_[a].alias is locals_[e].alias is None:
                merged[a] = (e, ACRONYM_ARTICLE)
        link_plurals(locals_, merged)
        link_initials(locals_, merged)
        for key in link_short_forms(locals_, merged, lambda k: locals_[k].type() == "person"):
            for surface, _ in locals_.pop(key).rules:
                self._drop(surface, GENERIC_DROPPED, art)
            mention_keys = [tuple(k for k in keys if k != key) for keys in mention_keys]
        final = {k: _follow(merged, k) for k in locals_}
        keys_out = sorted(set(final.values()))
        index = {k: i for i, k in enumerate(keys_out)}
        for key in sorted(locals_, key=lambda k: k in merged):  # targets first
            loc = locals_[key]
            target, rule = final[key], merged.get(key, (key, ""))[1]
            cluster = self._clusters.get(target)
            if cluster is None:
                cluster = self._clusters[target] = Cluster(key=target)
            cluster.absorb(loc, rule or None)
        by_sentence: dict[int, set[int]] = defaultdict(set)
        for m, mention_key_set in zip(extraction.mentions, mention_keys):
            for key in mention_key_set:
                by_sentence[m.sentence].add(index[final[key]])
        sentences = [(s, tuple(sorted(ids))) for s, ids in sorted(by_sentence.items()) if len(ids) >= 2]
        keys_out = [self._clusters[k].key for k in keys_out]  # one string object per key, shared by all records
        used = self._evidence_needed(keys_out, sentences)
        self._records.append(
            _ArticleRecord(
                meta=extraction.article,
                keys=keys_out,
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

    def _drop(self, surface: str, rule: str, art: str) -> list[Part]:
        self._dropped.setdefault((surface, rule), set()).add(art)
        return []

    def _parts(
        self, m: Mention, person_refs: PersonNames, acronyms: dict[str, str], art: str, before_person: bool = False
    ) -> list[Part]:
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
            return [Part(surface, name, alias[1], _alias_rule(name, alias), alias=alias)]
        reason = noise_reason(name, m.label)
        if reason:
            return self._drop(surface, reason, art)
        pair = coordinated(name)
        if pair is not None:  # "North and South Korea"
            return [Part(surface, n, m.type, COORDINATION) for n in pair]
        if m.label != "PERSON" and without_trailing_title(name) != name:
            name = without_trailing_title(name)  # "State Department Spokesperson"
            if match_key(name) in self.aliases.ignored:
                return self._drop(surface, IGNORED, art)
            alias = self.aliases.lookup(name)
            if alias is not None:
                return [Part(surface, name, alias[1], _alias_rule(name, alias), alias=alias)]
        if before_person and m.label != "PERSON" and is_portfolio(name):
            return self._drop(surface, TITLE_FRONT, art)
        part = Part(surface, name, m.type)
        titled = split_titles(name)
        if titled.titles:
            core_key = match_key(titled.core)
            if titled.person_title:  # "Special Representative Khalilzad": Khalilzad is a person here
                sure = m.label == "PERSON" or core_key in person_refs or starts_with_given_name(titled.core)
            else:  # only "Defence": the rest must be a person's name ("Defence Lloyd Austin")
                sure = core_key in person_refs.full or starts_with_given_name(titled.core)
                sure = sure or (m.label == "PERSON" and " " in titled.core)
            if sure:
                part.core, part.rule, part.titled = titled.core, TITLE, titled.person_title
                part.royal = titled.first_name_title
                if titled.first_name_title and (" " not in titled.core or only_suffix_after(titled.core)):
                    # "King Salman", "Prince Mohammed": the title stays, with the first name
                    title = next(t for t in reversed(titled.titles) if t[:1].isupper())
                    part.core, part.rule = f"{title} {titled.core}", EXACT
                    part.first_ref = match_key(titled.core.split()[0])
            elif m.label != "PERSON" and not titled.first_name_title:
                part.alt, part.alt_titled = core_key, titled.person_title
        if part.rule == EXACT:
            place = government_of(name)
            formal = state_of(name)
            if place:
                part.core, part.etype, part.rule = place, "place", GOVERNMENT
            elif formal:
                part.core, part.etype, part.rule = formal, "place", FORMAL_PLACE
            elif part.etype == "place" and without_place_word(name) != name:
                part.core, part.rule = without_place_word(name), PLACE_WORD
            elif m.label != "PERSON" and without_company_suffix(name) != name:
                part.key, part.rule = match_key(without_company_suffix(name)), COMPANY
            elif part.etype == "organization":
                split = split_person(name, person_refs)
                if split is not None:
                    head, person = split
                    parts = [Part(surface, person, "person", SPLIT, evidence=True)]
                    if len(head.split()) >= 2:
                        parts.insert(0, Part(surface, head, "organization", SPLIT))
                    return parts
        if part.core != name:
            alias = self.aliases.lookup(part.core)
            if alias is not None:
                part.alias, part.etype = alias, alias[1]
                part.rule = USER if alias[2] == "user" else BUILTIN
        part.evidence = part.etype != "place" and starts_with_given_name(part.core)
        part.cue = m.person_cue
        if part.alias is None:
            part.shape = name_shape(part.core)
            if not part.shape and m.label != "PERSON" and match_key(part.core) in person_refs.full:
                part.shape = "person"  # "Dries Mertens" (ORG) and "Mertens" (PERSON) in one article
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
        context = Context({r.meta.id: r.keys for r in self._records}, clusters, find)
        notes: dict[str, str] = {}
        # "Harry Truman" and "Harry S. Truman": one person, when no other middle name fits
        by_ends: dict[tuple[str, str], dict[str, bool]] = defaultdict(dict)
        for key in sorted(clusters):
            c = clusters[key]
            if key in parent or not c.is_full_person():
                continue
            for name in c.names:
                ends = first_last(name)
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
            if (
                key not in parent
                and c.is_full_person()
                and not self._starts_with_word(c)
                and any(looks_like_person_name(n) for n in c.names)
            ):
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
            elif c.alt_titled:  # a person title: the name behind it may be a family name
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
            if (
                self._ordinary(key)
                and not form.isupper()
                and not c.cues
                and not is_known_place(form)
                and (c.type() != "person" or key.endswith("s") and self._ordinary(key[:-1]))
            ):  # a person may be called Halt, but hardly Photographs
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

    def _starts_with_word(self, c: Cluster) -> bool:
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


def _alias_rule(name: str, alias: tuple[str, EntityType, str]) -> str:
    """A user's group always shows as such (so an override can be checked); a built-in group
    only when the name is not the group's own."""
    if alias[2] == "user":
        return USER
    if match_key(name) != match_key(alias[0]):
        return BUILTIN
    return EXACT if name == alias[0] else NORMALISED


def _follow_one(redirect: dict[str, str], key: str) -> str:
    while key in redirect:
        key = redirect[key]
    return key


def _follow(merged: dict[str, tuple[str, str]], key: str) -> str:
    seen = {key}
    while key in merged and merged[key][0] not in seen:
        key = merged[key][0]
        seen.add(key)
    return key
