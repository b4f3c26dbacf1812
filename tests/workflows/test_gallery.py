"""The gallery: every sample is a working template with a task input, and a task UI created
from it works, images included."""

from __future__ import annotations

import json
import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.core.files.storage import storages

from a2i_portal.errors import Conflict, Invalid
from tests.factories import HumanTaskUiFactory, UserFactory
from workflows import samples
from workflows.models import HumanTaskUi
from workflows.services.task_uis import create_human_task_ui_from_sample, publish_sample_media
from workflows.templating.crowd import CDN_SCRIPT
from workflows.templating.engine import preview_input, problems_of, render

SAMPLES = {sample.slug: sample for sample in samples.SAMPLES}
KINDS = {
    "text classifier": "crowd-classifier",
    "image classifier": "crowd-image-classifier",
    "bounding box": "crowd-bounding-box",
    "entity annotation": "crowd-entity-annotation",
    "Textract form review": "crowd-textract-analyze-document",
    "Rekognition moderation review": "crowd-rekognition-detect-moderation-labels",
}
SIGNED_URL = re.compile(r"""https?://[^"'\s<>]+/objects/portal-samples/[^"'\s<>]+""")


def on_this_site(url: str) -> str:
    """A signed object URL as the test client requests it: path and query."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def s3_uris(value: object) -> list[str]:
    """Every s3:// reference in a task input, and every bucket/name pair of an AI request."""
    text = json.dumps(value)
    found = re.findall(r"s3://[^\"]+", text)
    for match in re.finditer(r'"bucket": "([^"]+)", "name": "([^"]+)"', text):
        found.append(f"s3://{match[1]}/{match[2]}")
    return found


@pytest.mark.parametrize("kind, element", KINDS.items(), ids=KINDS)
def test_the_gallery_has_a_sample_of_each_kind_the_console_promises(kind, element):
    assert any(element in sample.elements for sample in samples.SAMPLES), kind


@pytest.mark.parametrize("review", ["tabular-review", "transcription-review", "translation-review"])
def test_the_gallery_has_the_review_samples(review):
    assert review in SAMPLES


@pytest.mark.parametrize("sample", samples.SAMPLES, ids=SAMPLES)
def test_every_sample_parses(sample):
    assert problems_of(sample.template) == []


@pytest.mark.parametrize("sample", samples.SAMPLES, ids=SAMPLES)
def test_every_sample_renders_with_its_sample_input_without_problems(sample):
    rendering = preview_input(sample.template, task_input=sample.task_input)

    assert rendering.ok, rendering.problems
    for element in sample.elements:
        assert f"<{element}" in rendering.html


@pytest.mark.parametrize("sample", samples.SAMPLES, ids=SAMPLES)
def test_every_sample_is_written_as_a2i_users_write_templates(sample):
    assert CDN_SCRIPT.search(sample.template), "loads the elements from A2I's address"
    assert "task.input" in sample.template


@pytest.mark.parametrize("sample", samples.SAMPLES, ids=SAMPLES)
def test_every_image_a_sample_shows_ships_with_it_and_is_granted_read_access(sample):
    referenced = {
        uri.removeprefix(f"s3://{samples.MEDIA_BUCKET}/") for uri in s3_uris(sample.task_input)
    }

    assert referenced == set(sample.media)
    for path in sample.media_paths():
        assert path.is_file() and 0 < path.stat().st_size < 100_000, path
    if sample.media:
        assert "grant_read_access" in sample.template


def test_the_sentiment_sample_is_the_one_the_demo_seeds():
    from reviews.management.commands.seed_demo import SAMPLE_TEMPLATE

    assert SAMPLE_TEMPLATE.read_text() == SAMPLES["sentiment"].template


# Creating from the gallery


@pytest.mark.django_db
def test_a_task_ui_created_from_the_gallery_has_the_samples_template(objects_dir, clock):
    task_ui = create_human_task_ui_from_sample(name="parcels", sample="image-classifier")

    task_ui.refresh_from_db()
    assert task_ui.content == SAMPLES["image-classifier"].template
    assert task_ui.created_at == clock.now()


@pytest.mark.django_db
def test_creating_from_the_gallery_stores_the_samples_images_where_they_are_served(
    client, objects_dir
):
    sample = SAMPLES["bounding-box"]
    task_ui = create_human_task_ui_from_sample(name="street-objects", sample=sample.slug)

    html = unescape(render(task_ui.content, task_input=sample.task_input))
    (url,) = SIGNED_URL.findall(html)
    response = client.get(on_this_site(url))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == sample.media_paths()[0].read_bytes()


@pytest.mark.django_db
@pytest.mark.parametrize("sample", [s for s in samples.SAMPLES if s.media], ids=lambda s: s.slug)
def test_every_samples_media_is_served_after_creation(client, objects_dir, sample):
    create_human_task_ui_from_sample(name=f"from-{sample.slug}", sample=sample.slug)

    for path in sample.media_paths():
        stored = storages["objects"].open(f"{samples.MEDIA_BUCKET}/{path.name}", "rb").read()
        assert stored == path.read_bytes()


@pytest.mark.django_db
def test_an_unknown_sample_is_refused_and_nothing_is_written(objects_dir):
    with pytest.raises(Invalid) as caught:
        create_human_task_ui_from_sample(name="mystery", sample="mystery")

    assert caught.value.field == "sample"
    assert "the samples are sentiment, image-classifier" in caught.value.message
    assert not HumanTaskUi.objects.exists()
    assert not objects_dir.exists() or not any(objects_dir.rglob("*.*"))


