# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""aaa_user_profile and aaa_user_profile_info run whole against a scripted HTTP server.

The server is the one of veeam_support (127.0.0.1, every request recorded) with Unified
Assurance routes: full paths and the UA success/failure envelopes. Request bodies are checked
against the simulator's schemas of the UA write bodies.
"""

import calendar
import json
import os
import re

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.msp.accounts.plugins.modules import aaa_user_profile, aaa_user_profile_info
from ansible_collections.msp.accounts.tests.unit.plugins.modules.veeam_support import COLLECTION_ROOT, FakeVspc

API_USER = "unit-api"
API_PASSWORD = "Unit-Aaa-Module-ApiPass-6e2b9d41c7!"
USER_PASSWORD = "Unit-Aaa-Module-UserPass-0f4c8a27d5!"
UID = 1001
USER_PATH = "/api/AAA/Users/%d" % UID
PROFILE_PATH = "/api/AAA/UserProfiles/%d" % UID
SCHEMAS = os.path.join(COLLECTION_ROOT, "tests", "simulator", "schemas", "aaa")
GROUPS = [{"UserGroupID": 1, "UserGroupName": "Administrators", "RoleID": 1},
          {"UserGroupID": 2, "UserGroupName": "Operators", "RoleID": 2}]
AUTH_TYPES = [{"AuthenticationTypeID": 1, "AuthenticationTypeName": "Internal", "AuthenticationTypeProtocol": "Internal"},
              {"AuthenticationTypeID": 2, "AuthenticationTypeName": "LDAP", "AuthenticationTypeProtocol": "LDAP"}]


class FakeUa(FakeVspc):
    """FakeVspc's recording server answering Unified Assurance paths (given whole, as regexes)."""

    def __init__(self):
        self.ua_routes = []
        super(FakeUa, self).__init__()

    def on(self, method, path, *answers):
        self.ua_routes.insert(0, (method.upper(), re.compile(path + "$"), list(answers)))
        return self

    def answer(self, seen):
        for method, pattern, answers in self.ua_routes:
            if method == seen["method"] and pattern.match(seen["path"]):
                answer = answers.pop(0) if len(answers) > 1 else answers[0]
                return answer(seen) if callable(answer) else answer
        return 404, {"success": False, "message": "Not Found", "errors": []}, {}

    def calls(self):
        return ["%s %s" % (s["method"], s["path"]) for s in self.seen]


def envelope(data, message=None):
    data = data if isinstance(data, list) else [data]
    return 200, {"success": True, "message": message or "Loaded %d entries" % len(data), "data": data,
                 "total": len(data)}, {}


def stamp(day):
    return str(calendar.timegm(tuple(int(p) for p in day.split("-")) + (0, 0, 0)))


def record(**extra):
    """An AAAUsersRead record as the vendor page shows it; keys set to None are left out."""
    row = {
        "UserID": UID, "UserName": "jdoe", "FullName": "Jane Doe", "EmailAddress": "jdoe@example.invalid",
        "AccountStatus": 1, "AccountExpiration": "[Never]", "PasswordExpiration": "2147483647",
        "AuthenticationType": {"id": "1", "name": "Internal"}, "AuthenticationTypeName": "Internal",
        "UserGroup": {"id": "1", "name": "Administrators"}, "UserGroupName": "Administrators", "Subgroups": [],
        "FailedLoginCount": 0, "LastLoginFailed": 0, "LastLoginSuccess": 0, "SupportUsername": "",
        "Password": "", "RepeatPassword": "",
        "Preferences": [{"PreferenceID": 2, "PreferenceName": "PageSize", "PreferenceValue": "1000", "Override": 0,
                         "Description": "Default pagination setting for grid views (default 1000)"}],
        "Properties": [{"id": 2, "PropertyID": 1, "PropertyName": "ResetQuestion", "PropertyValue": "resetval",
                        "Description": "Reserved for future use"}],
    }
    row.update(extra)
    return dict((k, v) for k, v in row.items() if v is not None)


@pytest.fixture()
def ua():
    server = FakeUa()
    yield server
    server.close()


