"""Tests of the Unified Assurance AAA simulator over HTTPS."""

import base64
import json

import jsonschema
import pytest

import simcore

API_USER = ("api", "Ua-Api-Pass-2026!")
USER_READ = jsonschema.Draft202012Validator(simcore.load_schema("aaa/user_read.json"))

PASS_A = "Sim-Test-Pass-7f3a9c21!"
PASS_B = "Sim-Test-Pass-0b44e9d7!"
PASS_C = "Sim-Test-Pass-c91d2a58!"


@pytest.fixture()
def aaa(sims, http):
    """Helpers bound to the AAA simulator: api(method, path, **kw) authenticates as api."""

    class Client:
        url = sims["aaa"]

        def api(self, method, path, auth=API_USER, **kwargs):
            return http.request(method, self.url + "/api/AAA" + path, auth=auth, timeout=10, **kwargs)

        def sim(self, method, path, **kwargs):
            response = http.request(method, self.url + "/_sim/" + path, timeout=10, **kwargs)
            response.raise_for_status()
            return response.json()

        def seed(self, **payload):
            return self.sim("POST", "seed", json=payload)

        def users(self, **params):
            params = {k: json.dumps(v) if isinstance(v, list) else v for k, v in params.items()}
            return self.api("GET", "/Users", params=params)

        def user_by_name(self, name):
            body = self.users(filter=[{"property": "UserName", "value": name, "operator": "eq"}]).json()
            assert body["total"] == 1, body
            return body["data"][0]

        def stored(self, name):
            return next(u for u in self.sim("GET", "state")["users"] if u["UserName"] == name)

    return Client()


def new_user(**overrides):
    body = {
        "UserName": "jdoe", "FullName": "Jane Doe", "EmailAddress": "jdoe@example.invalid",
        "PasswordChange": "never", "PasswordExpiration": "2147483647", "AccountExpiration": "0",
        "UserGroup": 2, "Subgroups": [], "AuthenticationType": 1, "AccountStatus": "1",
        "Password": PASS_A, "RepeatPassword": PASS_A,
        "Preferences": [{"PreferenceID": 2, "PreferenceName": "PageSize", "PreferenceValue": 250}],
        "Properties": [{"PropertyID": 1, "PropertyName": "ResetQuestion", "PropertyValue": "First pet"}],
    }
    body.update(overrides)
    return body


