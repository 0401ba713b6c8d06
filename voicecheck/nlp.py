"""Language detection and one spaCy pipeline per language, streamed over posts.

A trained pipeline (`fr_core_news_sm`, `en_core_web_sm`) is used when it is installed and
allowed, for parts of speech and morphology; otherwise a blank pipeline (the language's
tokenizer and lexical attributes) does the work. Only the components features read are run.
"""

from __future__ import annotations

import importlib.util
import math
import os
import re
import sys
import threading
import time
import types
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import cache
from itertools import chain
from typing import TYPE_CHECKING, Any

import numpy as np

from voicecheck.errors import VoicecheckError
from voicecheck.i18n import gettext
from voicecheck.readers.base import MAX_POST_CHARS, Post

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier
    from spacy.language import Language
    from spacy.tokens import Doc

LANGUAGES = ("en", "fr")
LANGUAGE_NAMES = {"en": "English", "fr": "French"}
TRAINED = {"en": "en_core_web_sm", "fr": "fr_core_news_sm"}
#: Components no feature reads: never load or run them (the lemmatizer alone takes a second to load).
UNUSED_COMPONENTS = ["parser", "ner", "senter", "lemmatizer"]
#: What else of a trained pipeline is left on disk: its string store, every string its training
#: data held (148,000 for `fr_core_news_sm`, half of its load time). The strings a post's tokens,
#: parts of speech and morphology need are added as the pipeline makes them; lookup tables and
#: vectors, which annotations do depend on, are still loaded.
UNUSED_DATA = ["strings"]
#: "auto" (trained when installed), "blank" (tokenizer only) or "trained" (required).
PipelineMode = str
PIPELINE_MODES = ("auto", "blank", "trained")

_identifier: LanguageIdentifier | None = None
#: Held while the character model loads, so that a thread asking for it waits for a prefetch.
_loading = threading.Lock()
_prefetching: threading.Thread | None = None
#: Patterns longer than this are not compiled while spaCy's French data is imported (see below).
_HUGE_PATTERN = 100_000


def import_spacy() -> types.ModuleType:
    """spaCy, imported without its command line.

    spaCy's package imports `spacy.cli` for one name, `spacy.info`, and with it typer, weasel,
    httpx and jinja2: about a quarter of its import time, which no check, fit or service uses.
    While spaCy imports, a stand-in answers for `spacy.cli.info`; it is taken away at once, so
    that a later `import spacy.cli` gets the real one and `spacy.info()` imports it when called.
    Should a spaCy release import more of its command line, the stand-in steps aside.
    """
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    stand_ins = {"spacy.cli": types.ModuleType("spacy.cli"), "spacy.cli.info": types.ModuleType("spacy.cli.info")}
    stand_ins["spacy.cli.info"].info = _real_spacy_info  # type: ignore[attr-defined]
    sys.modules.update(stand_ins)
    try:
        import spacy
    except ImportError:
        asked_for_more = True
    else:
        asked_for_more = False
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    if asked_for_more:  # it asked the stand-in for more than `info`: import it whole
        import spacy
    return spacy


def _real_spacy_info(*args: Any, **kwargs: Any) -> Any:
    from spacy.cli.info import info

    return info(*args, **kwargs)


def _import_french_quickly() -> None:
    """Import spaCy's French language data without compiling its 1.4 MB token_match pattern.

    That one regular expression takes about five seconds to compile on every start, and only
    keeps rare hyphenated compounds ("grand-mère") in one token. Voice features read words and
    character n-grams, for which the split form serves as well, so French starts in well under
    a second and hyphenated compounds are split by the ordinary infix rules instead.
    """
    if "spacy.lang.fr" in sys.modules:
        return
    compile_pattern = re.compile

    def compile_unless_huge(pattern: str, flags: int = 0) -> re.Pattern[str]:
        if isinstance(pattern, str) and len(pattern) > _HUGE_PATTERN:
            return compile_pattern("(?!)")  # matches nothing, compiles at once
        return compile_pattern(pattern, flags)

    re.compile = compile_unless_huge  # type: ignore[assignment]
    try:
        import spacy.lang.fr  # noqa: F401
    finally:
        re.compile = compile_pattern


