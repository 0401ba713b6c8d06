"""Check and fit many brands' posts on an Apache Spark cluster (the optional `spark` extra).

The work is the library's own: each executor loads a brand's model once with `store.load`
and judges posts with `api.check`, or fits with `api.fit_to`, so a post scored here gets
exactly what `voicecheck check --format jsonl` gives it. Models live on storage every node
reads (a mount such as NFS or DBFS), one folder per brand:

    models/                  check(posts, "models/"), or check(posts, {"maison-claire": "models/maison-claire"})
      maison-claire/         a model directory, as `voicecheck fit --out models/maison-claire` writes it
      another-brand/

A post that cannot be judged (its brand has no model, its text is empty) is not dropped and
does not fail the job: its row keeps the post, with no score and `error` saying why.
Nothing on the command line's path imports this module; it needs pyspark, pandas and pyarrow.
"""

from __future__ import annotations

import json
import os
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voicecheck import api, i18n
from voicecheck.core import LANGUAGES, CheckResult, Post
from voicecheck.errors import InputError, ModelError, VoicecheckError
from voicecheck.i18n import _, ngettext
from voicecheck.messages import result_dict
from voicecheck.nlp import pipeline_mode_from_env
from voicecheck.profile import BrandProfile, load_profile
from voicecheck.readers.base import channel_name, clean_text, lang_code
from voicecheck.store import META_FILE, SavedModel, load, model_folder

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame

#: Columns every posts DataFrame has (values may be null but for text); cast to strings.
REQUIRED_COLUMNS = ("brand", "id", "text", "channel")
#: Columns read when present: the post's language, date, kind (reply, retweet) and origin.
OPTIONAL_COLUMNS = ("lang", "date", "post_kind", "where")

#: What `check` returns: the fields of `check --format jsonl`, with the brand and an error.
#: A reason's own fields beyond its `code`, `kind` and `message` (dimension, value, term, …)
#: are in `details`, a JSON object, since each kind of reason has its own.
CHECK_SCHEMA = (
    "brand string, id string, channel string, post_kind string, lang string, "
    "score double, flagged boolean, verdict string, "
    "reasons array<struct<code: string, kind: string, message: string, details: string>>, "
    "examples array<struct<id: string, channel: string, text: string, similarity: double>>, "
    "tone struct<formality: double, humor: double, irreverence: double, enthusiasm: double>, "
    "notes array<string>, text string, `where` string, error string"
)
CHECK_COLUMNS = [
    "brand", "id", "channel", "post_kind", "lang", "score", "flagged", "verdict",
    "reasons", "examples", "tone", "notes", "text", "where", "error",
]  # fmt: skip

#: What `fit` returns: one row per brand, its model directory or why it has none.
FIT_SCHEMA = "brand string, model string, posts long, threshold double, warning string, error string"
FIT_COLUMNS = ["brand", "model", "posts", "threshold", "warning", "error"]

#: The column that carries the posts' input order through the shuffle of `fit`.
_ORDER = "_voicecheck_order"

Models = Mapping[str, "str | os.PathLike[str]"] | str | os.PathLike[str]


def _pyspark() -> Any:
    """pyspark.sql.functions, or a message saying how to install the extra."""
    try:
        import pandas  # noqa: F401  # the batches executors are handed
        import pyarrow  # noqa: F401
        from pyspark.sql import functions
    except ImportError as exc:
        message = _("voicecheck.spark needs the spark extra: pip install 'voicecheck[spark]' ({error})")
        raise VoicecheckError(message.format(error=exc)) from exc
    return functions


# --- On the driver: checking and fitting as DataFrame transformations -----------------------


