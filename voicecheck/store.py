"""Save and load a fitted voice model as plain data: JSON, JSON Lines and a NumPy archive.

Layout. A model directory holds a pointer file, `current`, that names one version folder
beside it; the version folder holds the model's three files:

    model/
      current                      the live version's name, "v20261201T081500Z-3f2a1b9c"
      v20261201T081500Z-3f2a1b9c/
        model.json                 versions, parameters, calibration figures, brand profile
        posts.jsonl                the training posts
        arrays.npz                 feature matrices, background model, calibration

Saving is crash-safe: `save` never touches the live version. It writes the new one into a
staging folder inside the model directory (`.incomplete-…`, so on the same filesystem),
fsyncs every file and the folder, renames the folder to its version name, then swaps the
pointer: the new name goes into a staging file, fsynced, which is renamed over `current`
in one atomic step. A process killed at any moment leaves `current` naming either the
previous version, whole, or the new one, whole. What a killed `save` leaves behind
(staging folders and files, versions no pointer names) is ignored by `load` and removed by
the next `save`, which also removes the versions it replaced. `save` holds an exclusive
lock on the directory (where the platform has flock), so two fits into one folder cannot
remove each other's staging. A version folder is itself a model directory: `load` reads a
folder without `current` as one (this is also how models of format 5 and older were laid
out; those are refused for their format version).

`save` writes only into a new or empty folder, one holding nothing but its own leftovers,
or a voicecheck model's folder (of any format version): anything else is someone else's.

Nothing here unpickles, and nothing in the files is trusted. `load` checks every field of
model.json for its type, range and finiteness, every training post's fields, and every
array's dtype, shape and values (finite, probabilities in (0, 1], indices in range, the
threshold and held-out scores consistent with the calibration); it bounds what each member
of arrays.npz may unpack to, from the number of posts, before reading it, and checks the
training hash against the posts. Every failure is a ModelError naming the file and field.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import secrets
import shutil
import stat
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import numpy as np

from voicecheck import MODEL_FORMAT, __version__, i18n
from voicecheck.errors import ModelError, ProfileError, VoicecheckError
from voicecheck.features.hashing import N_FEATURES
from voicecheck.features.sparse import Counts
from voicecheck.features.style import INDEX, STYLE_FEATURES, TAGGER_FEATURES
from voicecheck.features.table import FeatureTable
from voicecheck.features.tone import TONE_DIMENSIONS
from voicecheck.i18n import _, ngettext
from voicecheck.model import COMPONENTS, LEXICAL, NEAREST_SPREAD_FLOOR, Background, VoiceModel
from voicecheck.nlp import LANGUAGES, PIPELINE_MODES
from voicecheck.profile import BrandProfile, parse_profile
from voicecheck.readers.base import MAX_POST_CHARS, Post
from voicecheck.style_kinds import KindsTest

if TYPE_CHECKING:
    from voicecheck.peers import PeerView

META_FILE = "model.json"
POSTS_FILE = "posts.jsonl"
ARRAYS_FILE = "arrays.npz"
MODEL_FILES = (META_FILE, POSTS_FILE, ARRAYS_FILE)  # what a version folder holds
#: The posts of the brand's peers, in a model that has some (`voicecheck.peers`).
PEERS_FILE = "peers.jsonl"
#: The file naming the live version folder.
POINTER_FILE = "current"
VERSION_NAME = re.compile(r"v\d{8}T\d{6}Z-[0-9a-f]{8}")
#: What a save writes before it is complete: ignored by `load`, removed by the next `save`.
STAGING_PREFIX = ".incomplete-"

#: Bounds on what a model's files may hold, far above any real model's, so that a tampered
#: file is refused before it can fill the memory.
MAX_META_BYTES = 16 * 2**20
MAX_POST_LINE_CHARS = 64 * 2**20
MAX_POSTS = 50_000_000
MAX_FOLDS = 50
#: Distinct character n-grams (2-5) a post can have, from its first MAX_POST_CHARS characters.
MAX_ENTRIES_PER_POST = 16 * MAX_POST_CHARS
#: Room for an .npy member's header, beyond its data.
NPY_HEADER_BYTES = 2**16


@dataclass
class SavedModel:
    """A voice model with the brand's training posts and profile: everything `check` needs."""

    model: VoiceModel
    table: FeatureTable
    profile: BrandProfile
    meta: dict[str, Any] = field(default_factory=dict)
    #: What serving it needs and is costly to build (pipelines, explainer): built once, kept here.
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def default_lang(self) -> str:
        """The language most of the brand's posts are in: the guess for posts too short to tell."""
        return Counter(self.table.langs).most_common(1)[0][0]

    @property
    def pipeline_mode(self) -> str:
        return str(self.meta.get("pipeline_mode", "auto"))


def training_hash(posts: list[Post], peers: Mapping[str, list[Post]] | None = None) -> str:
    """A digest of the training posts (and each peer's) that does not depend on the order files were given in."""
    digest = hashlib.sha256()
    _digest_posts(digest, posts)
    for name in sorted(peers or {}):  # none: the digest of the brand's posts alone, as before peers
        digest.update(b"\0peer\0" + name.encode() + b"\0")
        _digest_posts(digest, (peers or {})[name])
    return digest.hexdigest()


def _digest_posts(digest: Any, posts: list[Post]) -> None:
    for post in sorted(posts, key=lambda p: (p.channel or "", p.id, p.text)):
        for part in (post.id, post.channel or "", post.text):
            digest.update(part.encode())
            digest.update(b"\0")


# -- saving -------------------------------------------------------------------------------------
def save(saved: SavedModel, directory: str | Path) -> None:
    """Write `saved` as the model in `directory`, replacing the model there in one atomic step."""
    directory = Path(directory)
    meta = _meta_to_write(saved)
    _check_meta(meta, directory / META_FILE)  # never write what `load` would refuse
    check_target(directory)
    _make_folder(directory)
    try:
        with _locked(directory):
            check_target(directory)
            live = _write_version(saved, meta, directory)
            _point_to(directory, live)
            _remove_stale(directory, live)
    except OSError as exc:
        message = _("{path}: could not save the model ({reason})")
        raise ModelError(message.format(path=directory, reason=exc.strerror or exc)) from exc


def check_target(directory: str | Path) -> None:
    """Refuse a folder that is not new, empty or a voicecheck model's: it holds someone else's files.

    `fit` calls this before fitting, so the refusal comes before the wait.
    """
    directory = Path(directory)
    if _pointed_version(directory.parent) == directory.name:
        message = _("{path}: the live version of the model in {model}: replace that model instead")
        raise ModelError(message.format(path=directory, model=directory.parent))
    if not directory.exists() or _pointed_version(directory) or _holds_flat_model(directory):
        return
    if not directory.is_dir():
        raise ModelError(_("{path}: not a folder; give the model a folder of its own").format(path=directory))
    foreign = sorted(entry.name for entry in directory.iterdir() if not _is_leftover(entry.name))
    if not foreign:
        return
    why = (
        _("its {file} is not a voicecheck model's").format(file=META_FILE)
        if META_FILE in foreign
        else _("it holds {names}").format(names=", ".join(foreign[:3]) + (", …" if len(foreign) > 3 else ""))
    )
    message = _(
        "{path}: not empty and not a voicecheck model ({why}); "
        "write the model to a new or empty folder, or to the folder of a model it replaces"
    )
    raise ModelError(message.format(path=directory, why=why))


