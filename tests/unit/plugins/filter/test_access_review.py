# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The access review: correlation of accounts into people, every finding kind, the platforms' states, the outputs."""

import csv
import io
import json
import re

import pytest

try:  # ansible-core 2.19 and later
    from ansible.module_utils import _internal as module_utils_internal
except ImportError:
    module_utils_internal = None

# Importing controller code (ansible.errors, the filter plugin) marks the whole Python process as the controller, and
# module_utils then displays module warnings instead of returning them: module tests that run later in the same pytest
# worker would miss theirs. The mark is put back once these imports are done.
IS_CONTROLLER = getattr(module_utils_internal, "is_controller", None)

from ansible.errors import AnsibleFilterError  # noqa: E402  pylint: disable=wrong-import-position

from ansible_collections.msp.accounts.plugins.filter import access_review as ar  # noqa: E402  pylint: disable=wrong-import-position
from ansible_collections.msp.accounts.plugins.filter import access_review_render as arr  # noqa: E402  pylint: disable=wrong-import-position
from ansible_collections.msp.accounts.plugins.plugin_utils import _access_review_render as render  # noqa: E402  pylint: disable=wrong-import-position

if module_utils_internal is not None:
    module_utils_internal.is_controller = IS_CONTROLLER

NOW = "2026-03-01T00:00:00Z"
DAY_MS = 86400 * 1000
NOW_MS = 1772323200000  # 2026-03-01T00:00:00Z
NOW_S = NOW_MS // 1000


def read(users, **args):
    result = {"changed": False, "users": users}
    if args:
        result["connection"] = args
    return result


def reads(ahsay=None, sysusers=None, veeam=None, aaa=None):
    """Registered results of the four reads; a platform left out is not read (task skipped)."""
    out = {}
    if ahsay is not None or sysusers is not None:
        out["ahsay"] = {"backup_user": read(ahsay or [], api_url="https://backup.example.com", api_username="system"),
                        "system_user": read(sysusers or [])}
    if veeam is not None:
        out["veeam"] = {"portal_user": read(veeam, api_url="https://vspc.example.com:1280", api_username="vspcadmin")}
    if aaa is not None:
        out["aaa"] = {"user": read(aaa, api_url="https://ua.example.com", api_username="api")}
    return out


def backup(name, **fields):
    user = {"name": name, "owner": "", "status": "enabled", "last_backup_date": NOW_MS - DAY_MS}
    user.update(fields)
    return user


def portal(name, **fields):
    user = {"name": name, "status": "enabled", "role": "company_user", "mfa_policy": "enabled", "email": None}
    user.update(fields)
    return user


def ua(name, **fields):
    user = {"name": name, "enabled": True, "user_group": "Operators", "account_expiration": "[Never]",
            "password_expiration": "2147483647", "last_login_success": NOW_S - 86400, "email": None}
    user.update(fields)
    return user


def review(data, **kwargs):
    kwargs.setdefault("now", NOW)
    return ar.access_review(data, **kwargs)


def account(report, platform, login):
    return next(a for a in report["accounts"] if a["platform"] == platform and a["login"] == login)


def findings(report, kind=None, login=None):
    return [f for f in report["findings"] if (kind is None or f["kind"] == kind) and (login is None or f["login"] == login)]


# -- correlation ---------------------------------------------------------------------------------

def test_email_matches_case_insensitively_and_wins_over_the_login():
    report = review(reads(veeam=[portal("bob", email="ALICE@Example.COM")], ahsay=[backup("alice-files")]),
                    users=[{"name": "alice", "email": "alice@example.com"}, {"name": "bob"}])
    assert account(report, "veeam", "bob")["person"] == "alice"
    assert account(report, "veeam", "bob")["matched_by"] == "email"


def test_platform_email_keys_count_as_the_persons_addresses():
    report = review(reads(aaa=[ua("jd", email="J.Doe@example.com")]),
                    users=[{"name": "jane", "aaa": {"email": "j.doe@example.com", "full_name": "Jane"}, "password": "x"}])
    assert account(report, "aaa", "jd")["person"] == "jane"


def test_login_matches_case_insensitively_when_the_email_does_not_decide():
    report = review(reads(ahsay=[backup("Alice", email="unknown@example.com")]), users=[{"name": "alice"}])
    assert (account(report, "ahsay", "Alice")["person"], account(report, "ahsay", "Alice")["matched_by"]) == ("alice", "login")


