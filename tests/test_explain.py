import numpy as np

from voicecheck.api import judging_pipelines
from voicecheck.explain import Explainer
from voicecheck.features.table import build_table
from voicecheck.features.tone import TONE_DIMENSIONS
from voicecheck.messages import reason_dict
from voicecheck.nlp import parse
from voicecheck.readers import Post
from voicecheck.store import SavedModel


def tone(**values: float) -> np.ndarray:
    return np.array([values.get(d, 50.0) for d in TONE_DIMENSIONS])


def en(reasons: list) -> list[dict]:
    """Reasons as `check` writes them in English."""
    return [reason_dict(reason, "en") for reason in reasons]


def test_tone_reason_names_dimension_value_and_channel_range(sample_model: SavedModel) -> None:
    explainer = Explainer(sample_model)
    rows, where = explainer.against("instagram", "en")
    assert {sample_model.table.langs[i] for i in rows} == {"en"}  # a bilingual brand: its English there
    brand = sample_model.table.tone[rows]
    typical = {d: float(np.median(brand[:, i])) for i, d in enumerate(TONE_DIMENSIONS)}
    (reason,) = en(explainer.tone(tone(**{**typical, "formality": 1.0}), rows, where))
    assert reason["dimension"] == "formality" and reason["value"] == 1.0
    assert "more casual than the brand on instagram in English" in reason["message"]
    low, high = reason["brand_range"]
    assert low <= typical["formality"] <= high


def test_formality_reason_names_the_words_that_set_the_register(sample_model: SavedModel) -> None:
    explainer = Explainer(sample_model)
    rows, where = explainer.against("instagram", "en")
    brand = sample_model.table.tone[rows]
    typical = {d: float(np.median(brand[:, i])) for i, d in enumerate(TONE_DIMENSIONS)}
    casual_text = "omg I'm obsessed lol, dm us if u can't wait"
    (casual,) = en(explainer.tone(tone(**{**typical, "formality": 1.0}), rows, where, casual_text, "en"))
    assert {"omg", "lol", "dm"} <= set(casual["words"]) and "m" not in casual["words"] and "ca" not in casual["words"]
    assert "(words of social media: " in casual["message"]
    formal_text = "Pursuant to the revised terms, prior bookings remain valid."
    (formal,) = en(explainer.tone(tone(**{**typical, "formality": 100.0}), rows, where, formal_text, "en"))
    assert {"revised", "prior"} <= set(formal["words"]) and "the" not in formal["words"]
    assert "words of writing more than of social media" in formal["message"]


def test_less_humor_than_a_serious_brand_is_not_a_drift(sample_model: SavedModel) -> None:
    explainer = Explainer(sample_model)
    rows, where = explainer.against("linkedin", "fr")
    brand = sample_model.table.tone[rows]
    typical = {d: float(np.median(brand[:, i])) for i, d in enumerate(TONE_DIMENSIONS)}
    assert explainer.tone(tone(**{**typical, "humor": 0.0, "irreverence": 0.0}), rows, where) == []


def test_unknown_channel_is_compared_with_the_brand_in_that_language(sample_model: SavedModel) -> None:
    rows, where = Explainer(sample_model).against("tiktok", "fr")
    assert where == {"channel": None, "lang": "fr"} and {sample_model.table.langs[i] for i in rows} == {"fr"}
    assert len(rows) == sample_model.table.langs.count("fr")


def test_vocabulary_matches_whole_words_and_exact_brand_spelling(sample_model: SavedModel) -> None:
    explainer = Explainer(sample_model)
    assert explainer.vocabulary("Prices got cheaper this year at Maison Claire.") == []
    kinds = [r.kind for r in explainer.vocabulary("Cheap rates from MAISON CLAIRE and our maids!")]
    assert kinds == ["avoided_term", "preferred_term", "brand_term"]


def test_unfamiliar_words_need_two_rare_words_the_brand_never_used(sample_model: SavedModel) -> None:
    explainer = Explainer(sample_model)
    assert explainer.unfamiliar_words(["our", "cleaning", "team"], "en") == []
    (reason,) = en(explainer.unfamiliar_words(["blockchain", "tokenomics", "staking", "team"], "en"))
    assert {"tokenomics", "staking"} <= set(reason["words"]) and "team" not in reason["words"]


def test_style_reasons_name_the_posts_own_words_of_a_word_class(sample_model: SavedModel) -> None:
    text = "Yo! Toi pis ta gang, chu sûr que tu vas capoter lol, genre trop ouf!"
    posts = [Post(id="a", text=text, channel="instagram", lang="fr")]
    table = build_table(parse(posts, judging_pipelines(sample_model)))
    style_z = sample_model.model.style_z(table, np.arange(1))[0]
    reasons = en(Explainer(sample_model).drift(table, 0, style_z))
    casual = next(reason for reason in reasons if reason.get("feature") == "casual_words")
    assert casual["words"] == ["yo", "pis", "chu", "lol"]  # the first four, as they come
    assert casual["message"].startswith("more casual words and slang (yo, pis, chu, lol): ")


def test_every_reason_code_is_documented() -> None:
    from pathlib import Path

    from voicecheck.explain import CODES

    documented = (Path(__file__).resolve().parents[1] / "docs" / "reasons.md").read_text(encoding="utf-8")
    for kind, code in CODES.items():
        assert f"| {code} | `{kind}` |" in documented


def test_a_more_reason_cites_only_words_that_are_in_the_post(sample_model: SavedModel) -> None:
    text = "Yo! T'as vu ça? J'capote, c'est trop malade, pis toé?"
    posts = [Post(id="a", text=text, channel="instagram", lang="fr")]
    table = build_table(parse(posts, judging_pipelines(sample_model)))
    style_z = sample_model.model.style_z(table, np.arange(1))[0]
    for reason in en(Explainer(sample_model).drift(table, 0, style_z)):
        if reason["kind"] == "style" and reason["value"] > reason["brand_range"][1] and "(" in reason["message"]:
            cited = reason["message"].split("(", 1)[1].split(")", 1)[0].split(", ")
            assert all(word.lower() in text.lower() for word in cited), reason["message"]


def test_a_brand_name_in_look_alike_letters_says_what_the_reader_cannot_see(sample_model: SavedModel) -> None:
    (found,) = [
        r for r in Explainer(sample_model).vocabulary("Merci de choisir Mаison Claire!") if r.kind == "brand_term"
    ]
    assert "look-alike letters" in reason_dict(found, "en")["message"]
    assert "autre alphabet" in reason_dict(found, "fr")["message"]
