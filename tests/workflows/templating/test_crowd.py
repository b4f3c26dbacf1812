"""Templates written for A2I load the portal's Crowd HTML Elements instead of A2I's CDN."""

from __future__ import annotations

from workflows.templating.crowd import with_portal_elements

OURS = '<script src="/static/crowd/crowd-html-elements.js"></script>'


def test_the_cdn_script_is_replaced_by_the_portals():
    html = '<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>\n<crowd-form>'

    assert with_portal_elements(html, "/static/crowd/crowd-html-elements.js") == (
        f"{OURS}\n<crowd-form>"
    )


def test_every_spelling_of_the_cdn_script_is_recognised():
    for tag in [
        "<SCRIPT src='https://assets.crowd.aws/crowd-html-elements.js'></SCRIPT>",
        '<script type="text/javascript" src="//assets.crowd.aws/crowd-html-elements.js" ></script >',
        '<script src="https://assets.crowd.aws/crowd-html-elements-v2.js"></script>',
    ]:
        assert with_portal_elements(f"{tag}<crowd-form>", "/e.js") == (
            '<script src="/e.js"></script><crowd-form>'
        )


def test_a_second_copy_of_the_cdn_script_is_dropped():
    cdn = '<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>'

    assert with_portal_elements(f"{cdn}<p>x</p>{cdn}<crowd-form>", "/e.js") == (
        '<script src="/e.js"></script><p>x</p><crowd-form>'
    )


def test_a_template_using_elements_without_the_script_gets_it():
    assert with_portal_elements("<crowd-form></crowd-form>", "/e.js") == (
        '<script src="/e.js"></script>\n<crowd-form></crowd-form>'
    )


def test_plain_html_is_left_alone():
    assert with_portal_elements("<p>Tom &amp; Jerry</p>", "/e.js") == "<p>Tom &amp; Jerry</p>"


def test_other_scripts_are_left_alone():
    html = '<script src="https://example.com/other.js"></script><crowd-form>'

    assert with_portal_elements(html, "/e.js").startswith('<script src="/e.js"></script>\n')
