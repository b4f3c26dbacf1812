from a2i_portal import arns


def test_arns_carry_the_configured_region_and_account(settings):
    settings.A2I_REGION, settings.A2I_ACCOUNT_ID = "eu-west-1", "111122223333"

    assert arns.human_loop_arn("l1") == "arn:aws:sagemaker:eu-west-1:111122223333:human-loop/l1"
    assert arns.flow_definition_arn("fd") == (
        "arn:aws:sagemaker:eu-west-1:111122223333:flow-definition/fd"
    )
    assert arns.workteam_arn("t") == (
        "arn:aws:sagemaker:eu-west-1:111122223333:workteam/private-crowd/t"
    )


def test_a_name_is_read_back_from_an_arn_of_any_region_and_account():
    arn = "arn:aws:sagemaker:us-west-2:999988887777:flow-definition/my-fd"

    assert arns.name_from_arn(arn, "flow-definition") == "my-fd"
    assert arns.name_from_arn(arn, "human-task-ui") is None
    assert arns.name_from_arn("not-an-arn", "flow-definition") is None
    team = "arn:aws:sagemaker:us-east-1:111122223333:workteam/private-crowd/reviewers"
    assert arns.name_from_arn(team, "workteam") == "reviewers"
