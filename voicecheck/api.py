"""The library API: what the CLI (and anything else) calls. Raises; never exits."""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cache, partial
from itertools import chain, cycle, islice
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from voicecheck import batches
from voicecheck.core import CheckResult, Note, Post, ToneResult
from voicecheck.errors import VoicecheckError
from voicecheck.features.background import load_background
from voicecheck.features.table import FeatureTable, build_table
from voicecheck.i18n import _, ngettext
from voicecheck.judge import MIN_WORDS, judge, judging, tone_of
from voicecheck.messages import result_dict
from voicecheck.model import Background, Scores, VoiceModel
from voicecheck.nlp import (
    LANGUAGES,
    PIPELINE_MODES,
    Parsed,
    PipelineMode,
    Pipelines,
    load_character_model,
    parse,
    prefetch_character_model,
)
from voicecheck.profile import BrandProfile
from voicecheck.report import Flags, brand_language, build_report
from voicecheck.store import SavedModel, save, training_hash

MIN_POSTS = 20
FEW_POSTS = 50
#: A report lists at most this many flagged posts, the furthest from the voice first.
REPORT_FLAGGED = 20

R = TypeVar("R")


@cache
def shared_pipelines(mode: PipelineMode, blank_languages: frozenset[str] = frozenset()) -> Pipelines:
    """One set of pipelines per mode for the whole process: loading them takes up to a second."""
    return Pipelines(mode, blank_languages)


def judging_pipelines(saved: SavedModel) -> Pipelines:
    """The pipelines that read posts judged against `saved`.

    A language the brand never wrote in gets the blank pipeline: its posts' parts of speech
    would be compared with no brand posts at all, so loading a tagger for them is wasted.
    """
    return shared_pipelines(saved.pipeline_mode, frozenset(LANGUAGES) - judging(saved).langs)


def _parse_against(saved: SavedModel, posts: Iterable[Post]) -> Iterator[Parsed]:
    """Posts parsed to be judged against `saved`: by its pipelines, leaning to its languages."""
    context = judging(saved)
    return parse(posts, judging_pipelines(saved), context.default_lang, language_prior=context.language_prior)


def _checked(posts: Iterable[Post], argument: str = "posts") -> Iterator[Post]:
    """`posts` as given, each refused as it comes if it is no Post with text and an id of strings.

    Judged otherwise, a string given for the list, or a post whose text is None, fails deep
    inside with an error that names neither (or, for an id, only once a whole fit is done).
    """
    if isinstance(posts, str | bytes) or not isinstance(posts, Iterable):
        raise TypeError(f"{argument}: an iterable of Post, not {type(posts).__name__}")
    for number, post in enumerate(posts):
        if not isinstance(post, Post):
            raise TypeError(f"{argument}[{number}]: a Post, not {type(post).__name__}")
        for field, value in (("id", post.id), ("text", post.text)):
            if not isinstance(value, str):
                raise TypeError(f"{argument}[{number}]: its {field} is {type(value).__name__}, not a string")
        for field, optional in (("channel", post.channel), ("lang", post.lang), ("date", post.date)):
            if optional is not None and not isinstance(optional, str):
                raise TypeError(f"{argument}[{number}]: its {field} is {type(optional).__name__}, not a string or None")
        yield post


def _checked_choice(argument: str, value: str | None, choices: Iterable[str]) -> None:
    """Refuse an option outside its choices up front, rather than after the work it would spoil."""
    allowed = tuple(choices)
    if value is not None and value not in allowed:
        raise ValueError(f"{argument}: {value!r} is not one of {', '.join(allowed)}")


