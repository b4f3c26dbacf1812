import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages

from reviews.admin.loops import HumanLoopAdmin
from reviews.models import HumanLoop, OpenSlot, SlotEvent, TaskSlot
from reviews.services.loops import fail_expired_loops, stop_loop
from reviews.services.outputs import build_output, write_loop_output
from reviews.services.rendering import record_render_failure
from reviews.services.slots import claim_next_slot, submit_answer
from tests.factories import FlowDefinitionFactory, HumanLoopFactory, StartedLoopFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/reviews/humanloop/"
ANSWER = {"category": {"label": "cat"}}


def names_listed(response):
    """The loop names in the list, in the order shown."""
    return re.findall(r'<span class="loop-name">([a-z0-9-]+)</span>', response.text)


def texts_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def detail(loop):
    return f"{LIST}{loop.pk}/change/"


def answered(loop, reviewer):
    slot = claim_next_slot(reviewer=reviewer, flow_definition=loop.flow_definition)
    submit_answer(slot=slot, reviewer=reviewer, answer=ANSWER)
    return HumanLoop.objects.get(pk=loop.pk)


def expired(loop, clock):
    clock.advance(loop.expires_at - clock.now())
    fail_expired_loops()
    return HumanLoop.objects.get(pk=loop.pk)


def run_action(client, action, loops, **extra):
    return client.post(
        LIST,
        {"action": action, "_selected_action": [loop.pk for loop in loops], **extra},
        follow=True,
    )


# The list


def test_the_list_shows_the_newest_loops_first(operator_client, flow, clock):
    for name in ["older", "middle", "newest"]:
        HumanLoopFactory(name=name, flow_definition=flow)
        clock.advance(timedelta(minutes=1))

    response = operator_client.get(LIST)

    assert names_listed(response) == ["newest", "middle", "older"]


def test_the_list_filters_by_status(operator_client, open_loop, flow):
    stopped = stop_loop(loop=HumanLoopFactory(name="stopped-one", flow_definition=flow))

    response = operator_client.get(LIST, {"status__exact": "Stopped"})

    assert names_listed(response) == [stopped.name]


def test_the_list_filters_by_flow_definition_and_status(operator_client, flow, team):
    other = FlowDefinitionFactory(work_team=team)
    HumanLoopFactory(name="mine", flow_definition=flow)
    HumanLoopFactory(name="theirs", flow_definition=other)
    stop_loop(loop=HumanLoopFactory(name="mine-stopped", flow_definition=flow))

    response = operator_client.get(
        LIST, {"flow_definition__id__exact": flow.pk, "status__exact": "InProgress"}
    )

    assert names_listed(response) == ["mine"]


def test_the_list_filters_by_a_range_of_creation_days_both_ends_included(
    operator_client, flow, clock
):
    clock.current = clock.current.replace(year=2026, month=3, day=1, hour=23, minute=59)
    HumanLoopFactory(name="march-1", flow_definition=flow)
    clock.advance(timedelta(minutes=2))  # 2026-03-02 00:01
    HumanLoopFactory(name="march-2", flow_definition=flow)
    clock.advance(timedelta(days=1))
    HumanLoopFactory(name="march-3", flow_definition=flow)

    response = operator_client.get(LIST, {"created_from": "2026-03-02", "created_to": "2026-03-02"})
    since = operator_client.get(LIST, {"created_from": "2026-03-02"})
    until = operator_client.get(LIST, {"created_to": "2026-03-01"})

    assert names_listed(response) == ["march-2"]
    assert names_listed(since) == ["march-3", "march-2"]
    assert names_listed(until) == ["march-1"]


def test_a_date_that_is_not_a_date_is_refused_naming_the_field(operator_client, open_loop):
    response = operator_client.get(LIST, {"created_from": "yesterday"})

    assert response.status_code == 200
    assert names_listed(response) == []
    assert "created from: enter a date as YYYY-MM-DD" in texts_of(response)


def test_a_range_that_ends_before_it_starts_is_refused(operator_client, open_loop):
    response = operator_client.get(LIST, {"created_from": "2026-03-05", "created_to": "2026-03-01"})

    assert names_listed(response) == []
    assert "created to: must be on or after created from (2026-03-05)" in texts_of(response)


