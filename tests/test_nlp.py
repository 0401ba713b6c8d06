import math
import subprocess
import sys
from pathlib import Path

import pytest

from voicecheck import nlp
from voicecheck.nlp import Pipelines, detect_language, detect_languages, language_prior, parse
from voicecheck.readers.base import Post


def test_word_frequencies_tell_english_from_french_without_the_character_model(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fallback(text: str, default: str, prior: float) -> str:
        raise AssertionError(f"the character model was asked about {text!r}")

    monkeypatch.setattr(nlp, "_character_model", no_fallback)
    texts = [
        "Thanks for reaching out, we're looking into your order right now.",
        "Merci de votre patience, nous regardons votre commande dès maintenant.",
        "my phone keeps restarting since the update",
        "Réservez votre ménage du printemps avant vendredi",
    ]
    assert detect_languages(texts) == ["en", "fr", "en", "fr"]


def test_text_too_short_to_tell_falls_back_to_the_default() -> None:
    for text in ["", "🎉🎉", "ok", "12:30 !!"]:
        assert detect_language(text, default="fr") == "fr", text
        assert detect_language(text, default="en") == "en", text


def test_the_character_model_decides_what_word_frequencies_cannot(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    real = nlp._character_model

    def spy(text: str, default: str, prior: float) -> str:
        asked.append(text)
        return real(text, default, prior)

    monkeypatch.setattr(nlp, "_character_model", spy)
    assert detect_languages(["Thanks so much for the help today!", "Québec"])[0] == "en"
    assert asked == ["Québec"]


def test_the_prior_is_the_brands_own_mix_of_languages() -> None:
    assert language_prior(["en"] * 99) == pytest.approx(math.log(100))
    assert language_prior(["fr"] * 99 + ["en"]) == pytest.approx(math.log(2 / 100))
    assert language_prior(["en", "fr"] * 40) == 0.0
    assert language_prior([]) == 0.0


def test_a_short_post_leans_to_the_language_the_brand_writes_in() -> None:
    short = ["Super", "Excellent", "Menu"]  # words both languages have
    assert detect_languages(short, "en", prior=language_prior(["en"] * 99)) == ["en"] * 3
    assert detect_languages(short, "fr", prior=language_prior(["fr"] * 99)) == ["fr"] * 3
    # A post the words tell clearly is not overruled by the lean, either way.
    clearly = ["Merci beaucoup pour votre patience, nous revenons vers vous demain.", "Thanks, we're on it!"]
    assert detect_languages(clearly, "en", prior=language_prior(["en"] * 99)) == ["fr", "en"]
    assert detect_languages(clearly, "fr", prior=language_prior(["fr"] * 99)) == ["fr", "en"]


def test_parse_keeps_input_order_across_languages_and_trusts_a_given_language() -> None:
    posts = [
        Post(id="1", text="Nous sommes ravis de vous accueillir chez nous."),
        Post(id="2", text="We are thrilled to welcome you to our home."),
        Post(id="3", text="Bonjour Montréal", lang="en"),  # the file says so: not second-guessed
    ]
    parsed = list(parse(posts, Pipelines("blank"), batch_size=2))
    assert [p.post.id for p in parsed] == ["1", "2", "3"]
    assert [p.lang for p in parsed] == ["fr", "en", "en"]
    assert [p.doc.text for p in parsed] == [post.text for post in posts]


def test_blank_languages_get_the_blank_pipeline_whatever_the_mode(pipelines: Pipelines) -> None:
    if not pipelines.has_tagger("fr"):
        pytest.skip("fr_core_news_sm is not installed")
    assert not Pipelines("auto", blank_languages=frozenset({"fr"})).has_tagger("fr")
    assert not Pipelines("trained", blank_languages=frozenset({"fr"})).has_tagger("fr")


def _in_a_fresh_process(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    return done.stdout.strip()


def test_spacy_is_imported_without_its_command_line_which_still_works_when_asked_for() -> None:
    out = _in_a_fresh_process(
        "import sys\n"
        "from voicecheck.nlp import Pipelines\n"
        "Pipelines('blank').get('en')('x')\n"
        "print(sorted(name for name in ('spacy.cli', 'spacy.cli.info', 'typer', 'weasel') if name in sys.modules))\n"
        "import spacy, spacy.cli\n"
        "print(callable(spacy.cli.setup_cli), spacy.info() == sys.modules['spacy.cli.info'].info())\n"
    )
    assert out.splitlines() == ["[]", "True True"]


def test_spacy_already_imported_is_used_as_it_is() -> None:
    out = _in_a_fresh_process(
        "import sys, spacy\nfrom voicecheck.nlp import import_spacy\n"
        "print(import_spacy() is spacy, 'spacy.cli' in sys.modules)\n"
    )
    assert out == "True True"


def test_a_spacy_that_asks_its_command_line_for_more_is_imported_whole(tmp_path: Path) -> None:
    fake = tmp_path / "spacy"
    (fake / "cli").mkdir(parents=True)
    (fake / "__init__.py").write_text("from .cli.info import info\nfrom .cli import setup_cli\n")
    (fake / "cli" / "__init__.py").write_text("def setup_cli():\n    return 'real'\n")
    (fake / "cli" / "info.py").write_text("def info():\n    return 'real info'\n")
    out = _in_a_fresh_process(
        f"import sys\nsys.path.insert(0, {str(tmp_path)!r})\nfrom voicecheck.nlp import import_spacy\n"
        "spacy = import_spacy()\nprint(spacy.setup_cli(), spacy.info())\n"
    )
    assert out == "real real info"


def test_the_trained_french_pipeline_left_without_its_string_store_annotates_as_the_whole_one(
    pipelines: Pipelines, sample_posts: list
) -> None:
    if not nlp.trained_available("fr"):
        pytest.skip("fr_core_news_sm is not installed")
    from spacy.attrs import LOWER, MORPH, NORM, ORTH, POS, SHAPE

    french = [post.text for post in sample_posts if detect_language(post.text) == "fr"]
    assert len(french) > 50
    lean = pipelines.get("fr")
    # Loaded as the pipelines load it (its tokenizer is the language's own), but with its strings.
    whole = nlp.import_spacy().load(nlp.TRAINED["fr"], exclude=[*nlp.UNUSED_COMPONENTS, "tokenizer"])
    assert len(lean.vocab.strings) < len(whole.vocab.strings) / 10  # the store was left on disk
    attrs = [ORTH, LOWER, NORM, SHAPE, POS, MORPH]
    for text, ours, theirs in zip(french, lean.pipe(french), whole.pipe(french), strict=True):
        assert [(t.text, t.pos_, str(t.morph)) for t in ours] == [(t.text, t.pos_, str(t.morph)) for t in theirs], text
        assert (ours.to_array(attrs) == theirs.to_array(attrs)).all(), text


def test_trained_pipelines_multiply_with_numpy_where_it_is_faster_and_tag_as_with_thincs_own_ops(
    sample_posts: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not nlp.trained_available("fr"):
        pytest.skip("fr_core_news_sm is not installed")
    from thinc.api import NumpyOps, get_current_ops
    from thinc.backends.ops import Ops

    monkeypatch.setattr(nlp, "numpy_products_are_faster", lambda: True)
    before = get_current_ops()
    ours = Pipelines("trained").get("fr")
    assert get_current_ops() is before  # set only while the pipeline loaded
    ops = ours.get_pipe("tok2vec").model.ops
    assert isinstance(ops, NumpyOps) and type(ops).gemm is Ops.gemm
    theirs = nlp.import_spacy().load(nlp.TRAINED["fr"], exclude=[*nlp.UNUSED_COMPONENTS, "tokenizer"])
    assert type(theirs.get_pipe("tok2vec").model.ops).gemm is not Ops.gemm  # thinc's BLIS
    french = [post.text for post in sample_posts if detect_language(post.text) == "fr"]
    for text, mine, other in zip(french, ours.pipe(french), theirs.pipe(french), strict=True):
        assert [(t.pos_, str(t.morph)) for t in mine] == [(t.pos_, str(t.morph)) for t in other], text


def test_trained_pipelines_keep_thincs_own_products_where_numpys_are_not_faster(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if not nlp.trained_available("fr"):
        pytest.skip("fr_core_news_sm is not installed")
    from thinc.api import NumpyOps

    monkeypatch.setattr(nlp, "numpy_products_are_faster", lambda: False)
    ops = Pipelines("trained").get("fr").get_pipe("tok2vec").model.ops
    assert type(ops) is NumpyOps  # thinc's own ops, whose gemm calls BLIS


@pytest.mark.parametrize(
    ("numpy_seconds", "blis_seconds", "numpy_chosen"),
    [(1.0, 3.0, True), (3.0, 1.0, False), (1.0, 1.2, False)],  # close: thinc's own stays
)
def test_numpys_product_is_chosen_only_where_it_is_clearly_faster_and_measured_once_a_process(
    monkeypatch: pytest.MonkeyPatch, numpy_seconds: float, blis_seconds: float, numpy_chosen: bool
) -> None:
    timed: list[float] = []

    def seconds(work: object) -> float:  # the products are timed in turns, NumPy's first
        timed.append(numpy_seconds if len(timed) % 2 == 0 else blis_seconds)
        return timed[-1]

    monkeypatch.setattr(nlp, "_seconds", seconds)
    nlp.numpy_products_are_faster.cache_clear()
    try:
        assert nlp.numpy_products_are_faster() is numpy_chosen
        assert nlp.numpy_products_are_faster() is numpy_chosen and len(timed) == 6
    finally:
        nlp.numpy_products_are_faster.cache_clear()