def _meta_to_write(saved: SavedModel) -> dict[str, Any]:
    model = saved.model
    meta = dict(saved.meta)
    meta.update(
        format=MODEL_FORMAT,
        voicecheck=__version__,
        spacy=version("spacy"),
        scikit_learn=version("scikit-learn"),
        created=meta.get("created") or _now(),
        params={
            "false_flag_rate": model.false_flag_rate,
            "folds": model.folds,
            "smoothing": model.smoothing,
            "random_state": model.random_state,
            "smart_punctuation": model.smart_punctuation,
            "neighbour_style": model.neighbour_style,
        },
        threshold=model.threshold_,
        style_kinds={
            "gain": model.style_kinds_.gain,
            "margin": model.style_kinds_.margin,
            "nearest_posts": model.style_by_neighbours_,
        },
        style_features=[f.name for f in STYLE_FEATURES],
        profile=saved.profile.as_dict(),
    )
    return meta


def _now() -> str:
    """The time a model is made; SOURCE_DATE_EPOCH fixes it, so that a refit gives the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return datetime.now(UTC).isoformat(timespec="seconds")
    if not epoch.isdigit():
        message = _("SOURCE_DATE_EPOCH must be a number of seconds since 1970, not {value}")
        raise VoicecheckError(message.format(value=repr(epoch)))
    return datetime.fromtimestamp(int(epoch), UTC).isoformat(timespec="seconds")


def _arrays_of(saved: SavedModel) -> dict[str, np.ndarray]:
    model, table = saved.model, saved.table
    arrays: dict[str, np.ndarray] = {
        "style": table.style,
        "tone": table.tone,
        "heldout_scores": model.heldout_scores_,
        "calibration": model.calibration_,
        "typical_value": model.typical_value_,
        "typical_size": model.typical_size_,
        "component_mean": model.component_mean_,
        "component_std": model.component_std_,
        "nearest_scale": model.nearest_scale_,
        "fold_of_row": model.fold_of_row_,
        "background_chars": model.background_.chars,
        "background_words": model.background_.words,
    }
    for name, matrix in (("chars", table.chars), ("words", table.words)):
        matrix = matrix.tocsr()
        arrays[f"{name}_data"] = matrix.data.astype(np.float32)
        arrays[f"{name}_indices"] = matrix.indices.astype(np.int32)
        arrays[f"{name}_indptr"] = matrix.indptr.astype(np.int64)
    if model.peers_ is not None:
        arrays.update(_peer_arrays(model.peers_))
    return arrays


def _peer_arrays(view: PeerView) -> dict[str, np.ndarray]:
    chars, words = view.table.chars.tocsr(), view.table.words.tocsr()
    return {
        "peer_columns": view.columns.astype(np.int64),
        "peer_coef": view.coef.astype(np.float32),
        "peer_intercept": view.intercept.astype(np.float64),
        "peer_scale": np.array([view.scale[0], view.scale[1], view.weight], dtype=np.float64),
        "peer_of_row": view.peer_of_row.astype(np.int64),
        "peer_nearest_scale": view.nearest_scale.astype(np.float64),
        "peer_style_scale": view.style_scale.astype(np.float64),
        "peer_contrast_scale": view.contrast_scale.astype(np.float64),
        "peer_chars_data": chars.data.astype(np.float32),
        "peer_chars_indices": chars.indices.astype(np.int32),
        "peer_chars_indptr": chars.indptr.astype(np.int64),
        "peer_words_data": words.data.astype(np.float32),
        "peer_words_indices": words.indices.astype(np.int32),
        "peer_words_indptr": words.indptr.astype(np.int64),
    }


def _make_folder(directory: Path) -> None:
    if directory.is_dir():
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        message = _("{path}: cannot make the model folder ({reason})")
        raise ModelError(message.format(path=directory, reason=exc.strerror or exc)) from exc
    _sync_folder(directory.parent)


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """An exclusive lock on the model folder for the time of a save (where the platform has flock)."""
    try:
        import fcntl
    except ImportError:  # Windows: no flock; saves are still atomic, only not serialised
        yield
        return
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            message = _("{path}: another fit is saving a model here; wait for it to finish")
            raise ModelError(message.format(path=directory)) from None
        yield
    finally:
        os.close(descriptor)


def _write_version(saved: SavedModel, meta: dict[str, Any], directory: Path) -> str:
    """Write the model's files into a new version folder, durably; returns the folder's name."""
    staging = directory / f"{STAGING_PREFIX}{secrets.token_hex(8)}"
    staging.mkdir()
    try:
        _write_arrays(staging / ARRAYS_FILE, _arrays_of(saved))
        _write_posts(staging / POSTS_FILE, saved.table)
        if saved.model.peers_ is not None:
            _write_posts(staging / PEERS_FILE, saved.model.peers_.table)
        with open(staging / META_FILE, "w", encoding="utf-8", newline="\n") as handle:
            json.dump(meta, handle, ensure_ascii=False, indent=2, allow_nan=False)
            handle.write("\n")
            _sync(handle)
        _sync_folder(staging)
        name = f"v{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}"
        os.rename(staging, directory / name)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _sync_folder(directory)
    return name


def _write_arrays(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """What np.savez_compressed writes, with fixed member dates: the same arrays, the same bytes."""
    with open(path, "wb") as handle:
        with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, array in arrays.items():
                info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                with archive.open(info, "w", force_zip64=True) as member:
                    np.lib.format.write_array(member, np.asanyarray(array), allow_pickle=False)
        _sync(handle)


def _write_posts(path: Path, table: FeatureTable) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        for post, lang in zip(table.posts, table.langs, strict=True):
            record = {"id": post.id, "text": post.text, "channel": post.channel, "lang": lang, "date": post.date}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        _sync(handle)


def _point_to(directory: Path, name: str) -> None:
    """Make `name` the live version: a staging file renamed over the pointer, in one atomic step."""
    staging = directory / f"{STAGING_PREFIX}{secrets.token_hex(8)}"
    try:
        with open(staging, "w", encoding="ascii", newline="\n") as handle:
            handle.write(name + "\n")
            _sync(handle)
        os.replace(staging, directory / POINTER_FILE)
    except BaseException:
        staging.unlink(missing_ok=True)
        raise
    _sync_folder(directory)


def _remove_stale(directory: Path, live: str) -> None:
    """Remove the versions `live` replaced and any killed save's leftovers; never anyone else's files."""
    flat = _holds_flat_model(directory)  # a model of format 5 or older, now replaced
    for entry in directory.iterdir():
        if entry.name == live or not _is_leftover(entry.name):
            continue
        with suppress(OSError):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
    if flat:
        for name in (POSTS_FILE, ARRAYS_FILE, META_FILE):  # model.json last: it marks the others as ours
            with suppress(OSError):
                (directory / name).unlink(missing_ok=True)


def _sync(handle: IO[Any]) -> None:
    handle.flush()
    os.fsync(handle.fileno())


def _sync_folder(path: Path) -> None:
    """Make a folder's entries (new files, renames) durable, where the platform can."""
    if os.name != "posix":
        return
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _is_leftover(name: str) -> bool:
    """Whether `name` is what a save writes and may leave behind when it is killed."""
    return name.startswith(STAGING_PREFIX) or bool(VERSION_NAME.fullmatch(name))


