"""How values print: A2I's escaping, its filters, and the quirks real templates depend on."""

from __future__ import annotations

import json
import re

import pytest

from workflows.templating.engine import render

PEACH = "Have you read 'James & the Giant Peach'?"
ESCAPED_PEACH = "Have you read &#39;James &amp; the Giant Peach&#39;?"


def rendered(source: str, **task_input: object) -> str:
    return render(source, task_input=task_input)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (f'{{{{ "{PEACH}" }}}}', ESCAPED_PEACH),
        (f'{{{{ "{PEACH}" | escape }}}}', ESCAPED_PEACH),
        ("{{ \"Have you read 'James &amp; the Giant Peach'?\" | escape_once }}", ESCAPED_PEACH),
        (f'{{{{ "{PEACH}" | skip_autoescape }}}}', PEACH),
    ],
    ids=["autoescape", "escape", "escape_once", "skip_autoescape"],
)
def test_the_reference_escaping_vectors_render_exactly(source, expected):
    assert rendered(source) == expected


def test_double_quotes_escape_as_ruby_liquid_does():
    assert rendered("{{ task.input.q }}", q='say "hi"') == "say &quot;hi&quot;"


def test_escape_once_keeps_numeric_and_hex_entities():
    assert rendered("{{ task.input.t | escape_once }}", t="&#39; &#x27; &lt; & <") == (
        "&#39; &#x27; &lt; &amp; &lt;"
    )


def test_escaping_explicitly_does_not_escape_twice():
    assert rendered("{{ task.input.t | escape }}", t="a&b") == "a&amp;b"


def test_an_object_prints_as_json_then_escaped():
    assert rendered("{{ task.input.box }}", box={"label": "cat", "left": 3}) == (
        "{&quot;label&quot;: &quot;cat&quot;, &quot;left&quot;: 3}"
    )


def test_an_array_prints_as_json_not_as_a_concatenation():
    assert (
        rendered("{{ task.input.labels }}", labels=["a", "b"]) == "[&quot;a&quot;, &quot;b&quot;]"
    )


def test_to_json_in_an_attribute_decodes_to_the_json():
    html = rendered('<c categories="{{ task.input.labels | to_json }}">', labels=["x", 'y"z'])

    attribute = re.search(r'categories="([^"]*)"', html).group(1)
    decoded = attribute.replace("&quot;", '"').replace("&amp;", "&")
    assert json.loads(decoded) == ["x", 'y"z']


def test_to_json_then_escape_escapes_exactly_once():
    assert rendered("{{ task.input.labels | to_json | escape }}", labels=["a&b"]) == (
        "[&quot;a\\u0026b&quot;]"
    )


def test_to_json_inside_a_script_is_plain_json():
    html = rendered("<script>var input = {{ task.input | to_json }};</script>", n=8, c=[59, 76])

    assert html == '<script>var input = {"n": 8, "c": [59, 76]};</script>'


def test_a_task_input_cannot_end_a_script_even_with_skip_autoescape():
    hostile = "</script><script>alert(1)</script><!--"

    html = rendered(
        "<script>var t = {{ task.input.t | to_json | skip_autoescape }};</script>", t=hostile
    )

    assert html.count("</script>") == 1
    assert "<!--" not in html
    assert json.loads(html.removeprefix("<script>var t = ").removesuffix(";</script>")) == hostile


def test_a_string_inside_a_script_is_still_html_escaped():
    assert rendered("<script>var s = '{{ task.input.s }}';</script>", s="it's") == (
        "<script>var s = 'it&#39;s';</script>"
    )


def test_markup_in_the_input_renders_as_text():
    html = rendered(
        '<p>{{ task.input.a }}</p><img alt="{{ task.input.b }}">',
        a="<script>alert(1)</script>",
        b='"><img src=x onerror=alert(1)>',
    )

    assert "<script>" not in html
    assert "<img src=x" not in html
    assert html == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
        '<img alt="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">'
    )


def test_paths_may_contain_hyphens_and_quoted_keys():
    source = "{{ task.input.line.my-job-metadata }}|{{ task.input['source-ref'] }}"

    assert rendered(source, line={"my-job-metadata": "m"}, **{"source-ref": "s3://b/k"}) == (
        "m|s3://b/k"
    )


def test_an_undefined_variable_prints_nothing_and_to_json_prints_null():
    assert rendered("[{{ task.input.missing }}]{{ task.input.missing | to_json }}") == "[]null"


def test_a_capture_is_not_escaped_twice_when_printed():
    source = "{% capture c %}<b>{{ task.input.t }}</b>{% endcapture %}{{ c }}"

    assert rendered(source, t="a&b") == "<b>a&amp;b</b>"


def test_echo_and_cycle_escape_like_output():
    source = "{% for x in task.input.xs %}{% cycle '<a>', 'b' %}{% endfor %}{% echo task.input.t %}"

    assert rendered(source, xs=[1, 2], t="<i>") == "&lt;a&gt;b&lt;i&gt;"


def test_standard_liquid_tags_and_filters_work():
    source = (
        "{% assign n = task.input.items | size %}{% if n > 1 %}many{% else %}few{% endif %}:"
        "{% for item in task.input.items %}{{ item | upcase }}{% unless forloop.last %},"
        "{% endunless %}{% endfor %}:{% case task.input.kind %}{% when 'a' %}A{% endcase %}"
    )

    assert rendered(source, items=["x", "y"], kind="a") == "many:X,Y:A"


def test_booleans_print_as_liquid_spells_them():
    assert rendered("{{ task.input.yes }} {{ task.input.no }}", yes=True, no=False) == "true false"
