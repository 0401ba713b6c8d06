"""The service against its own OpenAPI description: Schemathesis makes requests from it.

Requests the description allows must be accepted, those it forbids refused with a 4xx, and
every answer must match the description (status, content type, body). Run in process,
through the ASGI app, with a modest number of examples per endpoint. An uploaded file is
the one exception to "allowed means accepted": whether its bytes hold posts is for the
readers to say (a 422 that names the file), which no schema of a binary body can describe.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import positive_data_acceptance

from voicecheck.server import create_app
from voicecheck.store import load

from .conftest import SAMPLE_MODEL

TOKEN = "s3cret"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(load(SAMPLE_MODEL), TOKEN), headers=AUTH)


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_service_does_what_its_description_says(case: schemathesis.Case) -> None:
    excluded = [positive_data_acceptance] if case.path == "/v1/check-file" else []
    # Headers made to break the description (the Authorization header left out among them) are
    # sent as made: adding the token back would turn such a case into a request it allows.
    broken_headers = case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER)
    case.call_and_validate(headers=None if broken_headers else AUTH, excluded_checks=excluded)
