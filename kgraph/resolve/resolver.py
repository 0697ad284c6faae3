"""The resolver: runs the passes of `mentions`, `article`, `variants` and `corpus` in order, and
turns the merged clusters into entities (see the package docstring)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from types import MappingProxyType
from typing import Any, TypeVar

from ..aliases import AliasTable
from ..articles import Packed, pack_meta
from ..normalize import match_key, name_words, slug
from ..records import ENTITY_TYPES, AliasRow, ArticleMeta, Entity, EntityType, Extraction, Mention
from .article import ArticleLinks, link_defined_acronyms, link_org_short, link_short_names, redirect_titles
from .cluster import Cluster, article_person_refs, part_key
from .corpus import CORPUS_PASSES, CorpusLinks, found_elsewhere
from .mentions import Dropped, MentionContext, Read, as_team, national_teams, read_mention
from .merges import DROPPED
from .record import ArticleResolution
from .rules import Rule
from .variants import link_initials, link_plurals, link_short_forms, link_typos

_T = TypeVar("_T")
#: The sentence texts of an article that keeps none (most, in a large corpus): one for all.
_NO_TEXT: Mapping[int, str] = MappingProxyType({})


@dataclass(slots=True)
class _ArticleRecord:
    """What the corpus step needs of one article: a million of them in a large corpus, so
    tuples rather than lists and dicts (a dict of one item is 224 bytes, a tuple 48), and
    the values articles repeat (keys, words, small tuples of indices) shared (`Resolver._share`)."""

    id: str
    info: Packed  # what the graph keeps of it (`kgraph.articles.pack_meta`): the very entry it keeps
    keys: tuple[str, ...]  # one per entity in the article, its cluster key
    sentences: tuple[tuple[int, tuple[int, ...]], ...]  # (sentence index, indices into keys), 2+ entities
    sentence_text: tuple[tuple[int, str], ...]  # (sentence index, text) of those kept for evidence
    #: capitalised words NER did not tag: (match key, as written, sentences); the corpus step
    #: looks them up among the entities NER found elsewhere
    unlabelled: tuple[tuple[str, str, tuple[int, ...]], ...] = ()


@dataclass
class Resolution:
    """The result of resolution: entities, and which of them each article mentions."""

    entities: list[Entity]
    article_ids: list[str]  # per article, in corpus order
    article_info: list[Packed]  # per article (same order): what the graph keeps (`kgraph.articles.pack`)
    article_entities: list[tuple[int, ...]]  # per article (same order), entity indices
    #: per article: (sentence, entity indices) of each sentence naming 2+ entities; a tuple an
    #: article (48 bytes for one sentence, where a list grown by appends takes 88)
    sentence_entities: list[Sequence[tuple[int, tuple[int, ...]]]]
    sentence_text: list[Mapping[int, str]]
    alias_rows: list[AliasRow]


@dataclass
class _ArticleNames:
    """One article's names after the mention pass: clusters by key, and each mention's keys."""

    clusters: dict[str, Cluster]
    mention_keys: list[tuple[str, ...]]
    surface_key: dict[str, str]
    acronyms: dict[str, str]


class Resolver:
    """Resolves mentions into entities, one article at a time (see the package docstring).

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
        self._shared: dict[Any, Any] = {}  # values many articles hold, kept once (`_share`)
        self._finished = False
        self._key_ids: dict[str, int] = {}
        self._evidence: dict[int, int] = {}  # pair of key ids -> sentences kept for it
        self._clusters: dict[str, Cluster] = {}
        self._acronyms: dict[str, set[str]] = defaultdict(set)
        self._dropped: dict[tuple[str, str], set[str]] = {}
        #: cluster key -> (surface, how its span was repaired) -> articles (kgraph.extract.repair)
        self._repair_log: list[tuple[str, str, str, str]] = []  # (key, surface, repair, article)
        self._repairs: dict[str, dict[tuple[str, str], set[str]]] = {}

    # -- step 1: one article -------------------------------------------------------------
    def add(self, extraction: Extraction) -> None:
        """Resolve one article's mentions and remember what the corpus step needs."""
        self.add_resolved(extraction.article, self.resolve_article(extraction))

    def resolve_article(self, extraction: Extraction) -> ArticleResolution:
        """One article's mentions resolved within the article, as a record `add_resolved`
        folds into the corpus. It depends on the article, the aliases, the lexicon and
        kgraph's name lists alone, never on other articles (so the extraction cache keeps it)."""
        dropped: list[tuple[str, str]] = []
        acronyms: list[tuple[str, str]] = []
        names = self._read_mentions(extraction, dropped)
        redirect = redirect_titles(names.clusters)
        mention_keys = [tuple(_follow(redirect, k) for k in keys) for keys in names.mention_keys]
        surface_key = {s: _follow(redirect, k) for s, k in names.surface_key.items()}
        links = ArticleLinks(names.clusters, self._ordinary)
        link_typos(links)
        link_short_names(links)
        link_org_short(links)
        for a, e in link_defined_acronyms(links, names.acronyms, surface_key):
            acronyms.append((a, e))
        link_plurals(links)
        link_initials(links)
        for key in link_short_forms(links):
            for surface, _ in names.clusters.pop(key).rules:
                dropped.append((surface, Rule.GENERIC_DROPPED))
            mention_keys = [tuple(k for k in keys if k != key) for keys in mention_keys]
        resolved = _article_resolution(extraction, links, mention_keys)
        resolved.dropped, resolved.acronyms = dropped, acronyms
        for m, keys in zip(extraction.mentions, mention_keys):
            if m.repair:
                for key in keys:
                    resolved.repairs.append((links.merges.find(key), m.name, m.repair))
        return resolved

    def _read_mentions(self, extraction: Extraction, dropped: list[tuple[str, str]]) -> _ArticleNames:
        """The mention pass: every mention read on its own, its parts gathered by key."""
        art = extraction.article.id
        mentions = extraction.mentions
        ctx = MentionContext(
            people=article_person_refs(mentions),
            aliases=self.aliases,
            others=frozenset(m.name for m in mentions),
            acronyms=dict(extraction.acronyms),
        )
        reads: Iterable[Read] = _read_each(mentions, ctx)  # one at a time: a long article has millions
        teams: dict[str, str] = {}
        if any(m.team for m in mentions):  # a match report: which countries are teams, first
            reads = list(reads)
            teams = national_teams(mentions, reads)
        clusters: dict[str, Cluster] = {}
        surface_key: dict[str, str] = {}
        mention_keys: list[tuple[str, ...]] = []
        for m, read in zip(mentions, reads):
            if isinstance(read, Dropped):
                dropped.append((m.name, read.rule))
                mention_keys.append(())
                continue
            keys: list[str] = []
            for part in read:
                key = part_key(part)
                if key in teams:  # "South Korea" in a match report: the national team
                    part = as_team(part, teams[key])
                    key = part_key(part)
                if not key or key in self.aliases.ignored:
                    continue
                loc = clusters.get(key)
                if loc is None:
                    loc = clusters[key] = Cluster(key=key)
                loc.add(part, art)
                surface_key.setdefault(match_key(part.surface), key)
                surface_key.setdefault(match_key(part.core), key)
                keys.append(key)
            mention_keys.append(tuple(keys))
        return _ArticleNames(clusters, mention_keys, surface_key, ctx.acronyms)

    def add_resolved(self, meta: ArticleMeta, resolved: ArticleResolution) -> None:
        """Fold one article resolved on its own (`resolve_article`, or the extraction cache)
        into the corpus's clusters, and keep a compact record of it."""
        if self._finished:
            raise RuntimeError("this resolver has finished: finish() handed its articles over")
        art = meta.id
        for final, rule, cluster in resolved.clusters:  # targets first
            target = self._clusters.get(final)
            if target is None:
                target = self._clusters[final] = Cluster(key=final)
            target.absorb(cluster, rule or None)
        keys_out = tuple(
            self._clusters[k].key for k in resolved.keys
        )  # one string object per key, shared by all records
        used = self._evidence_needed(keys_out, resolved.sentences)
        share = self._share
        self._records.append(
            _ArticleRecord(
                id=art,
                info=pack_meta(meta),
                keys=keys_out,
                sentences=share(tuple(share((s, share(tuple(locs)))) for s, locs in resolved.sentences)),
                sentence_text=tuple((s, t) for s, t in resolved.sentence_text.items() if s in used),
                unlabelled=share(
                    tuple(share((share(k), share(v), share(tuple(ss)))) for k, (v, ss) in resolved.unlabelled.items())
                ),
            )
        )
        for surface, rule in resolved.dropped:
            self._drop(surface, rule, art)
        for a, e in resolved.acronyms:
            self._acronyms[a].add(e)
        for key, surface, repair in resolved.repairs:
            self._repair_log.append((key, surface, repair, art))

    def _share(self, value: _T) -> _T:
        """`value`, or the equal value kept before: the words and small tuples that articles
        repeat ("Monday", (0, 1)) are kept once, not once per article."""
        return self._shared.setdefault(value, value)  # type: ignore[no-any-return]

    def _evidence_needed(self, keys: Sequence[str], sentences: list[tuple[int, tuple[int, ...]]]) -> set[int]:
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

    def _drop(self, surface: str, rule: str, art: str) -> None:
        self._dropped.setdefault((surface, rule), set()).add(art)

    # -- step 2: the corpus ----------------------------------------------------------------
    def finish(self) -> Resolution:
        """Link across articles (the passes of `kgraph.resolve.corpus`) and return the entities.

        It ends the resolver: what it kept of each article is handed over to the Resolution as
        it is read (a corpus of millions of articles is not held twice), so it is called once."""
        if self._finished:
            raise RuntimeError("this resolver has finished: finish() handed its articles over")
        self._finished = True
        self._shared = {}
        links = CorpusLinks(
            clusters=self._clusters,
            by_article={r.id: r.keys for r in self._records},
            acronyms=self._acronyms,
            ordinary=self._ordinary,
        )
        for step in CORPUS_PASSES:
            step(links)
        for key, surface, repair, art in self._repair_log:
            root = links.merges.find(key)
            self._repairs.setdefault(root, {}).setdefault((surface, repair), set()).add(art)
        for key, rule in links.dropped.items():
            for (surface, _), arts in self._clusters[key].rules.items():
                self._dropped.setdefault((surface, rule), set()).update(arts)
        links.by_article = {}  # only the passes above read it
        links.context.by_article = links.by_article
        return self._build(links)

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

    def _build(self, links: CorpusLinks) -> Resolution:
        clusters, find = self._clusters, links.merges.find
        types = {r: clusters[r].type() for r in {find(k) for k in clusters} - {DROPPED}}
        roots = sorted((r for r in types if types[r] in self.types), key=lambda r: (-len(clusters[r].articles), r))
        index = {root: i for i, root in enumerate(roots)}
        # which entities each article names, in corpus order
        article_ids: list[list[str]] = [[] for _ in roots]
        ids: list[str] = []
        infos: list[Packed] = []
        art_entities: list[tuple[int, ...]] = []
        sent_entities: list[Sequence[tuple[int, tuple[int, ...]]]] = []
        sent_text: list[Mapping[int, str]] = []
        taken: dict[str, int] = {}  # each untagged key is judged once, however many articles hold it

        def entity_of(key: str) -> int:  # an untagged name, when it is taken for an entity
            if key not in taken:
                root = find(key) if key in clusters else ""
                e = index.get(root, -1)
                taken[key] = e if e >= 0 and found_elsewhere(clusters[root], key, self._ordinary) else -1
            return taken[key]

        found_rows: dict[tuple[int, str], list[str]] = {}
        shared: dict[Any, Any] = {}  # as `_share`: the same entities, sentence after sentence
        records, self._records = self._records, []
        records.reverse()
        while records:  # each record let go as it is read: its parts move on into the Resolution
            rec = records.pop()
            local_to_entity = [index.get(find(k), -1) for k in rec.keys]
            own = {e for e in local_to_entity if e >= 0}
            found = _found_in(rec, own, entity_of)
            for e, (surface, _) in found.items():
                found_rows.setdefault((e, surface), []).append(rec.id)
            ents = sorted(own | found.keys())
            for e in ents:
                article_ids[e].append(rec.id)
            sents = []
            for s, locs in rec.sentences:
                es = {local_to_entity[i] for i in locs if local_to_entity[i] >= 0}
                es |= {e for e, (_, where) in found.items() if s in where}
                if len(es) >= 2:
                    pair = (s, tuple(sorted(es)))
                    sents.append(shared.setdefault(pair, pair))
            ids.append(rec.id)
            infos.append(rec.info)
            art_entities.append(tuple(ents))
            sent_entities.append(tuple(sents))
            texts = dict(rec.sentence_text)
            kept = {s: texts[s] for s, _ in sents if s in texts}
            sent_text.append(kept if kept else _NO_TEXT)
        entities, rows = self._entities(roots, types, article_ids, links.notes)
        for (e, surface), arts in sorted(found_rows.items()):
            ent = entities[e]
            rows.append(
                AliasRow(
                    surface=surface,
                    entity_id=ent.id,
                    entity_label=ent.label,
                    rule=str(Rule.FOUND_ELSEWHERE),
                    article_ids=tuple(sorted(arts)),
                )
            )
        for (surface, rule), dropped_in in sorted(self._dropped.items()):
            rows.append(
                AliasRow(
                    surface=surface,
                    entity_id="",
                    entity_label="",
                    rule=str(rule),
                    article_ids=tuple(sorted(dropped_in)),
                )
            )
        self._clusters, self._dropped, self._repairs, self._repair_log = {}, {}, {}, []
        self._acronyms.clear()
        self._key_ids, self._evidence = {}, {}
        return Resolution(
            entities=entities,
            article_ids=ids,
            article_info=infos,
            article_entities=art_entities,
            sentence_entities=sent_entities,
            sentence_text=sent_text,
            alias_rows=rows,
        )

    def _entities(
        self, roots: list[str], types: dict[str, EntityType], article_ids: list[list[str]], notes: dict[str, str]
    ) -> tuple[list[Entity], list[AliasRow]]:
        """One Entity per root, with unique ids, and the aliases.csv rows of its names."""
        entities: list[Entity] = []
        used_ids: set[str] = set()
        rows: list[AliasRow] = []
        for root, ids in zip(roots, article_ids):
            c = self._clusters[root]
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
            reason = c.type_reason()
            if reason:
                rows.append(
                    AliasRow(surface=label, entity_id=eid, entity_label=label, rule=reason, article_ids=tuple(ids))
                )
            for (surface, repair), arts in sorted(self._repairs.get(root, {}).items()):
                rows.append(
                    AliasRow(
                        surface=surface,
                        entity_id=eid,
                        entity_label=label,
                        rule=f"span repaired: {repair}",
                        article_ids=tuple(sorted(arts)),
                    )
                )
            note = notes.get(root)
            for (surface, rule), arts in sorted(c.rules.items()):
                if note and rule in (Rule.EXACT, Rule.NORMALISED):
                    rule = note
                rows.append(
                    AliasRow(
                        surface=surface,
                        entity_id=eid,
                        entity_label=label,
                        rule=str(rule),
                        article_ids=tuple(sorted(arts)),
                    )
                )
        return entities, rows


