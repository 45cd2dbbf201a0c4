"""Fault selection and the response rewrites of sandbox/faults.py."""

from __future__ import annotations

import pytest

from renkei_sandbox.faults import FAULTS, UnknownFault, parse_faults, with_faults_from_env


def test_parse_known_faults() -> None:
    assert parse_faults(" wrong-type, no-interaction-id ,") == {"wrong-type", "no-interaction-id"}
    assert parse_faults(None) == frozenset()


def test_unknown_fault_is_named() -> None:
    with pytest.raises(UnknownFault, match=r"'typo'.*wrong-type"):
        parse_faults("wrong-type,typo")


def test_no_faults_leaves_the_app_alone() -> None:
    async def app(scope: object, receive: object, send: object) -> None:
        return None

    assert with_faults_from_env(app, {}) is app
    assert len(FAULTS) >= 30