def test_search_finds_loops_by_the_start_of_their_name_in_any_case(operator_client, flow):
    for name in ["invoice-1", "invoice-2", "receipt-1"]:
        HumanLoopFactory(name=name, flow_definition=flow)

    response = operator_client.get(LIST, {"q": "INVOICE-"})

    assert sorted(names_listed(response)) == ["invoice-1", "invoice-2"]


def test_search_does_not_match_the_middle_of_a_name(operator_client, flow):
    HumanLoopFactory(name="invoice-1", flow_definition=flow)

    assert names_listed(operator_client.get(LIST, {"q": "voice"})) == []


def test_search_finds_a_loop_by_its_arn(operator_client, open_loop, flow):
    HumanLoopFactory(name=f"{open_loop.name}-2", flow_definition=flow)

    response = operator_client.get(LIST, {"q": open_loop.arn})

    assert names_listed(response) == [open_loop.name]


def test_search_uses_a_prefix_match_on_the_name(
    operator_client, flow, django_assert_max_num_queries
):
    HumanLoopFactory(name="invoice-1", flow_definition=flow)

    with django_assert_max_num_queries(20) as captured:
        operator_client.get(LIST, {"q": "invoice"})

    page_query = next(q["sql"] for q in captured if 'FROM "reviews_humanloop"' in q["sql"])
    assert re.search(
        r'"reviews_humanloop"\."name"::text LIKE|"reviews_humanloop"\."name" LIKE', page_query
    )
    assert "UPPER" not in page_query


def test_a_search_no_name_can_match_says_why(operator_client, open_loop):
    response = operator_client.get(LIST, {"q": "my loop"})

    assert names_listed(response) == []
    assert any(
        text.startswith("search: loop names hold only lowercase") for text in texts_of(response)
    )


def test_the_list_sorts_by_name(operator_client, flow):
    for name in ["bravo", "alpha", "charlie"]:
        HumanLoopFactory(name=name, flow_definition=flow)

    ascending = operator_client.get(LIST, {"o": "1"})
    descending = operator_client.get(LIST, {"o": "-1"})

    assert names_listed(ascending) == ["alpha", "bravo", "charlie"]
    assert names_listed(descending) == ["charlie", "bravo", "alpha"]


def test_the_list_sorts_by_creation_time_oldest_first(operator_client, flow, clock):
    for name in ["first", "second"]:
        HumanLoopFactory(name=name, flow_definition=flow)
        clock.advance(timedelta(seconds=1))

    response = operator_client.get(LIST, {"o": "4"})

    assert names_listed(response) == ["first", "second"]


def test_the_list_shows_answers_in_and_needed(operator_client, flow_of_two, reviewer):
    loop = StartedLoopFactory(flow_definition=flow_of_two)
    answered(loop, reviewer)

    response = operator_client.get(LIST)

    assert '<span class="loop-answers">1 / 2</span>' in response.text


def test_the_list_pages_forward_and_back_without_counting(operator_client, flow, monkeypatch):
    monkeypatch.setattr(HumanLoopAdmin, "list_per_page", 2)
    for number in range(5):
        HumanLoopFactory(name=f"loop-{number}", flow_definition=flow)

    first = operator_client.get(LIST)
    third = operator_client.get(LIST, {"p": "3"})

    assert "Loops 1–2" in first.text and 'rel="next"' in first.text
    assert 'rel="prev"' not in first.text
    assert "Loops 5–5" in third.text and 'rel="next"' not in third.text
    assert len(names_listed(third)) == 1


def test_a_page_past_the_end_is_empty_and_links_back(operator_client, open_loop):
    response = operator_client.get(LIST, {"p": "7"})

    assert response.status_code == 200
    assert "No loops on page 7" in response.text
    assert 'rel="prev"' in response.text


def test_a_page_number_below_one_is_refused_and_the_first_page_shown(operator_client, open_loop):
    response = operator_client.get(LIST, {"p": "0"})

    assert "page: must be 1 or more" in texts_of(response)
    assert names_listed(response) == [open_loop.name]