def test_a_platform_name_matches_only_on_its_platform():
    report = review(reads(ahsay=[backup("alice-backup")], veeam=[portal("alice-backup")]),
                    users=[{"name": "alice", "ahsay": {"name": "alice-backup"}}])
    assert account(report, "ahsay", "alice-backup")["person"] == "alice"
    assert account(report, "veeam", "alice-backup")["person_source"] == "unlisted"


def test_the_explicit_mapping_comes_last_and_can_name_platform_and_kind():
    users = [{"name": "jsmith", "accounts": ["js-admin", {"login": "root-js", "platform": "ahsay", "kind": "system_user"}]}]
    report = review(reads(sysusers=[{"name": "root-js", "role": "admin", "status": "enabled"}],
                          veeam=[portal("js-admin"), portal("root-js")]), users=users)
    assert account(report, "veeam", "js-admin")["matched_by"] == "mapping"
    assert account(report, "ahsay", "root-js")["person"] == "jsmith"
    assert account(report, "veeam", "root-js")["person_source"] == "unlisted"  # the mapping names AhsayCBS only


def test_the_mapping_does_not_override_an_email_match():
    users = [{"name": "alice", "email": "a@example.com"}, {"name": "bob", "accounts": ["shared"]}]
    report = review(reads(veeam=[portal("shared", email="a@example.com")]), users=users)
    assert account(report, "veeam", "shared")["person"] == "alice"


def test_an_email_of_several_people_decides_nothing_and_the_login_does():
    users = [{"name": "alice", "email": "it@example.com"}, {"name": "bob", "email": "it@example.com"}]
    report = review(reads(veeam=[portal("bob", email="IT@example.com"), portal("carol", email="it@example.com")]), users=users)
    assert account(report, "veeam", "bob")["person"] == "bob"
    carol = account(report, "veeam", "carol")
    assert carol["person_source"] == "unlisted" and "alice, bob" in carol["match_note"]
    assert "ambiguous" in findings(report, "orphan", "carol")[0]["reason"]


def test_unlisted_accounts_are_grouped_by_email_or_login():
    data = reads(ahsay=[backup("zed", email="z@example.com")], veeam=[portal("zed2", email="Z@example.com"), portal("zed")])
    report = review(data)
    people = [p for p in report["people"] if p["source"] == "unlisted"]
    assert len(people) == 1 and len(people[0]["accounts"]) == 3


def test_service_accounts_are_the_api_users_and_the_listed_names():
    report = review(reads(sysusers=[{"name": "system", "role": "admin", "status": "enabled"}],
                          veeam=[portal("vspcadmin", role="portal_administrator"), portal("system"), portal("backup-svc")]),
                    users=[{"name": "alice"}], service_accounts=["Backup-Svc"])
    assert account(report, "ahsay", "system")["person_source"] == "service"
    assert account(report, "veeam", "vspcadmin")["matched_by"] == "service_account"
    assert account(report, "veeam", "backup-svc")["person_source"] == "service"
    # The AhsayCBS API user is a service account of AhsayCBS only.
    assert [f["login"] for f in findings(report, "orphan")] == ["system"]
    assert findings(report, "privileged", "vspcadmin")  # service accounts are still judged


def test_people_keep_the_source_order_and_list_their_accounts():
    report = review(reads(ahsay=[backup("b")], veeam=[portal("a")]), users=[{"name": "b"}, {"name": "a"}, {"name": "c"}])
    assert [p["name"] for p in report["people"]] == ["b", "a", "c"]
    assert report["people"][2]["accounts"] == []
    assert report["people"][0]["accounts"][0]["login"] == "b"


@pytest.mark.parametrize("users, text", [
    ([{"name": "a"}, {"name": "A"}], "appears twice"),
    ([{"email": "x@example.com"}], "has no name"),
    ([{"name": "a", "accounts": [{"login": "x", "platform": "vspc"}]}], "platform must be one of"),
    ([{"name": "a", "accounts": [{"login": "x", "platform": "aaa", "kind": "system_user"}]}], "kind must be one of"),
    ([{"name": "a", "veeam": "yes"}], "must be a dictionary"),
])
def test_bad_source_of_truth_is_refused(users, text):
    with pytest.raises(AnsibleFilterError, match=text):
        review(reads(veeam=[]), users=users)


def test_stale_days_must_be_positive():
    with pytest.raises(AnsibleFilterError, match="stale_days must be 1 or more"):
        review(reads(veeam=[]), stale_days=0)


# -- findings ------------------------------------------------------------------------------------