#: Words in Latin letters, two or more: what ordinary-language word frequencies can vouch for.
_LATIN_WORD = re.compile(r"[a-zà-öø-ÿœæ]{2,}")
#: Total evidence (nats) one language's word frequencies must have over the other's to decide.
LANGUAGE_MARGIN = 6.0
_word_evidence: np.ndarray | None = None


def detect_languages(texts: Sequence[str], default: str = "en", prior: float = 0.0) -> list[str]:
    """Tell English from French in each text; undecidable text falls back to `default`.

    Most posts give themselves away by how common their words are in ordinary English and
    in ordinary French (the frequencies of the shipped background model): a naive Bayes
    sum over a batch costs next to nothing. The rest go to py3langid's character n-gram
    model, loaded (under 0.1 s) only if one is needed. `prior` is the log-odds of English before
    a text is read (see `language_prior`); it is added to the evidence of both.
    """
    decided = _by_words(texts, prior)
    return [lang or _character_model(text, default, prior) for text, lang in zip(texts, decided, strict=True)]


def _by_words(texts: Sequence[str], prior: float) -> list[str | None]:
    """The language each text's words tell with LANGUAGE_MARGIN to spare, None where they do not."""
    from voicecheck.features.hashing import feature_indices  # with SciPy: not needed for --help

    words = [_LATIN_WORD.findall(text[:1000].lower()) for text in texts]
    evidence: np.ndarray = np.zeros(len(texts))
    flat = list(chain.from_iterable(words))
    if flat:
        per_word = _english_over_french()[feature_indices(flat)]
        post_of_word = np.repeat(np.arange(len(texts)), [len(w) for w in words])
        evidence = np.bincount(post_of_word, weights=per_word, minlength=len(texts))  # each post's words in order
    evidence += prior
    return [("en" if score > 0 else "fr") if abs(score) >= LANGUAGE_MARGIN else None for score in evidence.tolist()]


def language_prior(langs: Sequence[str]) -> float:
    """Log-odds that a new post is English rather than French, from the languages of `langs`.

    A brand's next post is likeliest in the language it writes in: a brand that writes only
    English needs strong evidence before a short post is read as French. Add-one smoothing
    keeps the odds finite; a brand that writes both about equally gives no lean.
    """
    english = sum(lang == "en" for lang in langs)
    french = sum(lang == "fr" for lang in langs)
    return math.log((english + 1) / (french + 1))


def detect_language(text: str, default: str = "en") -> str:
    return detect_languages([text], default)[0]


def _english_over_french() -> np.ndarray:
    """log P(word | English) - log P(word | French), over hashed words."""
    global _word_evidence
    if _word_evidence is None:
        from voicecheck.features.background import load_word_background  # it needs this module

        _word_evidence = np.log(load_word_background("en")) - np.log(load_word_background("fr"))
    return _word_evidence


#: Log-odds (of 0.6 against 0.4) the character model and the prior must reach together to decide.
CHARACTER_MARGIN = math.log(1.5)


def _character_model(text: str, default: str, prior: float) -> str:
    if sum(ch.isalpha() for ch in text) < 3:
        return default
    lang, probability = load_character_model().classify(text[:1000])
    probability = min(max(probability, 1e-9), 1 - 1e-9)
    english = math.log(probability / (1 - probability)) * (1 if lang == "en" else -1) + prior
    return ("en" if english > 0 else "fr") if abs(english) >= CHARACTER_MARGIN else default


def load_character_model() -> LanguageIdentifier:
    """py3langid's model, restricted to our languages: loaded once per process (0.08 s, see `langid_model`)."""
    global _identifier
    with _loading:  # a prefetch under way finishes first
        if _identifier is None:
            from voicecheck.langid_model import load_identifier

            _identifier = load_identifier()
    return _identifier