def test_the_list_never_counts_the_loops_and_its_queries_do_not_grow_with_them(
    operator_client, flow, reviewer, django_assert_max_num_queries
):
    for number in range(3):
        answered(HumanLoopFactory(name=f"few-{number}", flow_definition=flow), reviewer)
    with django_assert_max_num_queries(8) as few:
        operator_client.get(LIST)
    for number in range(40):
        HumanLoopFactory(name=f"many-{number}", flow_definition=flow)

    with django_assert_max_num_queries(len(few)) as many:
        response = operator_client.get(LIST, {"status__exact": "InProgress", "q": "many"})

    assert len(names_listed(response)) == 40
    loop_queries = [q["sql"] for q in many if '"reviews_humanloop"' in q["sql"]]
    assert loop_queries and not any("COUNT(" in sql.upper() for sql in loop_queries)
    assert not any('"input_content"' in sql for sql in loop_queries)


def test_a_reviewer_cannot_open_the_loop_list(client, reviewer):
    client.force_login(reviewer)

    assert client.get(LIST).status_code == 302


# The detail page


def test_the_detail_shows_the_input_pretty_printed(operator_client, flow):
    loop = HumanLoopFactory(flow_definition=flow, input_content='{"text":"a cat","score":0.4}')

    response = operator_client.get(detail(loop))

    assert response.status_code == 200
    assert "{\n  &quot;score&quot;: 0.4,\n  &quot;text&quot;: &quot;a cat&quot;\n}" in response.text


def test_the_detail_previews_s3_images_and_links_documents(operator_client, flow):
    task_input = {
        "image": "s3://photos/cats/tabby.jpg",
        "pages": ["s3://docs/contract.pdf"],
        "elsewhere": "https://images.example.com/dog.png",
    }
    loop = HumanLoopFactory(flow_definition=flow, input_content=json.dumps(task_input))

    response = operator_client.get(detail(loop))

    preview = re.search(r'<img src="([^"]+)" alt="image"', response.text)
    assert preview and "/photos/cats/tabby.jpg?expires=" in preview.group(1)
    assert "signature=" in preview.group(1)
    assert re.search(
        r'href="[^"]*/docs/contract.pdf\?expires=[^"]+"[^>]*>Open document', response.text
    )
    # Another site's image is linked, never loaded by the console (its CSP: img-src 'self').
    assert 'src="https://images.example.com/dog.png"' not in response.text
    assert 'href="https://images.example.com/dog.png"' in response.text


def test_the_detail_shows_each_task_with_reviewer_times_and_answer(
    operator_client, flow_of_two, reviewer, clock
):
    loop = StartedLoopFactory(flow_definition=flow_of_two)
    slot = claim_next_slot(reviewer=reviewer)
    clock.advance(timedelta(seconds=95))
    submit_answer(slot=slot, reviewer=reviewer, answer=ANSWER, time_spent=83.5)

    response = operator_client.get(detail(loop))

    text = response.text
    assert "loop-state--submitted" in text and "loop-state--open" in text
    assert ">reviewer<" in text.replace("<br>", "<")
    assert "1 min 24 s" in text  # 83.5 s, rounded to the second
    assert "&quot;label&quot;: &quot;cat&quot;" in text


def test_the_detail_shows_the_event_history(operator_client, open_loop, reviewer):
    claim_next_slot(reviewer=reviewer)
    stop_loop(loop=open_loop)

    response = operator_client.get(detail(open_loop))

    kinds = re.findall(r'class="loop-event loop-event--(\w+)"', response.text)
    assert kinds == ["claimed"]
    assert SlotEvent.objects.filter(loop=open_loop).count() == 1


def test_the_detail_shows_render_failures(operator_client, claimed_slot):
    record_render_failure(slot=claimed_slot, problem="line 3: unknown tag 'bogus'")

    response = operator_client.get(detail(claimed_slot.loop))

    assert "Render failures" in response.text
    assert "line 3: unknown tag &#x27;bogus&#x27;" in response.text


