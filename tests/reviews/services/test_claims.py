from datetime import timedelta

import pytest

from a2i_portal.errors import NotFound
from reviews.models import OpenSlot, SlotEvent, TaskSlot
from reviews.services.slots import (
    claim_next_slot,
    decline_slot,
    release_slot,
    submit_answer,
)
from tests.factories import (
    FlowDefinitionFactory,
    GroupFactory,
    StartedLoopFactory,
    UserFactory,
    WorkTeamFactory,
)

pytestmark = pytest.mark.django_db


def test_a_claim_takes_the_open_slot_for_the_reviewer(open_loop, reviewer):
    slot = claim_next_slot(reviewer=reviewer)

    slot.refresh_from_db()
    assert slot.loop == open_loop
    assert slot.state == TaskSlot.State.CLAIMED
    assert slot.reviewer == reviewer


def test_a_claimed_slot_leaves_the_queue(open_loop, reviewer):
    slot = claim_next_slot(reviewer=reviewer)

    assert not OpenSlot.objects.filter(slot=slot).exists()


def test_the_oldest_open_slot_is_claimed_first(flow, reviewer):
    oldest = StartedLoopFactory(flow_definition=flow)
    StartedLoopFactory(flow_definition=flow)

    assert claim_next_slot(reviewer=reviewer).loop == oldest


def test_the_oldest_open_slot_is_claimed_first_across_the_flows_of_the_team(flow, team, reviewer):
    oldest = StartedLoopFactory(flow_definition=FlowDefinitionFactory(work_team=team))
    StartedLoopFactory(flow_definition=flow)

    assert claim_next_slot(reviewer=reviewer).loop == oldest


def test_nothing_to_claim_gives_none(flow, reviewer):
    assert claim_next_slot(reviewer=reviewer) is None


def test_a_member_of_a_member_group_of_the_team_can_claim(open_loop, team):
    group = GroupFactory()
    team.member_groups.add(group)
    group_member = UserFactory()
    group_member.groups.add(group)

    slot = claim_next_slot(reviewer=group_member)

    assert slot.loop == open_loop
    assert slot.reviewer == group_member


def test_a_reviewer_is_offered_only_the_slots_of_their_teams(flow, reviewer):
    StartedLoopFactory(flow_definition=FlowDefinitionFactory())  # older, another team's
    mine = StartedLoopFactory(flow_definition=flow)

    assert claim_next_slot(reviewer=reviewer).loop == mine


def test_an_outsider_gets_nothing_and_the_slot_stays_open(open_loop, outsider):
    assert claim_next_slot(reviewer=outsider) is None

    assert open_loop.slots.get().state == TaskSlot.State.OPEN
    assert OpenSlot.objects.filter(loop=open_loop).exists()


def test_a_group_outside_the_team_gives_no_access(open_loop):
    group = GroupFactory()  # not a member group of the loop's team
    WorkTeamFactory().member_groups.add(group)
    user = UserFactory()
    user.groups.add(group)

    assert claim_next_slot(reviewer=user) is None


def test_a_claim_can_be_limited_to_one_flow_definition_of_the_team(flow, team, reviewer):
    StartedLoopFactory(flow_definition=flow)  # older, but of another flow definition
    other_flow = FlowDefinitionFactory(work_team=team)
    wanted = StartedLoopFactory(flow_definition=other_flow)

    assert claim_next_slot(reviewer=reviewer, flow_definition=other_flow).loop == wanted


def test_a_flow_definition_outside_the_reviewers_teams_is_not_found_and_nothing_is_claimed(
    open_loop, reviewer
):
    foreign = StartedLoopFactory(flow_definition=FlowDefinitionFactory()).flow_definition

    with pytest.raises(NotFound) as refused:
        claim_next_slot(reviewer=reviewer, flow_definition=foreign)

    assert refused.value.field == "flow_definition"
    assert not TaskSlot.objects.filter(state=TaskSlot.State.CLAIMED).exists()
    assert not SlotEvent.objects.exists()


