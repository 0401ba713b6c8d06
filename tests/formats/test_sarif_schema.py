"""`check --format sarif` is valid SARIF 2.1.0 by the official schema.

The schema comes from the npm registry (the package Microsoft publishes for SARIF matchers),
or from the path in $VOICECHECK_SARIF_SCHEMA.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from ..conftest import SAMPLE_MODEL, SAMPLES, run_cli

SCHEMA_PACKAGE = "@microsoft/jest-sarif@1.0.0-beta.0"
SCHEMA_MEMBER = "package/lib/schemas/sarif-2.1.0-rtm.5.json"


@pytest.fixture(scope="module")
def sarif_schema(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    given = os.environ.get("VOICECHECK_SARIF_SCHEMA")
    if given:
        return json.loads(Path(given).read_text(encoding="utf-8"))
    if shutil.which("npm") is None:
        pytest.skip("npm is needed to fetch the SARIF schema (or set VOICECHECK_SARIF_SCHEMA)")
    folder = tmp_path_factory.mktemp("sarif")
    packed = subprocess.run(["npm", "pack", SCHEMA_PACKAGE, "--silent"], cwd=folder, capture_output=True, text=True,
                            timeout=300)  # fmt: skip
    if packed.returncode != 0:
        pytest.skip(f"could not fetch the SARIF schema: {packed.stderr.strip()[-200:]}")
    with tarfile.open(folder / packed.stdout.strip().splitlines()[-1]) as archive:
        member = archive.extractfile(SCHEMA_MEMBER)
        assert member is not None
        return json.loads(member.read())


def test_sarif_output_validates_against_the_schema(sarif_schema: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "voice.sarif"
    result = run_cli("check", "--model", SAMPLE_MODEL, "--format", "sarif", "-o", out, SAMPLES / "new_posts.csv")
    assert result.returncode == 1, result.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(sarif_schema)(sarif_schema)
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == []
    assert len(document["runs"][0]["results"]) == 10