def test_the_detail_links_the_written_output_and_the_link_downloads_it(
    operator_client, claimed_slot, reviewer, outputs_dir
):
    submit_answer(slot=claimed_slot, reviewer=reviewer, answer=ANSWER)
    loop = HumanLoop.objects.get(pk=claimed_slot.loop_id)
    write_loop_output(loop_id=loop.pk)

    page = operator_client.get(detail(loop))
    download = operator_client.get(f"{LIST}{loop.pk}/output/")

    assert loop.output_uri in page.text
    assert f'href="{LIST}{loop.pk}/output/"' in page.text
    assert download["Content-Disposition"] == f'attachment; filename="{loop.name}-output.json"'
    assert json.loads(download.content) == build_output(loop)


def test_an_output_not_yet_written_is_not_offered_and_asking_for_it_says_why(
    operator_client, open_loop, outputs_dir
):
    page = operator_client.get(detail(open_loop))
    response = operator_client.get(f"{LIST}{open_loop.pk}/output/", follow=True)

    assert "not written yet" in page.text
    assert f"{LIST}{open_loop.pk}/output/" not in page.text
    assert response.redirect_chain[-1][0] == detail(open_loop)
    assert any("output.json is not written" in text for text in texts_of(response))


def test_a_loop_that_ended_without_answers_says_it_has_no_output(
    operator_client, open_loop, outputs_dir
):
    stop_loop(loop=open_loop)

    page = operator_client.get(detail(open_loop))

    assert "none: the loop ended without an answer" in page.text


def test_a_completed_loop_whose_output_is_pending_says_it_is_being_written(
    operator_client, claimed_slot, reviewer, outputs_dir
):
    submit_answer(slot=claimed_slot, reviewer=reviewer, answer={"ok": True})  # no commit here

    page = operator_client.get(detail(claimed_slot.loop))

    assert "being written" in page.text


def test_the_detail_page_edits_nothing(operator_client, open_loop):
    response = operator_client.post(detail(open_loop), {"name": "renamed", "status": "Completed"})

    assert response.status_code == 403
    assert HumanLoop.objects.get(pk=open_loop.pk).name == open_loop.name


# Actions


def test_the_stop_action_says_what_it_did_to_each_loop(
    operator_client, flow, flow_of_two, reviewer
):
    held = StartedLoopFactory(name="held", flow_definition=flow_of_two)
    claim_next_slot(reviewer=reviewer, flow_definition=flow_of_two)
    idle = StartedLoopFactory(name="idle", flow_definition=flow_of_two)
    done = answered(StartedLoopFactory(name="done", flow_definition=flow), reviewer)

    response = run_action(operator_client, "stop_selected", [held, idle, done])

    texts = texts_of(response)
    assert "held: stopping: 1 task(s) still with a reviewer, who may still submit" in texts
    assert "idle: stopped" in texts
    assert "done: human loop 'done' is Completed and cannot be stopped" in texts
    assert HumanLoop.objects.get(pk=held.pk).status == HumanLoop.Status.STOPPING
    assert HumanLoop.objects.get(pk=idle.pk).status == HumanLoop.Status.STOPPED


def test_stopping_a_stopped_loop_says_so(operator_client, open_loop):
    stop_loop(loop=open_loop)

    response = run_action(operator_client, "stop_selected", [open_loop])

    assert f"{open_loop.name}: already Stopped, nothing to do" in texts_of(response)


def test_the_reopen_action_reopens_an_expired_loop_through_the_service(
    operator_client, open_loop, clock
):
    loop = expired(open_loop, clock)

    response = run_action(operator_client, "reopen_selected", [loop])

    loop.refresh_from_db()
    assert loop.status == HumanLoop.Status.IN_PROGRESS
    assert OpenSlot.objects.filter(loop=loop).count() == 1
    until = loop.expires_at.strftime("%Y-%m-%d %H:%M UTC")
    assert f"{loop.name}: re-opened: 1 task(s) open until {until}" in texts_of(response)


