"""Exports (their phases and the download they point at) and restores (current and deprecated),
with what a backup holds: database dumps and directories.

Table backups: 1 Completed with a Completed export; 2 Completed, nothing running; 3 with a
Pending export and a running restore; 4 Failed; 5 with a running deprecated restorePath;
6 with a completed restore; 7 InProgress; 8 Pending with an Exporting export.
"""

from __future__ import annotations

import hashlib
import io
import tarfile
import zipfile
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest

from mockapi.backups.archive import PLACEHOLDER_ORIGIN
from mockapi.backups.exports import signature
from mockapi.data.loading import load_default_dataset
from tests.support import SpecClient, backup_id, numbers

LIST = "/v2/projects/p-tbl001/backups"
TOKEN = {"x-access-token": "t"}


def one(n: int | str) -> str:
    """The URL of one backup, by table number or id."""
    return f"/v2/project-backups/{backup_id(n) if isinstance(n, int) else n}"


def backup(api: SpecClient, n: int | str) -> dict[str, Any]:
    response = api.get(one(n))
    assert response.status_code == 200
    found: dict[str, Any] = response.json()
    return found


LOADED = "dddddddd-0000-4000-8000-000000000001"


def loaded_backup(**fields: Any) -> dict[str, Any]:
    """A completed backup of its own project, with the given fields."""
    return {
        "id": LOADED,
        "projectId": "dddddddd-1111-4000-8000-000000000001",
        "requestedAt": "2026-01-29T03:00:00.000Z",
        "createdAt": "2026-01-29T03:01:00.000Z",
        "status": "Completed",
        "deletable": False,
        **fields,
    }


def serve(api: SpecClient, backups: list[dict[str, Any]]) -> None:
    """Serve exactly these backups (through the control API, like any client)."""
    assert api.client.put("/_mockapi/data", json=backups).status_code == 200


def export_of(api: SpecClient, n: int | str) -> dict[str, Any] | None:
    found: dict[str, Any] | None = backup(api, n).get("export")
    return found


def errors_of(response: Any) -> list[tuple[str, str]]:
    assert response.status_code == 400, response.status_code
    return [(e["path"], e["type"]) for e in response.json()["validationErrors"]]


def download(api: SpecClient, url: str, headers: dict[str, str] | None = None) -> Any:
    """GET a downloadURL on the app under test (path and signature: the origin is public_url)."""
    parts = urlsplit(url)
    return api.client.get(f"{parts.path}?{parts.query}", headers=headers or {})


# --- exports: creating and validating --------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "with_password"),
    [
        ({"format": "tar"}, False),
        ({"format": "zip", "password": "secret"}, True),
        ({"format": "tar", "password": ""}, True),
    ],
)
def test_an_export_starts_pending_without_url_or_checksum(
    api: SpecClient, body: dict[str, Any], with_password: bool
) -> None:
    assert api.post(one(2) + "/export", json=body).status_code == 204
    assert export_of(api, 2) == {
        "format": body["format"],
        "phase": "Pending",
        "withPassword": with_password,
    }
    assert 2 in numbers(api.get(f"{LIST}?withExportsOnly=true"))


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, [("format", "required")]),
        ({"format": "rar"}, [("format", "enum")]),
        ({"format": "TAR"}, [("format", "enum")]),
        ({"format": None}, [("format", "enum")]),
        ({"format": "tar", "password": 1}, [("password", "type")]),
        ({"format": "tar", "password": None}, [("password", "type")]),
        (None, [("", "required")]),
    ],
)
def test_an_export_request_is_validated(
    api: SpecClient, body: Any, errors: list[tuple[str, str]]
) -> None:
    assert errors_of(api.post(one(2) + "/export", json=body)) == errors
    assert export_of(api, 2) is None


def test_an_invalid_format_names_the_allowed_ones(api: SpecClient) -> None:
    item = api.post(one(2) + "/export", json={"format": "rar"}).json()["validationErrors"][0]
    assert item["context"] == {"allowedValues": "tar, zip"}


@pytest.mark.parametrize(
    ("n", "reason"),
    [
        (4, "Failed backup"),
        (7, "InProgress backup"),
        (8, "Pending backup (whose export is Exporting)"),
        (3, "export already Pending"),
    ],
)
def test_only_a_completed_backup_without_a_running_export_can_be_exported(
    api: SpecClient, n: int, reason: str
) -> None:
    before = export_of(api, n)
    response = api.post(one(n) + "/export", json={"format": "zip"})
    assert response.status_code == 412, reason
    assert response.json()["type"] == "FailedPrecondition"
    assert export_of(api, n) == before


