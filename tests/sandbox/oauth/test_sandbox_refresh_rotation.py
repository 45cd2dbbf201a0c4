"""Refresh-token rotation with reuse detection, over HTTP: each refresh answers a new refresh token and
retires the old one; presenting a retired one revokes the whole grant (RFC 9700 §4.14.2)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sandbox_flow import tokens_for
from sandbox_harness import RunningSandbox, running_sandbox

from renkei_sandbox.oauth.clients import RegisteredClient


def refresh(sandbox: RunningSandbox, token: str, client: RegisteredClient | None = None) -> httpx.Response:
    client = client or sandbox.client
    return httpx.post(
        f"{sandbox.base_url}/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": token},
        auth=(client.client_id, client.client_secret),
    )


def active(sandbox: RunningSandbox, token: str) -> bool:
    response = httpx.post(
        f"{sandbox.base_url}/oauth/introspect",
        data={"token": token},
        auth=(sandbox.client.client_id, sandbox.client.client_secret),
    )
    assert response.status_code == 200
    return bool(response.json()["active"])


def accounts_status(sandbox: RunningSandbox, access_token: str) -> int:
    headers = {"Authorization": f"Bearer {access_token}"}
    return httpx.get(f"{sandbox.base_url}/v2/banks/2963/accounts", headers=headers).status_code


def test_each_refresh_answers_a_new_refresh_token_and_retires_the_old(sandbox: RunningSandbox) -> None:
    tokens = tokens_for(sandbox, "demo01")
    first = refresh(sandbox, tokens["refresh_token"])
    assert first.status_code == 200
    rotated = first.json()["refresh_token"]
    assert rotated != tokens["refresh_token"]
    assert not active(sandbox, tokens["refresh_token"])
    assert active(sandbox, rotated)
    second = refresh(sandbox, rotated)
    assert second.status_code == 200
    assert second.json()["refresh_token"] not in (rotated, tokens["refresh_token"])
    assert accounts_status(sandbox, second.json()["access_token"]) == 200


def test_reusing_a_retired_refresh_token_revokes_the_whole_grant(sandbox: RunningSandbox) -> None:
    tokens = tokens_for(sandbox, "demo01")
    rotated = refresh(sandbox, tokens["refresh_token"]).json()
    assert accounts_status(sandbox, rotated["access_token"]) == 200
    reused = refresh(sandbox, tokens["refresh_token"])  # the thief (or the victim) replays the old one
    assert reused.status_code == 400
    assert reused.json()["error"] == "invalid_grant"
    # Every token of the grant is dead: the first access token, the rotated pair, the old refresh token.
    for token in (tokens["access_token"], rotated["access_token"], rotated["refresh_token"]):
        assert not active(sandbox, token)
    assert accounts_status(sandbox, rotated["access_token"]) == 401
    assert refresh(sandbox, rotated["refresh_token"]).json()["error"] == "invalid_grant"


def test_another_clients_attempt_neither_refreshes_nor_revokes(sandbox: RunningSandbox) -> None:
    tokens = tokens_for(sandbox, "demo01")
    foreign = refresh(sandbox, tokens["refresh_token"], sandbox.other_client)
    assert foreign.json()["error"] == "invalid_grant"
    assert refresh(sandbox, tokens["refresh_token"]).status_code == 200  # still the owner's to use


def test_an_unknown_scope_does_not_use_up_the_refresh_token(sandbox: RunningSandbox) -> None:
    tokens = tokens_for(sandbox, "demo01")
    wider = httpx.post(
        f"{sandbox.base_url}/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], "scope": "cards:read"},
        auth=(sandbox.client.client_id, sandbox.client.client_secret),
    )
    assert wider.json()["error"] == "invalid_scope"
    assert refresh(sandbox, tokens["refresh_token"]).status_code == 200


def test_two_concurrent_refreshes_with_one_token_count_as_reuse(sandbox: RunningSandbox) -> None:
    tokens = tokens_for(sandbox, "demo01")
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda _: refresh(sandbox, tokens["refresh_token"]), range(2)))
    assert sorted(a.status_code for a in answers) == [200, 400]
    winner = next(a for a in answers if a.status_code == 200).json()
    assert not active(sandbox, winner["refresh_token"])  # the grant was revoked by the loser's reuse
    assert accounts_status(sandbox, winner["access_token"]) == 401


@pytest.fixture(scope="module")
def without_rotation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    with running_sandbox(tmp_path_factory.mktemp("no-rotation"), rotate_refresh_tokens=False) as running:
        yield running


def test_without_rotation_the_refresh_token_stays_valid(without_rotation: RunningSandbox) -> None:
    tokens = tokens_for(without_rotation, "demo01")
    for _ in range(2):
        answer = refresh(without_rotation, tokens["refresh_token"])
        assert answer.status_code == 200
        assert "refresh_token" not in answer.json()
    assert active(without_rotation, tokens["refresh_token"])


def test_the_sandbox_rotates_by_default() -> None:
    from renkei_sandbox.config import Settings

    assert Settings(database_url="sqlite://", issuer="http://x").rotate_refresh_tokens is True
