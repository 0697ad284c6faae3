"""Extraction: Articles + a spaCy pipeline -> Extractions (named-entity mentions, the
sentences that hold two or more of them, the acronyms an article defines).

- `ner`: loads the pipeline (`load_nlp`: only what NER needs, plus sentence boundaries) and
  turns each processed article into an Extraction (`extract`, `extract_doc`);
  `given_extraction` makes one, with no NER, from the names a source gave (GDELT);
- `repair`: the span errors NER makes, repaired from the article's own text;
- `sport`: the countries named as a side in a sports result (their national teams);
- `pieces`: long articles go to NER in pieces, whose Extractions are joined into one;
- `workers`: the local worker processes that run NER and extraction (`extract(n_process=)`);
- `dask`: the same on a Dask cluster (`kgraph build --scheduler`).

The code of every module here is part of the extraction cache's key (`kgraph.cache`).
"""

from .ner import extract, extract_doc, given_extraction, load_nlp

#: Bump when a change makes extraction find something else in the same text: entries of the
#: extraction cache (`kgraph.cache`) made by another version are not used.
EXTRACTION_VERSION = 4  # 2: an acronym after a span follows normalize.acronym_fits; 3: more given names;
# 4: places named as a side in a sports result (Mention.team)

__all__ = ["EXTRACTION_VERSION", "extract", "extract_doc", "given_extraction", "load_nlp"]