@pytest.fixture(autouse=True)
def no_aaa_environment(monkeypatch):
    """Connection variables of the machine running the tests must not leak in."""
    for name in list(os.environ):
        if name.startswith("AAA_"):
            monkeypatch.delenv(name)


def run(main, args, capsys):
    """Run a module's main() with ``args``; returns its JSON result (``failed`` set on fail_json)."""
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            main()
    return json.loads(capsys.readouterr().out)


def module_args(ua, **extra):
    args = dict(api_url=ua.url, api_username=API_USER, api_password=API_PASSWORD, name="jdoe")
    args.update(extra)
    return args


def assert_schema(body, name):
    """The body matches the simulator's schema of that write (skipped without jsonschema)."""
    jsonschema = pytest.importorskip("jsonschema")
    with open(os.path.join(SCHEMAS, name + ".json"), encoding="utf-8") as handle:
        errors = list(jsonschema.Draft202012Validator(json.load(handle)).iter_errors(body))
    assert not errors, [e.message for e in errors]


def updated(seen):
    """A PUT answer echoing nothing but the envelope (some servers send no record back)."""
    return 200, {"success": True, "message": "Updated record", "data": [], "total": 0}, {}


# -- 1. dates: compared and sent in canonical form; bad ones fail before any request ------------------

def test_short_dates_equal_to_the_stored_ones_are_no_change(ua, capsys):
    ua.on("GET", "/api/AAA/Users", envelope(record(AccountExpiration="2027-01-05", PasswordExpiration=stamp("2027-02-03"))))
    result = run(aaa_user_profile.main, module_args(ua, account_expiration="2027-1-5", password_change="2027-2-3"), capsys)
    assert result["changed"] is False, result
    assert ua.calls() == ["GET /api/AAA/Users"]


def test_short_dates_are_sent_in_canonical_form(ua, capsys):
    ua.on("GET", "/api/AAA/Users", envelope(record()))
    ua.on("PUT", USER_PATH, updated)
    result = run(aaa_user_profile.main, module_args(ua, account_expiration="2027-1-5 7:05", password_change="2027-2-3",
                                                    _ansible_diff=True), capsys)
    assert result["changed"] is True, result
    body = ua.seen[1]["body"]
    assert body["AccountExpiration"] == "2027-01-05 07:05:00" and body["PasswordChange"] == "2027-02-03"
    assert_schema(body, "user_write")
    assert result["diff"]["after"]["account_expiration"] == "2027-01-05 07:05:00"
    assert result["diff"]["after"]["password_change"] == "2027-02-03"


def test_short_date_at_midnight_is_the_date_alone(ua, capsys):
    ua.on("GET", "/api/AAA/Users", envelope(record(AccountExpiration="2027-01-05")))
    result = run(aaa_user_profile.main, module_args(ua, account_expiration="2027-1-5 00:00"), capsys)
    assert result["changed"] is False and len(ua.seen) == 1


@pytest.mark.parametrize("option, value", [
    ("account_expiration", "2027-13-01"),
    ("account_expiration", "05/01/2027"),
    ("account_expiration", "2027-01-05 25:00"),
    ("account_expiration", "tomorrow"),
    ("password_change", "2027-02-30"),
    ("password_change", "2027-02-03 10:00"),
    ("password_change", "1969-12-31"),
    ("password_change", "2040-01-01"),
])
def test_unreadable_dates_fail_before_any_request(ua, capsys, option, value):
    result = run(aaa_user_profile.main, module_args(ua, **{option: value}), capsys)
    assert result.get("failed") is True, result
    assert result["msg"].startswith(option + " must be ")
    assert "YYYY-MM-DD" in result["msg"] and repr(value) in result["msg"]
    assert ua.seen == []


# -- 2. updates send the record's own values and leave out what the record lacks ---------------------

