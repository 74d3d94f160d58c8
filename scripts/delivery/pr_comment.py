"""Post the plan summaries (`cityctl plan --against ... --summary FILE.md`) as one pull-request comment.

    python -m amsterdam_cloud.scripts.delivery.pr_comment azure-devops out/summary/*.md
    python -m amsterdam_cloud.scripts.delivery.pr_comment github out/summary/*.md

Everything comes from the variables the CI system sets for a pull-request run, with its own short-lived token
(Azure DevOps: `System.AccessToken`, whose build identity needs "Contribute to pull requests"; GitHub: the job's
`github.token` with `pull-requests: write`); no stored secret. The comment never decides anything: the plan job's
exit code is the gate.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Mapping

from amsterdam_cloud.core.errors import UserError

LIMIT = 60_000
"""Characters per comment, under GitHub's 65,536 (Azure DevOps allows more); the rest is in the run's artifacts."""
PROVIDERS = ("azure-devops", "github")


def comment_body(summaries: list[str]) -> str:
    """The summaries joined, cut at LIMIT with a pointer to the full text."""
    body = "\n\n".join(text.strip() for text in summaries if text.strip()) + "\n"
    if len(body) <= LIMIT:
        return body
    return body[:LIMIT].rsplit("\n", 1)[0] + "\n\n… cut; the full summaries are in the run's `plan-*` artifacts.\n"


def _required(env: Mapping[str, str], *names: str) -> list[str]:
    missing = [name for name in names if not env.get(name)]
    if missing:
        raise UserError(f"pr_comment: {', '.join(missing)} not set; run it in a pull-request build, with the token "
                        "mapped into the step's environment")
    return [env[name] for name in names]


def azure_devops_request(env: Mapping[str, str], body: str) -> urllib.request.Request:
    """A new active thread on the pull request (Azure DevOps Git REST API, `pullRequestThreads`, 7.1)."""
    collection, project, repository, pull_request, token = _required(
        env, "SYSTEM_COLLECTIONURI", "SYSTEM_TEAMPROJECT", "BUILD_REPOSITORY_ID", "SYSTEM_PULLREQUEST_PULLREQUESTID",
        "SYSTEM_ACCESSTOKEN")
    url = (f"{collection.rstrip('/')}/{urllib.parse.quote(project)}/_apis/git/repositories/{repository}/"
           f"pullRequests/{pull_request}/threads?api-version=7.1")
    payload = {"comments": [{"parentCommentId": 0, "content": body, "commentType": "text"}], "status": "active"}
    return urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST", headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})


def github_request(env: Mapping[str, str], body: str) -> urllib.request.Request:
    """A comment on the pull request's conversation (GitHub REST API, issue comments)."""
    api, repository, pull_request, token = _required(env, "GITHUB_API_URL", "GITHUB_REPOSITORY", "PR_NUMBER",
                                                     "GITHUB_TOKEN")
    url = f"{api.rstrip('/')}/repos/{repository}/issues/{pull_request}/comments"
    return urllib.request.Request(url, data=json.dumps({"body": body}).encode(), method="POST", headers={
        "Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json",
        "Content-Type": "application/json"})


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) < 2 or argv[0] not in PROVIDERS:
        print(f"usage: python -m amsterdam_cloud.scripts.delivery.pr_comment {'|'.join(PROVIDERS)} FILE.md...",
              file=sys.stderr)
        return 2
    try:
        files = [Path(name) for name in argv[1:] if Path(name).is_file()]
        if not files:
            raise UserError(f"pr_comment: none of {', '.join(argv[1:])} exists; the plan jobs write them with "
                            "`cityctl plan STACK --against FILE --summary FILE.md`")
        body = comment_body([path.read_text(encoding="utf-8") for path in sorted(files)])
        build = azure_devops_request if argv[0] == "azure-devops" else github_request
        with urllib.request.urlopen(build(os.environ, body), timeout=60) as response:
            print(f"pull-request comment posted ({response.status}, {len(body)} characters)", file=sys.stderr)
    except UserError as error:
        print(f"cityctl: error: {error}", file=sys.stderr)
        return error.exit_code
    except OSError as error:  # urllib's HTTPError and URLError: say what failed, never the token
        print(f"cityctl: error: pr_comment: posting the comment failed: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