def check(posts: DataFrame, models: Models, language: str | None = None) -> DataFrame:
    """Judge every post against its brand's model: a DataFrame of `CHECK_SCHEMA`, lazily.

    `models` is a folder holding one model folder per brand (named as the brand), or a
    mapping brand → model directory. Reasons and notes are in `language` (en, fr; by default
    the one the command line would speak here, from $VOICECHECK_LANG or the locale). Posts
    keep their order within each partition; other columns of `posts` are not carried over
    (join the results back on brand and id).
    """
    _pyspark()
    places = _model_places(models)
    if language is not None and language not in LANGUAGES:
        message = _("the language of messages must be one of {languages}, not {language}")
        raise VoicecheckError(message.format(languages=", ".join(LANGUAGES), language=repr(language)))
    speak = i18n.language_from(language) or i18n.DEFAULT  # decided here, not by each executor's locale
    return _posts_columns(posts).mapInPandas(partial(_check_batches, places, speak), CHECK_SCHEMA)


def fit(
    posts: DataFrame,
    destination: str | os.PathLike[str],
    profiles: Mapping[str, str | os.PathLike[str]] | None = None,
    false_flag_rate: float = 0.05,
    pipeline: str | None = None,
) -> DataFrame:
    """Fit one model per brand, in parallel, into `destination`/<brand>: a DataFrame of `FIT_SCHEMA`.

    Each brand's posts are fitted in their input order, as `voicecheck fit` would with the
    same posts, with `profiles[brand]` (a brand.toml) as its `--brand`; a brand without one
    is fitted from its posts alone. Profiles are read here, so a bad brand.toml fails at once.
    The models are written when the result is computed (by `collect()` or a write).
    """
    functions = _pyspark()
    loaded = {brand: load_profile(Path(path)) for brand, path in (profiles or {}).items()}
    fallback = pipeline or pipeline_mode_from_env()  # $VOICECHECK_PIPELINE here, as `voicecheck fit` reads it
    ordered = _posts_columns(posts).withColumn(_ORDER, functions.monotonically_increasing_id())
    task = partial(_fit_group, os.fspath(destination), loaded, pipeline, fallback, false_flag_rate)
    with warnings.catch_warnings():  # pyspark looks for type hints on a partial; its default is the one meant
        warnings.filterwarnings("ignore", "Cannot infer the eval type", UserWarning)
        return ordered.groupBy("brand").applyInPandas(task, FIT_SCHEMA)


def _posts_columns(posts: DataFrame) -> DataFrame:
    """The columns voicecheck reads, as strings; absent optional ones as nulls."""
    functions = _pyspark()
    missing = [name for name in REQUIRED_COLUMNS if name not in posts.columns]
    if missing:
        message = _("the posts need the columns {required}; missing: {missing} (columns: {columns})")
        present = ", ".join(posts.columns) or _("none")
        raise InputError(
            message.format(required=", ".join(REQUIRED_COLUMNS), missing=", ".join(missing), columns=present)
        )
    columns = [functions.col(name).cast("string").alias(name) for name in REQUIRED_COLUMNS]
    for name in OPTIONAL_COLUMNS:
        value = functions.col(f"`{name}`") if name in posts.columns else functions.lit(None)
        columns.append(value.cast("string").alias(name))
    return posts.select(*columns)


def _model_places(models: Models) -> dict[str, str] | str:
    """Where models are, checked as far as the driver can see: a mapping, or one folder."""
    if isinstance(models, Mapping):
        if not models:
            raise ModelError(_("no models given: map each brand to its model directory"))
        return {str(brand): os.fspath(directory) for brand, directory in models.items()}
    folder = os.fspath(models)
    if not Path(folder).is_dir():
        raise ModelError(_("{path}: no such folder of models (one model folder per brand)").format(path=folder))
    return folder


# --- On the executors: one model per brand and process, judged and fitted by the library ----

#: Models loaded in this process, by directory, with the stamp of the live version's metadata.
_MODELS: dict[str, tuple[tuple[str, int, int], SavedModel]] = {}


