"""The pull-request comment: the request each CI system's REST API expects, built from its own variables."""

from __future__ import annotations

import json

import pytest

from amsterdam_cloud.scripts.delivery import pr_comment
from amsterdam_cloud.core.errors import UserError

AZURE_ENV = {"SYSTEM_COLLECTIONURI": "https://dev.azure.com/gemeente-amsterdam/", "SYSTEM_TEAMPROJECT": "Cloud Platform",
             "BUILD_REPOSITORY_ID": "repo-guid", "SYSTEM_PULLREQUEST_PULLREQUESTID": "42",
             "SYSTEM_ACCESSTOKEN": "token-a"}
GITHUB_ENV = {"GITHUB_API_URL": "https://api.github.com", "GITHUB_REPOSITORY": "amsterdam/cloud", "PR_NUMBER": "7",
              "GITHUB_TOKEN": "token-g"}


def test_azure_devops_gets_an_active_thread_on_the_pull_request():
    request = pr_comment.azure_devops_request(AZURE_ENV, "### dev: passed\n")

    assert request.full_url == ("https://dev.azure.com/gemeente-amsterdam/Cloud%20Platform/_apis/git/repositories/"
                                "repo-guid/pullRequests/42/threads?api-version=7.1")
    assert request.get_method() == "POST" and request.get_header("Authorization") == "Bearer token-a"
    assert json.loads(request.data) == {"comments": [{"parentCommentId": 0, "content": "### dev: passed\n",
                                                      "commentType": "text"}], "status": "active"}


def test_github_gets_a_comment_on_the_pull_request():
    request = pr_comment.github_request(GITHUB_ENV, "body")

    assert request.full_url == "https://api.github.com/repos/amsterdam/cloud/issues/7/comments"
    assert request.get_header("Authorization") == "Bearer token-g"
    assert json.loads(request.data) == {"body": "body"}


def test_a_missing_variable_is_named_and_the_token_never_shown():
    with pytest.raises(UserError, match="SYSTEM_ACCESSTOKEN not set") as raised:
        pr_comment.azure_devops_request({**AZURE_ENV, "SYSTEM_ACCESSTOKEN": ""}, "body")

    assert "token-a" not in str(raised.value)


def test_summaries_are_joined_and_a_long_body_is_cut_below_the_limit():
    assert pr_comment.comment_body(["### dev\n", "", "### prod\n"]) == "### dev\n\n### prod\n"
    long = pr_comment.comment_body(["| row |\n" * 20_000])
    assert len(long) < pr_comment.LIMIT + 200 and long.rstrip().endswith("artifacts.")


def test_no_summary_file_is_a_usage_error(tmp_path, capsys):
    assert pr_comment.main(["github", str(tmp_path / "none.md")]) == 2
    assert "none of" in capsys.readouterr().err
