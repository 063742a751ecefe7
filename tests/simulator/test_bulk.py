"""The simulators with 10,000 accounts (issue 12): seeding, list calls and pages stay linear.

No timing is asserted (a busy machine must not fail a test); each test prints how long the
seed and the reads took, as figures to watch. Lists are kept until the state changes
(``simcore.Simulator.memo``): the tests also check that a write shows in the next page.
"""

import json
import time

import pytest

import veeam

COUNT = 10000
AHSAY_AUTH = {"SysUser": "system", "SysPwd": "system1"}
VSPC_ADMIN = {"grant_type": "password", "username": "vspcadmin", "password": "Vspc-Admin-Pass-2026!"}
UA_AUTH = ("api", "Ua-Api-Pass-2026!")


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def report(capsys, platform, seeded, seconds, reads):
    with capsys.disabled():
        print("\n%s: seeded %s in %.2f s; %s (figures to watch, not checked)" % (
            platform, seeded, seconds, "; ".join("%s in %.2f s" % item for item in reads.items())))


def ok(response):
    assert response.status_code == 200, response.text[:500]
    return response.json()


def test_ahsay_ten_thousand_users_and_system_users(http, sims, capsys):
    base = sims["ahsay"]
    payload = {
        "sysusers": [{"LoginName": "bulk-sys%05d" % n, "Password": "Bulk-Sys-Pass-1!", "Role": "API_ONLY"}
                     for n in range(COUNT)],
        "users": [{"LoginName": "bulk%05d" % n, "Password": "Bulk-User-Pass-1!", "ClientType": "OBM" if n % 2 else "ACB",
                   "Email": "bulk%05d@example.invalid" % n} for n in range(COUNT)],
    }
    seeded, seconds = timed(lambda: ok(http.post(base + "/_sim/seed", json=payload, timeout=120)))
    assert seeded == {"users": COUNT, "sysusers": COUNT + 1, "destinations": 2}

    api = base + "/obs/api/json/"
    listed, list_seconds = timed(lambda: ok(http.post(api + "2/ListUsers.do", json=AHSAY_AUTH, timeout=120)))
    assert listed["Status"] == "OK" and len(listed["User"]) == COUNT
    assert listed["User"][1234]["LoginName"] == "bulk01234" and listed["User"][1234]["ContactList"][0]["Email"] == \
        "bulk01234@example.invalid"
    acb = ok(http.post(api + "2/ListUsers.do", json=dict(AHSAY_AUTH, ClientType="ACB", LoginNameOnly=True), timeout=60))
    assert [u["LoginName"] for u in acb["User"][:2]] == ["bulk00000", "bulk00002"] and len(acb["User"]) == COUNT // 2
    system, sys_seconds = timed(lambda: ok(http.post(api + "ListSystemUsers.do", json=AHSAY_AUTH, timeout=60)))
    assert len(system["Data"]) == COUNT + 1 and system["Data"][-1]["Name"] == "bulk-sys%05d" % (COUNT - 1)
    report(capsys, "AhsayCBS", "%d backup users and %d system users" % (COUNT, COUNT), seconds,
           {"ListUsers (%d users)" % COUNT: list_seconds, "ListSystemUsers": sys_seconds})


def vspc_pages(http, base, token, filters=None):
    """Every user in pages of 500, as the collection reads them: (users, pages read, last total)."""
    users, pages, total = [], 0, None
    params = {"limit": 500}
    if filters:
        params["filter"] = json.dumps(filters)
    while total is None or len(users) < total:
        body = ok(http.get(base + "/api/v3/users", params=dict(params, offset=len(users)),
                           headers={"Authorization": "Bearer " + token}, timeout=60))
        assert len(body["data"]) == min(500, body["meta"]["pagingInfo"]["total"] - len(users))
        users.extend(body["data"])
        pages += 1
        total = body["meta"]["pagingInfo"]["total"]
    return users, pages, total


