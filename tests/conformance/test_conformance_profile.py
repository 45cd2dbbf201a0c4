"""The provider profile: validated with file:line errors; what `--sandbox` writes reads back the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from renkei.conformance.errors import CannotRun
from renkei.conformance.profile import Profile, dump_profile, load_profile

GOOD = """\
name: 中央労働金庫 (test)
apis:
  bank-inquiry: https://api.example.jp/v1
authorization_server:
  metadata_url: https://auth.example.jp/.well-known/oauth-authorization-server
client:
  client_id: c_test
  client_secret: s3cret
customers:
  primary:
    username: demo01
    password: renkei-demo
    bank_code: '2963'
    accounts: ['296300112345670']
  secondary:
    username: demo02
    password: renkei-demo
    bank_code: '2963'
payee: {bank_code: '0005', branch_code: '123', account_number: '0012345', name: ｶ)ｱｵﾊﾞｼﾖｳｼﾞ}
amounts: {above_transfer_limit: '10000001'}
idempotency: {replay_delay_seconds: 5}
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "provider.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_profile_loads(tmp_path: Path) -> None:
    profile = load_profile(_write(tmp_path, GOOD))
    assert profile.customers.primary.accounts == ("296300112345670",)
    assert profile.origin() == "https://auth.example.jp"
    assert profile.idempotency.replay_delay_seconds == 5
    assert profile.payee is not None and profile.payee.name == "ｶ)ｱｵﾊﾞｼﾖｳｼﾞ"


def test_round_trip_keeps_japanese_as_is(tmp_path: Path) -> None:
    profile = load_profile(_write(tmp_path, GOOD))
    out = tmp_path / "written.yaml"
    dump_profile(profile, out)
    text = out.read_text(encoding="utf-8")
    assert "中央労働金庫" in text and "\\u" not in text
    assert load_profile(out) == profile


@pytest.mark.parametrize(
    ("edit", "line", "where"),
    [
        (("'2963'\n    accounts", "'29630'\n    accounts"), 13, "customers.primary.bank_code"),
        (("client_secret: s3cret", "client_secret: s3cret\n  secret: x"), 9, "client.secret"),
        (("payee: {bank_code: '0005', ", "payee: {"), 19, "payee.bank_code"),
        (("replay_delay_seconds: 5", "replay_delay_seconds: -1"), 21, "idempotency.replay_delay_seconds"),
    ],
)
def test_errors_name_file_line_and_field(
    tmp_path: Path, edit: tuple[str, str], line: int, where: str
) -> None:
    assert edit[0] in GOOD
    path = _write(tmp_path, GOOD.replace(edit[0], edit[1], 1))
    with pytest.raises(CannotRun) as caught:
        load_profile(path)
    assert str(caught.value).startswith(f"{path}:{line}: {where}: "), str(caught.value)


def test_missing_customers_and_bad_yaml(tmp_path: Path) -> None:
    with pytest.raises(CannotRun, match=r"provider.yaml:1: customers: Field required"):
        load_profile(_write(tmp_path, "name: x\n"))
    with pytest.raises(CannotRun, match=r"provider.yaml:2: not valid YAML"):
        load_profile(_write(tmp_path, "name: x\n  - broken: [\n"))


def test_profile_model_is_the_sandbox_shape() -> None:
    """conformance_target's answer validates as a Profile once the URLs are added (same code path)."""
    from renkei.conformance.local_sandbox import sandbox_profile

    data = {
        "client": {"client_id": "c", "client_secret": "s"},
        "customers": {"primary": {"username": "u", "password": "p", "bank_code": "2963"}},
        "expired_access_token": "t",
    }
    profile = sandbox_profile(data, "http://127.0.0.1:1234", ["card"])
    assert isinstance(profile, Profile) and profile.base_url_for("card") == "http://127.0.0.1:1234/v2"


FAPI = """\
apis: {bank-inquiry: 'https://api.example.jp/v1'}
client:
  client_id: c_key
  private_key_jwk: keys/client.jwk.json
customers: {primary: {username: demo01, password: x, bank_code: '2963'}}
fapi:
  secret_client: {client_id: c_secret, client_secret: s3cret, redirect_uri: 'https://app.example.jp/cb'}
"""


def test_the_fapi_fields_load_with_the_key_path_next_to_the_profile(tmp_path: Path) -> None:
    profile = load_profile(_write(tmp_path, FAPI))
    assert profile.client is not None
    assert profile.client.private_key_jwk == (tmp_path / "keys" / "client.jwk.json").resolve()
    secret = profile.fapi.secret_client
    assert secret is not None and secret.client_secret == "s3cret"


def test_an_unknown_fapi_field_names_its_line(tmp_path: Path) -> None:
    with pytest.raises(CannotRun, match=r"provider.yaml:7: fapi.secret: Extra inputs are not permitted"):
        load_profile(_write(tmp_path, FAPI.replace("secret_client:", "secret:")))