def test_profile_update_of_a_record_without_status_or_auth_type(ua, capsys):
    ua.on("GET", "/api/AAA/Users", envelope(record(AccountStatus=None, AuthenticationType=None, AuthenticationTypeName=None)))
    ua.on("PUT", PROFILE_PATH, updated)
    result = run(aaa_user_profile.main, module_args(ua, email="jane@example.invalid"), capsys)
    assert result["changed"] is True, result
    assert ua.calls() == ["GET /api/AAA/Users", "PUT " + PROFILE_PATH]
    body = ua.seen[1]["body"]
    assert "AccountStatus" not in body and "AuthenticationType" not in body
    assert body["EmailAddress"] == "jane@example.invalid"
    assert body["Preferences"] == record()["Preferences"] and body["Properties"] == record()["Properties"]
    assert_schema(body, "user_profile_put")


def test_profile_update_keeps_a_disabled_user_disabled(ua, capsys):
    ua.on("GET", "/api/AAA/Users", envelope(record(AccountStatus="0")))
    ua.on("PUT", PROFILE_PATH, updated)
    run(aaa_user_profile.main, module_args(ua, email="jane@example.invalid"), capsys)
    body = ua.seen[1]["body"]
    assert body["AccountStatus"] == 0 and body["AuthenticationType"] == 1
    assert_schema(body, "user_profile_put")


def test_users_update_of_a_record_without_group_status_or_expiration(ua, capsys):
    ua.on("GET", "/api/AAA/Users", envelope(record(UserGroup=None, UserGroupName=None, AccountStatus=None,
                                                   AccountExpiration=None, AuthenticationType=None)))
    ua.on("PUT", USER_PATH, updated)
    result = run(aaa_user_profile.main, module_args(ua, full_name="Jane Q. Doe"), capsys)
    assert result["changed"] is True, result
    body = ua.seen[1]["body"]
    assert body["FullName"] == "Jane Q. Doe" and body["UserName"] == "jdoe"
    for key in ("UserGroup", "AccountStatus", "AccountExpiration", "AuthenticationType", "PasswordChange"):
        assert key not in body, key
    assert body["Subgroups"] == []
    assert_schema(body, "user_write")


def test_users_update_sends_the_records_values_for_the_rest(ua, capsys):
    ua.on("GET", "/api/AAA/Users", envelope(record(AccountStatus=0, AccountExpiration="2027-01-05 10:30:00", Subgroups=[2])))
    ua.on("PUT", USER_PATH, updated)
    run(aaa_user_profile.main, module_args(ua, full_name="Jane Q. Doe"), capsys)
    body = ua.seen[1]["body"]
    assert body["AccountStatus"] == "0" and body["UserGroup"] == 1 and body["AuthenticationType"] == 1
    assert body["AccountExpiration"] == "2027-01-05 10:30:00" and body["Subgroups"] == [2]
    assert_schema(body, "user_write")


def test_enabling_a_record_without_status_sends_it(ua, capsys):
    ua.on("GET", "/api/AAA/Users", envelope(record(AccountStatus=None)))
    ua.on("PUT", PROFILE_PATH, updated)
    result = run(aaa_user_profile.main, module_args(ua, enabled=True), capsys)
    assert result["changed"] is True and ua.seen[1]["body"]["AccountStatus"] == 1


# -- 3. check mode predicts the IDs and names of a group or authentication type given as an ID -----

def test_check_mode_with_ids_predicts_names_and_ids(ua, capsys):
    ua.on("GET", "/api/AAA/Users", envelope(record()))
    ua.on("GET", "/api/AAA/UserGroups", envelope(GROUPS))
    ua.on("GET", "/api/AAA/AuthTypes", envelope(AUTH_TYPES))
    result = run(aaa_user_profile.main, module_args(ua, user_group="2", authentication_type="2",
                                                    _ansible_check_mode=True, _ansible_diff=True), capsys)
    assert result["changed"] is True, result
    user = result["user"]
    assert (user["user_group"], user["user_group_id"]) == ("Operators", 2)
    assert (user["authentication_type"], user["authentication_type_id"]) == ("LDAP", 2)
    assert result["diff"]["before"] == {"user_group": "Administrators", "authentication_type": "Internal", "name": "jdoe"}
    assert result["diff"]["after"] == {"user_group": "Operators", "authentication_type": "LDAP", "name": "jdoe"}
    assert [s["method"] for s in ua.seen] == ["GET", "GET", "GET"]