def test_orphan_only_with_a_source_of_truth_and_low_when_disabled():
    data = reads(veeam=[portal("ghost"), portal("old", status="disabled"), portal("alice")])
    assert not findings(review(data), "orphan")
    assert not findings(review(data, users=[]), "orphan")
    report = review(data, users=[{"name": "alice"}])
    assert [(f["login"], f["severity"]) for f in findings(report, "orphan")] == [("ghost", "high"), ("old", "low")]
    assert report["source_of_truth"] is True


def test_departed_enabled_by_name_email_and_for_people_not_in_the_list():
    users = [{"name": "alice", "email": "alice@example.com"}, {"name": "bob"}]
    data = reads(ahsay=[backup("alice"), backup("bob", status="suspended"), backup("carl")],
                 veeam=[portal("a.smith", email="Alice@example.com"), portal("dora", email="dora@example.com")])
    report = review(data, users=users, departed=["ALICE@example.com", "bob", "carl", "dora@example.com"])
    got = sorted((f["platform"], f["login"], f["person"], f["severity"]) for f in findings(report, "departed_enabled"))
    assert got == [("ahsay", "alice", "alice", "high"), ("ahsay", "carl", "carl", "high"),
                   ("veeam", "a.smith", "alice", "high"), ("veeam", "dora", "dora@example.com", "high")]
    # carl and dora are departed people, not orphans; bob's account is suspended.
    assert not findings(report, "orphan")
    assert {p["name"]: p["departed"] for p in report["people"]}["bob"] is True


def test_privileged_roles_and_groups():
    data = reads(sysusers=[{"name": "root2", "role": "admin", "status": "enabled"},
                           {"name": "ro", "role": "read_only_admin", "status": "enabled"},
                           {"name": "old-admin", "role": "admin", "status": "suspended"}],
                 veeam=[portal("pa", role="portal_administrator"), portal("co", role="company_owner"),
                        portal("ca", role="company_administrator"), portal("op", role="portal_operator")],
                 aaa=[ua("boss", user_group="administrators"), ua("ops")])
    report = review(data)
    got = sorted((f["login"], f["severity"]) for f in findings(report, "privileged"))
    assert got == [("boss", "medium"), ("ca", "medium"), ("co", "medium"), ("old-admin", "low"), ("pa", "medium"),
                   ("root2", "medium")]
    custom = review(data, privileged={"veeam": ["portal_operator"], "aaa": []})
    assert sorted(f["login"] for f in findings(custom, "privileged")) == ["old-admin", "op", "root2"]


def test_no_mfa_when_the_policy_is_disabled():
    data = reads(veeam=[portal("a", mfa_policy="disabled"), portal("b", mfa_policy="enabled"),
                        portal("c", mfa_policy="enabled_by_inheritance"), portal("d", mfa_policy="disabled", status="disabled")])
    report = review(data)
    assert [(f["login"], f["severity"]) for f in findings(report, "no_mfa")] == [("a", "medium"), ("d", "low")]
    assert "mfaPolicyStatus" in findings(report, "no_mfa", "a")[0]["reason"]


def test_password_expired_from_unified_assurance_password_expiration():
    data = reads(aaa=[ua("now", password_expiration="0"), ua("past", password_expiration=str(NOW_S - 3600)),
                      ua("future", password_expiration=str(NOW_S + 3600)), ua("never")])
    report = review(data)
    assert sorted(f["login"] for f in findings(report, "password_expired")) == ["now", "past"]
    assert account(report, "aaa", "now")["password_expires"] == "at next login"
    assert account(report, "aaa", "never")["password_expires"] == "never"
    page = arr.access_review_render(report, "html")
    past = account(report, "aaa", "past")["password_expires"][:10]
    assert "password expires at next login" in page and "password expires " + past in page


def test_password_expired_of_the_ahsay_api_user_fails_the_platform():
    message = ("POST /obs/api/json/ListSystemUsers.do (HTTP 200): Your password has expired and must be changed. "
               "Please update in web console or by UpdateSysUser API")
    failed = {"failed": True, "msg": message, "connection": {"api_url": "https://b", "api_username": "system"}}
    report = review({"ahsay": {"backup_user": failed, "system_user": dict(failed)}, "veeam": {"portal_user": read([])}})
    (finding,) = findings(report, "password_expired")
    assert (finding["platform"], finding["account_kind"], finding["login"]) == ("ahsay", "system_user", "system")
    assert report["platforms"]["ahsay"]["status"] == "failed"
    assert report["platforms"]["ahsay"]["reason"].startswith("reading the backup users and system users failed: POST ")
    assert report["platforms"]["veeam"]["status"] == "read"


