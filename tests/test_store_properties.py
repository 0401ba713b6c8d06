"""Generated tampering: whatever value replaces a field of model.json or a training post,
`load` returns a model or raises ModelError, never another exception; and a value of
another kind than the field's (a string for a number, a list for an object, ...) is refused.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voicecheck.errors import ModelError
from voicecheck.store import META_FILE, POSTS_FILE, SavedModel, load, model_folder, save

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from([0, -1, 1, 5, 1.5, 10**9, 2**63, 10**400, 1e308, -0.0, "5", "NaN", "", "en"])
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory, fitted: SavedModel) -> Path:
    directory = tmp_path_factory.mktemp("generated") / "model"
    save(fitted, directory)
    return directory


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every field and item of a JSON value, as the keys leading to it."""
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        yield (*prefix, key)
        yield from paths(child, (*prefix, key))


def kind(value: Any) -> str:
    """The JSON kind of a value; whole and decimal numbers are one kind."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    return "number" if isinstance(value, int | float) else type(value).__name__


def at(value: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        value = value[key]
    return value


def replaced(meta: dict[str, Any], path: tuple[Any, ...], value: Any) -> tuple[dict[str, Any], Any]:
    """A deep copy of `meta` with the field at `path` set to `value`; and the value it had."""
    copy = json.loads(json.dumps(meta))
    parent = at(copy, path[:-1])
    original = parent[path[-1]]
    parent[path[-1]] = value
    return copy, original


def loads_or_refuses(directory: Path, name: str, content: str) -> bool:
    """Write `content` as the file `name` of the model, load, put the file back: whether it loaded."""
    path = model_folder(directory) / name
    before = path.read_bytes()
    path.write_text(content, encoding="utf-8")
    try:
        load(directory)
        return True
    except ModelError:
        return False
    finally:
        path.write_bytes(before)


@pytest.fixture(scope="module")
def meta(model: Path) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((model_folder(model) / META_FILE).read_text(encoding="utf-8"))
    return result


@SETTINGS
@given(data=st.data(), value=VALUES)
def test_any_value_anywhere_in_model_json_loads_or_is_refused(
    model: Path, meta: dict[str, Any], data: st.DataObject, value: Any
) -> None:
    path = data.draw(st.sampled_from(sorted(paths(meta), key=repr)))
    tampered, original = replaced(meta, path, value)
    loaded = loads_or_refuses(model, META_FILE, json.dumps(tampered))  # any other exception fails the test
    if kind(value) != kind(original):
        assert not loaded, f"{'.'.join(map(str, path))} = {value!r} (was {original!r}) was loaded"


#: Objects whose keys are free: the brand profile's are optional, the pipelines are a description.
FREE_KEYS = ("profile", "pipelines")


@SETTINGS
@given(data=st.data())
def test_a_field_of_model_json_removed_or_added_is_refused(
    model: Path, meta: dict[str, Any], data: st.DataObject
) -> None:
    objects = [p for p in paths(meta) if isinstance(at(meta, p), dict) and p[0] not in FREE_KEYS] + [()]
    path = data.draw(st.sampled_from(sorted(objects, key=repr)))
    tampered = json.loads(json.dumps(meta))
    target = at(tampered, path)
    if target and data.draw(st.booleans(), label="remove"):
        del target[data.draw(st.sampled_from(sorted(target)))]
    else:
        target[data.draw(st.text(min_size=1, max_size=8).filter(lambda k: k not in target))] = data.draw(VALUES)
    assert not loads_or_refuses(model, META_FILE, json.dumps(tampered))


@SETTINGS
@given(data=st.data(), value=VALUES)
def test_any_value_in_a_training_post_is_refused(model: Path, data: st.DataObject, value: Any) -> None:
    lines = (model_folder(model) / POSTS_FILE).read_text(encoding="utf-8").splitlines(keepends=True)
    number = data.draw(st.integers(0, len(lines) - 1))
    record = json.loads(lines[number])
    field = data.draw(st.sampled_from(sorted(record)))
    if (value == record[field] and kind(value) == kind(record[field])) or (
        field == "date" and kind(value) in ("str", "None")
    ):
        return  # the same post; or another date, which nothing else records
    record[field] = value
    lines[number] = json.dumps(record) + "\n"
    assert not loads_or_refuses(model, POSTS_FILE, "".join(lines))


@SETTINGS
@given(text=st.text(max_size=200))
def test_any_line_in_posts_jsonl_is_refused(model: Path, text: str) -> None:
    lines = (model_folder(model) / POSTS_FILE).read_text(encoding="utf-8").splitlines(keepends=True)
    if text.strip() == lines[0].strip():
        return
    assert not loads_or_refuses(model, POSTS_FILE, "".join([text.replace("\n", " ") + "\n", *lines[1:]]))


def test_the_untampered_model_loads(model: Path) -> None:
    load(model)
