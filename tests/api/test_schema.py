import re

import pytest
import yaml
from django.urls import get_resolver
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def test_the_schema_is_valid_openapi_3(schema):
    validate_schema(schema)  # raises on an invalid document

    assert schema["openapi"].startswith("3.")


def test_the_schema_lists_every_api_path(schema):
    routes = set()
    for pattern in get_resolver().url_patterns:
        if str(pattern.pattern) != "api/v1/":
            continue
        for sub in pattern.url_patterns:
            routes.add("/api/v1/" + re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", str(sub.pattern)))
    routes = {r.removesuffix("$").replace("^", "") for r in routes}

    assert routes == set(schema["paths"])
    assert "/api/v1/human-loops/{name}/output/" in routes


def test_every_field_and_parameter_is_documented(schema):
    undocumented = [
        f"{component}.{name}"
        for component, body in schema["components"]["schemas"].items()
        for name, field in body.get("properties", {}).items()
        if not field.get("description")
    ]
    undocumented += [
        f"{path} {method} ?{parameter['name']}"
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query" and not parameter.get("description")
    ]

    assert undocumented == []


def test_the_schema_endpoint_serves_yaml_and_json():
    as_yaml = APIClient().get("/api/v1/schema/")
    as_json = APIClient().get("/api/v1/schema/", {"format": "json"})

    assert as_yaml.status_code == as_json.status_code == 200
    assert yaml.safe_load(as_yaml.content)["info"]["title"] == "A2I portal API"
    assert as_json.json()["openapi"].startswith("3.")


def test_the_docs_page_loads_nothing_from_outside_the_site():
    response = APIClient().get("/api/v1/docs/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "swagger-ui" in html
    outside = [
        url
        for url in re.findall(r"""https?://[^\s"'<>)]+""", html)
        if not url.startswith("http://testserver/")
    ]
    assert outside == []
    assert '"validatorUrl": null' in html  # no schema sent to validator.swagger.io
    assert re.search(r"/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle\.js", html)