def test_inactive_from_the_last_backup_and_the_last_login():
    data = reads(ahsay=[backup("recent"), backup("old", last_backup_date=NOW_MS - 200 * DAY_MS),
                        backup("never-old", last_backup_date=0, registration_date=NOW_MS - 100 * DAY_MS),
                        backup("never-new", last_backup_date=0, registration_date=NOW_MS - 10 * DAY_MS),
                        backup("never-unknown", last_backup_date=0),
                        backup("old-off", last_backup_date=NOW_MS - 200 * DAY_MS, status="suspended")],
                 aaa=[ua("active"), ua("stale", last_login_success=NOW_S - 91 * 86400), ua("fresh", last_login_success=0),
                      ua("off", enabled=False, last_login_success=0)])
    report = review(data)
    got = sorted(f["login"] for f in findings(report, "inactive"))
    assert got == ["fresh", "never-old", "never-unknown", "old", "stale"]
    assert "200 days ago" in findings(report, "inactive", "old")[0]["reason"]
    assert "never logged in" in findings(report, "inactive", "fresh")[0]["reason"]
    assert review(data, stale_days=365)["summary"]["by_kind"]["inactive"]["count"] == 2  # the two never-used ones
    assert account(report, "ahsay", "old")["last_activity"] == "2025-08-13T00:00:00Z"


def test_stale_disabled_where_the_platform_gives_a_date():
    data = reads(ahsay=[backup("long", status="suspended", suspend_at="2025-06-01"),
                        backup("short", status="suspended", suspend_at="2026-02-20"),
                        backup("nodate", status="suspended", suspend_at="never"),
                        backup("planned", status="enabled", suspend_at="2027-01-01")],
                 veeam=[portal("vdis", status="disabled")],
                 aaa=[ua("expired", account_expiration="2025-01-31 12:00:00"), ua("off", enabled=False),
                      ua("later", account_expiration="2027-01-01")])
    report = review(data)
    assert sorted(f["login"] for f in findings(report, "stale_disabled")) == ["expired", "long"]
    assert account(report, "aaa", "expired")["status"] == "expired"
    assert account(report, "aaa", "expired")["enabled"] is False
    assert account(report, "ahsay", "long")["disabled_since"] == "2025-06-01T00:00:00Z"
    assert account(report, "ahsay", "planned")["disabled_since"] is None
    assert account(report, "aaa", "later")["status"] == "enabled"


def test_findings_are_sorted_by_severity_and_summarised():
    data = reads(veeam=[portal("ghost", role="company_owner", mfa_policy="disabled")])
    report = review(data, users=[{"name": "x"}])
    assert [f["kind"] for f in report["findings"]] == ["orphan", "privileged", "no_mfa"]
    assert report["summary"]["by_kind"]["orphan"] == dict(report["summary"]["by_kind"]["orphan"], count=1, high=1)
    assert account(report, "veeam", "ghost")["findings"] == ["orphan", "privileged", "no_mfa"]


# -- platforms -----------------------------------------------------------------------------------

def test_platform_states_read_skipped_failed():
    no_url = {"failed": True, "msg": "api_url is required: set api_url or the VEEAM_API_URL environment variable; ..."}
    no_conn = {"failed": True, "msg": "api_url and api_username and api_password are required: set them or ..."}
    broken = {"failed": True, "msg": "GET /api/AAA/Users (HTTP 500): boom"}
    report = review({"ahsay": {"backup_user": no_conn, "system_user": dict(no_conn)}, "veeam": {"portal_user": no_url},
                     "aaa": {"user": broken}})
    states = dict((name, (p["status"], p["reason"])) for name, p in report["platforms"].items())
    assert states["ahsay"][0] == states["veeam"][0] == "skipped"
    assert "AHSAY_API_URL" in states["ahsay"][1] and "access_review_veeam_api_url" in states["veeam"][1]
    assert states["aaa"] == ("failed", "reading the users failed: GET /api/AAA/Users (HTTP 500): boom")
    skipped_task = review({"aaa": {"user": {"skipped": True, "changed": False}}})
    assert skipped_task["platforms"]["aaa"]["status"] == "skipped"
    assert review({})["platforms"]["veeam"]["status"] == "skipped"


def test_urls_lose_their_credentials():
    data = {"veeam": {"portal_user": {"users": [], "connection": {"api_url": "https://u:p@vspc.example.com:1280/x"}}}}
    assert review(data)["platforms"]["veeam"]["url"] == "https://vspc.example.com:1280/x"