def test_a_running_export_refuses_another_until_it_completes(api: SpecClient) -> None:
    assert api.post(one(2) + "/export", json={"format": "tar"}).status_code == 204
    api.advance(10)
    assert export_of(api, 2)["phase"] == "Exporting"  # type: ignore[index]
    assert api.post(one(2) + "/export", json={"format": "zip"}).status_code == 412
    api.advance(20)
    assert api.post(one(2) + "/export", json={"format": "zip"}).status_code == 204
    assert export_of(api, 2) == {"format": "zip", "phase": "Pending", "withPassword": False}


def test_a_created_backup_can_be_exported_once_completed(api: SpecClient) -> None:
    created = api.post(LIST, json={"expirationTime": "2026-03-01T00:00:00Z"}).json()
    assert api.post(one(created["id"]) + "/export", json={"format": "tar"}).status_code == 412
    api.advance(10)
    assert api.post(one(created["id"]) + "/export", json={"format": "tar"}).status_code == 204


# --- exports: phases over time -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("export_seconds", "timeline"),
    [
        (30, [(7, "Pending"), (8, "Exporting"), (29, "Exporting"), (30, "Completed")]),
        (8, [(1, "Pending"), (2, "Exporting"), (7, "Exporting"), (8, "Completed")]),
    ],
)
def test_an_export_goes_pending_exporting_completed(
    make_api: Callable[..., SpecClient], export_seconds: int, timeline: list[tuple[int, str]]
) -> None:
    api = make_api(export_seconds=export_seconds)
    api.post(one(2) + "/export", json={"format": "tar"})
    elapsed = 0
    for second, phase in timeline:
        api.advance(second - elapsed)
        elapsed = second
        export = export_of(api, 2)
        assert export is not None
        assert export["phase"] == phase, second
        done = phase == "Completed"
        assert ("downloadURL" in export) is done
        assert ("sha256Checksum" in export) is done
        assert ("expiresAt" in export) is done


@pytest.mark.parametrize("valid_days", [7, 2])
def test_a_completed_export_expires_after_export_valid_days(
    make_api: Callable[..., SpecClient], valid_days: int
) -> None:
    api = make_api(export_valid_days=valid_days)
    api.post(one(2) + "/export", json={"format": "zip", "password": "pw"})
    api.advance(30)
    completed = export_of(api, 2)
    assert completed is not None
    # Completed at 12:00:30 on the 30th: valid for whole days from then.
    expected = {7: "2026-02-06T12:00:30.000Z", 2: "2026-02-01T12:00:30.000Z"}[valid_days]
    assert completed["expiresAt"] == expected
    api.advance(valid_days * 86_400 - 1)
    assert export_of(api, 2)["phase"] == "Completed"  # type: ignore[index]
    api.advance(1)
    assert export_of(api, 2) == {
        "expiresAt": completed["expiresAt"],
        "format": "zip",
        "phase": "Expired",
        "withPassword": True,
    }
    # Its signed URL has expired with it.
    gone = download(api, completed["downloadURL"])
    assert gone.status_code == 403
    assert gone.json()["message"] == "this download URL has expired: request a new export"


def test_loaded_running_exports_move_on_from_the_moment_they_were_loaded(
    api: SpecClient,
) -> None:
    api.advance(8)
    assert export_of(api, 3)["phase"] == "Exporting"  # type: ignore[index]
    api.advance(22)
    export = export_of(api, 3)
    assert export is not None
    assert export["phase"] == "Completed"
    assert export["withPassword"] is True
    assert download(api, export["downloadURL"]).status_code == 200


def test_a_loaded_exporting_export_completes_from_the_moment_it_was_loaded(
    api: SpecClient,
) -> None:
    serve(
        api, [loaded_backup(export={"format": "tar", "phase": "Exporting", "withPassword": False})]
    )
    api.advance(30)
    export = export_of(api, LOADED)
    assert export is not None
    assert export["phase"] == "Completed"
    assert download(api, export["downloadURL"]).status_code == 200