def _special(path: Path) -> bool:
    """Whether `path` is a pipe, socket or device, which is never a model's file: opening a pipe
    waits for a writer forever. A missing or unreadable path is not: opening it says so."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def _refuse_special(path: Path) -> None:
    """Refuse to load a model file that is a pipe, socket or device."""
    if _special(path):
        raise ModelError(_("{path}: not a regular file (a pipe, socket or device): corrupt model").format(path=path))


def _pointed_version(directory: Path) -> str | None:
    """The version the pointer names, if `directory` has a pointer that names one."""
    pointer = directory / POINTER_FILE
    if _special(pointer):
        return None  # no pointer: a model folder to load says its pointer is corrupt
    try:
        with open(pointer, "rb") as handle:
            content = handle.read(100)
    except OSError:
        return None
    name = content.decode("ascii", "replace").strip()
    return name if VERSION_NAME.fullmatch(name) else None


def _holds_flat_model(directory: Path) -> bool:
    """Whether `directory` has a voicecheck model.json at its top, as models of format 5 and older did."""
    if _special(directory / META_FILE):
        return False
    try:
        with open(directory / META_FILE, "rb") as handle:
            meta = json.loads(handle.read(MAX_META_BYTES))
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(meta, dict) and _is_int(meta.get("format")) and isinstance(meta.get("voicecheck"), str)


# -- loading ------------------------------------------------------------------------------------
def model_folder(directory: str | Path) -> Path:
    """The folder that holds the files of the live model in `directory` (see the layout above)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ModelError(_("{path}: no such model directory (make one with `voicecheck fit`)").format(path=directory))
    pointer = directory / POINTER_FILE
    if not pointer.exists():
        if not (directory / META_FILE).exists():
            message = _("{path}: not a voicecheck model (no {file}; make one with `voicecheck fit`)")
            raise ModelError(message.format(path=directory, file=META_FILE))
        return directory
    name = _pointed_version(directory)
    if name is None:
        raise ModelError(
            _("{path}: corrupt model pointer (it must name a version folder beside it)").format(path=pointer)
        )
    if not (directory / name).is_dir():
        message = _("{path}: names {name}, which is not in {folder}: fit the model again")
        raise ModelError(message.format(path=pointer, name=name, folder=directory))
    return directory / name


def read_meta(directory: str | Path) -> dict[str, Any]:
    """The live model's model.json, checked field by field (not against the other files)."""
    meta, _profile = _read_meta(model_folder(directory) / META_FILE)
    return meta


def load(directory: str | Path) -> SavedModel:
    """The model in `directory`, every file checked; a model saved meanwhile is loaded instead."""
    for attempt in range(3):
        folder = model_folder(directory)
        try:
            return _load_folder(folder)
        except ModelError:
            # A save that replaced the model while it was read removes the version being read.
            if attempt == 2 or model_folder(directory) == folder:
                raise
    raise AssertionError("unreachable")


def _load_folder(folder: Path) -> SavedModel:
    meta_path = folder / META_FILE
    meta, profile = _read_meta(meta_path)
    posts, langs = _read_posts(folder / POSTS_FILE, meta["posts"])
    peer_counts = [peer["posts"] for peer in meta.get("peers", [])]
    if not peer_counts:
        _check_posts_match(meta, posts, langs, folder)
    arrays_path = folder / ARRAYS_FILE
    arrays = _read_arrays(arrays_path, len(posts), peer_counts)
    _check_arrays(_ArrayFields(arrays_path, arrays), meta, meta_path)
    peer_posts: list[Post] = []
    if peer_counts:
        peer_posts, _peer_langs = _read_posts(folder / PEERS_FILE, sum(peer_counts))
        _check_peer_arrays(_ArrayFields(arrays_path, arrays), peer_counts)
        _check_posts_match(meta, posts, langs, folder, _by_peer(meta, peer_posts, arrays["peer_of_row"]))
    table = FeatureTable(
        posts=posts,
        langs=langs,
        tokens=[],
        chars=_csr(arrays, "chars", len(posts)),
        words=_csr(arrays, "words", len(posts)),
        style=arrays["style"],
        tone=arrays["tone"],
    )
    model = VoiceModel(**meta["params"])
    model.background_ = Background(arrays["background_chars"], arrays["background_words"])
    model.heldout_scores_ = arrays["heldout_scores"]
    model.calibration_ = arrays["calibration"]
    model.typical_value_ = arrays["typical_value"]
    model.typical_size_ = arrays["typical_size"]
    model.component_mean_ = arrays["component_mean"]
    model.component_std_ = arrays["component_std"]
    model.nearest_scale_ = arrays["nearest_scale"]
    model.fold_of_row_ = arrays["fold_of_row"]
    model.threshold_ = float(meta["threshold"])
    model.style_kinds_ = KindsTest(float(meta["style_kinds"]["gain"]), float(meta["style_kinds"]["margin"]))
    model.style_by_neighbours_ = meta["style_kinds"]["nearest_posts"]
    if peer_counts:
        model.peers_ = _peer_view(meta, arrays, peer_posts, model.background_)
    try:
        model.build_references(table)
    except (ValueError, IndexError, FloatingPointError) as exc:  # the checks above should leave none
        raise _incomplete(folder, f"{type(exc).__name__}: {exc}") from exc
    return SavedModel(model, table, profile, meta)


def _by_peer(meta: dict[str, Any], posts: list[Post], peer_of_row: np.ndarray) -> dict[str, list[Post]]:
    names = [peer["name"] for peer in meta["peers"]]
    grouped: dict[str, list[Post]] = {name: [] for name in names}
    for post, peer in zip(posts, peer_of_row.tolist(), strict=True):
        grouped[names[peer]].append(post)
    return grouped