def test_platform_summary_counts_and_urls():
    report = review(reads(ahsay=[backup("a"), backup("b", status="suspended")], sysusers=[{"name": "s", "role": "admin",
                                                                                          "status": "enabled"}]),
                    connections={"veeam": {"api_url": "https://from-env"}})
    ahsay = report["platforms"]["ahsay"]
    assert ahsay["counts"] == {"accounts": 3, "enabled": 2, "disabled": 1, "backup_user": 2, "system_user": 1}
    assert (ahsay["url"], ahsay["service_account"], ahsay["status"]) == ("https://backup.example.com", "system", "read")


# -- outputs -------------------------------------------------------------------------------------

SECRETS = ("HashedPwd", "Sup3r-Secret", "ggeRi1mrAu37jPPCb6q6sRyBRlz", "tok-123", "key-456")


def secret_laden():
    return reads(sysusers=[{"name": "system", "role": "admin", "status": "enabled", "HashedPwd": "ggeRi1mrAu37jPPCb6q6sRyBRlz/Vx="}],
                 ahsay=[backup("a", password="Sup3r-Secret", access_token="tok-123")],
                 veeam=[portal("v", api_key="key-456", credentials={"password": "Sup3r-Secret"})],
                 aaa=[ua("u", Password="Sup3r-Secret", RepeatPassword="Sup3r-Secret")])


@pytest.mark.parametrize("output", ["json", "csv", "html"])
def test_no_secret_in_any_output(output):
    text = arr.access_review_render(review(secret_laden(), users=[{"name": "a", "password": "Sup3r-Secret"}]), output)
    for secret in SECRETS:
        assert secret not in text


def test_json_has_the_contract_keys():
    report = json.loads(arr.access_review_render(review(secret_laden()), "json"))
    assert list(report)[:1] == ["generated_at"] and report["generated_at"] == "2026-03-01T00:00:00Z"
    for key in ("platforms", "accounts", "people", "findings"):
        assert key in report
    assert set(report["accounts"][0]) >= {"platform", "kind", "login", "email", "status", "role", "person"}
    assert set(report["findings"][0]) == {"kind", "severity", "platform", "account_kind", "login", "person", "reason"}


def test_csv_one_row_per_account_with_findings_joined_and_no_formulas():
    data = reads(veeam=[portal("=cmd|calc", role="company_owner", mfa_policy="disabled"), portal("b")])
    rows = list(csv.DictReader(io.StringIO(arr.access_review_render(review(data), "csv"))))
    assert len(rows) == 2
    assert rows[0]["login"] == "'=cmd|calc"
    assert rows[0]["findings"] == "privileged; no_mfa"
    assert rows[1]["findings"] == ""


def test_html_is_self_contained_escaped_and_lists_every_person():
    data = reads(veeam=[portal("<script>alert(1)</script>"), portal("alice")], aaa=[ua("bob")])
    page = arr.access_review_render(review(data, users=[{"name": "alice"}, {"name": "bob"}]), "html")
    assert page.startswith("<!DOCTYPE html>")
    assert "default-src 'none'" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert "@import" not in page and "url(" not in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<tr data-kinds=") == 3
    assert "@media print" in page


@pytest.mark.parametrize("bad", ["xml", None])
def test_render_refuses_unknown_formats(bad):
    with pytest.raises(AnsibleFilterError):
        arr.access_review_render(review(reads(veeam=[])), bad)


def test_filters_are_registered():
    assert set(ar.FilterModule().filters()) == {"access_review"}
    assert set(arr.FilterModule().filters()) == {"access_review_render"}


def test_render_returns_the_files_and_only_the_small_parts():
    data = reads(veeam=[portal("alice")])
    out = review(data, render=["json", "csv", "html"])
    assert set(out) == {"generated_at", "stale_days", "source_of_truth", "platforms", "summary", "rendered"}
    assert json.loads(out["rendered"]["json"])["accounts"][0]["login"] == "alice"
    assert out["rendered"]["csv"].startswith("platform,kind,login,")
    assert out["rendered"]["html"].startswith("<!DOCTYPE html>")
    with pytest.raises(AnsibleFilterError, match="render takes json, csv and html"):
        review(data, render=["pdf"])


def test_results_are_marked_unsafe_where_ansible_would_template_them_again(monkeypatch):
    data = reads(veeam=[portal("{{ lookup('pipe', 'id') }}")])
    marked = []
    monkeypatch.setattr(render, "wrap_var", lambda value: marked.append(value) or value)
    monkeypatch.setattr(render, "MARK_UNSAFE", True)
    out = review(data, render=["csv"])
    assert marked == [out]
    arr.access_review_render(review(data), "csv")
    assert len(marked) == 3  # the report, then its text
    monkeypatch.setattr(render, "MARK_UNSAFE", False)
    review(data, render=["csv"])
    assert len(marked) == 3
