"""Until its demo data is made, the local runtime says it is still starting rather than serve pages without it."""

import pytest
from werkzeug.test import Client

from safeplace_local.runtime import LocalRuntime
from safeplace_local.starting import STARTING_HEADER
from tests.support.project import ROOT


@pytest.fixture
def starting() -> LocalRuntime:
    return LocalRuntime(ROOT / "template.yaml", port=0, demo=True)


def test_a_page_asked_for_while_starting_says_so_and_reloads_itself(starting):
    response = Client(starting.wsgi_app).get("/staff/employers")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    page = response.get_data(as_text=True)
    assert "Safeplace is still starting" in page
    assert '<meta http-equiv="refresh"' in page


def test_the_api_while_starting_answers_in_json_not_with_a_sign_in_error(starting):
    response = Client(starting.wsgi_app).get("/api/employers")
    assert response.status_code == 503
    assert response.json == {
        "message": "Safeplace is still starting: it is making its demo data. Try again in a few seconds."
    }


def test_a_key_that_is_not_the_runtimes_own_gets_the_same_answer(starting):
    response = Client(starting.wsgi_app).get("/api/employers", headers={STARTING_HEADER: "guess"})
    assert response.status_code == 503