def cached_model(directory: str | os.PathLike[str]) -> SavedModel:
    """The model in `directory`, loaded once per process; again when it has been fitted anew."""
    key = os.fspath(directory)
    try:
        folder = model_folder(key)  # a new fit is a new version folder
        stat = (folder / META_FILE).stat()
    except (ModelError, OSError):
        return load(key)  # which says what is wrong
    stamp = (str(folder), stat.st_mtime_ns, stat.st_size)
    cached = _MODELS.get(key)
    if cached is None or cached[0] != stamp:
        _MODELS[key] = (stamp, load(key))
    return _MODELS[key][1]


def folder_name(brand: str) -> str:
    """`brand` as the name of its model folder, refusing names that would leave the folder."""
    if brand in ("", ".", "..") or brand != brand.strip() or any(char in brand for char in "/\\\0"):
        message = _("brand {brand} cannot name a model folder (no slashes, not '.' or '..', no spaces at either end)")
        raise InputError(message.format(brand=repr(brand)))
    return brand


def _model_directory(places: dict[str, str] | str, brand: str | None) -> str:
    if brand is None:
        raise InputError(_("the post has no brand"))
    if isinstance(places, dict):
        if brand not in places:
            raise ModelError(
                _("no model for brand {brand}: it is not among the models given").format(brand=repr(brand))
            )
        return places[brand]
    directory = Path(places) / folder_name(brand)
    if not directory.is_dir():
        message = _("no model for brand {brand}: no folder {path}")
        raise ModelError(message.format(brand=repr(brand), path=directory))
    return str(directory)


def _check_batches(
    places: dict[str, str] | str, language: str, batches: Iterable[pd.DataFrame]
) -> Iterator[pd.DataFrame]:
    import pandas as pd

    for batch in batches:
        yield pd.DataFrame(check_records(places, batch.to_dict("records"), language), columns=CHECK_COLUMNS)


def check_records(
    places: dict[str, str] | str, records: list[dict[str, Any]], language: str = i18n.DEFAULT
) -> list[dict[str, Any]]:
    """One result row per post record, in order: the brand's model judges its posts together.

    The errors of the rows are in `language`, as their reasons are.
    """
    with _speaking(language):
        return _check_records(places, records, language)


@contextmanager
def _speaking(language: str) -> Iterator[None]:
    """Messages in `language` for the time of the block, then in the language spoken before."""
    before = i18n.active()
    i18n.set_language(language)
    try:
        yield
    finally:
        i18n.set_language(before)