def test_a_loaded_completed_export_expires_when_the_clock_passes_its_expiry(
    api: SpecClient,
) -> None:
    # Backup 1's export expires 2026-02-01T00:00:00Z, 36 hours after the frozen now.
    api.advance(36 * 3600 - 1)
    assert export_of(api, 1)["phase"] == "Completed"  # type: ignore[index]
    api.advance(1)
    assert export_of(api, 1)["phase"] == "Expired"  # type: ignore[index]


@pytest.mark.parametrize(
    ("phase", "expires"),
    [
        ("Completed", "2026-01-30T12:00:00.000Z"),  # reached at loading: served as given
        ("Completed", "2026-01-20T00:00:00.000Z"),
        ("Failed", "2026-01-31T00:00:00.000Z"),  # only a completed export expires
    ],
)
def test_a_loaded_export_stays_as_given_unless_the_clock_passes_its_expiry(
    api: SpecClient, phase: str, expires: str
) -> None:
    export = {"expiresAt": expires, "format": "tar", "phase": phase, "withPassword": False}
    serve(api, [loaded_backup(export=export)])
    api.advance(3 * 86_400)
    assert export_of(api, LOADED) == export


def test_a_deleted_exports_pending_steps_do_not_move_a_new_export(api: SpecClient) -> None:
    api.post(one(2) + "/export", json={"format": "tar"})
    api.advance(20)
    assert api.delete(one(2) + "/export").status_code == 204
    api.post(one(2) + "/export", json={"format": "zip"})
    api.advance(10)  # the first export would have completed now
    assert export_of(api, 2)["phase"] == "Exporting"  # type: ignore[index]
    api.advance(20)
    assert export_of(api, 2)["phase"] == "Completed"  # type: ignore[index]


# --- exports: deleting -------------------------------------------------------------------------


def test_deleting_an_export_removes_it_and_its_download(api: SpecClient) -> None:
    api.post(one(2) + "/export", json={"format": "zip"})
    api.advance(30)
    url = export_of(api, 2)["downloadURL"]  # type: ignore[index]
    assert download(api, url).status_code == 200
    assert api.delete(one(2) + "/export").status_code == 204
    assert export_of(api, 2) is None
    assert 2 not in numbers(api.get(f"{LIST}?withExportsOnly=true"))
    assert download(api, url).status_code == 404


def test_a_loaded_export_can_be_deleted(api: SpecClient) -> None:
    assert api.delete(one(1) + "/export").status_code == 204
    assert export_of(api, 1) is None


@pytest.mark.parametrize(
    "export",
    [
        {"format": "tar", "phase": "Failed", "withPassword": False},
        {"format": "zip", "phase": "Expired", "withPassword": True},
        # Completed without an expiresAt: nothing is planned for it.
        {
            "downloadURL": "https://example.invalid/backup.tar.gz",
            "format": "tar",
            "phase": "Completed",
            "withPassword": False,
        },
    ],
)
def test_an_export_in_any_phase_can_be_deleted(api: SpecClient, export: dict[str, Any]) -> None:
    serve(api, [loaded_backup(export=export)])
    assert api.delete(one(LOADED) + "/export").status_code == 204
    assert export_of(api, LOADED) is None


def test_deleting_an_export_that_is_not_there_is_404(api: SpecClient) -> None:
    response = api.delete(one(2) + "/export")
    assert response.status_code == 404
    assert response.json()["type"] == "NotFound"


def test_a_running_export_can_be_deleted(api: SpecClient) -> None:
    assert api.delete(one(3) + "/export").status_code == 204
    api.advance(60)
    assert export_of(api, 3) is None


# --- exports: the download ---------------------------------------------------------------------


def without_trace(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "params"}


def _members(data: bytes, fmt: str) -> dict[str, bytes]:
    if fmt == "zip":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert archive.testzip() is None
            return {name: archive.read(name) for name in archive.namelist()}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        files = {}
        for member in archive.getmembers():
            extracted = archive.extractfile(member)
            assert extracted is not None
            files[member.name] = extracted.read()
        return files