def test_the_reopen_action_refuses_a_loop_that_did_not_fail_and_says_why(
    operator_client, open_loop
):
    response = run_action(operator_client, "reopen_selected", [open_loop])

    assert (
        f"{open_loop.name}: human loop {open_loop.name!r} is InProgress; only Failed loops can "
        "be re-opened" in texts_of(response)
    )
    assert HumanLoop.objects.get(pk=open_loop.pk).updated_at == open_loop.updated_at


def test_the_delete_action_deletes_ended_loops_and_refuses_the_others(
    operator_client, flow, open_loop
):
    ended = stop_loop(loop=HumanLoopFactory(name="ended", flow_definition=flow))

    response = run_action(operator_client, "delete_selected_loops", [ended, open_loop])

    texts = texts_of(response)
    assert "ended: deleted" in texts
    assert any(t.startswith(f"{open_loop.name}: ") and "stop it first" in t for t in texts)
    assert not HumanLoop.objects.filter(pk=ended.pk).exists()
    assert HumanLoop.objects.filter(pk=open_loop.pk).exists()


def test_django_bulk_delete_is_not_offered(operator_client, open_loop):
    response = operator_client.get(LIST)

    assert 'value="delete_selected"' not in response.text
    assert 'value="delete_selected_loops"' in response.text


def test_the_delete_page_goes_through_the_service_and_refuses_a_running_loop(
    operator_client, open_loop
):
    response = operator_client.post(f"{LIST}{open_loop.pk}/delete/", {"post": "yes"}, follow=True)

    assert HumanLoop.objects.filter(pk=open_loop.pk).exists()
    assert any("only Completed, Failed or Stopped" in text for text in texts_of(response))
    assert response.redirect_chain[-1][0] == detail(open_loop)


def test_the_delete_page_deletes_an_ended_loop(operator_client, open_loop):
    stop_loop(loop=open_loop)

    operator_client.post(f"{LIST}{open_loop.pk}/delete/", {"post": "yes"})

    assert not HumanLoop.objects.filter(pk=open_loop.pk).exists()


def test_the_stop_button_of_the_detail_page_stops_the_loop(operator_client, open_loop):
    response = operator_client.post(f"{LIST}{open_loop.pk}/stop/", follow=True)

    assert HumanLoop.objects.get(pk=open_loop.pk).status == HumanLoop.Status.STOPPED
    assert f"{open_loop.name}: stopped" in texts_of(response)
    assert response.redirect_chain[-1][0] == detail(open_loop)


def test_the_reopen_button_of_the_detail_page_reopens_the_loop(operator_client, open_loop, clock):
    loop = expired(open_loop, clock)
    page = operator_client.get(detail(loop))

    operator_client.post(f"{LIST}{loop.pk}/reopen/")

    assert f'action="{LIST}{loop.pk}/reopen/"' in page.text
    assert HumanLoop.objects.get(pk=loop.pk).status == HumanLoop.Status.IN_PROGRESS


def test_the_buttons_of_the_detail_page_change_nothing_on_get(operator_client, open_loop):
    response = operator_client.get(f"{LIST}{open_loop.pk}/stop/")

    assert response.status_code == 405
    assert HumanLoop.objects.get(pk=open_loop.pk).status == HumanLoop.Status.IN_PROGRESS


def test_an_operator_who_may_only_view_loops_cannot_stop_them(client, open_loop):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_humanloop"))
    client.force_login(viewer)

    page = client.get(detail(open_loop))
    button = client.post(f"{LIST}{open_loop.pk}/stop/")
    action = run_action(client, "stop_selected", [open_loop])

    assert page.status_code == 200 and "Stop this loop" not in page.text
    assert button.status_code == 403
    assert action.status_code == 200
    assert HumanLoop.objects.get(pk=open_loop.pk).status == HumanLoop.Status.IN_PROGRESS