def _check_records(places: dict[str, str] | str, records: list[dict[str, Any]], language: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [{} for _record in records]
    by_brand: dict[str | None, list[int]] = {}
    for index, record in enumerate(records):
        by_brand.setdefault(_text(record["brand"]), []).append(index)
    for brand, indices in by_brand.items():
        try:
            saved = cached_model(_model_directory(places, brand))
        except VoicecheckError as exc:
            for index in indices:
                rows[index] = _error_row(records[index], str(exc))
            continue
        judged = _judge_brand(saved, brand, [records[i] for i in indices], language)
        for index, row in zip(indices, judged, strict=True):
            rows[index] = row
    return rows


def _judge_brand(
    saved: SavedModel, brand: str | None, records: list[dict[str, Any]], language: str
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [{} for _record in records]
    posts, judged = [], []
    for index, record in enumerate(records):
        try:
            posts.append(_post(record))
            judged.append(index)
        except InputError as exc:
            rows[index] = _error_row(record, str(exc))
    try:
        results = list(api.check(saved, posts))
    except VoicecheckError as exc:  # the executor cannot judge at all (a pipeline it lacks)
        return [row or _error_row(record, str(exc)) for row, record in zip(rows, records, strict=True)]
    for index, result in zip(judged, results, strict=True):
        rows[index] = _result_row(brand, result, language)
    return rows


def _text(value: Any) -> str | None:
    """A cell as a string; None for nulls (which pandas may hand over as NaN)."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    return str(value)


def _post(record: dict[str, Any]) -> Post:
    """A post record as the readers make it: text, channel and language normalised alike."""
    post_id = _text(record["id"])
    if post_id is None:
        raise InputError(_("no id"))
    text = clean_text(_text(record["text"]) or "")
    if not text:
        raise InputError(_("empty text"))
    return Post(
        id=post_id,
        text=text,
        channel=channel_name(_text(record["channel"])),
        lang=lang_code(_text(record["lang"])),
        date=_text(record["date"]),
        where=_text(record["where"]) or "",
        kind=_text(record["post_kind"]),
    )


def _result_row(brand: str | None, result: CheckResult, language: str) -> dict[str, Any]:
    row = result_dict(result, language)
    row["reasons"] = [reason_struct(reason) for reason in row["reasons"]]
    row["where"] = row["where"] or None
    return {"brand": brand, **row, "error": None}


def reason_struct(reason: dict[str, Any]) -> dict[str, Any]:
    """A reason as its code, kind and message, and the rest of its fields as a JSON object."""
    named = ("code", "kind", "message")
    details = {key: value for key, value in reason.items() if key not in named}
    return {**{key: reason.get(key) for key in named}, "details": json.dumps(details, ensure_ascii=False)}


def _error_row(record: dict[str, Any], error: str) -> dict[str, Any]:
    """The post as given, with no judgement and the reason for none."""
    row: dict[str, Any] = dict.fromkeys(CHECK_COLUMNS)
    for name in ("brand", "id", "channel", "lang", "text", "where", "post_kind"):
        row[name] = _text(record[name])
    row["error"] = error
    return row


def _fit_group(
    destination: str,
    profiles: dict[str, BrandProfile],
    pipeline: str | None,
    fallback: str,
    false_flag_rate: float,
    group: pd.DataFrame,
) -> pd.DataFrame:
    import pandas as pd

    records = group.sort_values(_ORDER).to_dict("records")
    row = fit_records(destination, profiles, pipeline, fallback, false_flag_rate, records)
    return pd.DataFrame([row], columns=FIT_COLUMNS)


def fit_records(
    destination: str,
    profiles: dict[str, BrandProfile],
    pipeline: str | None,
    fallback: str,
    false_flag_rate: float,
    records: list[dict[str, Any]],
) -> dict[str, Any]:
    """Fit one brand's posts (records in input order) into `destination`/<brand>; its result row."""
    brand = _text(records[0]["brand"])
    posts, skipped = _training_posts(records)
    row: dict[str, Any] = {"brand": brand, "model": None, "posts": len(posts), "threshold": None}
    notes = [
        ngettext("skipped {count} ({reason})", "skipped {count} ({reason})", count).format(count=count, reason=reason)
        for reason, count in skipped.most_common()
    ]
    try:
        if brand is None:
            message = ngettext("{count} posts have no brand", "{count} posts have no brand", len(records))
            raise InputError(message.format(count=len(records)))
        directory = Path(destination) / folder_name(brand)
        profile = profiles.get(brand)
        mode = pipeline or (profile.pipeline if profile is not None and profile.pipeline != "auto" else fallback)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UserWarning)
            saved = api.fit_to(directory, posts, profile=profile, false_flag_rate=false_flag_rate, pipeline=mode)
        notes += [str(w.message) for w in caught if issubclass(w.category, UserWarning) and "voicecheck" in w.filename]
        threshold = saved.meta["calibration"]["threshold_score"]
        row.update(model=str(directory), posts=saved.meta["posts"], threshold=threshold, error=None)
    except VoicecheckError as exc:
        row["error"] = str(exc)
    row["warning"] = "; ".join(notes) or None
    return row


def _training_posts(records: list[dict[str, Any]]) -> tuple[list[Post], Counter[str]]:
    """The records that are posts; the others counted by why, as the readers count them."""
    posts, skipped = [], Counter[str]()
    for record in records:
        try:
            posts.append(_post(record))
        except InputError as exc:
            skipped[str(exc)] += 1
    return posts, skipped