def _peer_view(
    meta: dict[str, Any], arrays: dict[str, np.ndarray], posts: list[Post], background: Background
) -> PeerView:
    """The peer view as saved; its peers' table holds what scores and examples read (their n-gram and word counts)."""
    from voicecheck.peers import PeerView

    rows = len(posts)
    table = FeatureTable(
        posts=posts,
        langs=[str(post.lang) for post in posts],
        tokens=[],
        chars=_csr(arrays, "peer_chars", rows),
        words=_csr(arrays, "peer_words", rows),
        style=np.zeros((rows, len(STYLE_FEATURES))),
        tone=np.zeros((rows, len(TONE_DIMENSIONS))),
    )
    scale = arrays["peer_scale"]
    return PeerView(
        names=[peer["name"] for peer in meta["peers"]],
        columns=arrays["peer_columns"],
        coef=arrays["peer_coef"],
        intercept=arrays["peer_intercept"],
        scale=scale[:2],
        weight=float(scale[2]),
        table=table,
        peer_of_row=arrays["peer_of_row"],
        char_idf=background.char_idf,
        word_idf=-np.log(background.words),
        nearest_scale=arrays["peer_nearest_scale"],
        style_scale=arrays["peer_style_scale"],
        contrast_scale=arrays["peer_contrast_scale"],
        background=background,
        smoothing=float(meta["params"]["smoothing"]),
    )


def _csr(arrays: dict[str, np.ndarray], name: str, rows: int) -> Counts:
    """Rows of counts as saved (CSR arrays); SciPy is not needed to read them."""
    return Counts(arrays[f"{name}_data"], arrays[f"{name}_indices"], arrays[f"{name}_indptr"], (rows, N_FEATURES))


# -- model.json ---------------------------------------------------------------------------------
META_FIELDS = frozenset({
    "brand", "pipeline_mode", "pipelines", "languages", "posts", "posts_per_channel", "posts_per_language",
    "training_hash", "calibration", "format", "voicecheck", "spacy", "scikit_learn", "created", "params",
    "threshold", "style_kinds", "style_features", "profile",
})  # fmt: skip
PARAM_FIELDS = frozenset(
    {"false_flag_rate", "folds", "smoothing", "random_state", "smart_punctuation", "neighbour_style"}
)
STYLE_KINDS_FIELDS = frozenset({"gain", "margin", "nearest_posts"})
CALIBRATION_FIELDS = frozenset({"false_flag_rate", "heldout_posts", "folds", "threshold_score"})
_HASH = re.compile(r"[0-9a-f]{64}")


