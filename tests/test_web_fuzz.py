"""Schemathesis over the workbench's OpenAPI schema: no input makes the server fail (no 5xx).

Every operation of the schema gets a bounded number of generated requests (derandomised,
so CI gives the same verdict every run); each answer must not be a server error. Bad input
must come back as HTTP 4xx with one line, which tests/test_web_api.py checks in detail.
The particle routes run on a second app whose limits keep every accepted run tiny (a valid
request on the default limits runs a simulation for seconds).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from osmolab.web.app import create_app
from osmolab.web.security import Settings

#: Generated requests per operation
EXAMPLES_PER_OPERATION = 12


# the schema is read when the tests are collected, so the app (and its throw-away project
# database) is made at import; the fixture below removes the folder afterwards
_FOLDER = tempfile.TemporaryDirectory(prefix="osmolab-fuzz-")
_APP = create_app(Settings(database_url=f"sqlite:///{Path(_FOLDER.name) / 'projects.sqlite'}"))
schema = schemathesis.openapi.from_asgi("/openapi.json", _APP).exclude(
    path_regex=r"^/api/particles/")


@pytest.fixture(scope="module", autouse=True)
def _remove_the_database():
    yield
    _FOLDER.cleanup()


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck), database=None)
def test_no_server_error(case):
    case.call_and_validate(checks=[not_a_server_error])


# the particle routes on a server whose limits keep every accepted run tiny
_SMALL = create_app(Settings(database_url=f"sqlite:///{Path(_FOLDER.name) / 'small.sqlite'}",
                             max_particles=300, max_particle_duration=3.0))
particle_schema = schemathesis.openapi.from_asgi("/openapi.json", _SMALL).include(
    path_regex=r"^/api/particles/")


@particle_schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck), database=None)
def test_particles_no_server_error(case):
    case.call_and_validate(checks=[not_a_server_error])