def prefetch_character_model() -> None:
    """Start loading the character model in a thread, to be ready when `load_character_model` asks.

    Most of the load is decompressing the model, which lets other threads run: begun before
    spaCy is imported and its pipelines made, it is mostly done by the time they are.
    """
    global _prefetching
    if _identifier is None and _prefetching is None:
        _prefetching = threading.Thread(target=_load_quietly, name="voicecheck-langid", daemon=True)
        _prefetching.start()


def _load_quietly() -> None:
    """Load in a thread; a failure is raised where the model is asked for, not printed here."""
    with suppress(Exception):
        load_character_model()


def pipeline_mode_from_env() -> PipelineMode:
    value = os.environ.get("VOICECHECK_PIPELINE", "auto")
    if value not in PIPELINE_MODES:
        message = gettext("VOICECHECK_PIPELINE must be one of {modes}, not {value}")
        raise VoicecheckError(message.format(modes=", ".join(PIPELINE_MODES), value=repr(value)))
    return value


def trained_available(lang: str) -> bool:
    return importlib.util.find_spec(TRAINED[lang]) is not None


@dataclass
class Pipelines:
    """Loads each language's pipeline once, on first use."""

    mode: PipelineMode = "auto"
    #: Languages that get the blank pipeline whatever the mode (see `api.judging_pipelines`).
    blank_languages: frozenset[str] = frozenset()
    _loaded: dict[str, Language] = field(default_factory=dict)
    _described: dict[str, str] = field(default_factory=dict)

    def get(self, lang: str) -> Language:
        if lang not in self._loaded:
            self._loaded[lang] = self._load(lang)
            self._described[lang] = _description(self._loaded[lang], lang)
        return self._loaded[lang]

    def _load(self, lang: str) -> Language:
        spacy = import_spacy()  # here, so that `voicecheck --help` does not wait for it

        if lang == "fr":
            _import_french_quickly()
        if lang in self.blank_languages:
            return spacy.blank(lang)
        if self.mode != "blank" and trained_available(lang):
            # The French tokenizer on disk carries the huge pattern too: use the language's
            # own (same rules, built by _import_french_quickly) instead of deserialising it.
            skip = ["tokenizer"] if lang == "fr" else []
            with _fastest_matrix_products():
                return spacy.load(TRAINED[lang], exclude=UNUSED_COMPONENTS + UNUSED_DATA + skip)
        if self.mode == "trained":
            message = gettext(
                "the trained {lang} pipeline {name} is not installed (pip install {package}), or use --pipeline blank"
            )
            raise VoicecheckError(
                message.format(lang=lang, name=TRAINED[lang], package=TRAINED[lang].replace("_", "-"))
            )
        return spacy.blank(lang)

    def describe(self) -> dict[str, str]:
        """Name and version of each pipeline in use, for the model's metadata (and every check's notes)."""
        return dict(sorted(self._described.items()))

    def has_tagger(self, lang: str) -> bool:
        nlp = self.get(lang)
        return any(name in nlp.pipe_names for name in ("tagger", "morphologizer"))


#: NumPy's matrix product replaces BLIS's only when it takes at most this share of BLIS's
#: time: where the two are close, thinc's own is kept, and the choice cannot flip from one run
#: to the next with the machine's noise.
NUMPY_PRODUCT_SHARE = 2 / 3


@contextmanager
def _fastest_matrix_products() -> Iterator[None]:
    """Build the pipelines loaded within with NumPy's matrix products where they are faster.

    thinc's CPU ops multiply matrices with the BLIS it bundles, NumPy with the BLAS it links
    (OpenBLAS), and which is faster depends on the processor: one thread each, on the
    tagger's token-to-vector shapes, OpenBLAS ran at 89 GFLOP/s and BLIS at 32 on an AVX-512
    EPYC, BLIS at 27-29 and OpenBLAS at 9-10 on an AVX2 one (`BENCHMARKS.md`). Those
    products are most of a tagged post's cost; the parts of speech and morphology came out
    the same with either, for every one of 187,869 tokens. Every other operation stays
    thinc's own. A layer keeps the ops it was built with, so they are set only while a
    pipeline loads.
    """
    if not numpy_products_are_faster():
        yield
        return
    from thinc.api import NumpyOps, get_current_ops, set_current_ops
    from thinc.backends.ops import Ops

    class NumpyProductOps(NumpyOps):
        gemm = Ops.gemm  # NumPy's dot, where NumpyOps calls BLIS

    previous = get_current_ops()
    set_current_ops(NumpyProductOps())
    try:
        yield
    finally:
        set_current_ops(previous)