def assert_failure(response, field, fragment, status=200):
    """The failure envelope: success false, message, errors keyed by record field."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False
    assert fragment in body["message"]
    assert any(field in item and fragment in item[field] for item in body["errors"]), body["errors"]
    return body


# ------------------------------------------------------------------ authentication


def test_basic_auth_success(aaa):
    response = aaa.api("GET", "/Users")
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True and body["message"] == "Loaded 1 entries" and body["total"] == 1
    user = body["data"][0]
    USER_READ.validate(user)
    assert user["UserName"] == "api"
    assert user["UserGroup"] == {"id": "1", "name": "Administrators"}
    assert user["AuthenticationType"] == {"id": "1", "name": "Internal"}
    assert user["Password"] == "" and user["LastLoginSuccess"] > 0


def test_wrong_password_and_no_credentials(aaa):
    response = aaa.api("GET", "/Users", auth=("api", "Not-The-Password-55!"))
    assert response.status_code == 401
    assert response.json() == {"success": False, "message": "Authentication failed", "errors": []}
    assert response.headers["WWW-Authenticate"].startswith("Basic")
    assert aaa.stored("api")["FailedLoginCount"] == 1

    response = aaa.api("GET", "/Users", auth=None)
    assert response.status_code == 401 and response.json()["success"] is False
    response = aaa.api("GET", "/Users", auth=("nobody", PASS_A))
    assert response.status_code == 401


def test_auth_failure_is_configurable(aaa):
    aaa.sim("POST", "config", json={"auth_failure_body": "<html>401 Authorization Required</html>",
                                    "auth_challenge": None})
    response = aaa.api("GET", "/Users", auth=None)
    assert response.status_code == 401 and "Authorization Required" in response.text
    assert "WWW-Authenticate" not in response.headers


def test_client_certificate(aaa, sims, http):
    response = http.get(aaa.url + "/api/AAA/UserProfiles/1", cert=(sims["client_cert"], sims["client_key"]), timeout=10)
    assert response.status_code == 200
    assert response.json()["data"][0]["UserName"] == "api"
    # The certificate's user must still be enabled.
    assert aaa.api("PUT", "/Users/1", json={"AccountStatus": "0", "Preferences": [], "Properties": []}).json()["success"]
    response = http.get(aaa.url + "/api/AAA/Users", cert=(sims["client_cert"], sims["client_key"]), timeout=10)
    assert response.status_code == 401


def test_disabled_and_non_internal_users_cannot_log_in(aaa):
    aaa.seed(users=[
        {"UserName": "sleeper", "Password": PASS_A, "AccountStatus": 0},
        {"UserName": "ldapuser", "AuthenticationType": "LDAP"},
        {"UserName": "expired", "Password": PASS_B, "AccountExpiration": "2001-01-01"},
        {"UserName": "viewer", "Password": PASS_C},
    ])
    assert aaa.api("GET", "/Users", auth=("sleeper", PASS_A)).status_code == 401
    assert aaa.api("GET", "/Users", auth=("ldapuser", PASS_A)).status_code == 401
    assert aaa.api("GET", "/Users", auth=("expired", PASS_B)).status_code == 401
    assert aaa.api("GET", "/Users", auth=("viewer", PASS_C)).status_code == 200


def test_expired_password_login_is_configurable(aaa):
    created = aaa.api("POST", "/Users", json=new_user(PasswordChange="immediate")).json()["data"][0]
    assert created["PasswordExpiration"] == "0"
    assert aaa.api("GET", "/Users", auth=("jdoe", PASS_A)).status_code == 200
    aaa.sim("POST", "config", json={"password_expired_blocks_login": True})
    response = aaa.api("GET", "/Users", auth=("jdoe", PASS_A))
    assert response.status_code == 401 and response.json()["message"] == "Password has expired"


def test_operator_role_reads_only_but_edits_own_profile(aaa):
    aaa.seed(users=[{"UserName": "viewer", "Password": PASS_C, "UserGroup": "Operators"}])
    viewer = aaa.user_by_name("viewer")
    auth = ("viewer", PASS_C)
    response = aaa.api("POST", "/Users", auth=auth, json=new_user())
    assert_failure(response, "permission", "Permission denied", status=403)
    own = aaa.api("PUT", "/UserProfiles/%d" % viewer["UserID"], auth=auth,
                  json={"EmailAddress": "viewer@example.invalid", "Preferences": [], "Properties": []})
    assert own.json()["success"] is True
    assert aaa.api("PUT", "/UserProfiles/1", auth=auth, json={"EmailAddress": "x@example.invalid"}).status_code == 403


# ------------------------------------------------------------------ lists


def test_filter_like_is_default_and_eq_is_exact(aaa):
    aaa.seed(users=[{"UserName": "jdoe"}, {"UserName": "jdoe2"}, {"UserName": "xjdoe"}])

    def names(resp):
        return sorted(u["UserName"] for u in resp.json()["data"])

    assert names(aaa.users(filter=[{"property": "UserName", "value": "jdoe"}])) == ["jdoe", "jdoe2", "xjdoe"]
    assert names(aaa.users(filter=[{"property": "UserName", "value": "jdoe", "operator": "like", "type": "string"}])) == [
        "jdoe", "jdoe2", "xjdoe"]
    assert names(aaa.users(filter=[{"property": "UserName", "value": "jdoe%", "operator": "LIKE"}])) == ["jdoe", "jdoe2"]
    exact = aaa.users(filter=[{"property": "UserName", "value": "JDOE", "operator": "eq"}], limit=1).json()
    assert exact["total"] == 1 and exact["data"][0]["UserName"] == "jdoe"
    aaa.sim("POST", "config", json={"like_match": "prefix"})
    assert names(aaa.users(filter=[{"property": "UserName", "value": "jdoe"}])) == ["jdoe", "jdoe2"]


def test_filter_operators_and_conjunction(aaa):
    aaa.seed(users=[{"UserName": "ops1"}, {"UserName": "adm1", "UserGroup": "Administrators"}])
    both = [{"property": "UserGroupID", "value": 1, "operator": "eq"},
            {"property": "UserName", "value": "adm", "conjunction": "AND"}]
    assert [u["UserName"] for u in aaa.users(filter=both).json()["data"]] == ["adm1"]
    either = [{"property": "UserName", "value": "ops1", "operator": "eq"},
              {"property": "UserName", "value": "adm1", "operator": "eq"}]
    assert aaa.users(filter=either).json()["total"] == 2  # OR is the default conjunction
    regex = aaa.users(filter=[{"property": "UserName", "value": "^(api|ops1)$", "operator": "re"}]).json()
    assert regex["total"] == 2
    not_in = aaa.users(filter=[{"property": "UserName", "value": ["api", "ops1"], "operator": "NOT IN"}]).json()
    assert [u["UserName"] for u in not_in["data"]] == ["adm1"]


def test_paging_reads_all_users(aaa):
    result = aaa.seed(generate_users={"count": 300, "prefix": "bulk", "group": "Operators"})
    assert result["seeded"]["users"] == 300
    seen, start, limit = [], 0, 100
    while True:
        body = aaa.users(start=start, limit=limit, page=start // limit + 1,
                         sort=[{"property": "UserName", "direction": "ASC"}]).json()
        assert body["success"] is True and body["total"] == 301
        seen.extend(u["UserName"] for u in body["data"])
        if len(body["data"]) < limit:
            break
        start += limit
    assert len(seen) == 301 and len(set(seen)) == 301
    assert seen[:2] == ["api", "bulk0001"] and seen[-1] == "bulk0300"
    # start is ignored without limit; DESC sorting
    body = aaa.users(start=250, sort=[{"property": "UserID", "direction": "desc"}]).json()
    assert len(body["data"]) == 301 and body["data"][0]["UserName"] == "bulk0300"
    aaa.sim("POST", "config", json={"start_mode": "page"})
    body = aaa.users(start=2, limit=10).json()
    assert [u["UserName"] for u in body["data"]][:2] == ["bulk0020", "bulk0021"]


def test_list_parameter_errors(aaa):
    assert_failure(aaa.api("GET", "/Users", params={"filter": "[{"}), "filter", "not JSON")
    assert_failure(aaa.users(filter=[{"property": "UserName", "value": "a", "operator": "between"}]),
                   "filter", "Unknown filter operator between")
    assert_failure(aaa.users(filter=[{"property": "Nope", "value": "a"}]), "filter", "Cannot filter or sort on Nope")
    assert_failure(aaa.api("GET", "/Users", params={"limit": "ten"}), "limit", "not an integer")


def test_method_not_allowed_lists_the_methods_the_path_serves(aaa):
    """Issue 10: a 405 carries ``Allow`` (RFC 9110), in the simulator's failure envelope."""
    for method, path, served in (("PATCH", "/Users", {"GET", "POST"}),
                                 ("POST", "/Users/2", {"GET", "PUT", "DELETE"}),
                                 ("DELETE", "/UserProfiles/2", {"GET", "PUT"})):
        response = aaa.api(method, path, json={})
        assert response.status_code == 405, response.text
        assert response.json()["success"] is False
        allow = {m.strip() for m in response.headers.get("Allow", "").split(",") if m.strip()}
        assert served <= allow and method not in allow and allow - served <= {"HEAD", "OPTIONS"}, response.headers