class _Fields:
    """Checks the values of one JSON file; each failure names the file and the field."""

    def __init__(self, path: Path | str) -> None:
        self.path = path

    def fail(self, name: str, problem: str) -> ModelError:
        """The error of the field `name` (of the file when empty); `problem` is a translated message."""
        return _field_error(self.path, name, problem)

    def table(self, value: Any, name: str, keys: Collection[str] | None = None) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(name, _("must be an object, not {value}").format(value=_shown(value)))
        if keys is not None:
            if missing := sorted(set(keys) - set(value)):
                raise self.fail(name, _("missing {fields}").format(fields=", ".join(missing)))
            if unknown := sorted(set(value) - set(keys)):
                raise self.fail(f"{name}.{unknown[0]}" if name else unknown[0], _("unknown field"))
        return value

    def integer(self, value: Any, name: str, low: int, high: int) -> int:
        if not _is_int(value):
            raise self.fail(name, _("must be a whole number, not {value}").format(value=_shown(value)))
        if not low <= value <= high:
            message = _("must be from {low} to {high}, not {value}")
            raise self.fail(name, message.format(low=_whole(low), high=_whole(high), value=_whole(value)))
        return int(value)

    def boolean(self, value: Any, name: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(name, _("must be true or false, not {value}").format(value=_shown(value)))
        return value

    def number(
        self, value: Any, name: str, low: float = -math.inf, high: float = math.inf, open_: bool = False
    ) -> float:
        """A finite number in [low, high] (in (low, high) when `open_`)."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(name, _("must be a number, not {value}").format(value=_shown(value)))
        number = float(value) if isinstance(value, float) or abs(value) < 2**1000 else math.inf
        if not math.isfinite(number):
            raise self.fail(name, _("must be a finite number, not {value}").format(value=_shown(value)))
        inside = low < number < high if open_ else low <= number <= high
        if not inside:
            bounds = (
                _("must be between {low} and {high}, not {value}")
                if open_
                else _("must be from {low} to {high}, not {value}")
            )
            raise self.fail(name, bounds.format(low=_figure(low), high=_figure(high), value=_figure(number)))
        return number

    def text(self, value: Any, name: str, max_chars: int = 1000, pattern: re.Pattern[str] | None = None) -> str:
        if not isinstance(value, str):
            raise self.fail(name, _("must be a string, not {value}").format(value=_shown(value)))
        if len(value) > max_chars:
            raise self.fail(name, _("longer than {count} characters").format(count=_whole(max_chars)))
        if pattern is not None and not pattern.fullmatch(value):
            raise self.fail(name, _("malformed: {value}").format(value=repr(value[:80])))
        return value

    def counts(self, value: Any, name: str, total: int) -> dict[str, int]:
        """Posts per key: positive whole numbers adding up to `total`."""
        table = self.table(value, name)
        for key, count in table.items():
            self.text(key, _("a key of {field}").format(field=name), max_chars=200)
            self.integer(count, f"{name}.{key}", 1, total)
        if (added := sum(table.values())) != total:
            message = ngettext(
                "adds up to {count} posts, not the model's {total}",
                "adds up to {count} posts, not the model's {total}",
                added,
            )
            raise self.fail(name, message.format(count=_whole(added), total=_whole(total)))
        return table


def _field_error(path: Path | str, name: str, problem: str) -> ModelError:
    """A ModelError naming the file, the field (unless empty) and the problem (a translated message)."""
    if name:
        return ModelError(_("{path}: {field}: {problem}").format(path=path, field=name, problem=problem))
    return ModelError(_("{path}: {problem}").format(path=path, problem=problem))


def _incomplete(path: Path, problem: str) -> ModelError:
    return ModelError(_("{path}: corrupt or incomplete model ({problem})").format(path=path, problem=problem))


def _whole(value: int) -> str:
    """A count or bound as the language writes it, grouped (12,345 / 12 345)."""
    return i18n.number(value, grouping=True)


def _figure(value: float) -> str:
    """`value` as `:g` writes it (0.5, 1e+12), with the language's decimal mark."""
    text = f"{value:g}"
    if i18n.active() == i18n.DEFAULT or not math.isfinite(value):
        return text
    mantissa, mark, exponent = text.partition("e")
    return i18n.number(float(mantissa), decimals=len(mantissa.partition(".")[2])) + mark + exponent


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _shown(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, str):
        return _("the string {text}").format(text=repr(value[:40]))
    if isinstance(value, list | dict):
        return _("a list") if isinstance(value, list) else _("an object")
    return repr(value)[:40]


def _read_json_file(path: Path) -> Any:
    _refuse_special(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_META_BYTES + 1)
    except FileNotFoundError:
        raise ModelError(
            _("{path}: not a voicecheck model (no {file})").format(path=path.parent, file=path.name)
        ) from None
    except OSError as exc:
        raise ModelError(_("{path}: cannot read ({reason})").format(path=path, reason=exc.strerror or exc)) from exc
    if len(raw) > MAX_META_BYTES:
        message = _("{path}: corrupt model metadata (over {size} MiB)")
        raise ModelError(message.format(path=path, size=_whole(MAX_META_BYTES // 2**20)))
    try:
        value = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_repeats)
    except (ValueError, RecursionError) as exc:  # JSON, UTF-8, repeated keys, absurd nesting
        raise ModelError(
            _("{path}: corrupt model metadata ({problem})").format(path=path, problem=str(exc)[:200])
        ) from exc
    where = _lone_surrogate(value)
    if where is not None:  # JSON may escape one ("\ud800"); no text written back out could hold it
        message = _("{path}: {field}: not valid Unicode (a lone surrogate): corrupt model metadata")
        raise ModelError(message.format(path=path, field=where or "(top)"))
    return value


def _lone_surrogate(value: Any, where: str = "") -> str | None:
    """Where in a JSON value a string (or a key) holds a lone surrogate, or None."""
    if isinstance(value, str):
        return None if _encodes(value) else where
    if isinstance(value, dict):
        for key, item in value.items():
            inside = f"{where}.{key}" if where else str(key)
            if not _encodes(key):
                return inside.encode("utf-8", "backslashreplace").decode("ascii")
            found = _lone_surrogate(item, inside)
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _lone_surrogate(item, f"{where}[{index}]")
            if found is not None:
                return found
    return None


def _encodes(text: str) -> bool:
    """Whether UTF-8 can write `text`: a lone surrogate cannot be written."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    table = dict(pairs)
    if len(table) != len(pairs):
        repeated = next(key for key, count in Counter(key for key, _value in pairs).items() if count > 1)
        raise ValueError(_("the key {key} is given twice").format(key=repr(repeated)))
    return table


def _read_meta(path: Path) -> tuple[dict[str, Any], BrandProfile]:
    meta = _read_json_file(path)
    if not isinstance(meta, dict) or "format" not in meta:
        raise ModelError(_("{path}: not a voicecheck model (no format version)").format(path=path))
    if meta["format"] != MODEL_FORMAT or not _is_int(meta["format"]):
        made_by = str(meta.get("voicecheck", "?"))[:20]
        message = _(
            "{path}: model format {format} (voicecheck {made_by}); "
            "this voicecheck {version} reads format {expected}: fit the model again"
        )
        shown = _shown(meta["format"])
        raise ModelError(
            message.format(path=path.parent, format=shown, made_by=made_by, version=__version__, expected=MODEL_FORMAT)
        )
    return meta, _check_meta(meta, path)


def _check_meta(meta: dict[str, Any], path: Path) -> BrandProfile:
    """Check every field of model.json on its own and against the others; returns the brand profile."""
    fields = _Fields(path)
    fields.table({key: value for key, value in meta.items() if key != "peers"}, "", META_FIELDS)
    if "peers" in meta:
        _check_peers(fields, meta["peers"])
    if meta["style_features"] != [f.name for f in STYLE_FEATURES]:
        raise fields.fail("style_features", _("differ from this version's: fit the model again"))
    for name in ("voicecheck", "spacy", "scikit_learn"):
        fields.text(meta[name], name, max_chars=100)
    try:
        datetime.fromisoformat(fields.text(meta["created"], "created", max_chars=100))
    except ValueError:
        raise fields.fail(
            "created", _("not a date and time: {value}").format(value=repr(meta["created"][:40]))
        ) from None
    posts = fields.integer(meta["posts"], "posts", 1, MAX_POSTS)
    _check_params(fields, meta, posts)
    fields.number(meta["threshold"], "threshold")
    languages = meta["languages"]
    if not isinstance(languages, list) or not languages or not set(map(str, languages)) <= set(LANGUAGES):
        raise fields.fail(
            "languages", _("must be a non-empty list of {languages}").format(languages=", ".join(LANGUAGES))
        )
    if languages != sorted(set(languages)):
        raise fields.fail("languages", _("must be sorted, each once"))
    per_language = fields.counts(meta["posts_per_language"], "posts_per_language", posts)
    if sorted(per_language) != languages:
        message = _("must count the posts in {languages}")
        raise fields.fail("posts_per_language", message.format(languages=", ".join(languages)))
    fields.counts(meta["posts_per_channel"], "posts_per_channel", posts)
    fields.text(meta["training_hash"], "training_hash", pattern=_HASH)
    fields.text(meta["pipeline_mode"], "pipeline_mode")
    if meta["pipeline_mode"] not in PIPELINE_MODES:
        raise fields.fail("pipeline_mode", _("must be one of {values}").format(values=", ".join(PIPELINE_MODES)))
    for lang, described in fields.table(meta["pipelines"], "pipelines").items():
        if lang not in LANGUAGES:
            raise fields.fail(f"pipelines.{str(lang)[:20]}", _("not a language voicecheck reads"))
        fields.text(described, f"pipelines.{lang}", max_chars=200)
    profile = _parse_profile(fields, meta["profile"])
    if fields.text(meta["brand"], "brand") != profile.name:
        raise fields.fail("brand", _("differs from the profile's name"))
    return profile


PEER_FIELDS = frozenset({"name", "posts"})
MAX_PEERS = 1000


def _check_peers(fields: _Fields, peers: Any) -> None:
    """model.json's peers: a list of {name, posts}, each name valid and once."""
    from voicecheck.peers import check_name, unique_names

    if not isinstance(peers, list) or not 1 <= len(peers) <= MAX_PEERS:
        raise fields.fail("peers", _("must be a list of 1 to {count} peers").format(count=_whole(MAX_PEERS)))
    for index, peer in enumerate(peers):
        fields.table(peer, f"peers[{index}]", PEER_FIELDS)
        fields.integer(peer["posts"], f"peers[{index}].posts", 1, MAX_POSTS)
        try:
            check_name(fields.text(peer["name"], f"peers[{index}].name", max_chars=200))
        except VoicecheckError as exc:
            raise fields.fail(f"peers[{index}].name", str(exc)) from None
    try:
        unique_names([peer["name"] for peer in peers])
    except VoicecheckError as exc:
        raise fields.fail("peers", str(exc)) from None


def _check_switch(fields: _Fields, value: object, name: str, meta: dict[str, Any]) -> None:
    """A switch `fit` sets from whether the model has peers: a boolean, false with peers and true without."""
    if fields.boolean(value, name) != ("peers" not in meta):
        message = (
            _("must be false for a model with peers")
            if "peers" in meta
            else _("must be true for a model without peers")
        )
        raise fields.fail(name, message)


def _check_params(fields: _Fields, meta: dict[str, Any], posts: int) -> None:
    params = fields.table(meta["params"], "params", PARAM_FIELDS)
    rate = fields.number(params["false_flag_rate"], "params.false_flag_rate", 0.0, 0.5, open_=True)
    folds = fields.integer(params["folds"], "params.folds", 2, min(MAX_FOLDS, max(posts, 2)))
    fields.number(params["smoothing"], "params.smoothing", 0.0, 1e12, open_=True)
    fields.integer(params["random_state"], "params.random_state", 0, 2**32 - 1)
    for switch in ("smart_punctuation", "neighbour_style"):  # as fit sets them: left to the peers' view
        _check_switch(fields, params[switch], f"params.{switch}", meta)
    kinds = fields.table(meta["style_kinds"], "style_kinds", STYLE_KINDS_FIELDS)
    gain = fields.number(kinds["gain"], "style_kinds.gain")
    margin = fields.number(kinds["margin"], "style_kinds.margin", 0.0)
    nearest = fields.boolean(kinds["nearest_posts"], "style_kinds.nearest_posts")
    if nearest != (params["neighbour_style"] and gain > margin):  # as fit sets it
        message = _("does not follow from the gain, the margin and params.neighbour_style")
        raise fields.fail("style_kinds.nearest_posts", message)
    calibration = fields.table(meta["calibration"], "calibration", CALIBRATION_FIELDS)
    if fields.number(calibration["false_flag_rate"], "calibration.false_flag_rate") != rate:
        raise fields.fail("calibration.false_flag_rate", _("differs from params.false_flag_rate"))
    fields.integer(calibration["heldout_posts"], "calibration.heldout_posts", posts, posts)
    fields.integer(calibration["folds"], "calibration.folds", folds, folds)
    fields.number(calibration["threshold_score"], "calibration.threshold_score", 0.0, 100.0)


def _parse_profile(fields: _Fields, value: Any) -> BrandProfile:
    table = fields.table(value, "profile")
    try:
        return parse_profile(table, Path(fields.path))
    except ProfileError as exc:
        raise ModelError(_("{error} (in the model's brand profile)").format(error=exc)) from exc
    except (TypeError, ValueError, AttributeError) as exc:
        raise fields.fail("profile", _("malformed ({error})").format(error=exc)) from exc


# -- posts.jsonl --------------------------------------------------------------------------------
POST_FIELDS = frozenset({"id", "text", "channel", "lang", "date"})


def _read_posts(path: Path, expected: int) -> tuple[list[Post], list[str]]:
    """The training posts, each line checked; at most `expected` (model.json's count) are read."""
    posts: list[Post] = []
    _refuse_special(path)
    try:
        with open(path, encoding="utf-8", newline="\n") as handle:
            while line := handle.readline(MAX_POST_LINE_CHARS + 1):
                number = len(posts) + 1
                if number > expected:
                    message = _("{path}: more posts than the {count} of {file}: corrupt model")
                    raise ModelError(message.format(path=path, count=_whole(expected), file=META_FILE))
                if len(line) > MAX_POST_LINE_CHARS:
                    message = _("{path}:{line}: corrupt training post (over {count} characters)")
                    raise ModelError(message.format(path=path, line=number, count=_whole(MAX_POST_LINE_CHARS)))
                posts.append(_post_of(line, path, number))
    except FileNotFoundError:
        raise _incomplete(path, _("the file is missing")) from None
    except UnicodeDecodeError as exc:
        raise ModelError(
            _("{path}: corrupt training posts (not UTF-8: {reason})").format(path=path, reason=exc.reason)
        ) from exc
    except OSError as exc:
        raise ModelError(_("{path}: cannot read ({reason})").format(path=path, reason=exc.strerror or exc)) from exc
    if len(posts) != expected:
        counted = ngettext("{count} posts, {file} says {expected}", "{count} posts, {file} says {expected}", len(posts))
        raise _incomplete(path, counted.format(count=_whole(len(posts)), file=META_FILE, expected=_whole(expected)))
    return posts, [str(post.lang) for post in posts]


def _post_of(line: str, path: Path, number: int) -> Post:
    fields = _Fields(f"{path}:{number}")  # a string: only an error message reads it
    try:
        record = json.loads(line, object_pairs_hook=_no_repeats)
    except (ValueError, RecursionError) as exc:
        raise ModelError(
            _("{path}: corrupt training post ({problem})").format(path=fields.path, problem=str(exc)[:200])
        ) from exc
    if not isinstance(record, dict):
        message = _("{path}: corrupt training post ({value}, not an object)")
        raise ModelError(message.format(path=fields.path, value=_shown(record)))
    fields.table(record, "", POST_FIELDS)
    text = fields.text(record["text"], "text", max_chars=MAX_POST_LINE_CHARS)
    if not _encodes(text):
        raise fields.fail("text", _("not valid Unicode (a lone surrogate)"))
    if record["lang"] not in LANGUAGES:
        raise fields.fail("lang", _("unknown language {value}").format(value=_shown(record["lang"])))
    optional = {key: None if record[key] is None else fields.text(record[key], key, 200) for key in ("channel", "date")}
    return Post(
        id=fields.text(record["id"], "id", max_chars=4096),
        text=text,
        channel=optional["channel"],
        lang=record["lang"],
        date=optional["date"],
        where=f"{path.name}:{number}",
    )


def _check_posts_match(
    meta: dict[str, Any], posts: list[Post], langs: list[str], folder: Path, peers: dict[str, list[Post]] | None = None
) -> None:
    """The training posts (and the peers') are the ones model.json describes: same hash, channels and languages."""
    meta_path, posts_path = folder / META_FILE, folder / POSTS_FILE
    if training_hash(posts, peers) != meta["training_hash"]:
        message = _(
            "{path}: the training posts differ from those the model was fitted on "
            "(training_hash in {file}): they were edited after fitting; fit the model again"
        )
        raise ModelError(message.format(path=posts_path, file=META_FILE))
    mismatch = _("does not match {file}").format(file=POSTS_FILE)
    if dict(Counter(post.channel or "(none)" for post in posts)) != meta["posts_per_channel"]:
        raise _field_error(meta_path, "posts_per_channel", mismatch)
    if dict(Counter(langs)) != meta["posts_per_language"]:
        raise _field_error(meta_path, "posts_per_language", mismatch)


# -- arrays.npz ---------------------------------------------------------------------------------
def _array_specs(posts: int, peers: Sequence[int] = ()) -> dict[str, tuple[np.dtype[Any], tuple[int | None, ...]]]:
    """Each array's dtype and shape for a model of `posts` posts and `peers` (their posts each).

    None: a length of its own.
    """
    f8, f4, i8, i4 = np.dtype(np.float64), np.dtype(np.float32), np.dtype(np.int64), np.dtype(np.int32)
    langs = len(LANGUAGES)
    specs: dict[str, tuple[np.dtype[Any], tuple[int | None, ...]]] = {
        "style": (f8, (posts, len(STYLE_FEATURES))),
        "tone": (f8, (posts, len(TONE_DIMENSIONS))),
        "heldout_scores": (f8, (posts,)),
        "calibration": (f8, (posts,)),
        "typical_value": (f8, (langs, len(COMPONENTS))),
        "typical_size": (f8, (langs, LEXICAL.stop)),
        "component_mean": (f8, (langs, len(COMPONENTS))),
        "component_std": (f8, (langs, len(COMPONENTS))),
        "nearest_scale": (f8, (langs, 2)),
        "fold_of_row": (i8, (posts,)),
        "background_chars": (f4, (langs, N_FEATURES)),
        "background_words": (f4, (langs, N_FEATURES)),
    }
    for name in ("chars", "words"):
        specs.update(
            {f"{name}_data": (f4, (None,)), f"{name}_indices": (i4, (None,)), f"{name}_indptr": (i8, (posts + 1,))}
        )
    if peers:
        classes, peer_posts = len(peers) + 1, sum(peers)
        specs.update({
            "peer_columns": (i8, (None,)),
            "peer_coef": (f4, (classes, None)),
            "peer_intercept": (f8, (classes,)),
            "peer_scale": (f8, (3,)),
            "peer_of_row": (i8, (peer_posts,)),
            "peer_nearest_scale": (f8, (langs, 2)),
            "peer_style_scale": (f8, (2, len(STYLE_FEATURES))),
            "peer_contrast_scale": (f8, (4, 2)),
        })  # fmt: skip
        for name in ("peer_chars", "peer_words"):
            specs.update({f"{name}_data": (f4, (None,)), f"{name}_indices": (i4, (None,))})
            specs[f"{name}_indptr"] = (i8, (peer_posts + 1,))
    return specs


def _read_arrays(path: Path, posts: int, peers: Sequence[int] = ()) -> dict[str, np.ndarray]:
    """Every array of arrays.npz, each member's size, dtype and shape checked before it is read."""
    specs = _array_specs(posts, peers)
    posts += sum(peers)  # what free lengths are bounded by
    _refuse_special(path)
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise _incomplete(path, _("the file is missing")) from None
    except (OSError, zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise _incomplete(path, _("not a NumPy archive: {error}").format(error=exc)) from exc
    with archive:
        members = archive.infolist()
        names = [info.filename for info in members]
        if sorted(names) != sorted(f"{name}.npy" for name in specs):
            missing = sorted(set(specs) - {name.removesuffix(".npy") for name in names})
            problem = (
                _("missing {fields}").format(fields=", ".join(missing))
                if missing
                else _("unexpected or repeated members")
            )
            raise _incomplete(path, problem)
        arrays = {}
        for info in members:
            name = info.filename.removesuffix(".npy")
            arrays[name] = _read_member(archive, info, _Fields(path), name, *specs[name], posts)
    return arrays


def _read_member(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    fields: _Fields,
    name: str,
    dtype: np.dtype[Any],
    shape: tuple[int | None, ...],
    posts: int,
) -> np.ndarray:
    free_length = posts * MAX_ENTRIES_PER_POST
    limit = NPY_HEADER_BYTES + math.prod(free_length if d is None else d for d in shape) * dtype.itemsize
    if info.file_size > limit:
        message = ngettext(
            "unpacks to {size} bytes, more than a model of {count} posts holds",
            "unpacks to {size} bytes, more than a model of {count} posts holds",
            posts,
        )
        raise fields.fail(name, message.format(size=_whole(info.file_size), count=_whole(posts)))
    try:
        with archive.open(info) as member:
            stored_shape, _fortran, stored_dtype, header_end = _npy_header(member)
        if stored_dtype.str[1:] != dtype.str[1:] or stored_dtype.fields is not None:
            raise fields.fail(name, _("has dtype {stored}, expected {dtype}").format(stored=stored_dtype, dtype=dtype))
        if not _shape_fits(stored_shape, shape, free_length):
            expected = ", ".join("n" if d is None else str(d) for d in shape)
            message = _("has shape {stored}, expected ({expected})")
            raise fields.fail(name, message.format(stored=stored_shape, expected=expected))
        if header_end + math.prod(stored_shape) * dtype.itemsize != info.file_size:
            raise fields.fail(name, _("its size does not match its shape"))
        with archive.open(info) as member:
            array = np.lib.format.read_array(member, allow_pickle=False)
            member.read(1)  # to its end, where the CRC is checked
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError, zlib.error) as exc:
        raise fields.fail(name, _("unreadable ({error})").format(error=str(exc)[:200])) from exc
    return np.asarray(array)


def _shape_fits(shape: tuple[int, ...], spec: tuple[int | None, ...], free_length: int) -> bool:
    if len(shape) != len(spec):
        return False
    return all(got == want if want is not None else got <= free_length for got, want in zip(shape, spec, strict=True))


def _npy_header(member: IO[bytes]) -> tuple[tuple[int, ...], bool, np.dtype[Any], int]:
    """An .npy member's shape, order and dtype, and where its data starts: read before its data."""
    major, minor = np.lib.format.read_magic(member)
    if (major, minor) == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(member)
    elif (major, minor) == (2, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(member)
    else:
        message = _(".npy format version {version} is not one NumPy writes for these arrays")
        raise ValueError(message.format(version=f"{major}.{minor}"))
    return shape, fortran, dtype, member.tell()


class _ArrayFields:
    """Checks the values of the arrays of arrays.npz; each failure names the file and the array."""

    def __init__(self, path: Path, arrays: dict[str, np.ndarray]) -> None:
        self.path, self.arrays = path, arrays

    def fail(self, name: str, problem: str) -> ModelError:
        return _field_error(self.path, name, problem)

    def require(self, name: str, holds: Callable[[np.ndarray], Any], problem: str) -> np.ndarray:
        array = self.arrays[name]
        if not bool(holds(array)):
            raise self.fail(name, problem)
        return array

    def finite(self, name: str, low: float = -math.inf, high: float = math.inf) -> np.ndarray:
        self.require(name, lambda a: np.all(np.isfinite(a)), _("holds values that are not finite numbers"))
        return self.require(name, lambda a: a.size == 0 or (a.min() >= low and a.max() <= high), _range(low, high))


def _range(low: float, high: float) -> str:
    return _("holds values outside {low}–{high}").format(low=_figure(low), high=_figure(high))


# Loading checks every model a cold check reads, so they avoid `np.unique` and `np.quantile`,
# which import `numpy.ma` on first use: a fiftieth of a second of each cold check.


def _each_of(values: np.ndarray, count: int) -> bool:
    """Whether whole numbers `values` are 0 to `count` - 1, each at least once."""
    if values.size == 0 or values.min() != 0 or values.max() != count - 1:
        return values.size == 0 and count == 0
    return bool(np.all(np.bincount(values, minlength=count) > 0))


def _sorted_quantile(values: np.ndarray, q: float) -> float:
    """`np.quantile(values, q)` of sorted `values`: linear between the two nearest ranks."""
    position = q * (len(values) - 1)
    low = min(math.floor(position), len(values) - 1)
    high = min(low + 1, len(values) - 1)
    return float(values[low] + (values[high] - values[low]) * (position - low))


def _check_arrays(arrays: _ArrayFields, meta: dict[str, Any], meta_path: Path) -> None:
    """Every array's values in range, and the calibration consistent with model.json."""
    _check_style(arrays)
    arrays.finite("tone", 0.0, 100.0)
    arrays.finite("heldout_scores", 0.0, 100.0)
    calibration = arrays.finite("calibration")
    arrays.require("calibration", lambda a: np.all(np.diff(a) >= 0), _("is not sorted"))
    ranks = 100.0 * np.searchsorted(calibration, calibration, side="right") / len(calibration)
    arrays.require("heldout_scores", lambda a: np.array_equal(np.sort(a), ranks), _("do not match the calibration"))
    for name in ("typical_value", "component_mean"):
        arrays.finite(name)
    arrays.finite("typical_size", 1.0)
    arrays.finite("component_std", 1e-6)
    _check_nearest_scale(arrays, "nearest_scale")
    params = meta["params"]
    arrays.require("fold_of_row", lambda a: _each_of(a, params["folds"]),
                   _("must hold each fold from 0 to {last}").format(last=params["folds"] - 1))  # fmt: skip
    for name in ("background_chars", "background_words"):
        arrays.finite(name, 1e-30, 1.0)
        arrays.require(name, lambda a: np.all(np.abs(a.sum(axis=1, dtype=np.float64) - 1) < 0.1),
                       _("rows are not probabilities (they must add up to 1)"))  # fmt: skip
    for name in ("chars", "words"):
        _check_sparse(arrays, name)
    rate = params["false_flag_rate"]
    if not math.isclose(meta["threshold"], _sorted_quantile(calibration, rate), rel_tol=1e-9, abs_tol=1e-9):
        raise _field_error(
            meta_path, "threshold", _("does not match the calibration in {file}").format(file=ARRAYS_FILE)
        )
    threshold_score = _sorted_quantile(ranks, rate)  # the held-out scores, sorted (checked above)
    if abs(meta["calibration"]["threshold_score"] - threshold_score) > 0.05 + 1e-9:
        raise _field_error(meta_path, "calibration.threshold_score", _("does not match the held-out scores"))


def _check_nearest_scale(arrays: _ArrayFields, name: str) -> None:
    """A median and spread of cosine similarities per language, the spread at least its floor."""
    arrays.finite(name, 0.0, 1.0)
    arrays.require(name, lambda a: np.all(a[:, 1] >= NEAREST_SPREAD_FLOOR),
                   _("holds a spread below {floor}").format(floor=_figure(NEAREST_SPREAD_FLOOR)))  # fmt: skip


def _check_style(arrays: _ArrayFields) -> None:
    """Style features: counts, rates, flags and shares, not negative.

    NaN only where no tagger ran, or for a share of marks the post has none of.
    """
    may_be_nan = np.array([f.name in TAGGER_FEATURES or f.unit == "share" for f in STYLE_FEATURES])
    arrays.require("style", lambda a: np.all(np.isfinite(a) | (np.isnan(a) & may_be_nan)),
                   _("holds values that are not finite numbers"))  # fmt: skip
    arrays.require("style", lambda a: np.all(np.nan_to_num(a) >= 0), _("holds negative values"))
    counts = [INDEX[f.name] for f in STYLE_FEATURES if f.unit == "count"]
    flags = [INDEX[f.name] for f in STYLE_FEATURES if f.unit == "flag"]
    not_whole = _("holds counts that are not whole")
    arrays.require("style", lambda a: np.all(a[:, counts] == np.floor(a[:, counts])), not_whole)
    arrays.require("style", lambda a: np.all(np.isin(a[:, flags], (0.0, 1.0))), _("holds flags other than 0 and 1"))
    shares = [INDEX[f.name] for f in STYLE_FEATURES if f.unit == "share"]
    arrays.require("style", lambda a: np.all(np.nan_to_num(a[:, shares]) <= 1), _("holds shares above 1"))
    # no count or mean of a post exceeds the characters a training post may have
    arrays.require(
        "style", lambda a: np.all(np.nan_to_num(a) <= MAX_POST_LINE_CHARS), _("holds values too large for a post")
    )


def _check_peer_arrays(arrays: _ArrayFields, counts: Sequence[int]) -> None:
    """The peer view's coefficients, scale and peers' posts: in range, and as model.json counts them."""
    columns = arrays.finite("peer_columns", 0, 2 * N_FEATURES + len(STYLE_FEATURES) - 1)
    arrays.require("peer_columns", lambda a: np.all(np.diff(a) > 0), _("is not sorted, each column once"))
    arrays.finite("peer_coef", -1e6, 1e6)
    arrays.require("peer_coef", lambda a: a.shape[1] == len(columns), _("has a column count other than peer_columns'"))
    arrays.finite("peer_intercept", -1e6, 1e6)
    arrays.finite("peer_scale", -1e6, 1e6)
    _check_nearest_scale(arrays, "peer_nearest_scale")
    arrays.finite("peer_style_scale", -1e6, 1e6)
    arrays.require("peer_style_scale", lambda a: np.all(a[1] > 0), _("has a style spread that is not positive"))
    arrays.require("peer_scale", lambda a: a[1] >= 1e-6 and a[2] > 0, _("has a spread or weight that is not positive"))
    arrays.require("peer_of_row", lambda a: len(a) == 0 or (a.min() >= 0 and a.max() < len(counts)),
                   _("names peers model.json does not list"))  # fmt: skip
    arrays.require("peer_of_row", lambda a: np.array_equal(np.bincount(a, minlength=len(counts)), counts),
                   _("does not count each peer's posts as model.json does"))  # fmt: skip
    arrays.finite("peer_contrast_scale", -1e6, 1e6)
    arrays.require("peer_contrast_scale", lambda a: np.all(a[1] >= 1) and np.all(a[3] > 0),
                   _("has a post size below 1 or a spread that is not positive"))  # fmt: skip
    _check_sparse(arrays, "peer_chars")
    _check_sparse(arrays, "peer_words")


def _check_sparse(arrays: _ArrayFields, name: str) -> None:
    """A CSR matrix of feature counts: whole positive counts, columns in range, rows in order."""
    data = arrays.finite(f"{name}_data", 1.0)
    arrays.require(f"{name}_data", lambda a: np.all(a == np.floor(a)), _("holds counts that are not whole"))
    indices = arrays.finite(f"{name}_indices", 0, N_FEATURES - 1)
    arrays.require(
        f"{name}_indices",
        lambda a: len(a) == len(data),
        _("has a length other than {other}'s").format(other=f"{name}_data"),
    )
    arrays.require(f"{name}_indptr", lambda a: a[0] == 0 and a[-1] == len(indices) and np.all(np.diff(a) >= 0),
                   _("is not a row index into {other}").format(other=f"{name}_data"))  # fmt: skip
