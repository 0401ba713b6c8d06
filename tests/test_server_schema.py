"""The service against its own OpenAPI description: Schemathesis makes requests from it.

Requests the description allows must be accepted, those it forbids refused with a 4xx, and
every answer must match the description (status, content type, body). Run in process,
through the ASGI app, with a modest number of examples per endpoint.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings

from voicecheck.server import create_app
from voicecheck.store import load

from .conftest import SAMPLE_MODEL

TOKEN = "s3cret"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(load(SAMPLE_MODEL), TOKEN), headers=AUTH)


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_service_does_what_its_description_says(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=AUTH)