# ------------------------------------------------------------------ create / update / delete


def test_create_user(aaa, http):
    response = aaa.api("POST", "/Users", json=new_user())
    body = response.json()
    assert response.status_code == 200 and body["success"] is True and body["message"] == "Added record"
    user = body["data"][0]
    USER_READ.validate(user)
    assert user["UserID"] >= 1001 and user["UserGroup"] == {"id": "2", "name": "Operators"}
    assert user["AccountStatus"] == 1 and user["AccountExpiration"] == "[Never]"
    assert [(p["PreferenceName"], p["PreferenceValue"]) for p in user["Preferences"]] == [("PageSize", "250")]
    assert user["Properties"][0]["PropertyValue"] == "First pet" and isinstance(user["Properties"][0]["id"], int)
    assert aaa.api("GET", "/Users", auth=("jdoe", PASS_A)).status_code == 200
    state = http.get(aaa.url + "/_sim/state", timeout=10).text
    assert PASS_A not in state and "pbkdf2" not in state
    assert aaa.stored("jdoe")["PasswordSet"] is True


def test_create_missing_required(aaa):
    response = aaa.api("POST", "/Users", json={"UserName": "partial", "Password": PASS_A, "RepeatPassword": PASS_A})
    body = assert_failure(response, "FullName", "FullName is required")
    fields = {key for item in body["errors"] for key in item}
    assert {"FullName", "UserGroup", "AuthenticationType", "AccountStatus", "Preferences", "Properties",
            "PasswordChange", "PasswordExpiration", "AccountExpiration", "Subgroups"} <= fields
    assert_failure(aaa.api("POST", "/Users", json=new_user(Password="", RepeatPassword="")),
                   "Password", "password is required")
    assert_failure(aaa.api("POST", "/Users", json=new_user(UserGroup=99)), "UserGroup", "99 does not exist")
    assert_failure(aaa.api("POST", "/Users", json=new_user(Subgroups=[2])), "Subgroups", "primary group")
    assert_failure(aaa.api("POST", "/Users", json=new_user(AccountStatus="yes")), "AccountStatus", "is invalid")
    assert_failure(aaa.api("POST", "/Users", data="not json"), "body", "JSON object")


