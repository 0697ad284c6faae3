"""Mentions -> Entities: one entity per real-world thing, and never two things in one.

Resolution is a sequence of named passes over one merge structure (`merges.MergeSet`, a
union-find with direction); every rule has a name (`rules.Rule`) that aliases.csv shows next
to each surface form it decided. It runs in two steps, so a build can stream:

1. `Resolver.add(extraction)` resolves one article on its own:
   - `mentions.read_mention`: each name cleaned (titles, company suffixes, "province",
     "Government of", "State of", a lower-case tail), noise dropped, aliases applied, two
     names run together split;
   - `article.redirect_titles`: a titled name folded into the person it names;
   - `variants.link_typos`: one-letter variants ("Kristin"/"Kristen Wilkins", "Mauer");
   - `article.link_short_names`: family and first names join the one full name they fit;
   - `article.link_org_short`: "National Security Council" after "Afghan National ...";
   - `article.link_defined_acronyms`: "Competition and Markets Authority (CMA)";
   - `variants.link_plurals`, `variants.link_initials` ("USI"), `variants.link_short_forms`
     (a generic head word such as "the Church", or "Scientology" of "Church of Scientology";
     a generic word with nothing to stand for is dropped).
   `resolve_article` returns the result as a record (`record.ArticleResolution`: it depends
   on that article alone, so the extraction cache keeps it), and `add_resolved` folds it into
   the corpus; only a compact record of the article is kept.
2. `Resolver.finish()` runs `corpus.CORPUS_PASSES` across articles: acronyms defined
   elsewhere, "New York" and "New York City", middle names, names behind titles, short
   names with exactly one full-name candidate that shares context, lone ordinary words and
   lone first names dropped; then each entity's type is decided by all its mentions
   (`cluster.TypeVotes`).
"""

from ..normalize import strip_titles  # name lookup uses it too
from .resolver import Resolution, Resolver
from .rules import Rule

__all__ = ["Resolution", "Resolver", "Rule", "strip_titles"]