def fit(
    posts: Iterable[Post],
    profile: BrandProfile | None = None,
    false_flag_rate: float = 0.05,
    pipeline: PipelineMode | None = None,
    peers: Mapping[str, Iterable[Post]] | None = None,
) -> SavedModel:
    """Learn a brand's voice from its posts (and profile). Warns below FEW_POSTS posts.

    `peers`: accounts the brand must not sound like (name → their posts), learned as contrast
    (`voicecheck.peers`); their posts never count as the brand's.
    """
    profile = profile or BrandProfile()
    _checked_choice("pipeline", pipeline, PIPELINE_MODES)
    posts = _checked(posts)
    if not 0 < false_flag_rate < 0.5:
        raise VoicecheckError(
            _("the false-flag rate must be between 0 and 0.5, not {rate}").format(rate=false_flag_rate)
        )
    named_like_the_brand = [name for name in peers or {} if profile.name and name.casefold() == profile.name.casefold()]
    if named_like_the_brand:  # before any post is read: a reason would say the brand sounds like itself
        message = _("a peer cannot be named {name}, the brand's own name: name it apart with NAME=PATH")
        raise VoicecheckError(message.format(name=repr(named_like_the_brand[0])))
    mode: PipelineMode = pipeline or profile.pipeline
    pipelines = Pipelines(mode)
    default_lang = profile.languages[0] if profile.languages else "en"
    table = build_table(parse(posts, pipelines, default_lang))
    peer_tables = _peer_tables(peers or {}, table, pipelines, default_lang)
    if len(table) < MIN_POSTS:
        message = _("a voice needs at least {minimum} posts to learn from; got {count}")
        raise VoicecheckError(message.format(minimum=MIN_POSTS, count=len(table)))
    worded = int(np.count_nonzero(table.word_count >= MIN_WORDS))
    if worded < MIN_POSTS:  # links, emoji or a word or two: no voice to learn, and every check "too short"
        message = _(
            "a voice needs at least {minimum} posts of {words} words or more to learn from; "
            "{count} of the {total} posts given have that many"
        )
        raise VoicecheckError(message.format(minimum=MIN_POSTS, words=MIN_WORDS, count=worded, total=len(table)))
    if len(table) < FEW_POSTS:
        warnings.warn(
            _("only {count} posts: the voice will be rough; {enough} or more work much better").format(
                count=len(table), enough=FEW_POSTS
            ),
            stacklevel=2,
        )
    languages = sorted(set(table.langs))
    per_lang = [load_background(lang) if lang in languages else None for lang in LANGUAGES]
    shape = next(b for b in per_lang if b is not None)[0].shape
    flat = np.full(shape, 1.0 / shape[0], dtype=np.float32)
    bg = Background(
        chars=np.stack([b[0] if b else flat for b in per_lang]),
        words=np.stack([b[1] if b else flat for b in per_lang]),
    )
    with_centre = not peer_tables  # with peers, the peers' view reads smart punctuation and kinds of posts
    model = VoiceModel(false_flag_rate=false_flag_rate, smart_punctuation=with_centre, neighbour_style=with_centre)
    model.fit(table, bg)
    if peer_tables:
        from voicecheck.peers import learn

        learn(model, table, peer_tables, bg)
    meta = {
        "brand": profile.name,
        "pipeline_mode": mode,
        "pipelines": pipelines.describe(),
        "languages": languages,
        "posts": len(table),
        "posts_per_channel": dict(Counter(table.channels("(none)"))),
        "posts_per_language": dict(Counter(table.langs)),
        "training_hash": training_hash(table.posts, {name: t.posts for name, t in peer_tables.items()}),
        "calibration": {
            "false_flag_rate": false_flag_rate,
            "heldout_posts": len(table),
            "folds": model.folds,
            "threshold_score": round(float(np.percentile(model.heldout_scores_, 100 * false_flag_rate)), 1),
        },
    }
    if peer_tables:
        meta["peers"] = [{"name": name, "posts": len(t)} for name, t in peer_tables.items()]
    table.tokens = []
    return SavedModel(model, table, profile, meta)


def _peer_tables(
    peers: Mapping[str, Iterable[Post]], brand: FeatureTable, pipelines: Pipelines, default_lang: str
) -> dict[str, FeatureTable]:
    """Each peer's posts read as the brand's are, less any the brand published itself."""
    from voicecheck.peers import MIN_PEER_POSTS, check_name, unique_names, without_brand_posts

    unique_names([check_name(name) for name in peers])
    kept = without_brand_posts(
        {name: list(_checked(posts, f"peers[{name!r}]")) for name, posts in peers.items()}, brand.posts
    )
    texts: dict[frozenset[str], str] = {}
    for name, posts in kept.items():  # one account under two names: a post like it would name either
        other = texts.setdefault(frozenset(post.text for post in posts), name)
        if other != name and posts:
            message = _("peers {first} and {second} hold the same posts: give each account once")
            raise VoicecheckError(message.format(first=repr(other), second=repr(name)))
    tables = {}
    for name, posts in kept.items():
        if len(posts) < MIN_PEER_POSTS:
            message = ngettext(
                "peer {name} has {count} posts of its own; a peer needs at least {minimum}",
                "peer {name} has {count} posts of its own; a peer needs at least {minimum}",
                len(posts),
            )
            raise VoicecheckError(message.format(name=repr(name), count=len(posts), minimum=MIN_PEER_POSTS))
        tables[name] = build_table(parse(posts, pipelines, default_lang))
        tables[name].tokens = []
    return tables