@pytest.mark.django_db
def test_a_taken_name_is_a_conflict_and_nothing_is_written(objects_dir):
    HumanTaskUiFactory(name="street-objects")

    with pytest.raises(Conflict) as caught:
        create_human_task_ui_from_sample(name="street-objects", sample="bounding-box")

    assert caught.value.field == "name"
    assert HumanTaskUi.objects.get().content != SAMPLES["bounding-box"].template
    assert not objects_dir.exists() or not any(objects_dir.rglob("*.*"))


@pytest.mark.django_db
def test_a_bad_name_is_refused_naming_the_field(objects_dir):
    with pytest.raises(Invalid) as caught:
        create_human_task_ui_from_sample(name="Street Objects", sample="bounding-box")

    assert caught.value.field == "name"
    assert not HumanTaskUi.objects.exists()


def test_publishing_a_samples_media_twice_keeps_one_copy_of_each_file(objects_dir):
    sample = SAMPLES["textract-form-review"]

    first = publish_sample_media(sample=sample)
    second = publish_sample_media(sample=sample)

    assert first == second == ["s3://portal-samples/earnings-statement.png"]
    assert sorted(p.name for p in (objects_dir / "portal-samples").iterdir()) == [
        "earnings-statement.png"
    ]


def test_publishing_replaces_a_changed_copy(objects_dir):
    sample = SAMPLES["moderation-review"]
    (objects_dir / "portal-samples").mkdir(parents=True)
    (objects_dir / "portal-samples" / "beach.jpg").write_bytes(b"not the sample")

    publish_sample_media(sample=sample)

    assert (objects_dir / "portal-samples" / "beach.jpg").read_bytes() == (
        sample.media_paths()[0].read_bytes()
    )
    assert len(list((objects_dir / "portal-samples").iterdir())) == 1


# The gallery page


GALLERY = "/admin/workflows/humantaskui/gallery/"


@pytest.mark.django_db
def test_the_gallery_page_lists_every_sample_with_a_sandboxed_preview(operator_client):
    response = operator_client.get(GALLERY)

    assert response.status_code == 200
    page = response.content.decode()
    for sample in samples.SAMPLES:
        assert f'id="sample-{sample.slug}"' in page
        assert f"{GALLERY}{sample.slug}/frame/" in page
    assert page.count('sandbox="allow-scripts allow-forms allow-modals allow-popups"') == len(
        samples.SAMPLES
    )


@pytest.mark.django_db
def test_the_gallery_suggests_a_free_name(operator_client):
    HumanTaskUiFactory(name="bounding-box")

    response = operator_client.get(GALLERY)

    form = dict(response.context["cards"])[SAMPLES["bounding-box"]]
    assert form.initial["name"] == "bounding-box-2"


@pytest.mark.django_db
def test_the_changelist_links_to_the_gallery(operator_client):
    response = operator_client.get("/admin/workflows/humantaskui/")

    assert f'href="{GALLERY}"' in response.content.decode()
    assert "Create from gallery" in response.content.decode()


@pytest.mark.django_db
def test_creating_from_the_gallery_page_opens_the_editor_with_the_sample_input(
    operator_client, objects_dir
):
    response = operator_client.post(GALLERY, {"sample": "translation-review", "name": "es-en"})

    task_ui = HumanTaskUi.objects.get(name="es-en")
    editor = f"/admin/workflows/humantaskui/{task_ui.pk}/change/?sample=translation-review"
    assert response.status_code == 302
    assert response["Location"] == editor
    page = operator_client.get(editor)
    form = page.context["adminform"].form
    assert form["sample_input"].value() == SAMPLES["translation-review"].input_json
    assert 'data-sample="translation-review"' in page.content.decode()


@pytest.mark.django_db
def test_a_taken_name_is_shown_on_its_card_and_nothing_is_created(operator_client, objects_dir):
    HumanTaskUiFactory(name="es-en")

    response = operator_client.post(GALLERY, {"sample": "translation-review", "name": "es-en"})

    assert response.status_code == 200
    form = dict(response.context["cards"])[SAMPLES["translation-review"]]
    assert form.errors == {"name": ["a human task UI named 'es-en' already exists"]}
    assert HumanTaskUi.objects.count() == 1


@pytest.mark.django_db
def test_a_name_outside_the_pattern_is_refused_on_its_card(operator_client, objects_dir):
    response = operator_client.post(GALLERY, {"sample": "sentiment", "name": "My UI"})

    form = dict(response.context["cards"])[SAMPLES["sentiment"]]
    assert list(form.errors) == ["name"]
    assert not HumanTaskUi.objects.exists()


@pytest.mark.django_db
def test_an_unknown_sample_posted_to_the_gallery_is_refused(operator_client, objects_dir):
    response = operator_client.post(GALLERY, {"sample": "mystery", "name": "mystery"})

    assert response.status_code == 200
    assert "Choose a sample of the gallery." in response.content.decode()
    assert not HumanTaskUi.objects.exists()


@pytest.mark.django_db
def test_a_gallery_preview_is_served_like_the_work_pages_frame(operator_client, objects_dir):
    from workflows.templating.crowd import FRAME_POLICY

    response = operator_client.get(f"{GALLERY}moderation-review/frame/")

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == FRAME_POLICY
    html = unescape(response.content.decode())
    assert "/static/crowd/crowd-html-elements.js" in html
    assert "assets.crowd.aws" not in html
    (url,) = SIGNED_URL.findall(html)
    image = operator_client.get(on_this_site(url))
    assert image.status_code == 200


@pytest.mark.django_db
def test_the_gallery_is_for_staff_only(client, objects_dir):
    client.force_login(UserFactory())

    response = client.post(GALLERY, {"sample": "sentiment", "name": "sneaky"})

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert not HumanTaskUi.objects.exists()