@pytest.mark.parametrize(
    ("fmt", "name", "content_type"),
    [("tar", "backup.tar.gz", "application/gzip"), ("zip", "backup.zip", "application/zip")],
)
def test_a_completed_export_is_downloadable_without_token_and_matches_its_checksum(
    make_api: Callable[..., SpecClient], fmt: str, name: str, content_type: str
) -> None:
    api = make_api(public_url="https://mock.example:8443/")
    api.post(one(2) + "/export", json={"format": fmt})
    api.advance(30)
    export = export_of(api, 2)
    assert export is not None
    url = urlsplit(export["downloadURL"])
    assert url._replace(query="").geturl() == (
        f"https://mock.example:8443/_mockapi/exports/{backup_id(2)}/{name}"
    )
    # Signed until the export expires (2026-02-06T12:00:30Z), as the URL says.
    assert url.query.startswith("expires=1770379230&signature=")
    response = download(api, export["downloadURL"])
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    # The official CLI names the file from Content-Disposition and resumes with Range.
    assert (
        response.headers["content-disposition"]
        == f'attachment; filename="{backup_id(2)}.{name[7:]}"'
    )
    assert response.headers["accept-ranges"] == "bytes"
    assert hashlib.sha256(response.content).hexdigest() == export["sha256Checksum"]
    members = _members(response.content, fmt)
    assert backup_id(2).encode() in members["backup-info.json"]


def test_the_download_url_defaults_to_the_servers_own_address(api: SpecClient) -> None:
    api.post(one(2) + "/export", json={"format": "zip"})
    api.advance(30)
    assert export_of(api, 2)["downloadURL"].startswith(  # type: ignore[index]
        f"http://127.0.0.1:8080/_mockapi/exports/{backup_id(2)}/backup.zip?expires="
    )


def _signed_url(api: SpecClient) -> str:
    """The signed download path and query of a completed tar export of backup 2."""
    api.post(one(2) + "/export", json={"format": "tar"})
    api.advance(30)
    parts = urlsplit(export_of(api, 2)["downloadURL"])  # type: ignore[index]
    return f"{parts.path}?{parts.query}"


def _altered(url: str, change: str) -> str:
    path, query = url.split("?")
    fields = dict(item.split("=") for item in query.split("&"))
    if change == "no signature":
        return path
    if change == "signature left out":
        return f"{path}?expires={fields['expires']}"
    if change == "signature altered":
        last = "0" if fields["signature"][-1] != "0" else "1"
        return f"{path}?expires={fields['expires']}&signature={fields['signature'][:-1]}{last}"
    if change == "expiry moved":
        return f"{path}?expires={int(fields['expires']) + 86_400}&signature={fields['signature']}"
    if change == "other format":
        return url.replace("backup.tar.gz", "backup.zip")
    if change == "other backup":
        return url.replace(backup_id(2), backup_id(1))
    raise AssertionError(change)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("no signature", "this download URL is not signed: use the export's downloadURL"),
        ("signature left out", "this download URL's signature does not match it"),
        ("signature altered", "this download URL's signature does not match it"),
        ("expiry moved", "this download URL's signature does not match it"),
        ("other format", "this download URL's signature does not match it"),
        ("other backup", "this download URL's signature does not match it"),
    ],
)
def test_a_download_url_without_its_signature_or_altered_is_refused(
    api: SpecClient, change: str, message: str
) -> None:
    url = _signed_url(api)
    assert api.client.get(url).status_code == 200
    response = api.client.get(_altered(url, change))
    assert response.status_code == 403
    assert without_trace(response.json()) == {"type": "PermissionDenied", "message": message}


def test_a_seeded_server_signs_its_download_urls_with_a_secret_from_the_seed(
    make_api: Callable[..., SpecClient],
) -> None:
    urls = []
    for _ in range(2):
        urls.append(_signed_url(make_api(seed=5)))
    assert urls[0] == urls[1]
    secret = hashlib.sha256(b"mockapi-downloads:5").digest()
    expected = signature(secret, backup_id(2), "tar", 1770379230)
    assert urls[0].endswith(f"?expires=1770379230&signature={expected}")
    # Without a seed, each start has a secret of its own: a URL is no good elsewhere.
    assert _signed_url(make_api()) != _signed_url(make_api())