def fit_to(directory: str | Path, posts: Iterable[Post], **kwargs: Any) -> SavedModel:
    """Fit and save to `directory`, which is refused before fitting if it holds someone else's files.

    The model there, if any, is replaced in one atomic step: see `voicecheck.store`.
    """
    from voicecheck.store import check_target

    check_target(directory)
    saved = fit(posts, **kwargs)
    save(saved, directory)
    return saved


def check(saved: SavedModel, posts: Iterable[Post], chunk_size: int = 2000, jobs: int = 1) -> Iterator[CheckResult]:
    """Judge each post against its channel's voice and the brand's core voice, in input order.

    With `jobs` > 1, chunks of posts are judged in that many forked worker processes (where
    the platform can fork), which share the loaded model and pipelines with this one.
    """
    return check_rendered(saved, posts, _as_judged, chunk_size, jobs)


def _as_judged(result: CheckResult) -> CheckResult:
    return result


def check_rendered(
    saved: SavedModel,
    posts: Iterable[Post],
    render: Callable[[CheckResult], R],
    chunk_size: int = 2000,
    jobs: int = 1,
) -> Iterator[R]:
    """`check`, each result handed back as `render` makes it (for instance, an output line).

    `render` runs where the result is judged: in the worker processes with `jobs` > 1, so
    that what comes back is small and ready to write, and this process is not left to turn
    every result into output alone. Workers inherit `render` by forking: it is not pickled.
    """
    posts = _checked(posts)
    # Similarities to every training post are held for a chunk at a time: keep them bounded.
    chunk_size = max(100, min(chunk_size, 4_000_000 // len(saved.table)))
    parts = batches.chunks(posts, chunk_size if jobs == 1 else min(chunk_size, batches.PARALLEL_CHUNK))
    first = next(parts, None)
    if first is None:
        return
    forking = jobs > 1 and batches.can_fork()
    if forking:
        prefetch_character_model()  # in a thread, while the first chunk loads spaCy
    yield from _check_chunk(saved, render, first)  # also loads the pipelines and explainer once, before any fork
    second = next(parts, None)
    if second is None:
        return
    with batches.steady_heap():  # a long run: what is loaded now lasts as long as it does
        if forking:
            # Loaded once, here, rather than once in each worker; the first chunk loaded the
            # pipelines of the languages it met, and a worker loads another one if it meets it.
            load_character_model()
            yield from batches.in_workers(partial(_check_chunk, saved, render), chain([second], parts), jobs)
        else:
            with batches.one_blas_thread():
                for chunk in chain([second], parts):
                    yield from _check_chunk(saved, render, chunk)


def _check_chunk(saved: SavedModel, render: Callable[[CheckResult], R], chunk: list[Post]) -> list[R]:
    table = build_table(_parse_against(saved, chunk))
    scored = saved.model.scored(table)
    rows, notes = np.arange(len(table)), _pipeline_notes(saved)
    results = judge(saved, table, rows, scored.score, scored.below, notes=notes, closer_peer=scored.closer_peer)
    return [render(result) for result in results]


def ready_for_batches(saved: SavedModel, posts: Sequence[Post]) -> None:
    """Do once, on `posts`, what judging large or flagged batches does beyond a check of one post.

    A check of one post leaves SciPy out and builds only the forms of the brand's posts it
    reads, to start quickly; a batch with two flagged posts or 64 posts then imports SciPy
    and builds the rest (about 120 ms, once). A service calls this before its first request,
    so that no request pays it.
    """
    from voicecheck.features.cosine import SPLIT_FROM_ROWS
    from voicecheck.features.hashing import SCIPY_FROM_DOCUMENTS
    from voicecheck.nearest import SCIPY_FROM_POSTS

    if not posts:
        raise ValueError("ready_for_batches needs at least one post to judge")
    many = max(SPLIT_FROM_ROWS, SCIPY_FROM_DOCUMENTS, SCIPY_FROM_POSTS)
    table = build_table(_parse_against(saved, list(islice(cycle(posts), many))))
    every = np.arange(len(table))
    saved.model.scored(table)
    for rows in (every[:2], every):  # the flagged posts' nearest brand posts, in small and large batches
        saved.model.similarity(table, rows)
    if saved.model.peers_ is not None:  # a named peer's nearest posts
        saved.model.peers_.examples(table, every[:1], [0])


def _pipeline_notes(saved: SavedModel) -> dict[str, list[Note]]:
    """A note for each language read by another spaCy pipeline than the model was fitted with.

    Scores shift when the pipeline does (a tagger's parts of speech are style features), so
    every result in such a language says so rather than changing silently.
    """
    fitted = saved.meta.get("pipelines", {})
    now = judging_pipelines(saved).describe()
    return {
        lang: [Note("other_pipeline", {"lang": lang, "fitted": fitted[lang], "now": now[lang]})]
        for lang in now
        if lang in fitted and fitted[lang] != now[lang]
    }


def report(saved: SavedModel, posts: Iterable[Post] | None = None, lang: str | None = None) -> dict[str, Any]:
    """Compare the brand's channels: on `posts` if given, else on the posts the model learned from.

    Alongside the figures, the report counts the posts `check` would flag (and the kinds of
    reasons why) and lists the ones that drift most (up to REPORT_FLAGGED), each with its
    reasons and nearest brand examples. Its words are in `lang` (default: the brand's first).
    """
    _checked_choice("lang", lang, LANGUAGES)
    lang = lang or brand_language(saved)
    if posts is None:
        table = saved.table
        scored = Scores(saved.model.heldout_scores_, saved.model.heldout_below())
        held_out = True
    else:
        table = build_table(_parse_against(saved, _checked(posts)))
        if not len(table):
            raise VoicecheckError(_("no posts to report on"))
        scored = saved.model.scored(table)
        held_out = False
    flags, flagged = _flagged(saved, table, scored, held_out)
    shown = [{**result_dict(result, lang), "date": result.post.date} for result in flagged[:REPORT_FLAGGED]]
    if held_out:  # the brand's own posts: each channel is set against the rest of the brand
        return build_report(saved, flagged=shown, lang=lang, flags=flags)
    return build_report(saved, table, scored.score, shown, lang=lang, flags=flags)


def _flagged(saved: SavedModel, table: FeatureTable, scored: Scores, held_out: bool) -> tuple[Flags, list[CheckResult]]:
    """The posts of `table` that `check` flags, counted, and their results, lowest score first.

    `held_out`: `table` is the brand's own training table (see `judge.judge`).
    """
    explainer = judging(saved).explainer
    scores, below = scored.score, scored.below
    ruled = [bool(explainer.vocabulary(post.text)) for post in table.posts]
    rows = sorted((r for r in range(len(table)) if below[r] or ruled[r]), key=lambda r: scores[r])
    mask = np.zeros(len(table), dtype=bool)
    flagged: list[CheckResult] = []
    for start in range(0, len(rows), REPORT_FLAGGED):
        batch = np.array(rows[start : start + REPORT_FLAGGED])
        judged = judge(saved, table, batch, scores, below, held_out, closer_peer=scored.closer_peer)
        for row, result in zip(batch, judged, strict=True):
            if result.flagged:
                mask[row] = True
                flagged.append(result)
    kinds = Counter(reason.kind for result in flagged for reason in result.reasons)
    codes = Counter(reason.code for result in flagged for reason in result.reasons)
    return Flags(mask, dict(kinds.most_common()), dict(codes.most_common())), flagged


def tone(posts: Iterable[Post], pipeline: PipelineMode = "auto", default_lang: str = "en") -> Iterator[ToneResult]:
    """Read each post on the four tone dimensions, 0–100."""
    _checked_choice("pipeline", pipeline, PIPELINE_MODES)
    pipelines = shared_pipelines(pipeline)
    for chunk in batches.chunks(_checked(posts), 2000):
        table = build_table(parse(chunk, pipelines, default_lang))
        for row, post in enumerate(table.posts):
            yield ToneResult(post, table.langs[row], tone_of(table.tone[row]))
