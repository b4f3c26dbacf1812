from datetime import timedelta

import pytest

from a2i_portal.errors import Invalid
from reviews.selectors import loops_page
from tests.factories import FlowDefinitionFactory, HumanLoopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_loops(flow, clock):
    loops = []
    for _ in range(5):
        loops.append(HumanLoopFactory(flow_definition=flow))
        clock.advance(timedelta(seconds=1))
    return loops


def all_pages(**kwargs):
    names, token, pages = [], None, 0
    while True:
        page = loops_page(next_token=token, **kwargs)
        names += [loop.name for loop in page.loops]
        pages += 1
        if page.next_token is None:
            return names, pages
        token = page.next_token


def test_pages_walk_every_loop_newest_first_exactly_once(flow, five_loops):
    names, pages = all_pages(flow_definition=flow, limit=2)

    assert names == [loop.name for loop in reversed(five_loops)]
    assert pages == 3


def test_pages_walk_oldest_first_when_asked(flow, five_loops):
    names, _ = all_pages(flow_definition=flow, limit=2, ascending=True)

    assert names == [loop.name for loop in five_loops]


def test_loops_created_in_the_same_instant_are_neither_lost_nor_repeated(flow, clock):
    same = [HumanLoopFactory(flow_definition=flow) for _ in range(5)]

    names, _ = all_pages(flow_definition=flow, limit=2)

    assert sorted(names) == sorted(loop.name for loop in same)
    assert len(names) == 5


def test_after_is_inclusive_and_before_exclusive(flow, five_loops):
    page = loops_page(
        flow_definition=flow,
        created_after=five_loops[1].created_at,
        created_before=five_loops[3].created_at,
    )

    assert [loop.name for loop in page.loops] == [five_loops[2].name, five_loops[1].name]


def test_only_the_flow_definitions_own_loops_are_listed(flow, five_loops):
    HumanLoopFactory(flow_definition=FlowDefinitionFactory())

    assert len(loops_page(flow_definition=flow).loops) == 5


def test_a_forged_token_is_refused(flow, five_loops):
    with pytest.raises(Invalid, match="next_token"):
        loops_page(flow_definition=flow, next_token="abc/+=")


def test_a_token_of_another_query_is_refused(flow, five_loops):
    token = loops_page(flow_definition=flow, limit=2).next_token

    with pytest.raises(Invalid, match="next_token"):
        loops_page(flow_definition=flow, next_token=token, ascending=True)


@pytest.mark.parametrize("limit", [0, 101])
def test_a_page_size_outside_1_to_100_is_refused(flow, limit):
    with pytest.raises(Invalid, match="max_results"):
        loops_page(flow_definition=flow, limit=limit)


def test_an_unknown_status_filter_is_refused(flow):
    with pytest.raises(Invalid, match="status"):
        loops_page(flow_definition=flow, statuses=["Done"])


def test_a_list_page_costs_one_query(flow, five_loops, django_assert_num_queries):
    with django_assert_num_queries(1):
        loops_page(flow_definition=flow, limit=2)


@pytest.mark.parametrize(
    ("seconds", "label"),
    [(30, "30 s"), (119, "119 s"), (600, "10 min"), (3600, "1 h"), (5400, "1 h 30 min")],
)
def test_a_jobs_time_limit_reads_as_a_person_says_it(seconds, label):
    from reviews.selectors import Job
    from workflows.models import FlowDefinition

    assert Job(FlowDefinition(task_time_limit=seconds), 0).time_limit_label == label