@cache
def numpy_products_are_faster() -> bool:
    """Whether NumPy's BLAS multiplies a tagger's matrices clearly faster than thinc's BLIS here.

    Timed once a process, when the first trained pipeline loads (10–40 ms of the quarter
    second or more that takes): each product in one thread, as checks and the service run
    them, on a block of 64 tokens of `fr_core_news_sm`'s width, the best of three runs each,
    taken in turns so that both meet the same load.
    """
    from thinc.api import NumpyOps
    from threadpoolctl import threadpool_limits

    rng = np.random.default_rng(0)
    tokens = rng.random((64, 288), dtype=np.float32)
    weights = rng.random((288, 288), dtype=np.float32)
    blis = NumpyOps()
    numpy_best = blis_best = math.inf
    with threadpool_limits(1, user_api="blas"):
        np.dot(tokens, weights), blis.gemm(tokens, weights)  # first calls pay for set-up
        for _ in range(3):
            numpy_best = min(numpy_best, _seconds(lambda: np.dot(tokens, weights)))
            blis_best = min(blis_best, _seconds(lambda: blis.gemm(tokens, weights)))
    return numpy_best <= NUMPY_PRODUCT_SHARE * blis_best


def _seconds(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def _description(nlp: Language, lang: str) -> str:
    """A pipeline's name and version ("fr_core_news_sm 3.8.0") or "blank:fr"; read once: spaCy builds its meta anew."""
    meta = nlp.meta
    if meta.get("name") and meta.get("name") != "pipeline":
        return f"{meta['lang']}_{meta['name']} {meta.get('version', '')}".strip()
    return f"blank:{lang}"


@dataclass(frozen=True, slots=True)
class Parsed:
    """A post with its language and spaCy Doc, as features see it."""

    post: Post
    lang: str
    doc: Doc


def parse(
    posts: Iterable[Post],
    pipelines: Pipelines,
    default_lang: str = "en",
    batch_size: int = 512,
    language_prior: float = 0.0,
) -> Iterator[Parsed]:
    """Stream posts through their language's pipeline, keeping input order.

    Posts whose language is not given are detected, leaning by `language_prior` (log-odds of
    English, see `language_prior`) towards the language a brand writes in.
    """
    batch: list[Post] = []
    for post in posts:
        batch.append(post)
        if len(batch) >= batch_size:
            yield from _parse_batch(batch, pipelines, default_lang, language_prior)
            batch = []
    if batch:
        yield from _parse_batch(batch, pipelines, default_lang, language_prior)


def _parse_batch(batch: list[Post], pipelines: Pipelines, default_lang: str, prior: float) -> Iterator[Parsed]:
    unknown = [i for i, post in enumerate(batch) if post.lang not in LANGUAGES]
    decided = iter(_by_words([batch[i].text for i in unknown], prior))
    told: list[str | None] = [post.lang if post.lang in LANGUAGES else next(decided) for post in batch]
    if None in told and _identifier is None:
        # Words leave some posts undecided: load the character model while spaCy's pipelines load.
        prefetch_character_model()
        for lang in sorted({lang for lang in told if lang is not None}):
            pipelines.get(lang)
    langs = [lang or _character_model(post.text, default_lang, prior) for post, lang in zip(batch, told, strict=True)]
    docs: list[Doc | None] = [None] * len(batch)
    for lang in set(langs):
        indices = [i for i, other in enumerate(langs) if other == lang]
        texts = ((batch[i].text[:MAX_POST_CHARS], i) for i in indices)
        for doc, i in pipelines.get(lang).pipe(texts, as_tuples=True):
            docs[i] = doc
    for post, lang, parsed in zip(batch, langs, docs, strict=True):
        assert parsed is not None
        yield Parsed(post, lang, parsed)