@pytest.mark.parametrize(
    "backup",
    [
        2,  # no export
        3,  # Pending
        8,  # Exporting
        404,  # no such backup
        # A loaded export that names its own URL elsewhere is not served here.
        1,
    ],
)
def test_a_signed_url_finds_nothing_without_a_completed_export(
    make_api: Callable[..., SpecClient], backup: int
) -> None:
    api = make_api(seed=5)
    secret = hashlib.sha256(b"mockapi-downloads:5").digest()
    expires = 1770379230
    signed = signature(secret, backup_id(backup), "tar", expires)
    path = f"/_mockapi/exports/{backup_id(backup)}/backup.tar.gz"
    response = api.client.get(f"{path}?expires={expires}&signature={signed}")
    assert response.status_code == 404
    assert response.json()["type"] == "NotFound"


@pytest.mark.parametrize(
    ("given", "status", "content_range", "part"),
    [
        ("bytes=0-9", 206, "bytes 0-9/{size}", slice(0, 10)),
        ("bytes=100-", 206, "bytes 100-{last}/{size}", slice(100, None)),
        ("bytes=-5", 206, "bytes {tail5}-{last}/{size}", slice(-5, None)),
        ("bytes=10-99999999", 206, "bytes 10-{last}/{size}", slice(10, None)),
        ("bytes={size}-", 416, "bytes */{size}", None),
        ("bytes=-0", 416, "bytes */{size}", None),
        # Not one byte range: ignored, the whole file (RFC 9110 allows it).
        ("bytes=0-1,5-6", 200, None, slice(None)),
        ("items=0-9", 200, None, slice(None)),
        ("bytes=9-2", 200, None, slice(None)),
    ],
)
def test_a_download_resumes_with_range(
    api: SpecClient, given: str, status: int, content_range: str | None, part: slice | None
) -> None:
    url = _signed_url(api)
    whole = api.client.get(url).content
    size = len(whole)
    numbers = {"size": size, "last": size - 1, "tail5": size - 5}
    response = api.client.get(url, headers={"range": given.format(**numbers)})
    assert response.status_code == status
    if content_range is not None:
        assert response.headers["content-range"] == content_range.format(**numbers)
    else:
        assert "content-range" not in response.headers
    if part is None:
        assert without_trace(response.json()) == {
            "type": "RangeNotSatisfiable",
            "message": f"the requested range is not satisfiable: the file has {size} bytes",
        }
    else:
        assert response.content == whole[part]


def test_a_download_cut_off_and_resumed_is_the_whole_archive(api: SpecClient) -> None:
    url = _signed_url(api)
    whole = api.client.get(url).content
    first = api.client.get(url, headers={"range": "bytes=0-99"}).content
    rest = api.client.get(url, headers={"range": "bytes=100-"}).content
    assert first + rest == whole


@pytest.mark.parametrize(
    ("fmt", "name"), [("tar", "backup.tar.gz"), ("zip", "backup.zip"), ("tgz", "backup.tar.gz")]
)
def test_a_loaded_export_at_the_placeholder_origin_is_served_here_as_tar_gz_unless_zip(
    api: SpecClient, fmt: str, name: str
) -> None:
    placeholder = {
        "downloadURL": f"{PLACEHOLDER_ORIGIN}/any/backup",
        "format": fmt,
        "phase": "Completed",
        "withPassword": False,
    }
    serve(api, [loaded_backup(export=placeholder)])
    export = export_of(api, LOADED)
    assert export is not None
    assert export["downloadURL"].startswith(
        f"http://127.0.0.1:8080/_mockapi/exports/{LOADED}/{name}?expires="
    )
    response = download(api, export["downloadURL"])
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == export["sha256Checksum"]


def test_the_default_datasets_completed_exports_are_downloadable(
    make_api: Callable[..., SpecClient],
) -> None:
    api = make_api(load_default_dataset())
    exports = []
    for project in ("p-kbuygq", "p-4x9zt2", "p-n3wpr0"):
        for item in api.get(f"/v2/projects/{project}/backups").json():
            export = item.get("export", {})
            if export.get("phase") == "Completed":
                exports.append(export)
    assert len(exports) >= 2
    for export in exports:
        assert export["downloadURL"].startswith("http://127.0.0.1:8080/_mockapi/exports/")
        response = download(api, export["downloadURL"])
        assert response.status_code == 200, export["downloadURL"]
        assert hashlib.sha256(response.content).hexdigest() == export["sha256Checksum"]
        _members(response.content, export["format"])