def test_a_reviewer_never_gets_two_slots_of_one_loop(flow_of_two, reviewer):
    first_loop = StartedLoopFactory(flow_definition=flow_of_two)
    second_loop = StartedLoopFactory(flow_definition=flow_of_two)

    first = claim_next_slot(reviewer=reviewer)
    second = claim_next_slot(reviewer=reviewer)

    assert first.loop == first_loop
    assert second.loop == second_loop


def test_a_reviewer_holding_the_only_loop_gets_nothing_more(flow_of_two, reviewer):
    StartedLoopFactory(flow_definition=flow_of_two)
    claim_next_slot(reviewer=reviewer)

    assert claim_next_slot(reviewer=reviewer) is None


def test_another_reviewer_gets_the_sibling_slot(flow_of_two, reviewer, second_reviewer):
    loop = StartedLoopFactory(flow_definition=flow_of_two)
    first = claim_next_slot(reviewer=reviewer)

    sibling = claim_next_slot(reviewer=second_reviewer)

    assert sibling.loop == loop
    assert sibling.pk != first.pk


def test_a_reviewer_who_answered_a_loop_is_not_offered_its_other_slot(flow_of_two, reviewer):
    StartedLoopFactory(flow_definition=flow_of_two)
    slot = claim_next_slot(reviewer=reviewer)
    submit_answer(slot=slot, reviewer=reviewer, answer={"label": "cat"})

    assert claim_next_slot(reviewer=reviewer) is None


def test_a_reviewer_is_never_offered_a_loop_they_declined(open_loop, reviewer):
    decline_slot(slot=claim_next_slot(reviewer=reviewer), reviewer=reviewer)

    assert claim_next_slot(reviewer=reviewer) is None
    assert OpenSlot.objects.filter(loop=open_loop).exists()  # still there for the others


def test_a_released_slot_can_be_claimed_again_by_the_releaser(claimed_slot, reviewer):
    release_slot(slot=claimed_slot, reviewer=reviewer)

    again = claim_next_slot(reviewer=reviewer)

    assert again.pk == claimed_slot.pk
    assert again.reviewer == reviewer


def test_a_released_slot_can_be_claimed_by_another_reviewer(
    claimed_slot, reviewer, second_reviewer
):
    release_slot(slot=claimed_slot, reviewer=reviewer)

    again = claim_next_slot(reviewer=second_reviewer)

    assert again.pk == claimed_slot.pk
    assert again.reviewer == second_reviewer


def test_the_open_slot_of_a_loop_past_its_lifetime_is_not_handed_out(team, reviewer, clock):
    flow = FlowDefinitionFactory(work_team=team, task_availability_lifetime=600)
    loop = StartedLoopFactory(flow_definition=flow)
    clock.advance(timedelta(seconds=600))  # the sweep has not run yet: the queue row is still there

    assert claim_next_slot(reviewer=reviewer) is None
    assert OpenSlot.objects.filter(loop=loop).exists()


def test_the_open_slot_of_a_loop_within_its_lifetime_is_handed_out(team, reviewer, clock):
    flow = FlowDefinitionFactory(work_team=team, task_availability_lifetime=600)
    loop = StartedLoopFactory(flow_definition=flow)
    clock.advance(timedelta(seconds=599))

    assert claim_next_slot(reviewer=reviewer).loop == loop


def test_the_deadline_is_the_claim_time_plus_the_task_time_limit(team, reviewer, clock):
    StartedLoopFactory(flow_definition=FlowDefinitionFactory(work_team=team, task_time_limit=120))
    clock.advance(timedelta(minutes=5))

    slot = claim_next_slot(reviewer=reviewer)

    slot.refresh_from_db()
    assert slot.claimed_at == clock.now()
    assert slot.deadline == clock.now() + timedelta(seconds=120)


def test_a_claim_is_recorded_as_an_event_with_the_reviewer_and_the_time(open_loop, reviewer, clock):
    slot = claim_next_slot(reviewer=reviewer)

    event = SlotEvent.objects.get()
    assert (event.kind, event.slot, event.loop, event.reviewer, event.at) == (
        SlotEvent.Kind.CLAIMED,
        slot,
        open_loop,
        reviewer,
        clock.now(),
    )