def test_check_mode_with_an_unknown_id_fails_like_the_real_run_would(ua, capsys):
    ua.on("GET", "/api/AAA/Users", envelope(record()))
    ua.on("GET", "/api/AAA/UserGroups", envelope(GROUPS))
    result = run(aaa_user_profile.main, module_args(ua, user_group="9", _ansible_check_mode=True), capsys)
    assert result.get("failed") is True and "user group '9' does not exist" in result["msg"]


def test_check_mode_create_predicts_the_ids(ua, capsys):
    ua.on("GET", "/api/AAA/Users", envelope([]))
    ua.on("GET", "/api/AAA/UserGroups", envelope(GROUPS))
    result = run(aaa_user_profile.main, module_args(ua, full_name="Jane Doe", user_group="2", password=USER_PASSWORD,
                                                    _ansible_check_mode=True), capsys)
    assert result["changed"] is True, result
    user = result["user"]
    assert (user["user_group"], user["user_group_id"]) == ("Operators", 2)
    assert (user["authentication_type"], user["authentication_type_id"]) == ("Internal", 1)
    assert USER_PASSWORD not in json.dumps(result)


def test_real_run_without_a_record_in_the_answer_predicts_the_ids(ua, capsys):
    ua.on("GET", "/api/AAA/Users", envelope(record()))
    ua.on("PUT", USER_PATH, updated)
    result = run(aaa_user_profile.main, module_args(ua, user_group="2"), capsys)
    assert result["changed"] is True and ua.seen[1]["body"]["UserGroup"] == 2
    assert result["user"]["user_group_id"] == 2 and ua.calls() == ["GET /api/AAA/Users", "PUT " + USER_PATH]


def test_check_mode_and_real_run_show_the_same_diff(ua, capsys):
    ua.on("GET", "/api/AAA/Users", envelope(record(AccountExpiration="2027-01-05", Subgroups=[3, 2])))
    ua.on("GET", "/api/AAA/UserGroups", envelope(GROUPS))
    args = module_args(ua, user_group="2", account_expiration="never", subgroups=["3"], _ansible_diff=True)
    predicted = run(aaa_user_profile.main, dict(args, _ansible_check_mode=True), capsys)
    answer = record(AccountExpiration="[Never]", Subgroups=[3], UserGroup={"id": "2", "name": "Operators"},
                    UserGroupName="Operators")
    ua.on("PUT", USER_PATH, envelope(answer, "Updated record"))
    real = run(aaa_user_profile.main, args, capsys)
    assert predicted["diff"] == real["diff"], (predicted["diff"], real["diff"])
    assert real["diff"]["before"]["account_expiration"] == "2027-01-05" and real["diff"]["after"]["account_expiration"] == "never"
    assert real["diff"]["before"]["subgroups"] == [2, 3]
    assert ua.seen[-1]["body"]["AccountExpiration"] == "0" and ua.seen[-1]["body"]["UserGroup"] == 2
    assert real["user"]["account_expiration"] == "[Never]" and predicted["user"]["account_expiration"] == "never"
    assert predicted["user"]["user_group_id"] == real["user"]["user_group_id"] == 2


def test_a_record_without_user_id_fails_with_a_message(ua, capsys):
    ua.on("GET", "/api/AAA/Users", envelope(record(UserID=None)))
    result = run(aaa_user_profile.main, module_args(ua, email="jane@example.invalid"), capsys)
    assert result.get("failed") is True and "has no readable UserID" in result["msg"]
    result = run(aaa_user_profile.main, module_args(ua, state="absent"), capsys)
    assert result.get("failed") is True and "has no readable UserID" in result["msg"]
    assert [s["method"] for s in ua.seen] == ["GET", "GET"]


# -- 4. no e-mail: null and "" are the same ---------------------------------------------------------------