def test_the_download_is_answered_with_a_trace_id_and_recorded_in_the_journal(
    api: SpecClient,
) -> None:
    api.post(one(2) + "/export", json={"format": "tar"})
    api.advance(30)
    url = export_of(api, 2)["downloadURL"]  # type: ignore[index]
    response = download(api, url)
    assert len(response.headers["x-traceid"]) == 16
    entries = api.control("GET", "journal").json()["entries"]
    assert (entries[-1]["method"], entries[-1]["path"], entries[-1]["status"]) == (
        "GET",
        urlsplit(url).path,
        200,
    )


# --- restores ----------------------------------------------------------------------------------


def dumps(api: SpecClient, n: int | str) -> list[str]:
    response = api.get(one(n) + "/database-dumps")
    assert response.status_code == 200
    assert set(response.json()) == {"databases"}
    names: list[str] = response.json()["databases"]
    return names


def test_a_completed_backup_names_its_database_dumps_the_same_every_time(
    api: SpecClient,
) -> None:
    names = dumps(api, 2)
    assert names
    assert all(name.startswith("dbdump-") for name in names)
    assert dumps(api, 2) == names


def test_a_backup_still_being_made_has_no_database_dumps(api: SpecClient) -> None:
    assert dumps(api, 7) == []


@pytest.mark.parametrize(
    ("body", "restore"),
    [
        (
            {"pathRestore": {"sourcePaths": ["/html/app/config/", "/html/app/public/"]}},
            {
                "pathRestore": {
                    "clearTargetPath": False,
                    "determinedTargetPath": "/html/app",
                    "sourcePaths": ["/html/app/config/", "/html/app/public/"],
                },
                "phase": "running",
            },
        ),
        (
            {
                "pathRestore": {
                    "sourcePaths": ["/html/app/"],
                    "targetRestorePath": "/html/restored",
                    "clearTargetPath": True,
                }
            },
            {
                "pathRestore": {
                    "clearTargetPath": True,
                    "determinedTargetPath": "/html/restored",
                    "sourcePaths": ["/html/app/"],
                    "targetRestorePath": "/html/restored",
                },
                "phase": "running",
            },
        ),
        (
            {"pathRestore": {"sourcePaths": ["/html/app/", "files/export.csv"]}},
            {
                "pathRestore": {
                    "clearTargetPath": False,
                    "determinedTargetPath": "/",
                    "sourcePaths": ["/html/app/", "files/export.csv"],
                },
                "phase": "running",
            },
        ),
    ],
)
def test_a_path_restore_runs_with_its_determined_target(
    api: SpecClient, body: dict[str, Any], restore: dict[str, Any]
) -> None:
    assert api.post(one(2) + "/restore", json=body).status_code == 204
    assert backup(api, 2)["restore"] == restore


@pytest.mark.parametrize(
    ("sources", "determined"),
    [
        (["html/app/", "/html/app/public/"], "/html/app"),
        # Only leading slashes are dropped: a name is taken as it is, whatever it starts with.
        (["/Xmas/photos/"], "/Xmas/photos"),
        (["XX/a/", "XX/b/"], "/XX"),
        ([" notes/", " notes/old/"], "/ notes"),
    ],
)
def test_the_determined_target_is_the_common_directory_of_the_sources(
    api: SpecClient, sources: list[str], determined: str
) -> None:
    body = {"pathRestore": {"sourcePaths": sources}}
    assert api.post(one(2) + "/restore", json=body).status_code == 204
    assert backup(api, 2)["restore"]["pathRestore"]["determinedTargetPath"] == determined


def test_a_database_restore_names_a_dump_of_the_backup(api: SpecClient) -> None:
    dump = dumps(api, 2)[0]
    target = "AAAAAAAA-1111-4111-8111-111111111111"
    body = {"databaseRestores": [{"databaseBackupDump": dump, "targetDatabaseId": target}]}
    assert api.post(one(2) + "/restore", json=body).status_code == 204
    assert backup(api, 2)["restore"] == {
        "databaseRestores": [{"databaseBackupDump": dump, "targetDatabaseId": target.lower()}],
        "phase": "running",
    }


