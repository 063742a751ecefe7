"""Tests of the AhsayCBS simulator over HTTPS.

The first part replays every INPUT/OUTPUT example of the three vendor pages kept in
reference/seeds (UpdateUser, AddUser, UpdateSysUser) with ``curly_quotes`` on, so the
messages compare exactly with the printed text. The rest covers each endpoint's success
and error cases, the password hash, password expiry, fault injection and the log.
"""

import base64
import hashlib
import json
import time

import jsonschema
import pytest
import requests

import simcore

SYS = {"SysUser": "system", "SysPwd": "system1"}
HASH_SYSTEM1 = "ggeRi1mrAu37jPPCb6q6sRyBRlz/VxUgHbso6jqZu0I="
HASH_SYSTEM = "u8XmYeEGxtzY3G3RhkVML8ujxxD7TY5xpgyT6vB38HM="
OBM_PASS = "Sim-Test-Obm-Pass-3b7e1d55!"
# The typographic quotes the vendor pages print (escaped: sanity checks ban them in source).
Q = {"L": "\u2018", "R": "\u2019", "D": "\u201d"}
USER_SCHEMA = simcore.load_schema("ahsay/User.json")
SYSUSER_SCHEMA = simcore.load_schema("ahsay/SystemUser.json")


class Ahsay:
    """Thin client for the simulator: API calls and the /_sim/ control surface."""

    def __init__(self, http, base):
        self.http, self.base = http, base

    def call(self, name, body=None, v2=False, auth=None):
        """POST one API call; ``auth`` defaults to the seeded system user ({} sends none)."""
        url = "%s/obs/api/json/%s%s.do" % (self.base, "2/" if v2 else "", name)
        response = self.http.post(url, json=dict(SYS if auth is None else auth, **(body or {})), timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    def ok(self, name, body=None, v2=False, auth=None):
        result = self.call(name, body, v2, auth)
        assert result["Status"] == "OK", result
        return result

    def user(self, login):
        data = self.ok("GetUser", {"LoginName": login}, v2=True)["Data"]
        jsonschema.validate(data, USER_SCHEMA)
        return data

    def sysusers(self):
        data = self.ok("ListSystemUsers")["Data"]
        for entry in data:
            jsonschema.validate(entry, SYSUSER_SCHEMA)
        return {u["Name"]: u for u in data}

    def seed(self, **payload):
        response = self.http.post(self.base + "/_sim/seed", json=payload, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    def sim_state(self):
        response = self.http.get(self.base + "/_sim/state", timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    def config(self, **changes):
        response = self.http.post(self.base + "/_sim/config", json=changes, timeout=10)
        assert response.status_code == 200, response.text

    def fault(self, **fault):
        response = self.http.post(self.base + "/_sim/faults", json=fault, timeout=10)
        assert response.status_code == 200, response.text


@pytest.fixture()
def ahsay(http, sims):
    return Ahsay(http, sims["ahsay"])


def error(result, message, expt_type=None):
    assert result["Status"] == "Error", result
    assert result.get("Message") == message
    if expt_type is not None:
        assert result["ExptType"] == expt_type


def sha(password):
    return base64.b64encode(hashlib.sha256(password.encode()).digest()).decode()


# ------------------------------------------------------------------ page 000: UpdateUser

def contact(tag, company="Ahsay"):
    """A contact as written in the UpdateUser page examples."""
    return {"Company": company, "Email": tag + "@example.com", "Address": tag, "Website": "www.ahsay.com",
            "Name": tag, "Phone1": "1234", "Phone2": "1234"}


def seed_obm(ahsay, contacts=()):
    ahsay.seed(users=[{"LoginName": "obm", "Password": OBM_PASS, "ClientType": "OBM",
                       "ContactList": [contact(c) for c in contacts]}])
    ahsay.config(curly_quotes=True)


def emails(ahsay, login="obm"):
    return [c["Email"] for c in ahsay.user(login)["ContactList"]]


def test_page_updateuser_ex1_quota_list(ahsay):
    seed_obm(ahsay)
    before = ahsay.user("obm")["QuotaList"]
    result = ahsay.call("UpdateUser", {"LoginName": "obm", "QuotaList": [
        {"Enabled": True, "DestinationKey": "OBM", "Quota": 73400320}]}, v2=True)
    assert result == {"Status": "OK"}
    assert ahsay.user("obm")["QuotaList"] == before  # "OBM" names no destination: ignored


def test_page_updateuser_ex2_add_contacts(ahsay):
    seed_obm(ahsay)
    result = ahsay.call("UpdateUser", {"LoginName": "obm", "ChangeContact": "Y",
                                       "NewContact": [contact("newcontact1"), contact("newcontact2")]}, v2=True)
    assert result == {"Status": "OK"}
    assert emails(ahsay) == ["newcontact1@example.com", "newcontact2@example.com"]


def test_page_updateuser_ex3_update_contacts(ahsay):
    seed_obm(ahsay, ["oldcontact1", "oldcontact2"])
    ids = [c["ContactId"] for c in ahsay.user("obm")["ContactList"]]
    result = ahsay.call("UpdateUser", {
        "LoginName": "obm", "ChangeContact": "Y",
        "OldContact": [contact("oldcontact1"), contact("oldcontact2")],
        "NewContact": [contact("newcontact1"), contact("newcontact2")]}, v2=True)
    assert result == {"Status": "OK"}
    after = ahsay.user("obm")["ContactList"]
    assert [c["Email"] for c in after] == ["newcontact1@example.com", "newcontact2@example.com"]
    assert [c["ContactId"] for c in after] == ids and after[0]["Name"] == "newcontact1"


def test_page_updateuser_ex4_delete_contact_is_an_error(ahsay):
    seed_obm(ahsay, ["oldcontact1", "oldcontact2", "newcontact1", "newcontact2"])
    result = ahsay.call("UpdateUser", {
        "LoginName": "obm", "ChangeContact": "Y",
        "OldContact": [contact(c) for c in ("oldcontact1", "oldcontact2", "newcontact1", "newcontact2")],
        "NewContact": [contact(c) for c in ("oldcontact1", "oldcontact2", "newcontact2")]}, v2=True)
    assert result == {"Status": "Error"}
    assert len(emails(ahsay)) == 4


def test_page_updateuser_ex5_append_duplicate(ahsay):
    seed_obm(ahsay, ["oldcontact1"])
    result = ahsay.call("UpdateUser", {"LoginName": "obm", "AppendContact": "Y",
                                       "Contact": [contact("oldcontact1")]}, v2=True)
    assert result == {"Status": "Error",
                      "Message": "[UpdateUserProfile.checkDuplicatedEmail] Contact already exists <oldcontact1@example.com>",
                      "ExptType": "com.ahsay.obs.core.dbs.DbsException"}
    assert emails(ahsay) == ["oldcontact1@example.com"]


def test_page_updateuser_ex6_append(ahsay):
    seed_obm(ahsay, ["oldcontact1"])
    result = ahsay.call("UpdateUser", {"LoginName": "obm", "AppendContact": "Y",
                                       "Contact": [contact("oldcontact", "None")]}, v2=True)
    assert result == {"Status": "OK"}
    assert emails(ahsay) == ["oldcontact1@example.com", "oldcontact@example.com"]


@pytest.mark.parametrize("tag", ["oldcontact", "oldcontact1"])  # examples 7 and 8
def test_page_updateuser_ex7_ex8_replace_all(ahsay, tag):
    seed_obm(ahsay, ["oldcontact1", "oldcontact2", "oldcontact"])
    result = ahsay.call("UpdateUser", {"LoginName": "obm", "AppendContact": "N",
                                       "Contact": [contact(tag, "None")]}, v2=True)
    assert result == {"Status": "OK"}
    assert ahsay.user("obm")["ContactList"][0]["Company"] == "None"
    assert emails(ahsay) == [tag + "@example.com"]


def test_page_updateuser_ex9_module_settings(ahsay):
    seed_obm(ahsay)
    ahsay.seed(users=[{"LoginName": "obm", "Password": OBM_PASS, "EnableDeduplication": True, "EnableMSSQL": True}])
    result = ahsay.call("UpdateUser", {"LoginName": "obm", "ModuleSettings": {
        "ShadowCopyEnabled": True, "NasClientEnabled": True, "DeduplicationEnabled": False}}, v2=True)
    assert result == {"Status": "OK"}
    modules = ahsay.user("obm")["ModuleSettings"]
    assert (modules["ShadowCopyEnabled"], modules["NasClientEnabled"], modules["DeduplicationEnabled"]) == (True, True, False)
    assert modules["MSSQLBackupEnabled"] is True  # untouched


@pytest.mark.parametrize("example", [10, 11])  # both examples send the same body
def test_page_updateuser_ex10_ex11_paid_and_suspend_setting(ahsay, example):
    seed_obm(ahsay)
    ahsay.ok("UpdateUser", {"LoginName": "obm", "UserSuspendSettings": {"Enabled": True, "Date": 1}}, v2=True)
    result = ahsay.call("UpdateUser", {"LoginName": "obm", "Type": "PAID",
                                       "UserSuspendSettings": {"Enabled": False, "Date": 2106396800000}}, v2=True)
    assert result == {"Status": "OK"}
    data = ahsay.user("obm")
    assert data["Type"] == "PAID"
    assert data["UserSuspendSettings"] == {"Enabled": False, "Date": 2106396800000}


# ------------------------------------------------------------------ page 001: AddUser

DEST = "-1686812937526"
ADD_EX1 = {"LoginName": "obm2", "Password": "obm2", "Email": "obm2@example.com", "Type": "Paid",
           "Status": "ENABLE", "ClientType": "OBM",
           "QuotaList": [{"Enabled": True, "DestinationKey": DEST, "Quota": 53687091200}]}


def test_page_adduser_ex1(ahsay):
    ahsay.seed(destinations=[{"DestinationKey": DEST, "DestinationName": "Predefined-1"}])
    assert ahsay.call("AddUser", ADD_EX1, v2=True) == {"Status": "OK"}
    data = ahsay.user("obm2")
    assert (data["Type"], data["Status"], data["ClientType"]) == ("PAID", "ENABLE", "OBM")
    assert data["ContactList"][0]["Email"] == "obm2@example.com"
    assert not {"Email", "EnableAUA", "DataSize", "Password"} & set(data)  # outside the documented key list
    quota = {q["DestinationKey"]: q for q in data["QuotaList"]}
    assert quota[DEST] == {"Enabled": True, "Quota": 53687091200, "DestinationName": "Predefined-1", "DestinationKey": DEST}
    assert quota["OBS"]["Enabled"] is False


# The page prints OUTPUT 7's inner quotes as backslash + U+201D: a JSON-escaped quote, smart-quoted.
PAGE_OUTPUT7 = ("Invalid value {L}Quota{R} for item {L}-1686812937526{R} of {L}QuotaList{R}. Error: JSONObject "
                "[\\{D}Quota\\{D}] is not a long (class java.lang.String: ac130).").format(**Q).replace("\\" + Q["D"], Q["D"])


@pytest.mark.parametrize("visible, items, message", [
    (False, [{"Enabled": True, "DestinationKey": DEST, "Quota": 53687091200}],
     "Destination {L}-1686812937526{R} is not visible to user {L}obm2{R} according to policy{R}s "
     "[Destinations Visible to Users] settings.".format(**Q)),
    (True, [{"DestinationKey": DEST, "Quota": 53687091200}],
     "Value {L}Enabled{R} is missing in item {L}-1686812937526{R} of {L}QuotaList{R}.".format(**Q)),
    (True, [{"Enabled": "yes", "DestinationKey": DEST, "Quota": 53687091200}],
     "Invalid {L}Enabled{R} in item {L}-1686812937526{R} of {L}QuotaList{R}.".format(**Q)),
    (True, [{"Enabled": True, "DestinationKey": DEST, "Quota": 1}, {"Enabled": False, "DestinationKey": DEST, "Quota": 0}],
     "Duplicated DestinationKey (-1686812937526) are not allowed in the QuotaList."),
    (True, [{"Enabled": True, "DestinationKey": DEST, "Quota": -1}],
     "Invalid value for {L}Quota{R} for item {L}-1686812937526{R} of {L}QuotaList{R}. "
     "Error: Must be a positive number.".format(**Q)),
    (True, [{"Enabled": True, "DestinationKey": DEST, "Quota": "ac130"}], PAGE_OUTPUT7),
], ids=["output2-not-visible", "output3-no-enabled", "output4-bad-enabled", "output5-duplicate",
        "output6-negative", "output7-not-a-long"])
def test_page_adduser_ex1_error_outputs(ahsay, visible, items, message):
    ahsay.seed(destinations=[{"DestinationKey": DEST, "DestinationName": "Predefined-1", "Visible": visible}])
    ahsay.config(curly_quotes=True)
    error(ahsay.call("AddUser", dict(ADD_EX1, QuotaList=items), v2=True), message, "java.lang.Exception")
    assert ahsay.call("GetUser", {"LoginName": "obm2"}, v2=True)["Status"] == "Error"  # nothing stored


def test_page_adduser_ex2_total_quota(ahsay):
    body = {"LoginName": "obm1", "Password": "obm1", "Email": "testobm@example.com", "Type": "Paid",
            "Status": "ENABLE", "ClientType": "OBM", "QuotaType": "TOTAL_QUOTA", "StorageQuota": 75,
            "QuotaList": [{"DestinationKey": "OBS", "Quota": 53687091200, "DestinationName": "AhsayCBS", "Enabled": True}]}
    assert ahsay.call("AddUser", body, v2=True) == {"Status": "OK"}
    data = ahsay.user("obm1")
    assert (data["QuotaType"], data["StorageQuota"]) == ("TOTAL_QUOTA", 75)
    assert data["QuotaList"][0] == {"Enabled": True, "Quota": 53687091200, "DestinationName": "AhsayCBS", "DestinationKey": "OBS"}


def test_page_adduser_ex3(ahsay):
    body = dict(ADD_EX1, QuotaList=[{"Enabled": True, "DestinationKey": "OBS", "Quota": 53687091200}])
    assert ahsay.call("AddUser", body, v2=True) == {"Status": "OK"}
    assert ahsay.user("obm2")["QuotaList"][0]["Quota"] == 53687091200


# ------------------------------------------------------------------ page 002: UpdateSysUser

SAMPLE = {"SysUser": "sample", "SysPwd": "sample"}


@pytest.fixture()
def sample(ahsay):
    ahsay.seed(sysusers=[{"LoginName": "sample", "Password": "sample", "Role": "ADMIN"},
                         {"LoginName": "admin123", "Password": "Sim-Test-Admin123-Pass-a41c!", "Role": "ADMIN"}])
    ahsay.config(curly_quotes=True)
    return ahsay


def test_page_updatesysuser_ex1(sample):
    result = sample.call("UpdateSysUser", {"LoginName": "admin123", "Password": "changepassword",
                                           "PasswordHashed": "false"}, auth=SAMPLE)
    assert result == {"Status": "OK"}
    assert sample.sysusers()["admin123"]["HashedPwd"] == sha("changepassword")


@pytest.mark.parametrize("body", [{"Password": "changepassword"}, {}], ids=["example2", "example6"])
def test_page_updatesysuser_ex2_ex6_missing_login(sample, body):
    assert sample.call("UpdateSysUser", body, auth=SAMPLE) == {
        "Status": "Error", "Message": "[Error] Parameter LoginName is null/empty!",
        "ExptType": "com.ahsay.obs.core.dbs.DbsException"}


def test_page_updatesysuser_ex3(sample):
    result = sample.call("UpdateSysUser", {"LoginName": "admin123", "Password": "changepassword",
                                           "Status": "ENABLED"}, auth=SAMPLE)
    assert result == {"Status": "OK"}
    assert sample.sysusers()["admin123"]["Status"] == "ENABLED"


def test_page_updatesysuser_ex4_bad_status(sample):
    result = sample.call("UpdateSysUser", {"LoginName": "admin123", "Password": "changepassword",
                                           "Status": "LOCKED"}, auth=SAMPLE)
    assert result == {"Status": "Error", "Message": "Invalid value.  {L}Status{R} must be {L}ENABLED{R} or {L}SUSPENDED{R}".format(**Q),
                      "ExptType": "com.ahsay.obs.core.dbs.DbsException"}
    assert sample.sysusers()["admin123"]["HashedPwd"] == sha("Sim-Test-Admin123-Pass-a41c!")  # unchanged


def test_page_updatesysuser_ex5_status_not_a_string(sample):
    body = {"LoginName": "admin123", "Password": "changepassword", "Status": 0}
    error(sample.call("UpdateSysUser", body, auth=SAMPLE),
          'JSONObject["Status"] is not a string (class java.lang.Integer : 0).', "org.json.JSONException")
    sample.config(org_json_style="sysuser_page")  # the page's own (garbled) text, verbatim
    error(sample.call("UpdateSysUser", body, auth=SAMPLE), "JSONObject\\{D}Status\\{D}\\not a string".format(**Q),
          "org.json.JONException")


# ------------------------------------------------------------------ system users

def test_auth_system_user(ahsay):
    assert ahsay.call("AuthSystemUser") == {"Status": "OK"}
    bad = {"Status": "Error", "Message": "Incorrect system username/password", "ExptType": "com.ahsay.obs.core.dbs.c"}
    assert ahsay.call("AuthSystemUser", auth={"SysUser": "system", "SysPwd": "wrong-Sim-Pass-0000"}) == bad
    assert ahsay.call("AuthSystemUser", auth={"SysUser": "nobody", "SysPwd": "system1"}) == bad
    assert ahsay.call("AuthSystemUser", auth={}) == bad
    assert ahsay.call("GetUser", {"LoginName": "x"}, v2=True, auth={"SysUser": "system", "SysPwd": "x"}) == bad


def test_seeded_system_user_hash(ahsay):
    users = ahsay.sysusers()
    assert users["system"] == {"Role": "ADMIN", "Status": "ENABLED", "HashedPwd": HASH_SYSTEM1,
                               "IsShowRebrandingPages": False, "Name": "system", "IsSendConsolidatedReport": False,
                               "IsFreeTrialOfferAllowed": False}
    assert ahsay.ok("ListSystemUsers", {"RoleOnly": True})["Data"] == [{"Name": "system", "Role": "ADMIN"}]


def test_hashed_password_round_trip(ahsay):
    assert sha("system1") == HASH_SYSTEM1 and sha("system") == HASH_SYSTEM
    ahsay.ok("AddSysUser", {"LoginName": "plain", "Password": "system", "Role": "API_ONLY"})
    ahsay.ok("AddSysUser", {"LoginName": "hashed", "Password": HASH_SYSTEM1, "PasswordHashed": True, "Role": "ADMIN"})
    users = ahsay.sysusers()
    assert users["plain"]["HashedPwd"] == HASH_SYSTEM
    assert users["hashed"]["HashedPwd"] == HASH_SYSTEM1
    ahsay.ok("AuthSystemUser", auth={"SysUser": "plain", "SysPwd": "system"})
    ahsay.ok("AuthSystemUser", auth={"SysUser": "hashed", "SysPwd": "system1"})
    # Pushing the listed hash back unchanged keeps the password.
    ahsay.ok("UpdateSysUser", {"LoginName": "plain", "Password": users["plain"]["HashedPwd"], "PasswordHashed": "true"})
    ahsay.ok("AuthSystemUser", auth={"SysUser": "plain", "SysPwd": "system"})


def test_add_sys_user_errors(ahsay):
    body = {"LoginName": "reseller1", "Password": "Sim-Test-Reseller-Pass-77e2!", "Role": "RESELLER"}
    error(ahsay.call("AddSysUser", body), "[Error] Parameter Hostname is null/empty!", "com.ahsay.obs.core.dbs.DbsException")
    error(ahsay.call("AddSysUser", dict(body, Hostname="backup.example.com")), "[Error] Parameter IP is null/empty!")
    ahsay.ok("AddSysUser", dict(body, Hostname="backup.example.com", IP="0.0.0.0:443", IsFreeTrialOfferAllowed="true"))
    assert ahsay.sysusers()["reseller1"]["IsFreeTrialOfferAllowed"] is True
    error(ahsay.call("AddSysUser", dict(body, Hostname="h", IP="i")), "[Error] System user 'reseller1' already exists")
    error(ahsay.call("AddSysUser", {"LoginName": "x", "Password": "Sim-Test-X-Pass-1!", "Role": "ROOT"}),
          "Invalid value.  'Role' must be 'ADMIN', 'READ_ONLY_ADMIN', 'RESELLER' or 'API_ONLY'")
    error(ahsay.call("AddSysUser", {"LoginName": "x", "Role": "ADMIN"}), "[Error] Parameter Password is null/empty!")
    assert "x" not in ahsay.sysusers()


def test_update_sys_user_status_and_missing(ahsay):
    ahsay.ok("AddSysUser", {"LoginName": "ops", "Password": "Sim-Test-Ops-Pass-51d0!", "Role": "ADMIN"})
    ops = {"SysUser": "ops", "SysPwd": "Sim-Test-Ops-Pass-51d0!"}
    ahsay.ok("AuthSystemUser", auth=ops)
    ahsay.ok("UpdateSysUser", {"LoginName": "ops", "Status": "SUSPENDED"})
    error(ahsay.call("AuthSystemUser", auth=ops), "Incorrect system username/password")
    error(ahsay.call("UpdateSysUser", {"LoginName": "ghost", "Status": "ENABLED"}),
          "System user 'ghost' does not exist", "org.json.JSONException")


def test_remove_sys_user(ahsay):
    ahsay.ok("AddSysUser", {"LoginName": "dummyAdmin", "Password": "Sim-Test-Dummy-Pass-9c3e!", "Role": "ADMIN"})
    assert ahsay.call("RemoveSysUser", {"RemoveLoginName": "dummyAdmin"}) == {"Status": "OK"}
    assert "dummyAdmin" not in ahsay.sysusers()
    error(ahsay.call("RemoveSysUser", {"RemoveLoginName": "nosuchuser"}),
          "System user 'nosuchuser' does not exist", "org.json.JSONException")
    error(ahsay.call("RemoveSysUser", {"LoginName": "system"}), "[Error] Parameter RemoveLoginName is null/empty!")
    ahsay.config(curly_quotes=True)
    error(ahsay.call("RemoveSysUser", {"RemoveLoginName": "nosuchuser"}), "System user {L}nosuchuser{R} does not exist".format(**Q))


def test_roles(ahsay):
    ahsay.seed(sysusers=[
        {"LoginName": "api", "Password": "Sim-Test-Api-Pass-11aa!", "Role": "API_ONLY"},
        {"LoginName": "ro", "Password": "Sim-Test-Ro-Pass-22bb!", "Role": "READ_ONLY_ADMIN"},
        {"LoginName": "res", "Password": "Sim-Test-Res-Pass-33cc!", "Role": "RESELLER", "Hostname": "h", "IP": "1.2.3.4"},
        {"LoginName": "off", "Password": "Sim-Test-Off-Pass-44dd!", "Role": "ADMIN", "Status": "SUSPENDED"}])
    creds = {n: {"SysUser": n, "SysPwd": "Sim-Test-%s-Pass-%s!" % (n.capitalize(), s)}
             for n, s in (("api", "11aa"), ("ro", "22bb"), ("res", "33cc"), ("off", "44dd"))}
    bad = "Incorrect system username/password"
    ahsay.ok("AddUser", {"LoginName": "viaapi", "Password": OBM_PASS, "QuotaList": [
        {"Enabled": True, "DestinationKey": "OBS", "Quota": 1}]}, v2=True, auth=creds["api"])
    error(ahsay.call("GetUser", {"LoginName": "viaapi"}, v2=True, auth=creds["ro"]), bad)
    error(ahsay.call("GetUser", {"LoginName": "viaapi"}, v2=True, auth=creds["res"]), bad)
    error(ahsay.call("AuthSystemUser", auth=creds["ro"]), bad, "com.ahsay.obs.core.dbs.c")
    ahsay.ok("AuthSystemUser", auth=creds["res"])
    ahsay.ok("ListSystemUsers", auth=creds["ro"])  # the pages allow the read-only role here
    error(ahsay.call("ListSystemUsers", auth=creds["res"]), bad)
    error(ahsay.call("AuthSystemUser", auth=creds["off"]), bad)
    ahsay.config(backup_user_roles=["ADMIN", "API_ONLY", "RESELLER"])
    ahsay.ok("GetUser", {"LoginName": "viaapi"}, v2=True, auth=creds["res"])


# ------------------------------------------------------------------ password expiry

def test_expired_password_flow(ahsay):
    expired = ("Your password has expired and must be changed. "
               "Please update in web console or by UpdateSysUser API")
    ahsay.seed(sysusers=[{"LoginName": "stale", "Password": "Sim-Test-Stale-Pass-0e0e!", "Role": "ADMIN",
                          "PasswordExpired": True}])
    old = {"SysUser": "stale", "SysPwd": "Sim-Test-Stale-Pass-0e0e!"}
    new = {"SysUser": "stale", "SysPwd": "Sim-Test-Fresh-Pass-1f1f!"}
    for name, v2 in (("GetUser", True), ("ListSystemUsers", False), ("AuthSystemUser", False), ("ListUsers", True)):
        error(ahsay.call(name, {"LoginName": "x"}, v2=v2, auth=old), expired)
    ahsay.ok("UpdateSysUser", {"LoginName": "stale", "Password": new["SysPwd"]}, auth=old)
    error(ahsay.call("AuthSystemUser", auth=old), "Incorrect system username/password")
    ahsay.ok("ListUsers", v2=True, auth=new)


def test_expired_password_by_config(ahsay):
    ahsay.config(expired_passwords=["system"])
    error(ahsay.call("ListUsers", v2=True), "Your password has expired and must be changed. "
          "Please update in web console or by UpdateSysUser API")
    ahsay.ok("UpdateSysUser", {"LoginName": "system", "Password": "Sim-Test-System-New-Pass-8a8a!"})
    ahsay.ok("ListUsers", v2=True, auth={"SysUser": "system", "SysPwd": "Sim-Test-System-New-Pass-8a8a!"})


def test_password_complexity(ahsay):
    ahsay.config(password_complexity={"min_length": 12, "digit": True, "symbol": True})
    error(ahsay.call("AddSysUser", {"LoginName": "weak", "Password": "short", "Role": "ADMIN"}),
          "[Error] Password does not meet the password complexity requirements")
    error(ahsay.call("UpdateSysUser", {"LoginName": "system", "Password": "longbutnodigits"}),
          "[Error] Password does not meet the password complexity requirements")
    ahsay.ok("AddSysUser", {"LoginName": "strong", "Password": "Sim-Test-Strong-Pass-2b2b!", "Role": "ADMIN"})
    ahsay.ok("AddSysUser", {"LoginName": "prehashed", "Password": HASH_SYSTEM, "PasswordHashed": True, "Role": "ADMIN"})


# ------------------------------------------------------------------ backup users

FULL = {"LoginName": "carol", "Password": "Sim-Test-Carol-Pass-4d4d!", "Email": "carol@example.com",
        "DisplayName": "Carol C", "ClientType": "ACB", "Status": "SUSPENDED", "Language": "fr", "Notes": "vip",
        "EnableMsVm": True, "MsVmQuota": "5", "MsVmQuotaType": "SOCKET", "EnableMSSQL": "True",
        "EnableMobileV2": True, "MobileV2Quota": 99, "RunDirectQuotaEnabled": True, "RunDirectQuota": 3,
        "HostQuotaEnabled": True, "HostQuota": 2, "EnableAUA": True,
        "QuotaList": [{"Enabled": True, "DestinationKey": "OBS", "Quota": 53687091200},
                      {"Enabled": "false", "DestinationKey": "-1532572601525", "Quota": "0"}]}


def test_add_and_get_user(ahsay):
    assert ahsay.call("AddUser", FULL, v2=True) == {"Status": "OK"}
    data = ahsay.user("carol")
    assert data["Alias"] == "Carol C" and data["ContactList"][0]["Name"] == "Carol C"
    assert (data["ClientType"], data["Status"], data["Type"], data["Language"], data["Notes"]) == (
        "ACB", "SUSPENDED", "TRIAL", "fr", "vip")
    assert (data["RunDirectQuotaEnabled"], data["RunDirectQuota"], data["HostQuota"]) == (True, 3, 2)
    stored = next(u for u in ahsay.sim_state()["users"] if u["LoginName"] == "carol")
    assert stored["EnableAUA"] is True  # stored, though GetUser never returns it
    modules = data["ModuleSettings"]
    assert (modules["MSHyperVBackupEnabled"], modules["MSHyperVVMQuota"], modules["MSHyperVVMQuotaType"]) == (True, 5, "SOCKET")
    assert modules["MSSQLBackupEnabled"] is True and modules["VMwareBackupEnabled"] is False
    assert (modules["MobileV2Enabled"], modules["MobileQuotaV2"]) == (True, 10)
    assert data["QuotaList"] == [
        {"Enabled": True, "Quota": 53687091200, "DestinationName": "AhsayCBS", "DestinationKey": "OBS"},
        {"Enabled": False, "Quota": 0, "DestinationName": "GoogleDrive-1", "DestinationKey": "-1532572601525"}]
    v1 = ahsay.ok("GetUser", {"LoginName": "carol", "Owner": ""})["Data"]
    assert v1 == data
    text = json.dumps(ahsay.ok("ListUsers", v2=True))
    assert FULL["Password"] not in json.dumps(data) and FULL["Password"] not in text
    assert "Password" not in data


def test_add_user_errors(ahsay):
    base = {"LoginName": "dave", "Password": "Sim-Test-Dave-Pass-5e5e!",
            "QuotaList": [{"Enabled": True, "DestinationKey": "OBS", "Quota": 1}]}
    dbs = "com.ahsay.obs.core.dbs.DbsException"
    error(ahsay.call("AddUser", dict(base, Password=""), v2=True), "[Error] Parameter Password is null / empty!", dbs)
    error(ahsay.call("AddUser", {"Password": "p"}, v2=True), "[Error] Parameter LoginName is null / empty!", dbs)
    error(ahsay.call("AddUser", dict(base, QuotaList=[]), v2=True), "[Error] Parameter QuotaList is null / empty!", dbs)
    error(ahsay.call("AddUser", dict(base, EnableMsVm=True), v2=True), "[Error] Parameter MsVmQuota is null / empty!", dbs)
    error(ahsay.call("AddUser", dict(base, EnableVMware="true"), v2=True), "[Error] Parameter VMwareQuota is null / empty!")
    error(ahsay.call("AddUser", dict(base, EnableExchangeMailbox=True), v2=True),
          "[Error] Parameter ExchangeMailboxQuota is null / empty!")
    error(ahsay.call("AddUser", dict(base, RunDirectQuotaEnabled=True), v2=True),
          "[Error] Parameter RunDirectQuota is null / empty!")
    error(ahsay.call("AddUser", dict(base, LoginName=7), v2=True),
          'JSONObject["LoginName"] is not a string (class java.lang.Integer : 7).', "org.json.JSONException")
    error(ahsay.call("AddUser", dict(base, QuotaList=[{"Enabled": True, "DestinationKey": "-99", "Quota": 1}]), v2=True),
          "Destination '-99' is not visible to user 'dave' according to policy's [Destinations Visible to Users] settings.")
    error(ahsay.call("AddUser", dict(base, Type="GOLD"), v2=True), "[Error] Parameter Type must either be TRIAL or PAID!")
    assert ahsay.call("GetUser", {"LoginName": "dave"}, v2=True)["Status"] == "Error"
    ahsay.ok("AddUser", dict(base, Status="whatever"), v2=True)
    assert ahsay.user("dave")["Status"] == "ENABLE"
    error(ahsay.call("AddUser", base, v2=True), "[Error] User 'dave' already exists", dbs)
    ahsay.ok("AddUser", dict(base, LoginName="erin", QuotaType="TOTAL_QUOTA", QuotaList=[]), v2=True)
    assert ahsay.user("erin")["StorageQuota"] == 100


def test_missing_user_everywhere(ahsay):
    msg = "[UserCacheManager.NoSuchUserExpt] User 'ghost' not found."
    for name, v2, expt in (("GetUser", True, "com.ahsay.obs.core.dbs.ad"), ("GetUser", False, "com.ahsay.obs.core.dbs.ad"),
                           ("UpdateUser", True, "com.ahsay.obs.core.dbs.ad"), ("RemoveUser", False, None),
                           ("AuthUser", False, "com.ahsay.obs.core.dbs.ai"), ("AddContact", False, None)):
        body = {"LoginName": "ghost", "Password": "p"}
        if name == "AddContact":
            body["NewContact"] = {"Name": "n", "Email": "e@example.com"}
        error(ahsay.call(name, body, v2=v2), msg, expt)
    error(ahsay.call("ModifyUserStatus", {"LoginName": "ghost", "Status": "SUSPENDED"}), msg, "com.ahsay.obm.core.dbs.ai")
    ahsay.config(curly_quotes=True)
    error(ahsay.call("ModifyUserStatus", {"LoginName": "obm2", "Status": "ENABLE"}),
          "[UserCacheManager.NoSuchUserExpt] User {L}obm2{R} not found.".format(**Q), "com.ahsay.obm.core.dbs.ai")
    error(ahsay.call("GetUser", {}, v2=True), "[Error] Parameter LoginName is null / empty!")


def test_update_user_partial(ahsay):
    ahsay.ok("AddUser", FULL, v2=True)
    before = ahsay.user("carol")
    ahsay.ok("UpdateUser", {"LoginName": "carol", "Notes": "changed"}, v2=True)
    after = ahsay.user("carol")
    assert after.pop("Notes") == "changed" and before.pop("Notes") == "vip"
    assert after == before
    # QuotaList partial push with org.json-lenient strings (as Ahsay's own tool sends them)
    ahsay.ok("UpdateUser", {"LoginName": "carol", "QuotaList": [
        {"Enabled": "False", "DestinationKey": "OBS", "Quota": "123"}]}, v2=True)
    quota = ahsay.user("carol")["QuotaList"]
    assert quota[0] == {"Enabled": False, "Quota": 123, "DestinationName": "AhsayCBS", "DestinationKey": "OBS"}
    assert quota[1] == before["QuotaList"][1]
    ahsay.ok("UpdateUser", {"LoginName": "carol", "QuotaList": [{"Enabled": True, "DestinationKey": "-1532572601525"}]}, v2=True)
    assert ahsay.user("carol")["QuotaList"][1]["Enabled"] is True
    ahsay.ok("UpdateUser", {"LoginName": "carol", "Status": "ENABLE", "Type": "PAID", "HostQuotaEnabled": "false",
                            "ModuleSettings": {"MobileQuotaV2": 50, "VMwareBackupEnabled": "true"},
                            "WindowsEventLogSettings": {"Enabled": True, "LogError": "true"}}, v2=True)
    data = ahsay.user("carol")
    assert (data["Status"], data["Type"], data["HostQuotaEnabled"], data["HostQuota"]) == ("ENABLE", "PAID", False, 2)
    assert data["ModuleSettings"]["MobileQuotaV2"] == 10 and data["ModuleSettings"]["VMwareBackupEnabled"] is True
    assert data["ModuleSettings"]["MSHyperVVMQuota"] == 5
    assert data["WindowsEventLogSettings"]["LogError"] is True and data["WindowsEventLogSettings"]["LogWarn"] is False
    # AuthUser sees a changed password
    ahsay.ok("UpdateUser", {"LoginName": "carol", "Password": "Sim-Test-Carol-New-Pass-6f6f!"}, v2=True)
    ahsay.ok("AuthUser", {"LoginName": "carol", "Password": "Sim-Test-Carol-New-Pass-6f6f!"})


def test_update_user_errors(ahsay):
    ahsay.ok("AddUser", FULL, v2=True)
    before = ahsay.user("carol")
    error(ahsay.call("UpdateUser", {"LoginName": "carol", "Alias": 5}, v2=True),
          'JSONObject["Alias"] is not a string (class java.lang.Integer : 5).', "org.json.JSONException")
    error(ahsay.call("UpdateUser", {"LoginName": "carol", "HostQuota": "lots"}, v2=True),
          'JSONObject["HostQuota"] is not a long (class java.lang.String : lots).')
    error(ahsay.call("UpdateUser", {"LoginName": "carol", "ModuleSettings": {"CDPEnabled": "maybe"}}, v2=True),
          'JSONObject["CDPEnabled"] is not a Boolean (class java.lang.String : maybe).')
    error(ahsay.call("UpdateUser", {"LoginName": "carol", "Notes": "x", "Status": "ENABLED"}, v2=True),
          "[Error] Parameter Status must either be ENABLE or SUSPENDED!")
    negative = [{"Enabled": True, "DestinationKey": "OBS", "Quota": -5}]
    error(ahsay.call("UpdateUser", {"LoginName": "carol", "Notes": "x", "QuotaList": negative}, v2=True),
          "Invalid value for 'Quota' for item 'OBS' of 'QuotaList'. Error: Must be a positive number.")
    error(ahsay.call("UpdateUser", {"LoginName": "carol", "Owner": "someone-else", "Notes": "x"}, v2=True),
          "[UserCacheManager.NoSuchUserExpt] User 'carol' not found.")
    ahsay.config(updateuser_unknown_destination="error")
    unknown = [{"Enabled": True, "DestinationKey": "OBM", "Quota": 1}]
    error(ahsay.call("UpdateUser", {"LoginName": "carol", "QuotaList": unknown}, v2=True),
          "Destination 'OBM' is not visible to user 'carol' according to policy's [Destinations Visible to Users] settings.")
    assert ahsay.user("carol") == before  # no half-applied update


def test_contacts(ahsay):
    seed_obm(ahsay, ["a1", "a2"])
    ahsay.config(curly_quotes=False)
    ahsay.ok("AddContact", {"LoginName": "obm", "NewContact": {"Name": "Third", "Email": "a3@example.com"}})
    assert emails(ahsay) == ["a1@example.com", "a2@example.com", "a3@example.com"]
    error(ahsay.call("AddContact", {"LoginName": "obm", "NewContact": {"Name": "Dup", "Email": "A1@example.com"}}),
          "[UpdateUserProfile.checkDuplicatedEmail] Contact already exists <A1@example.com>")
    error(ahsay.call("AddContact", {"LoginName": "obm"}), "[Error] Parameter NewContact is null / empty!")
    ahsay.ok("UpdateUser", {"LoginName": "obm", "AppendContact": "N", "Contact": []}, v2=True)
    assert emails(ahsay) == []
    error(ahsay.call("UpdateUser", {"LoginName": "obm", "AppendContact": "N",
                                    "Contact": [contact("b1"), contact("b1")]}, v2=True),
          "[UpdateUserProfile.checkDuplicatedEmail] Contact already exists <b1@example.com>")
    ahsay.ok("UpdateUser", {"LoginName": "obm", "AppendContact": "Y", "Contact": [contact("b1")]}, v2=True)
    ahsay.ok("UpdateUser", {"LoginName": "obm", "Contact": [contact("b2")]}, v2=True)  # default: replace
    assert emails(ahsay) == ["b2@example.com"]


def test_list_users_filters(ahsay):
    ahsay.seed(sysusers=[{"LoginName": "res1", "Password": "Sim-Test-Res1-Pass-7a7a!", "Role": "RESELLER",
                          "Hostname": "h", "IP": "1.1.1.1"}],
               users=[{"LoginName": "alpha", "Password": "Sim-Test-Alpha-Pass-1!", "Owner": "res1", "ClientType": "OBM",
                       "UserGroupIDs": ["1447039919940"], "DataSize": 42, "Online": True},
                      {"LoginName": "beta", "Password": "Sim-Test-Beta-Pass-2!", "ClientType": "ACB",
                       "PolicyGroupIDs": ["1686621934417"]},
                      {"LoginName": "alphabet", "Password": "Sim-Test-Alphabet-Pass-3!", "ClientType": "ACB"}])

    def names(body, v2=True):
        return [u["LoginName"] for u in ahsay.ok("ListUsers", body, v2=v2)["User"]]

    assert names({}) == ["alpha", "beta", "alphabet"]
    assert names({"searchStr": "alph"}) == ["alpha", "alphabet"]
    assert names({"reseller": "res1"}) == ["alpha"]
    assert names({"ClientType": "ACB"}) == ["beta", "alphabet"]
    assert names({"UserGroupID": "1447039919940"}) == ["alpha"]
    assert names({"PolicyGroupID": "1686621934417"}) == ["beta"]
    assert names({"searchStr": "zzz"}) == []
    assert names({"Date": "1"}) == ["alpha", "beta", "alphabet"]
    assert names({"ClientType": "ACB"}, v2=False) == ["beta", "alphabet"]
    full = ahsay.ok("ListUsers", v2=True)["User"][0]
    jsonschema.validate(full, USER_SCHEMA)
    assert (full["Owner"], full["DataSize"], full["Online"]) == ("res1", 42, True)
    only = ahsay.ok("ListUsers", {"LoginNameOnly": "true"}, v2=True)["User"]
    assert [sorted(u) for u in only] == [["ID", "LoginName"]] * 3
    types = ahsay.ok("ListUsers", {"ClientTypeOnly": True, "searchStr": "beta"}, v2=True)["User"]
    assert types == [{"ID": types[0]["ID"], "LoginName": "beta", "ClientType": "ACB"}]
    assert len(types[0]["ID"]) == 13


def test_remove_user(ahsay):
    seed_obm(ahsay)
    assert ahsay.call("RemoveUser", {"LoginName": "obm"}) == {"Status": "OK"}
    assert ahsay.call("GetUser", {"LoginName": "obm"}, v2=True)["Status"] == "Error"
    assert ahsay.call("RemoveUser", {"LoginName": "obm"})["Status"] == "Error"


def test_modify_user_status(ahsay):
    seed_obm(ahsay)
    assert ahsay.call("ModifyUserStatus", {"LoginName": "obm", "Status": "SUSPENDED"}) == {"Status": "OK"}
    assert ahsay.user("obm")["Status"] == "SUSPENDED"
    ahsay.ok("ModifyUserStatus", {"LoginName": "obm", "Status": "ENABLE"})
    assert ahsay.user("obm")["Status"] == "ENABLE"
    error(ahsay.call("ModifyUserStatus", {"LoginName": "obm", "Status": "ENABLED"}),
          "[Error] Parameter Status must either be ENABLE or SUSPENDED!")
    error(ahsay.call("ModifyUserStatus", {"LoginName": "obm"}), "[Error] Parameter Status is null / empty!")


def test_auth_user(ahsay):
    seed_obm(ahsay)
    ahsay.config(curly_quotes=False)
    assert ahsay.call("AuthUser", {"LoginName": "obm", "Password": OBM_PASS}) == {"Status": "OK"}
    error(ahsay.call("AuthUser", {"LoginName": "obm", "Password": "Sim-Test-Wrong-Pass-0!"}),
          "[Error] Incorrect password for user 'obm'")


def test_mfa_phone_list(ahsay):
    seed_obm(ahsay)
    phones = {"SecuritySettings": {"Enabled": True, "PhoneList": [{"CountryCode": "852", "PhoneNumber": "91234567"}]}}
    ahsay.ok("UpdateUser", dict(phones, LoginName="obm"), v2=True)
    assert ahsay.user("obm")["SecuritySettings"] == {"Enabled": False, "PhoneList": []}  # global MFA off
    ahsay.config(mfa_enabled=True)
    ahsay.ok("UpdateUser", dict(phones, LoginName="obm"), v2=True)
    settings = ahsay.user("obm")["SecuritySettings"]
    assert settings["Enabled"] is True
    assert settings["PhoneList"][0]["CountryCode"] == 852 and settings["PhoneList"][0]["Verified"] is False


# ------------------------------------------------------------------ transport

def test_body_formats(ahsay, http, sims):
    url = sims["ahsay"] + "/obs/api/json/"
    body = json.dumps(dict(SYS, LoginNameOnly=True))
    plain = http.post(url + "2/ListUsers.do", data=body, headers={"content-type": "text/plain;charset=UTF-8"}, timeout=10)
    assert plain.status_code == 200 and plain.json() == {"Status": "OK", "User": []}
    form = http.post(url + "ListUsers.do", data=dict(SYS, LoginNameOnly="true"), timeout=10)
    assert form.json() == {"Status": "OK", "User": []}
    form_add = http.post(url + "2/AddUser.do", data=dict(SYS, LoginName="formuser", Password="Sim-Test-Form-Pass-9!",
                                                         QuotaList=json.dumps([{"Enabled": True, "DestinationKey": "OBS",
                                                                                "Quota": 1}])), timeout=10)
    assert form_add.json() == {"Status": "OK"}
    assert ahsay.user("formuser")["QuotaList"][0]["Quota"] == 1
    broken = http.post(url + "AuthSystemUser.do", data="SysUser=system", headers={"content-type": "application/json"}, timeout=10)
    assert broken.status_code == 200
    assert broken.json() == {"Status": "Error", "Message": "A JSONObject text must begin with '{' at 1 [character 2 line 1]",
                             "ExptType": "org.json.JSONException"}
    assert http.post(url + "AuthSystemUser.do", data="[]", timeout=10).json()["ExptType"] == "org.json.JSONException"


def test_unknown_api(ahsay, http, sims):
    error(ahsay.call("ListBackupDestinations"), "[Error] API ListBackupDestinations.do is not supported", "java.lang.Exception")
    ahsay.config(unknown_api_http_status=404)
    assert http.post(sims["ahsay"] + "/obs/api/json/2/Nope.do", json=SYS, timeout=10).status_code == 404


def test_fault_503_then_success(ahsay, http, sims):
    ahsay.fault(path="AuthSystemUser", status=503, body="Service Unavailable")
    url = sims["ahsay"] + "/obs/api/json/AuthSystemUser.do"
    assert http.post(url, json=SYS, timeout=10).status_code == 503
    assert http.post(url, json=SYS, timeout=10).json() == {"Status": "OK"}


def test_fault_429_retry_after(ahsay, http, sims):
    ahsay.fault(preset="rate_limited")
    response = http.post(sims["ahsay"] + "/obs/api/json/2/ListUsers.do", json=SYS, timeout=10)
    assert response.status_code == 429 and response.headers["Retry-After"] == "2"
    ahsay.ok("ListUsers", v2=True)


def test_fault_delay(ahsay):
    ahsay.fault(path="ListSystemUsers", delay=0.4)
    start = time.monotonic()
    ahsay.ok("ListSystemUsers")
    assert time.monotonic() - start >= 0.4


def test_fault_drop(ahsay, http, sims):
    ahsay.fault(preset="drop", path="AuthSystemUser")
    with pytest.raises(requests.exceptions.ConnectionError):
        http.post(sims["ahsay"] + "/obs/api/json/AuthSystemUser.do", json=SYS, timeout=10)
    ahsay.ok("AuthSystemUser")


def test_fault_expired_password_preset(ahsay):
    ahsay.fault(preset="expired_password")
    ahsay.ok("UpdateSysUser", {"LoginName": "system", "IsShowRebrandingPages": True})  # not matched by the preset
    error(ahsay.call("GetUser", {"LoginName": "x"}, v2=True),
          "Your password has expired and must be changed. Please update in web console or by UpdateSysUser API")
    ahsay.ok("AuthSystemUser")


# ------------------------------------------------------------------ control surface

def test_request_log_redacts_secrets(ahsay, http, sims):
    ahsay.ok("AddUser", {"LoginName": "logged", "Password": "Sim-Test-Logged-Pass-5a5a!",
                         "QuotaList": [{"Enabled": True, "DestinationKey": "OBS", "Quota": 1}]}, v2=True)
    http.post(sims["ahsay"] + "/obs/api/json/AuthSystemUser.do", data=dict(SYS), timeout=10)
    log = http.get(sims["ahsay"] + "/_sim/requests", timeout=10).json()
    assert [e["path"] for e in log] == ["/obs/api/json/2/AddUser.do", "/obs/api/json/AuthSystemUser.do"]
    assert log[0]["body"]["SysPwd"] == "********" and log[0]["body"]["Password"] == "********"
    assert log[1]["body"]["SysPwd"] == "********"
    text = json.dumps(log)
    assert "system1" not in text and "Sim-Test-Logged-Pass-5a5a!" not in text


def test_state_and_bulk_seed(ahsay, http, sims):
    result = ahsay.seed(users=[{"LoginName": "bulk%03d" % i, "Password": "Sim-Test-Bulk-Pass-%03d!" % i}
                               for i in range(200)])
    assert result["users"] == 200
    state = http.get(sims["ahsay"] + "/_sim/state", timeout=10).json()
    assert state["sysusers"][0]["HashedPwd"] == HASH_SYSTEM1
    assert state["users"][0]["Password"] == "********"
    assert [d["DestinationKey"] for d in state["destinations"]] == ["OBS", "-1532572601525"]
    assert len(ahsay.ok("ListUsers", {"LoginNameOnly": True}, v2=True)["User"]) == 200
    bad = http.post(sims["ahsay"] + "/_sim/seed", json={"users": [{"LoginName": "nopass"}]}, timeout=10)
    assert bad.status_code == 400 and "Password" in bad.json()["error"]


def test_request_log_never_holds_a_secret(ahsay, http, sims):
    url = sims["ahsay"] + "/obs/api/json/AuthSystemUser.do"
    # Credentials in the query string, in a form body and in JSON that does not parse.
    http.post(url + "?SysUser=system&SysPwd=system1", timeout=10)
    http.post(url, data="SysUser=system&SysPwd=system1", headers={"Content-Type": "text/plain"}, timeout=10)
    http.post(url, data='{"SysUser":"system","SysPwd":"system1",}', headers={"Content-Type": "application/json"}, timeout=10)
    ahsay.fault(path="AuthSystemUser", drop=True)
    with pytest.raises(requests.exceptions.ConnectionError):
        http.post(url, json=SYS, timeout=10)
    log = http.get(sims["ahsay"] + "/_sim/requests", timeout=10).json()
    assert "system1" not in json.dumps(log)
    assert log[0]["query"]["SysPwd"] == "********"
    assert log[1]["body"]["SysPwd"] == "********"
    assert log[-1]["status"] is None  # the dropped connection got no answer
