"""Rules on versions: the major version in the path, semver in info.version."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from renkei.checking.document import Document, Pointer
from renkei.checking.findings import Severity
from renkei.checking.registry import rule
from renkei.loading.text import Text

Findings = Iterator[tuple[Pointer, Text]]

# Semantic Versioning 2.0.0 (the regex given by semver.org).
SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
_VERSION_SEGMENT = re.compile(r"/v(\d+)(?=/|$)")


def _major(document: Document) -> int | None:
    info = document.root.get("info")
    version = info.get("version") if isinstance(info, dict) else None
    match = SEMVER.match(version) if isinstance(version, str) else None
    return int(match.group(1)) if match else None


@rule(
    "info-version-semver",
    Severity.ERROR,
    "info.version is a semantic version (MAJOR.MINOR.PATCH)",
    ja="info.version がセマンティックバージョン (MAJOR.MINOR.PATCH) である",
)
def info_version_semver(document: Document) -> Findings:
    info = document.root.get("info")
    version = info.get("version") if isinstance(info, dict) else None
    if isinstance(info, dict) and (not isinstance(version, str) or not SEMVER.match(version)):
        yield (
            ("info", "version"),
            Text(
                f"info.version {version!r} is not a semantic version such as 1.0.0",
                f"info.version {version!r} は 1.0.0 のようなセマンティックバージョンではありません",
            ),
        )


@rule(
    "version-in-path",
    Severity.ERROR,
    "every server URL (or else every path) carries the major version `/v<major>` of info.version",
    ja="すべてのサーバー URL (なければすべてのパス) が info.version のメジャーバージョン `/v<major>` を含む",
)
def version_in_path(document: Document) -> Findings:
    major = _major(document)
    servers = document.root.get("servers")
    server_urls: list[tuple[int, str]] = [
        (index, str(server["url"]))
        for index, server in enumerate(servers if isinstance(servers, list) else [])
        if isinstance(server, dict) and isinstance(server.get("url"), str)
    ]
    versioned_servers = server_urls and all(
        _VERSION_SEGMENT.search(urlsplit(url).path) for _, url in server_urls
    )
    if versioned_servers:
        for index, url in server_urls:
            found = _VERSION_SEGMENT.search(urlsplit(url).path)
            if found and major is not None and int(found.group(1)) != major:
                yield (
                    ("servers", index, "url"),
                    Text(
                        f"server {url} carries /v{found.group(1)} but info.version is major {major}",
                        f"サーバー {url} は /v{found.group(1)} ですが info.version のメジャーは {major} です",
                    ),
                )
        return
    paths = document.root.get("paths")
    unversioned = (
        [path for path in paths if not _VERSION_SEGMENT.match(path)] if isinstance(paths, dict) else []
    )
    if not unversioned:
        return
    if server_urls:
        for index, url in server_urls:
            if not _VERSION_SEGMENT.search(urlsplit(url).path):
                yield (
                    ("servers", index, "url"),
                    Text(
                        f"server {url} does not carry the major version (/v{major or 1})",
                        f"サーバー {url} にメジャーバージョン (/v{major or 1}) がありません",
                    ),
                )
    else:
        for path in unversioned:
            yield (
                ("paths", path),
                Text(
                    f"path {path} does not start with the major version (/v{major or 1})",
                    f"パス {path} がメジャーバージョン (/v{major or 1}) で始まっていません",
                ),
            )