def test_a_restore_can_name_databases_and_paths_together(api: SpecClient) -> None:
    dump = dumps(api, 2)[0]
    body = {
        "databaseRestores": [{"databaseBackupDump": dump, "targetDatabaseId": backup_id(77)}],
        "pathRestore": {"sourcePaths": ["/html/"]},
    }
    assert api.post(one(2) + "/restore", json=body).status_code == 204
    restore = backup(api, 2)["restore"]
    assert set(restore) == {"databaseRestores", "pathRestore", "phase"}


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, [("", "anyOf")]),
        ({"databaseRestores": []}, [("", "anyOf")]),
        (None, [("", "required")]),
        ({"pathRestore": {"sourcePaths": []}}, [("pathRestore.sourcePaths", "minItems")]),
        ({"pathRestore": {}}, [("pathRestore.sourcePaths", "required")]),
        ({"pathRestore": {"sourcePaths": "/html"}}, [("pathRestore.sourcePaths", "type")]),
        ({"pathRestore": {"sourcePaths": [1]}}, [("pathRestore.sourcePaths[0]", "type")]),
        (
            {"pathRestore": {"sourcePaths": ["/"], "clearTargetPath": "yes"}},
            [("pathRestore.clearTargetPath", "type")],
        ),
        ({"pathRestore": None}, [("pathRestore", "type")]),
        (
            {"databaseRestores": [{"databaseBackupDump": "dbdump-nope", "targetDatabaseId": "x"}]},
            [("databaseRestores[0].targetDatabaseId", "format")],
        ),
        (
            {"databaseRestores": [{"databaseBackupDump": "dbdump-nope"}]},
            [("databaseRestores[0].targetDatabaseId", "required")],
        ),
        (
            {
                "databaseRestores": [
                    {"targetDatabaseId": backup_id(1)},
                    {"databaseBackupDump": "dbdump-nope", "targetDatabaseId": backup_id(1)},
                ]
            },
            [("databaseRestores[0].databaseBackupDump", "required")],
        ),
        (
            {
                "databaseRestores": [
                    {"databaseBackupDump": "dbdump-nope", "targetDatabaseId": backup_id(9)}
                ]
            },
            [("databaseRestores[0].databaseBackupDump", "enum")],
        ),
        ({"databaseRestores": {}}, [("databaseRestores", "type")]),
    ],
)
def test_a_restore_request_is_validated(
    api: SpecClient, body: Any, errors: list[tuple[str, str]]
) -> None:
    assert errors_of(api.post(one(2) + "/restore", json=body)) == errors
    assert "restore" not in backup(api, 2)


def test_an_unknown_dump_names_the_dumps_the_backup_has(
    make_api: Callable[..., SpecClient],
) -> None:
    api = make_api(load_default_dataset())
    backups = api.get("/v2/projects/p-4x9zt2/backups").json()
    chosen = next(b for b in backups if b["status"] == "Completed" and "restore" not in b)
    names = dumps(api, chosen["id"])
    assert len(names) == 2
    body = {"databaseRestores": [{"databaseBackupDump": "x", "targetDatabaseId": backup_id(9)}]}
    item = api.post(one(chosen["id"]) + "/restore", json=body).json()["validationErrors"][0]
    assert item["context"] == {"allowedValues": ", ".join(names)}
    assert all(f'"{name}"' in item["message"] for name in names)


@pytest.mark.parametrize(
    ("n", "reason"),
    [
        (4, "Failed"),
        (7, "InProgress"),
        (8, "Pending"),
        (3, "restore running"),
        (5, "deprecated restorePath running"),
    ],
)
@pytest.mark.parametrize(
    ("suffix", "body"),
    [
        ("/restore", {"pathRestore": {"sourcePaths": ["/html"]}}),
        ("/restore-path", {"sourcePath": "/html"}),
    ],
)
def test_only_a_completed_backup_without_a_running_restore_can_be_restored(
    api: SpecClient, n: int, reason: str, suffix: str, body: dict[str, Any]
) -> None:
    before = backup(api, n)
    response = api.post(one(n) + suffix, json=body)
    assert response.status_code == 412, reason
    assert response.json()["type"] == "FailedPrecondition"
    assert backup(api, n) == before


@pytest.mark.parametrize("restore_seconds", [30, 5])
def test_a_restore_completes_after_restore_seconds(
    make_api: Callable[..., SpecClient], restore_seconds: int
) -> None:
    api = make_api(restore_seconds=restore_seconds)
    api.post(one(2) + "/restore", json={"pathRestore": {"sourcePaths": ["/html"]}})
    assert numbers(api.get(f"{LIST}?runningRestoresOnly=true")) == [2, 3, 5]
    api.advance(restore_seconds - 1)
    assert backup(api, 2)["restore"]["phase"] == "running"
    api.advance(1)
    assert backup(api, 2)["restore"]["phase"] == "completed"
    assert numbers(api.get(f"{LIST}?runningRestoresOnly=true")) == []
    # Completed: the next restore may start.
    body = {"pathRestore": {"sourcePaths": ["/files"]}}
    assert api.post(one(2) + "/restore", json=body).status_code == 204