@pytest.mark.parametrize("stored", [None, ""])
def test_cleared_email_is_no_change_whether_the_server_says_null_or_empty(ua, capsys, stored):
    row = record()
    row["EmailAddress"] = stored
    ua.on("GET", "/api/AAA/Users", envelope(row))
    result = run(aaa_user_profile.main, module_args(ua, email=""), capsys)
    assert result["changed"] is False, result
    assert len(ua.seen) == 1


def test_clearing_an_email_sends_an_empty_one(ua, capsys):
    ua.on("GET", "/api/AAA/Users", envelope(record()))
    ua.on("PUT", PROFILE_PATH, updated)
    result = run(aaa_user_profile.main, module_args(ua, email=""), capsys)
    assert result["changed"] is True and ua.seen[1]["body"]["EmailAddress"] == ""


# -- 5. credentials: none at all fails before any request -----------------------------------------------

@pytest.mark.parametrize("main", [aaa_user_profile.main, aaa_user_profile_info.main])
def test_empty_credentials_from_the_environment_fail_before_any_request(ua, capsys, monkeypatch, main):
    monkeypatch.setenv("AAA_API_USERNAME", "")
    monkeypatch.setenv("AAA_API_PASSWORD", "")
    result = run(main, dict(api_url=ua.url, name="jdoe"), capsys)
    assert result.get("failed") is True, result
    for word in ("api_username", "api_password", "AAA_API_USERNAME", "AAA_API_PASSWORD", "client_cert", "client_key"):
        assert word in result["msg"]
    assert ua.seen == []


def test_a_user_name_without_a_password_fails_before_any_request(ua, capsys, monkeypatch):
    monkeypatch.setenv("AAA_API_PASSWORD", "")
    result = run(aaa_user_profile_info.main, dict(api_url=ua.url, api_username=API_USER), capsys)
    assert result.get("failed") is True, result
    assert "api_password" in result["msg"] and "AAA_API_PASSWORD" in result["msg"]
    assert ua.seen == []


# -- simulator fidelity: property rows without their own "id" -----------------------------------------

def test_properties_without_row_ids_are_compared_and_sent_back(ua, capsys):
    properties = [{"PropertyID": 1, "PropertyName": "ResetQuestion", "PropertyValue": "resetval",
                   "Description": "Reserved for future use"}]
    ua.on("GET", "/api/AAA/Users", envelope(record(Properties=properties)))
    ua.on("PUT", PROFILE_PATH, updated)
    result = run(aaa_user_profile.main, module_args(ua, properties={"resetquestion": "resetval"}), capsys)
    assert result["changed"] is False and len(ua.seen) == 1
    result = run(aaa_user_profile.main, module_args(ua, properties={"ResetQuestion": "First lab"}), capsys)
    assert result["changed"] is True
    assert ua.seen[-1]["body"]["Properties"] == [dict(properties[0], PropertyValue="First lab")]
    assert result["user"]["properties"] == {"ResetQuestion": "First lab"}


# -- the info module ----------------------------------------------------------------------------------------

def test_info_finds_a_name_whatever_its_case_and_nothing_else(ua, capsys):
    # Offboarding "Alice" must find the account "alice": Unified Assurance names are not case-sensitive.
    ua.on("GET", "/api/AAA/Users", envelope([record(UserName="JDoe"), record(UserID=1002, UserName="jdoe2")]))
    result = run(aaa_user_profile_info.main, module_args(ua), capsys)
    assert [u["name"] for u in result["users"]] == ["JDoe"]


def test_info_filters_and_normalises(ua, capsys):
    ua.on("GET", "/api/AAA/Users", envelope([record(EmailAddress=None), record(UserID=1002, UserName="jdoe2")]))
    result = run(aaa_user_profile_info.main, module_args(ua), capsys)
    assert [u["name"] for u in result["users"]] == ["jdoe"]
    query = json.loads(ua.seen[0]["query"]["filter"])
    assert query == [{"property": "UserName", "value": "jdoe", "operator": "eq", "conjunction": "AND"}]
    assert API_PASSWORD not in json.dumps(result)