def _read_each(mentions: Sequence[Mention], ctx: MentionContext) -> Iterator[Read]:
    """`read_mention` of each mention in turn."""
    for i, m in enumerate(mentions):
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        # "Defense" in "Defense Secretary Lloyd Austin": NER cut the title in two
        ctx.before_person = (
            nxt is not None and nxt.label == "PERSON" and nxt.sentence == m.sentence and 0 <= nxt.start - m.end <= 25
        )
        yield read_mention(m, ctx)


def _article_resolution(
    extraction: Extraction, links: ArticleLinks, mention_keys: list[tuple[str, ...]]
) -> ArticleResolution:
    """The article's clusters in the order the corpus takes them in (targets first), the key
    each ended in, and which of those keys share a sentence."""
    clusters, merges = links.clusters, links.merges
    final = {k: merges.find(k) for k in clusters}
    keys_out = sorted(set(final.values()))
    index = {k: i for i, k in enumerate(keys_out)}
    by_sentence: dict[int, set[int]] = defaultdict(set)
    for m, keys in zip(extraction.mentions, mention_keys):
        for key in keys:
            by_sentence[m.sentence].add(index[final[key]])
    sentences = [(s, tuple(sorted(ids))) for s, ids in sorted(by_sentence.items()) if len(ids) >= 2]
    shared = {s for s, _ in sentences}
    return ArticleResolution(
        clusters=[(final[k], merges.rule(k), clusters[k]) for k in sorted(clusters, key=lambda k: k in merges)],
        keys=keys_out,
        sentences=sentences,
        sentence_text={s: t for s, t in extraction.sentences.items() if s in shared},
        unlabelled=_unlabelled_keys(extraction, set(final) | set(final.values())),
    )