def test_loaded_running_restores_complete_after_restore_seconds(api: SpecClient) -> None:
    api.advance(29)
    assert numbers(api.get(f"{LIST}?runningRestoresOnly=true")) == [3, 5]
    api.advance(1)
    assert numbers(api.get(f"{LIST}?runningRestoresOnly=true")) == []
    assert backup(api, 3)["restore"]["phase"] == "completed"
    assert backup(api, 5)["restorePath"]["phase"] == "completed"


@pytest.mark.parametrize(
    ("body", "restore_path"),
    [
        (
            {"sourcePath": "/html/app/config/"},
            {
                "clearTargetPath": False,
                "determinedTargetPath": "/html/app/config/",
                "phase": "running",
                "sourcePath": "/html/app/config/",
            },
        ),
        (
            {"sourcePath": "/html/app/", "targetPath": "/html/old", "clearTargetPath": True},
            {
                "clearTargetPath": True,
                "determinedTargetPath": "/html/old",
                "phase": "running",
                "sourcePath": "/html/app/",
                "targetPath": "/html/old",
            },
        ),
    ],
)
def test_the_deprecated_restore_path_sets_restore_path(
    api: SpecClient, body: dict[str, Any], restore_path: dict[str, Any]
) -> None:
    assert api.post(one(2) + "/restore-path", json=body).status_code == 204
    restored = backup(api, 2)
    assert restored["restorePath"] == restore_path
    assert "restore" not in restored
    assert 2 in numbers(api.get(f"{LIST}?runningRestoresOnly=true"))
    api.advance(30)
    assert backup(api, 2)["restorePath"]["phase"] == "completed"


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, [("sourcePath", "required")]),
        ({"sourcePath": 3}, [("sourcePath", "type")]),
        ({"sourcePath": "/a", "targetPath": None}, [("targetPath", "type")]),
        ({"sourcePath": "/a", "clearTargetPath": 1}, [("clearTargetPath", "type")]),
    ],
)
def test_the_deprecated_restore_path_is_validated(
    api: SpecClient, body: dict[str, Any], errors: list[tuple[str, str]]
) -> None:
    assert errors_of(api.post(one(2) + "/restore-path", json=body)) == errors


# --- directories -------------------------------------------------------------------------------


def test_a_directory_of_a_backup_lists_its_items(api: SpecClient) -> None:
    response = api.get(one(2) + "/path?directory=/html")
    assert response.status_code == 200
    html = response.json()
    assert (html["absolutePath"], html["name"], html["isDirectory"]) == ("/html", "html", True)
    names = [item["name"] for item in html["items"]]
    assert names == sorted(names)
    assert "current" in names
    for item in html["items"]:
        assert item["absolutePath"] == f"/html/{item['name']}"
        assert "items" not in item


@pytest.mark.parametrize(
    ("query", "path"),
    [("", "/"), ("directory=", "/"), ("directory=/", "/"), ("directory=html/", "/html")],
)
def test_the_directory_defaults_to_the_root_and_is_normalised(
    api: SpecClient, query: str, path: str
) -> None:
    assert api.get(one(2) + f"/path?{query}").json()["absolutePath"] == path


def test_every_listed_directory_can_be_opened(api: SpecClient) -> None:
    pending = ["/"]
    seen = 0
    while pending:
        directory = api.get(one(2) + f"/path?directory={pending.pop()}").json()
        seen += 1
        pending += [i["absolutePath"] for i in directory["items"] if i["isDirectory"]]
    assert seen > 5


@pytest.mark.parametrize(
    "directory", ["/nothing", "/html/nothing", "/../etc", "/logs/access.log/x"]
)
def test_an_unknown_directory_is_404(api: SpecClient, directory: str) -> None:
    response = api.get(one(2) + f"/path?directory={directory}")
    assert response.status_code == 404
    assert response.json()["type"] == "NotFound"