def test_the_export_actions_stream_the_selected_loops(operator_client, claimed_slot, reviewer):
    submit_answer(slot=claimed_slot, reviewer=reviewer, answer=ANSWER)
    loop = HumanLoop.objects.get(pk=claimed_slot.loop_id)

    jsonl = operator_client.post(LIST, {"action": "export_jsonl", "_selected_action": [loop.pk]})
    csv = operator_client.post(LIST, {"action": "export_csv", "_selected_action": [loop.pk]})

    (line,) = b"".join(jsonl.streaming_content).decode().splitlines()
    assert json.loads(line) == build_output(loop)
    rows = b"".join(csv.streaming_content).decode().splitlines()
    assert rows[0].endswith(",answer.category") and rows[1].endswith(',"{""label"": ""cat""}"')


def test_an_action_on_every_matching_loop_reaches_past_the_page(operator_client, flow, monkeypatch):
    monkeypatch.setattr(HumanLoopAdmin, "list_per_page", 2)
    loops = [HumanLoopFactory(name=f"bulk-{n}", flow_definition=flow) for n in range(5)]

    operator_client.post(
        LIST + "?q=bulk",
        {"action": "stop_selected", "_selected_action": [loops[0].pk], "select_across": "1"},
    )

    statuses = set(HumanLoop.objects.values_list("status", flat=True))
    assert statuses == {HumanLoop.Status.STOPPED}
    assert TaskSlot.objects.exclude(state=TaskSlot.State.WITHDRAWN).count() == 0


def test_a_long_input_is_cut_and_says_so(operator_client, flow, monkeypatch):
    monkeypatch.setattr("reviews.admin.loops.MAX_PRETTY", 20)
    loop = HumanLoopFactory(flow_definition=flow, input_content='{"text": "' + "x" * 100 + '"}')

    response = operator_client.get(detail(loop))

    assert "The input is long: its first 20 characters are shown" in response.text
    assert "x" * 30 not in response.text


def test_previews_of_a_configured_s3_endpoint_are_allowed_by_the_page_policy(
    operator_client, flow, settings, monkeypatch
):
    from workflows.templating import read_access

    settings.S3_ENDPOINT_URL = "http://minio.internal:9000"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "minio")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "minio-secret")
    read_access.s3_client.cache_clear()
    loop = HumanLoopFactory(flow_definition=flow, input_content='{"img": "s3://b/cat.png"}')

    response = operator_client.get(detail(loop))
    read_access.s3_client.cache_clear()

    assert re.search(
        r'<img src="http://minio.internal:9000/b/cat.png\?[^"]*X-Amz-Signature', response.text
    )
    policy = response["Content-Security-Policy"]
    assert "img-src 'self' data: http://minio.internal:9000" in policy


def test_the_detail_page_runs_a_bounded_number_of_queries(
    operator_client, flow_of_two, reviewer, second_reviewer, clock, django_assert_max_num_queries
):
    loop = StartedLoopFactory(flow_definition=flow_of_two)
    for person in (reviewer, second_reviewer):
        slot = claim_next_slot(reviewer=person)
        record_render_failure(slot=slot, problem="line 1: boom")
        submit_answer(slot=slot, reviewer=person, answer=ANSWER)

    with django_assert_max_num_queries(8):
        response = operator_client.get(detail(loop))

    assert response.status_code == 200


def test_the_delete_page_asks_only_for_the_permission_to_delete_loops(
    client, claimed_slot, reviewer
):
    record_render_failure(slot=claimed_slot, problem="line 1: boom")  # a registered model
    submit_answer(slot=claimed_slot, reviewer=reviewer, answer=ANSWER)
    open_loop = claimed_slot.loop
    deleter = UserFactory(is_staff=True)
    deleter.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_humanloop", "delete_humanloop"])
    )
    client.force_login(deleter)

    page = client.get(f"{LIST}{open_loop.pk}/delete/")
    client.post(f"{LIST}{open_loop.pk}/delete/", {"post": "yes"})

    assert page.status_code == 200 and "Yes, I’m sure" in page.text
    assert not HumanLoop.objects.filter(pk=open_loop.pk).exists()


def test_each_change_an_action_makes_is_in_the_loops_admin_history(operator_client, open_loop):
    operator_client.post(f"{LIST}{open_loop.pk}/stop/")

    history = operator_client.get(f"{LIST}{open_loop.pk}/history/")

    assert "stopped" in history.text