def test_create_password_mismatch_policy_and_non_internal(aaa):
    assert_failure(aaa.api("POST", "/Users", json=new_user(RepeatPassword=PASS_B)), "RepeatPassword", "differ")
    assert_failure(aaa.api("POST", "/Users", json=new_user(Password="abc", RepeatPassword="abc")),
                   "Password", "at least 4 characters")
    assert_failure(aaa.api("POST", "/Users", json=new_user(AuthenticationType=2)), "Password", "Internal authentication")
    response = aaa.api("POST", "/Users", json=new_user(AuthenticationType=2, Password="", RepeatPassword=""))
    assert response.json()["data"][0]["AuthenticationTypeName"] == "LDAP"


def test_create_duplicate(aaa):
    assert aaa.api("POST", "/Users", json=new_user()).json()["success"] is True
    assert_failure(aaa.api("POST", "/Users", json=new_user(UserName="JDoe")), "UserName", "already taken")
    aaa.sim("POST", "config", json={"duplicate_status": 409})
    assert aaa.api("POST", "/Users", json=new_user()).status_code == 409


def test_update_user(aaa):
    user = aaa.api("POST", "/Users", json=new_user()).json()["data"][0]
    body = {"FullName": "Jane Q. Doe", "UserGroup": "1", "AccountStatus": "0",
            "Preferences": user["Preferences"], "Properties": user["Properties"]}
    response = aaa.api("PUT", "/Users/%d" % user["UserID"], json=body).json()
    assert response["success"] is True and response["message"] == "Updated record"
    updated = response["data"][0]
    assert updated["FullName"] == "Jane Q. Doe" and updated["UserGroupName"] == "Administrators"
    assert updated["AccountStatus"] == 0 and updated["Preferences"] == user["Preferences"]
    assert updated["Properties"] == user["Properties"]


def test_delete_and_missing_id(aaa):
    user = aaa.api("POST", "/Users", json=new_user()).json()["data"][0]
    response = aaa.api("DELETE", "/Users/%d" % user["UserID"])
    assert response.status_code == 200 and response.json() == {"success": True, "message": "Deleted record"}
    assert aaa.users(filter=[{"property": "UserName", "value": "jdoe", "operator": "eq"}]).json()["total"] == 0
    missing = aaa.api("DELETE", "/Users/%d" % user["UserID"])
    assert_failure(missing, "id", "No user record found with ID %d" % user["UserID"])
    assert_failure(aaa.api("GET", "/UserProfiles/424242"), "id", "No user record found")
    assert_failure(aaa.api("GET", "/Users/abc"), "id", "Invalid ID abc")
    aaa.sim("POST", "config", json={"not_found_status": 404})
    assert aaa.api("GET", "/Users/424242").status_code == 404


# ------------------------------------------------------------------ user profiles


def test_profile_get(aaa):
    body = aaa.api("GET", "/UserProfiles/1").json()
    assert body["success"] is True and body["total"] == 1 and body["message"] == "Loaded 1 entries"
    profile = body["data"][0]
    USER_READ.validate(profile)
    assert {p["PreferenceName"]: p["PreferenceValue"] for p in profile["Preferences"]} == {
        "PageSize": "1000", "DefaultDisplayID": "1"}
    assert profile["Properties"][0]["PropertyName"] == "ResetQuestion"


