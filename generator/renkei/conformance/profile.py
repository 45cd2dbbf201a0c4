"""The provider profile: everything the suite needs to know about one deployment, in one YAML file.

A partner writes it for a real bank; `--sandbox` writes one for the sandbox it starts, and both runs go
through the same code. Validated with pydantic; errors name the file and line (`profile.yaml:12: ...`).
See docs/conformance.md for every field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from yaml.nodes import MappingNode, Node, SequenceNode

from renkei.conformance.errors import CannotRun

DEFAULT_REDIRECT_URI = "http://127.0.0.1:9/callback"

BankCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")]
JpyDigits = Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]{0,15}$")]
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s/]+(/\S*)?$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClientCredentials(_Strict):
    client_id: str = Field(min_length=1)
    client_secret: str | None = None
    """client_secret_basic (the sandbox before FAPI); a FAPI provider uses `private_key_jwk` instead."""
    private_key_jwk: Path | None = None
    """A file holding the client's private JWK (private_key_jwt client authentication)."""
    redirect_uri: Url = DEFAULT_REDIRECT_URI


class Customer(_Strict):
    username: str | None = None
    password: str | None = None
    """Login id and password for the provider's login page (the suite drives the OAuth flow headless)."""
    bank_code: BankCode | None = None
    accounts: tuple[str, ...] = ()
    """Account ids the customer consents to (discovered with the customer's token when empty)."""
    cards: tuple[str, ...] = ()
    access_token: str | None = None
    """A token to use instead of the OAuth flow (then the flow's checks are skipped)."""


class Customers(_Strict):
    primary: Customer
    """The customer the suite tests with."""
    secondary: Customer | None = None
    """Another customer of the same bank: its ids are the primary customer's foreign ids (isolation)."""


class OtherBank(_Strict):
    bank_code: BankCode
    accounts: tuple[str, ...] = Field(min_length=1)
    """Account ids of a customer of that bank (same deployment)."""


class Payee(_Strict):
    bank_code: BankCode
    branch_code: Annotated[str, StringConstraints(pattern=r"^[0-9]{3}$")]
    deposit_type: Annotated[str, StringConstraints(pattern=r"^[0-9]$")] = "1"
    account_number: Annotated[str, StringConstraints(pattern=r"^[0-9]{7}$")]
    name: str = Field(min_length=1)
    """The account holder's name in Zengin kana (ﾛｳｷﾝ ﾀﾛｳ)."""


class Amounts(_Strict):
    above_transfer_limit: JpyDigits | None = None
    """A transfer amount above the provider's per-transfer limit."""
    above_balance: JpyDigits | None = None
    """Above the primary account's available balance but within the limits (default: balance + 1)."""


class Idempotency(_Strict):
    replay_delay_seconds: float = Field(default=3.0, ge=0, le=86400)
    """How long the suite waits before replaying a createTransfer that must still be recognised."""


class AuthorizationServer(_Strict):
    metadata_url: Url | None = None
    """RFC 8414 metadata (default: <origin>/.well-known/oauth-authorization-server)."""


class Fapi(_Strict):
    """What the FAPI 2.0 check group (`--group fapi`) needs besides `client.private_key_jwk`."""

    secret_client: ClientCredentials | None = None
    """A client registered with a `client_secret`: a FAPI 2.0 provider must refuse it at the PAR and
    token endpoints (private_key_jwt or mTLS only). Without it `fapi-client-secret-refused` is skipped."""


class Profile(_Strict):
    name: str = "provider"
    apis: dict[str, Url] = Field(default_factory=dict)
    """API name (the spec's file stem: bank-inquiry, bank-transfer, card) -> its base URL (`.../v2`)."""
    authorization_server: AuthorizationServer = AuthorizationServer()
    client: ClientCredentials | None = None
    other_client: ClientCredentials | None = None
    """A second registered client: its revocation must not touch the first client's tokens."""
    customers: Customers
    other_bank: OtherBank | None = None
    payee: Payee | None = None
    amounts: Amounts = Amounts()
    expired_access_token: str | None = None
    """An access token the provider issued to the primary customer that has expired."""
    operations: tuple[str, ...] | None = None
    """The operationIds the provider offers (default: every operation of the specs)."""
    idempotency: Idempotency = Idempotency()
    fapi: Fapi = Fapi()

    def base_url_for(self, api: str) -> str | None:
        return self.apis.get(api)

    def origin(self) -> str:
        """The authorization server's origin: from its metadata URL, else the first API's origin."""
        url = self.authorization_server.metadata_url or next(iter(self.apis.values()), "")
        scheme, _, rest = url.partition("://")
        return f"{scheme}://{rest.split('/', 1)[0]}" if rest else ""

    def metadata_url(self) -> str:
        return self.authorization_server.metadata_url or (
            self.origin() + "/.well-known/oauth-authorization-server"
        )


def _line_of(root: Node | None, location: tuple[int | str, ...]) -> int | None:
    """The 1-based line of the YAML node at a pydantic error location (the closest existing parent)."""
    node, line = root, (root.start_mark.line + 1) if root is not None else None
    for key in location:
        if isinstance(node, MappingNode):
            found = next(((k, v) for k, v in node.value if getattr(k, "value", None) == str(key)), None)
            if found is None:
                return line
            line, node = found[0].start_mark.line + 1, found[1]
        elif isinstance(node, SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _first_error(path: Path, root: Node | None, error: ValidationError) -> str:
    first = error.errors()[0]
    location = tuple(first["loc"])
    where = ".".join(str(part) for part in location) or "(top level)"
    line = _line_of(root, location)
    prefix = f"{path}:{line}" if line else str(path)
    more = len(error.errors()) - 1
    suffix = f" (and {more} more)" if more else ""
    return f"{prefix}: {where}: {first['msg']}{suffix}"


def parse_profile(text: str, path: Path) -> Profile:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise CannotRun(f"{path}{line}: not valid YAML: {getattr(error, 'problem', error)}") from None
    if not isinstance(data, dict):
        raise CannotRun(f"{path}:1: a provider profile is a mapping (name, apis, client, customers, ...)")
    try:
        return Profile.model_validate(data)
    except ValidationError as error:
        raise CannotRun(_first_error(path, root, error)) from None


def load_profile(path: Path) -> Profile:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CannotRun(f"cannot read the profile {path}: {error.strerror}") from None
    profile = parse_profile(text, path)
    for client in (profile.client, profile.other_client, profile.fapi.secret_client):
        if (
            client is not None
            and client.private_key_jwk is not None
            and not client.private_key_jwk.is_absolute()
        ):
            resolved = (path.parent / client.private_key_jwk).resolve()
            object.__setattr__(client, "private_key_jwk", resolved)
    return profile


def dump_profile(profile: Profile, path: Path) -> None:
    """Write `profile` as YAML (UTF-8, Japanese as is) that `load_profile` reads back."""
    data = profile.model_dump(mode="json", exclude_none=True)
    header = "# renkei conformance provider profile (see docs/conformance.md)\n"
    path.write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
