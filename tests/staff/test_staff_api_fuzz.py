"""Fuzz the staff API from its own OpenAPI document (schemathesis): no input makes it fail
with a server error, whoever asks."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from bot.staff.api.app import create_api_app

pytestmark = pytest.mark.filterwarnings("ignore")


@pytest.fixture
def api_schema(staff_engine):
    return schemathesis.openapi.from_asgi("/openapi.json", create_api_app(staff_engine))


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck),
          derandomize=True)
def test_no_server_errors(case, accounts):
    for role in ("admin", "viewer"):
        response = case.call(headers={"Authorization": f"Bearer {accounts[role].token}"})
        assert response.status_code < 500, (role, case.method, case.path, response.text[:500])
    unauthenticated = case.call(headers={"Authorization": "Bearer nope"})
    # Without a valid token nothing succeeds (401, or another 4xx for a request that is
    # wrong before its token is even read).
    assert 400 <= unauthenticated.status_code < 500, unauthenticated.text[:200]