def test_profile_put_one_preference_and_email(aaa):
    profile = aaa.api("GET", "/UserProfiles/1").json()["data"][0]
    preferences = [dict(p, PreferenceValue=50) if p["PreferenceName"] == "PageSize" else p for p in profile["Preferences"]]
    body = {"EmailAddress": "api-team@example.invalid", "Preferences": preferences, "Properties": profile["Properties"]}
    response = aaa.api("PUT", "/UserProfiles/1", json=body).json()
    assert response["success"] is True and response["message"] == "Updated record"
    after = aaa.api("GET", "/UserProfiles/1").json()["data"][0]
    assert after["EmailAddress"] == "api-team@example.invalid"
    assert {p["PreferenceName"]: p["PreferenceValue"] for p in after["Preferences"]} == {
        "PageSize": "50", "DefaultDisplayID": "1"}
    assert after["Properties"] == profile["Properties"]  # same row id kept


def test_profile_put_array_semantics(aaa):
    profile = aaa.api("GET", "/UserProfiles/1").json()["data"][0]
    # An entry left out of a sent array is dropped.
    only_page = [p for p in profile["Preferences"] if p["PreferenceName"] == "PageSize"]
    after = aaa.api("PUT", "/UserProfiles/1", json={"Preferences": only_page, "Properties": []}).json()["data"][0]
    assert [p["PreferenceName"] for p in after["Preferences"]] == ["PageSize"] and after["Properties"] == []
    # Omitted arrays are cleared by default, kept when configured.
    aaa.api("PUT", "/UserProfiles/1", json={"Preferences": profile["Preferences"]})
    after = aaa.api("PUT", "/UserProfiles/1", json={"EmailAddress": "a@example.invalid"}).json()["data"][0]
    assert after["Preferences"] == []
    aaa.sim("POST", "config", json={"omitted_arrays": "keep"})
    aaa.api("PUT", "/UserProfiles/1", json={"Preferences": profile["Preferences"]})
    after = aaa.api("PUT", "/UserProfiles/1", json={"EmailAddress": "b@example.invalid"}).json()["data"][0]
    assert len(after["Preferences"]) == 2


def test_definitions_carry_the_vendor_page_descriptions(aaa):
    profile = aaa.api("GET", "/UserProfiles/1").json()["data"][0]
    assert {p["PreferenceName"]: p["Description"] for p in profile["Preferences"]} == {
        "PageSize": "Default pagination setting for grid views (default 1000)",
        "DefaultDisplayID": "Default event list display (default 'Default')"}
    assert profile["Properties"][0]["Description"] == "Reserved for future use"
    definitions = aaa.api("GET", "/UserProperties").json()["data"]
    assert definitions == [{"PropertyID": 1, "PropertyName": "ResetQuestion", "Description": "Reserved for future use"}]


def test_property_rows_without_their_own_id_as_the_read_schema_shows_them(aaa):
    assert aaa.api("GET", "/UserProfiles/1").json()["data"][0]["Properties"][0]["id"] == 1
    aaa.sim("POST", "config", json={"read_property_item_id": False})
    profile = aaa.api("GET", "/UserProfiles/1").json()["data"][0]
    USER_READ.validate(profile)
    assert profile["Properties"] == [{"PropertyID": 1, "PropertyName": "ResetQuestion",
                                      "PropertyValue": "Name of the first lab", "Description": "Reserved for future use"}]
    # Sent back without ids (as read), the rows keep their stored ids and take the new value.
    changed = [dict(profile["Properties"][0], PropertyValue="resetval")]
    body = {"Preferences": profile["Preferences"], "Properties": changed}
    assert aaa.api("PUT", "/UserProfiles/1", json=body).json()["success"] is True
    stored = next(u for u in aaa.sim("GET", "state")["users"] if u["UserName"] == "api")["Properties"]
    assert stored == [{"id": 1, "PropertyID": 1, "PropertyValue": "resetval"}]