def test_vspc_ten_thousand_users_in_one_company(http, sims, capsys):
    base = sims["veeam"]
    generate = {"count": COUNT, "organization": "Acme Corp", "prefix": "bulk", "role": "CompanyAdministrator"}
    seeded, seconds = timed(lambda: ok(http.post(base + "/_sim/seed", json={"generate_users": generate}, timeout=120)))
    assert seeded["generated"] == COUNT
    token = ok(http.post(base + "/api/v3/token", data=VSPC_ADMIN, timeout=10))["access_token"]
    acme = [{"property": "organizationUid", "operation": "equals", "value": veeam.ACME_UID}]

    (users, pages, total), read_seconds = timed(lambda: vspc_pages(http, base, token, acme))
    assert total == COUNT + 1 and pages == 21  # the company's owner and the generated users
    assert len({u["instanceUid"] for u in users}) == COUNT + 1
    assert users[1]["userName"] == "bulk0001" and users[-1]["userName"] == "bulk%04d" % COUNT

    page = ok(http.get(base + "/api/v3/users", params={"limit": 500, "offset": 5000, "filter": json.dumps(acme)},
                       headers={"Authorization": "Bearer " + token}, timeout=60))
    assert [u["userName"] for u in page["data"][:2]] == ["bulk5000", "bulk5001"]
    assert page["meta"]["pagingInfo"] == {"total": COUNT + 1, "count": 500, "offset": 5000}

    # A write between two pages shows at once (the kept list is dropped on every change).
    created = http.post(base + "/api/v3/users", headers={"Authorization": "Bearer " + token}, timeout=10, json={
        "organizationUid": veeam.ACME_UID, "role": "CompanyAdministrator",
        "profile": {"firstName": "Late", "lastName": "Comer", "email": "late@acme.test"},
        "credentials": {"userName": "late-comer", "password": "Late-Comer-Pass-2026!"}})
    assert created.status_code == 200, created.text
    last = ok(http.get(base + "/api/v3/users", params={"limit": 500, "offset": COUNT, "filter": json.dumps(acme)},
                       headers={"Authorization": "Bearer " + token}, timeout=60))
    assert last["meta"]["pagingInfo"]["total"] == COUNT + 2 and last["data"][-1]["userName"] == "late-comer"
    report(capsys, "VSPC", "%d users" % COUNT, seconds, {"%d pages of one company's users" % pages: read_seconds})


def test_ua_ten_thousand_users(http, sims, capsys):
    base = sims["aaa"]
    generate = {"count": COUNT, "prefix": "bulk", "group": "Operators", "password": "Bulk-Ua-Pass-1!"}
    seeded, seconds = timed(lambda: ok(http.post(base + "/_sim/seed", json={"generate_users": generate}, timeout=120)))
    assert seeded["seeded"]["users"] == COUNT

    def pages():
        rows, start = [], 0
        while True:
            body = ok(http.get(base + "/api/AAA/Users", params={"limit": 500, "start": start}, auth=UA_AUTH, timeout=60))
            rows.extend(body["data"])
            start += len(body["data"])
            if len(body["data"]) < 500:
                return rows, body["total"]

    (rows, total), read_seconds = timed(pages)
    assert total == COUNT + 1 and len(rows) == COUNT + 1
    assert [r["UserName"] for r in rows[:2]] == ["api", "bulk0001"] and rows[-1]["UserName"] == "bulk%04d" % COUNT

    operators = json.dumps([{"property": "UserGroupName", "operator": "eq", "value": "Operators"}])
    page = ok(http.get(base + "/api/AAA/Users", params={"limit": 500, "start": 9500, "filter": operators},
                       auth=UA_AUTH, timeout=60))
    assert page["total"] == COUNT and len(page["data"]) == 500 and page["data"][0]["UserName"] == "bulk9501"
    # A seeded user logs in, and a deleted one is gone from the next page.
    assert ok(http.get(base + "/api/AAA/Users/5000", auth=("bulk4999", "Bulk-Ua-Pass-1!"), timeout=10))["data"]
    assert ok(http.delete(base + "/api/AAA/Users/1002", auth=UA_AUTH, timeout=10))["success"] is True
    page = ok(http.get(base + "/api/AAA/Users", params={"limit": 500, "start": 9500, "filter": operators},
                       auth=UA_AUTH, timeout=60))
    assert page["total"] == COUNT - 1 and page["data"][0]["UserName"] == "bulk9502"
    report(capsys, "Unified Assurance", "%d users" % COUNT, seconds, {"%d users in pages of 500" % total: read_seconds})


@pytest.mark.parametrize("name", ["ahsay", "veeam", "aaa"])
def test_a_reset_drops_the_bulk_accounts(http, sims, name):
    """The fixture resets before each test; a reset after 10,000 accounts is quick and complete."""
    seed = {"ahsay": {"users": [{"LoginName": "x%d" % n, "Password": "Bulk-User-Pass-1!"} for n in range(50)]},
            "veeam": {"generate_users": {"count": 50}}, "aaa": {"generate_users": {"count": 50}}}[name]
    ok(http.post(sims[name] + "/_sim/seed", json=seed, timeout=60))
    ok(http.post(sims[name] + "/_sim/reset", timeout=10))
    state = ok(http.get(sims[name] + "/_sim/state", timeout=10))
    assert len(state["users"]) == {"ahsay": 0, "veeam": 3, "aaa": 1}[name]
