"""Every input the fuzz targets found (tests/fixtures/fuzz/READER__HASH.EXT) is read as promised."""

from __future__ import annotations

from pathlib import Path

import pytest

from fuzz.readers import CORPUS, check_reader

FOUND = sorted(path for path in CORPUS.iterdir() if "__" in path.name)


def test_the_corpus_has_cases() -> None:
    assert FOUND, f"no fuzz cases in {CORPUS}"


@pytest.mark.parametrize("case", FOUND, ids=[path.name for path in FOUND])
def test_a_found_case_reads_as_posts_skips_or_one_clear_error(case: Path, tmp_path: Path) -> None:
    check_reader(case.name.split("__")[0], case.read_bytes(), tmp_path)