def test_profile_put_types_and_unknown_names(aaa):
    assert_failure(aaa.api("PUT", "/UserProfiles/1", json={"AccountStatus": "1"}), "AccountStatus", "is invalid")
    assert_failure(aaa.api("PUT", "/UserProfiles/1", json={"Preferences": [{"PreferenceName": "Colour", "PreferenceValue": 1}]}),
                   "Preferences", "Unknown preference Colour")
    assert_failure(aaa.api("PUT", "/UserProfiles/1", json={"Properties": [{"PropertyName": "Nope", "PropertyValue": "x"}]}),
                   "Properties", "Unknown property Nope")
    # Read-only fields sent back are ignored by default, refused when configured.
    response = aaa.api("PUT", "/UserProfiles/1", json={"FullName": "Changed?", "Preferences": [], "Properties": []}).json()
    assert response["success"] is True and response["data"][0]["FullName"] == "API User"
    aaa.sim("POST", "config", json={"profile_extra_fields": "error"})
    assert_failure(aaa.api("PUT", "/UserProfiles/1", json={"FullName": "x"}), "FullName", "cannot be changed")


def test_profile_password_change(aaa):
    user = aaa.api("POST", "/Users", json=new_user()).json()["data"][0]
    path = "/UserProfiles/%d" % user["UserID"]
    base = {"Preferences": user["Preferences"], "Properties": user["Properties"]}
    assert_failure(aaa.api("PUT", path, json=dict(base, Password=PASS_B, RepeatPassword=PASS_C)), "RepeatPassword", "differ")
    before = aaa.stored("jdoe")["PasswordChangedAt"]
    response = aaa.api("PUT", path, json=dict(base, Password=PASS_B, RepeatPassword=PASS_B), auth=("jdoe", PASS_A))
    assert response.json()["success"] is True
    assert aaa.stored("jdoe")["PasswordChangedAt"] != before
    assert aaa.api("GET", path, auth=("jdoe", PASS_A)).status_code == 401
    assert aaa.api("GET", path, auth=("jdoe", PASS_B)).status_code == 200
    # Blank password fields (as read) change nothing.
    assert aaa.api("PUT", path, json=dict(base, Password="", RepeatPassword="")).json()["success"] is True
    assert aaa.api("GET", path, auth=("jdoe", PASS_B)).status_code == 200


def test_profile_password_only_for_internal(aaa):
    user = aaa.api("POST", "/Users", json=new_user(AuthenticationType=2, Password="", RepeatPassword="")).json()["data"][0]
    path = "/UserProfiles/%d" % user["UserID"]
    assert_failure(aaa.api("PUT", path, json={"Password": PASS_B, "RepeatPassword": PASS_B}), "Password", "Internal")
    # Switching to Internal in the same request allows it.
    response = aaa.api("PUT", path, json={"AuthenticationType": 1, "Password": PASS_B, "RepeatPassword": PASS_B}).json()
    assert response["success"] is True and response["data"][0]["AuthenticationTypeName"] == "Internal"
    assert aaa.api("GET", path, auth=("jdoe", PASS_B)).status_code == 200


def test_locked_group_preference(aaa):
    aaa.seed(groups=[{"UserGroupName": "NOC", "RoleID": 2,
                      "Preferences": [{"PreferenceName": "PageSize", "PreferenceValue": 100, "Override": 1}]}],
             users=[{"UserName": "noc1", "UserGroup": "NOC", "Preferences": {"DefaultDisplayID": 4}}])
    user = aaa.user_by_name("noc1")
    assert {p["PreferenceName"]: (p["PreferenceValue"], p["Override"]) for p in user["Preferences"]} == {
        "PageSize": ("100", 1), "DefaultDisplayID": ("4", 0)}
    path = "/UserProfiles/%d" % user["UserID"]
    changed = [dict(p, PreferenceValue=500) if p["PreferenceName"] == "PageSize" else p for p in user["Preferences"]]
    assert_failure(aaa.api("PUT", path, json={"Preferences": changed}), "Preferences", "locked by user group NOC")
    assert aaa.api("PUT", path, json={"Preferences": user["Preferences"]}).json()["success"] is True


# ------------------------------------------------------------------ envelopes, other resources, control surface


