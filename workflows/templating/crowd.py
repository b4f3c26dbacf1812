"""The portal's Crowd HTML Elements in place of A2I's CDN script.

Templates written for A2I load `https://assets.crowd.aws/crowd-html-elements.js`. Every rendering
the portal shows (the work page, previews, RenderUiTemplate) loads the portal's own library from
its static files instead, so those templates work unchanged and offline.
"""

from __future__ import annotations

import re
from dataclasses import replace
from html import escape

from django.templatetags.static import static

from workflows.templating.engine import Rendering

ELEMENTS_STATIC_PATH = "crowd/crowd-html-elements.js"
CDN_SCRIPT = re.compile(
    r"""<script\b[^>]*?\bsrc\s*=\s*["']?(?:https?:)?//assets\.crowd\.aws/"""
    r"""crowd-html-elements(?:-v\d+)?\.js["']?[^>]*>\s*</script\s*>""",
    re.IGNORECASE,
)
CROWD_TAG = re.compile(r"<crowd-[a-z]", re.IGNORECASE)

# The policy of every frame a rendered template is shown in (the work page, previews): the template's inline scripts and styles run, but only scripts of
# the portal load, nothing is fetched by script, and no form leaves the frame.
FRAME_POLICY = "; ".join(
    [
        "sandbox allow-scripts allow-forms allow-modals allow-popups",
        "default-src 'none'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob: https: http:",
        "media-src 'self' data: blob: https: http:",
        "font-src 'self' data:",
        "connect-src 'none'",
        "form-action 'none'",
        "base-uri 'none'",
        "frame-ancestors 'self'",
    ]
)


def elements_url(site_url: str = "") -> str:
    """Where the portal serves the elements: absolute when a site URL is given."""
    path = static(ELEMENTS_STATIC_PATH)
    return f"{site_url.rstrip('/')}{path}" if site_url else path


def with_portal_elements(html: str, script_url: str) -> str:
    """The first CDN script becomes the portal's, later copies go; a template that uses crowd-*
    elements without loading them gets the portal's at the top."""
    tag = f'<script src="{escape(script_url)}"></script>'
    replaced = [False]

    def swap(_: re.Match[str]) -> str:
        if replaced[0]:
            return ""
        replaced[0] = True
        return tag

    html = CDN_SCRIPT.sub(swap, html)
    if replaced[0] or not CROWD_TAG.search(html):
        return html
    return f"{tag}\n{html}"


def preview_for_browser(rendering: Rendering, site_url: str) -> Rendering:
    """A preview whose elements load from the portal at `site_url` (nothing when it failed)."""
    if not rendering.ok:
        return rendering
    return replace(rendering, html=with_portal_elements(rendering.html, elements_url(site_url)))
