"""The pytest plugin as a user meets it: fixtures in a test file of their own, via pytester.

The user's session runs in this process (`runpytest_inprocess`: a session of its own, the
plugin found through its entry point as in a user's run), not in a new interpreter: the same
proof for a third of the time. `test_server_module_imports_no_pytest` starts a fresh one.
"""

from __future__ import annotations

import pytest

from tests.support import imported_after

USER_TESTS = """
import httpx2

BACKUP = {
    "id": "aaaaaaaa-0000-4000-8000-000000000001",
    "projectId": "bbbbbbbb-0000-4000-8000-000000000001",
    "requestedAt": "2026-01-01T03:00:00.000Z",
    "status": "Completed",
    "deletable": False,
}
TOKEN = {"x-access-token": "t"}


def test_a_puts_data_faults_and_rate_limits(mockapi_server):
    mockapi_server.put_backups([BACKUP])
    mockapi_server.add_fault(project="bbbbbbbb-0000-4000-8000-000000000001", status=503, count=1)
    url = mockapi_server.api_url("bbbbbbbb-0000-4000-8000-000000000001")
    assert httpx2.get(url, headers=TOKEN).status_code == 503
    response = httpx2.get(url, headers=TOKEN)
    assert [b["id"] for b in response.json()] == [BACKUP["id"]]
    assert [e["status"] for e in mockapi_server.journal()] == [503, 200]
    mockapi_server.set_rate_limit(1)


def test_b_sees_nothing_of_test_a(mockapi_server):
    assert mockapi_server.journal() == []
    assert {p.short_id for p in mockapi_server.projects()} == {"p-kbuygq", "p-4x9zt2", "p-n3wpr0"}
    for _ in range(3):
        response = httpx2.get(mockapi_server.api_url("p-kbuygq") + "?limit=2", headers=TOKEN)
        assert response.status_code == 200
    assert response.headers["x-ratelimit-limit"] == "3000"  # test a's limit is gone
    assert response.headers["x-pagination-totalcount"] == "20"


def test_c_generated_data_by_method_call(mockapi_server):
    mockapi_server.use_generated(seed=3, projects=2, backups_per_project=5)
    short = mockapi_server.projects()[0].short_id
    assert len(httpx2.get(mockapi_server.api_url(short), headers=TOKEN).json()) == 5


def test_d_bad_data_is_refused_with_the_fixture_message(mockapi_server):
    import pytest
    from mockapi import DatasetError

    with pytest.raises(DatasetError, match="'status' is null"):
        mockapi_server.put_backups([{**BACKUP, "status": None}])


def test_e_the_clock_is_frozen_and_moves_when_told(mockapi_server):
    from datetime import UTC, datetime

    start = mockapi_server.now()
    assert start == datetime(2026, 1, 30, 12, 0, tzinfo=UTC)
    url = mockapi_server.url + "/v2/projects/p-kbuygq/backups"
    created = httpx2.post(url, json={"expirationTime": "2026-03-01T00:00:00Z"}, headers=TOKEN)
    backup_url = mockapi_server.url + "/v2/project-backups/" + created.json()["id"]
    assert httpx2.get(backup_url, headers=TOKEN).json()["status"] == "InProgress"
    mockapi_server.advance_clock(10)
    assert httpx2.get(backup_url, headers=TOKEN).json()["status"] == "Completed"
    mockapi_server.set_now(datetime(2026, 3, 2, tzinfo=UTC))
    assert httpx2.get(backup_url, headers=TOKEN).status_code == 403  # expired, gone


def test_f_in_process_client_shares_the_servers_state(mockapi_server, mockapi_client):
    mockapi_server.put_backups([BACKUP])
    response = mockapi_client.get(
        "/v2/projects/bbbbbbbb-0000-4000-8000-000000000001/backups", headers=TOKEN
    )
    assert [b["id"] for b in response.json()] == [BACKUP["id"]]
    assert mockapi_server.journal()[-1]["status"] == 200


async def _async_list(transport):
    async with httpx2.AsyncClient(transport=transport, base_url="http://mock") as client:
        return await client.get("/v2/projects/p-kbuygq/backups?limit=1", headers=TOKEN)


def test_g_an_asgi_transport_for_async_clients(mockapi_server):
    import asyncio

    response = asyncio.run(_async_list(mockapi_server.transport()))
    assert response.status_code == 200 and len(response.json()) == 1
"""


def test_user_tests_pass_and_state_never_leaks(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_user=USER_TESTS)
    result = pytester.runpytest_inprocess("-v")
    result.assert_outcomes(passed=7)


def test_the_shells_mockapi_variables_never_reach_the_plugin(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {
        "MOCKAPI_TOKENS": "only-in-the-shell",
        "MOCKAPI_SEED": "99",
        "MOCKAPI_PORT": "abc",
        "MOCKAPI_CLOCK": "running",
    }.items():
        monkeypatch.setenv(name, value)
    pytester.makepyfile(test_user=USER_TESTS)
    result = pytester.runpytest_inprocess()
    result.assert_outcomes(passed=7)


def test_users_configure_by_overriding_small_fixtures(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import pytest
        from mockapi import Settings

        @pytest.fixture(scope="session")
        def mockapi_settings():
            return Settings(tokens=["only-this"], seed=11, projects=4, backups_per_project=9)
        """
    )
    pytester.makepyfile(
        test_configured="""
        import httpx2

        def test_settings_apply(mockapi_server):
            projects = mockapi_server.projects()
            assert len(projects) == 4
            url = mockapi_server.api_url(projects[0].short_id)
            assert httpx2.get(url, headers={"x-access-token": "other"}).status_code == 401
            ok = httpx2.get(url, headers={"x-access-token": "only-this"})
            assert len(ok.json()) == 9
        """
    )
    result = pytester.runpytest_inprocess()
    result.assert_outcomes(passed=1)


def test_dataset_fixture_override(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import pytest
        from mockapi.data.generate import GenerationOptions, generate

        @pytest.fixture(scope="session")
        def mockapi_dataset():
            return generate(GenerationOptions(seed=2, projects=1, backups_per_project=3))
        """
    )
    pytester.makepyfile(
        test_dataset="""
        def test_dataset_applies(mockapi_server):
            [project] = mockapi_server.projects()
            mockapi_server.put_backups([])
            mockapi_server.reset()
            assert [p.id for p in mockapi_server.projects()] == [project.id]
        """
    )
    result = pytester.runpytest_inprocess()
    result.assert_outcomes(passed=1)


def test_server_module_imports_no_pytest() -> None:
    assert imported_after("import mockapi.server", {"pytest"}) == set()


def test_loading_the_plugin_imports_no_web_stack() -> None:
    # pytest loads the plugin in every run of a project that installs mockapi, whether its
    # tests use mockapi or not: the server comes with the first fixture, not with the plugin.
    web_stack = {"fastapi", "uvicorn", "starlette", "pydantic"}
    assert imported_after("import mockapi.pytest_plugin", web_stack) == set()