def test_database_error_preset_is_success_false_with_200(aaa):
    aaa.sim("POST", "faults", json={"preset": "database_error", "path": "/api/AAA/Users"})
    response = aaa.api("GET", "/Users")
    assert response.status_code == 200
    assert response.json()["success"] is False and "database" in response.json()["message"]
    assert aaa.api("GET", "/Users").json()["success"] is True


def test_error_items_style(aaa):
    aaa.sim("POST", "config", json={"error_items": "field_message", "validation_status": 400,
                                    "messages": {"password_mismatch": "Passwords do not match"}})
    response = aaa.api("POST", "/Users", json=new_user(RepeatPassword=PASS_B))
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "RepeatPassword", "message": "Passwords do not match"}]


def test_groups_auth_types_and_definitions(aaa):
    groups = aaa.api("GET", "/UserGroups").json()
    assert groups["total"] == 2 and [g["UserGroupName"] for g in groups["data"]] == ["Administrators", "Operators"]
    assert groups["data"][0]["Users"] == [1] and groups["data"][0]["RoleName"] == "Administrator"
    page = aaa.api("GET", "/UserGroups", params={"start": 1, "limit": 1}).json()
    assert page["total"] == 2 and [g["UserGroupName"] for g in page["data"]] == ["Operators"]
    filtered = aaa.api("GET", "/UserGroups", params={"filter": json.dumps([{"property": "UserGroupName", "value": "oper"}])})
    assert [g["UserGroupID"] for g in filtered.json()["data"]] == [2]

    auth_types = aaa.api("GET", "/AuthTypes").json()["data"]
    assert [(a["AuthenticationTypeID"], a["AuthenticationTypeProtocol"]) for a in auth_types] == [(1, "Internal"), (2, "LDAP")]
    assert aaa.api("GET", "/AuthTypes/Internal").json()["data"][0]["AuthenticationTypeID"] == 1
    assert aaa.api("GET", "/AuthTypes/readForSelect").json()["data"] == [{"id": "1", "name": "Internal"}, {"id": "2", "name": "LDAP"}]

    prefs = aaa.api("GET", "/Preferences").json()["data"]
    assert [(p["PreferenceID"], p["PreferenceName"]) for p in prefs] == [(2, "PageSize"), (3, "DefaultDisplayID")]
    props = aaa.api("GET", "/UserProperties").json()["data"]
    assert [p["PropertyName"] for p in props] == ["ResetQuestion"]
    assert aaa.api("GET", "/Users/readForSelect").json()["data"] == [{"id": "1", "name": "api"}]
    assert aaa.api("GET", "/UserGroups/9").json()["success"] is False
    assert aaa.api("GET", "/UserProfiles").status_code == 404  # there is no profile list


def test_seed_errors(aaa, http):
    response = http.post(aaa.url + "/_sim/seed", json={"users": [{"UserName": "x", "UserGroup": "Nope"}]}, timeout=10)
    assert response.status_code == 400 and "unknown group" in response.json()["error"]
    response = http.post(aaa.url + "/_sim/seed", json={"groups": [{"UserGroupName": "+1234"}]}, timeout=10)
    assert response.status_code == 400
    response = http.post(aaa.url + "/_sim/seed", json={"users": [{"UserName": "ok"}, {"UserName": "api"}]}, timeout=10)
    assert response.status_code == 400
    assert [u["UserName"] for u in aaa.sim("GET", "state")["users"]] == ["api"]  # all or nothing


def test_request_log_redacts_secrets(aaa):
    aaa.sim("DELETE", "requests")
    aaa.api("POST", "/Users", json=new_user(SupportUsername="support1", SupportPassword=PASS_C))
    user = aaa.user_by_name("jdoe")
    aaa.api("PUT", "/UserProfiles/%d" % user["UserID"], json={"Password": PASS_B, "RepeatPassword": PASS_B})
    log = aaa.sim("GET", "requests")
    dump = json.dumps(log)
    for secret in (PASS_A, PASS_B, PASS_C, API_USER[1], base64.b64encode(("api:" + API_USER[1]).encode()).decode()):
        assert secret not in dump
    assert "authorization" not in dump.lower()
    assert log[0]["body"]["Password"] == "********" and log[0]["body"]["RepeatPassword"] == "********"
    assert log[0]["body"]["SupportPassword"] == "********"
    assert [(e["method"], e["status"]) for e in log] == [("POST", 200), ("GET", 200), ("PUT", 200)]