def _follow(redirect: dict[str, str], key: str) -> str:
    while key in redirect:
        key = redirect[key]
    return key


def _unlabelled_keys(extraction: Extraction, here: set[str]) -> dict[str, tuple[str, tuple[int, ...]]]:
    """The article's untagged capitalised runs by match key, and each without its first word
    (a sentence's first word is capitalised anyway: "Yesterday Tasmania"); names the article
    has as entities already are left out."""
    out: dict[str, tuple[str, tuple[int, ...]]] = {}
    for name, sents in extraction.unlabelled.items():
        words = name.split()
        for variant in (name, " ".join(words[1:])):
            key = match_key(variant)
            if len(key) >= 4 and key not in here and key not in out:
                out[key] = (variant, sents)
    return out


def _found_in(
    rec: _ArticleRecord, own: set[int], entity_of: Callable[[str], int]
) -> dict[int, tuple[str, tuple[int, ...]]]:
    """The entities whose names stand untagged in an article that does not name them
    otherwise: entity index -> (the name as written, its sentences)."""
    found: dict[int, tuple[str, tuple[int, ...]]] = {}
    for key, surface, sents in rec.unlabelled:
        e = entity_of(key)
        if e >= 0 and e not in own and e not in found:
            found[e] = (surface, sents)
    return found
