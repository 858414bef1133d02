import pytest

from tests.support.handlers import FakeLambdaContext, header, load_handler
from tests.support.project import load_event

static_assets = load_handler("static_assets")


def call(name: str) -> dict:
    event = load_event("static_assets_stylesheet.json")
    event["pathParameters"] = {"proxy": name}
    return static_assets.lambda_handler(event, FakeLambdaContext())


def test_the_stylesheet_is_served_with_its_type_and_a_cache_lifetime():
    response = call("app.css")
    assert response["statusCode"] == 200
    assert header(response, "Content-Type") == "text/css; charset=utf-8"
    assert "max-age" in header(response, "Cache-Control")
    assert ".govuk-button" in response["body"]
    assert "GDS Transport" not in response["body"]  # that font is for GOV.UK services only


def test_the_module_that_starts_the_components_is_served():
    response = call("init.js")
    assert response["statusCode"] == 200
    assert "initAll" in response["body"]


@pytest.mark.parametrize("name", ["../settings.py", "..%2Fsettings.py", ".hidden.css", "nope.css", "init.py", ""])
def test_anything_else_is_not_found(name):
    assert call(name)["statusCode"] == 404
