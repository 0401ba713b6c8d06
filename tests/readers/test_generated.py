"""Generated files for every reader: posts, counted skips or an InputError, never another exception.

The strategies are the fuzz targets' (`python -m fuzz.readers`), run here with few examples.
"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz.readers import STRATEGIES, check_reader
from voicecheck.readers import FORMATS
from voicecheck.readers.guard import _LoneSurrogate, _SurrogateWatch

FEW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.parametrize("reader", sorted(FORMATS))
def test_generated_files_read_as_posts_skips_or_one_clear_error(reader: str) -> None:
    @settings(FEW, max_examples=8 if reader == "html" else 25)
    @given(STRATEGIES[reader])
    def read(data: bytes) -> None:
        with tempfile.TemporaryDirectory() as folder:
            check_reader(reader, data, Path(folder))

    read()


@pytest.mark.parametrize("reader", sorted(FORMATS))
@settings(FEW, max_examples=15)
@given(data=st.binary(max_size=3000))
def test_any_bytes_read_as_posts_skips_or_one_clear_error(reader: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        check_reader(reader, data, Path(folder))


_ESCAPES = st.lists(st.sampled_from(["\\ud83d", "\\ude00", "x", "\\\\", "\\u0041", "\\uDBFF", "\\uDC00", "y" * 20]))


@settings(max_examples=300, deadline=None)
@given(pieces=_ESCAPES, chunk=st.integers(1, 70))
def test_lone_surrogate_escapes_are_seen_however_the_stream_is_cut(pieces: list[str], chunk: int) -> None:
    document = ('"' + "".join(pieces) + '"').encode()
    lone = any(0xD800 <= ord(c) <= 0xDFFF for c in json.loads(document))
    watch = _SurrogateWatch(io.BytesIO(document))
    try:
        while watch.read(chunk):
            pass
        seen = False
    except _LoneSurrogate:
        seen = True
    assert seen == lone or (seen and "\\\\" in "".join(pieces))  # an escaped backslash may look like one
