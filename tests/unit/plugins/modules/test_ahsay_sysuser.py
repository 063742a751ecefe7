# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""ahsay_sysuser and ahsay_sysuser_info run whole (argument parsing to exit_json) against a
small stateful AhsayCBS stand-in on 127.0.0.1 that speaks the system-user calls."""

import base64
import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from ansible.module_utils.common import warnings as ansible_warnings

from ansible_collections.msp.accounts.plugins.modules import ahsay_sysuser, ahsay_sysuser_info

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19
    import contextlib

    from ansible.module_utils import basic
    from ansible.module_utils.common.text.converters import to_bytes

    @contextlib.contextmanager
    def patch_module_args(args):
        saved = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args}))
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = saved

API_USER = "unit-api"
API_PASSWORD = "Unit-Ahsay-ApiPass-3f9a1c77e2!"
PASSWORD = "Unit-Ahsay-SysPass-51c0e8a2d4!"
NEW_PASSWORD = "Unit-Ahsay-SysPass-NEW-9e73b1f0a6!"
EXPIRED = "Your password has expired and must be changed. Please update in web console or by UpdateSysUser API"


def sha(text):
    """Independent of the code under test: Base64 of the raw SHA-256 digest of the UTF-8 bytes."""
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


class FakeAhsay(object):
    """Keeps system users; logs every request (raw text kept to look for plaintext)."""

    def __init__(self):
        self.users = {API_USER: {"Name": API_USER, "Role": "ADMIN", "Status": "ENABLED", "HashedPwd": sha(API_PASSWORD),
                                 "IsShowRebrandingPages": False, "IsSendConsolidatedReport": False,
                                 "IsFreeTrialOfferAllowed": False}}
        self.log = []
        self.expired = False
        self.next_error = None
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
                body = json.loads(raw)
                name = self.path.rsplit("/", 1)[-1][:-3]
                outer.log.append({"api": name, "body": body, "raw": raw})
                answer = outer.answer(name, body)
                data = json.dumps(answer).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, name, body):
        caller = self.users.get(body.get("SysUser"))
        if caller is None or caller["HashedPwd"] != sha(body.get("SysPwd", "")):
            return {"Status": "Error", "Message": "Incorrect system username/password", "ExptType": "com.ahsay.obs.core.dbs.c"}
        if self.expired and name != "UpdateSysUser":
            return {"Status": "Error", "Message": EXPIRED, "ExptType": "com.ahsay.obs.core.dbs.c"}
        if self.next_error and name == self.next_error[0]:
            message, self.next_error = self.next_error[1], None
            return {"Status": "Error", "Message": message, "ExptType": "com.ahsay.obs.core.dbs.DbsException"}
        if name == "ListSystemUsers":
            if body.get("RoleOnly"):
                return {"Status": "OK", "Data": [{"Name": u["Name"], "Role": u["Role"]} for u in self.users.values()]}
            return {"Status": "OK", "Data": [dict(u) for u in self.users.values()]}
        if name in ("AddSysUser", "UpdateSysUser"):
            user = self.users.get(body["LoginName"])
            if name == "AddSysUser":
                user = self.users[body["LoginName"]] = {"Name": body["LoginName"], "Status": "ENABLED",
                                                        "IsShowRebrandingPages": False, "IsSendConsolidatedReport": False,
                                                        "IsFreeTrialOfferAllowed": False}
            elif user is None:
                return {"Status": "Error", "Message": "System user '%s' does not exist" % body["LoginName"]}
            for key in ("Role", "Status", "IsShowRebrandingPages", "IsSendConsolidatedReport", "IsFreeTrialOfferAllowed"):
                if key in body:
                    user[key] = body[key]
            if "Password" in body:
                user["HashedPwd"] = body["Password"] if body.get("PasswordHashed") else sha(body["Password"])
                if body["LoginName"] == API_USER:
                    self.expired = False
            return {"Status": "OK"}
        if name == "RemoveSysUser":
            if self.users.pop(body["RemoveLoginName"], None) is None:
                return {"Status": "Error", "Message": "System user '%s' does not exist" % body["RemoveLoginName"]}
            return {"Status": "OK"}
        return {"Status": "Error", "Message": "unknown API %s" % name}

    def apis(self):
        return [entry["api"] for entry in self.log]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def cbs():
    fake = FakeAhsay()
    yield fake
    fake.close()


@pytest.fixture(autouse=True)
def fresh_warnings():
    """Warnings are kept per process by ansible-core; each test is a run of its own."""
    stores = [getattr(ansible_warnings, name) for name in ("_global_warnings", "_global_deprecations")
              if isinstance(getattr(ansible_warnings, name, None), (dict, list))]
    for store in stores:
        store.clear()
    yield
    for store in stores:
        store.clear()


def warnings_text(result):
    """The warnings of a result as one text (ansible-core 2.19 returns them as objects)."""
    return json.dumps(result.get("warnings", []))


def run(module, cbs, capsys, check_mode=False, diff=False, **args):
    """Run a module's main() and return its JSON result (stdout)."""
    params = {"api_url": cbs.url, "api_username": API_USER, "api_password": API_PASSWORD}
    params.update(args)
    params["_ansible_check_mode"] = check_mode
    params["_ansible_diff"] = diff
    with patch_module_args(params):
        with pytest.raises(SystemExit):
            module.main()
    out = capsys.readouterr().out
    return json.loads(out), out


def add_user(cbs, name, password=PASSWORD, **extra):
    user = {"Name": name, "Role": "ADMIN", "Status": "ENABLED", "HashedPwd": sha(password),
            "IsShowRebrandingPages": False, "IsSendConsolidatedReport": False, "IsFreeTrialOfferAllowed": False}
    user.update(extra)
    cbs.users[name] = user


# -- create / no-op / change / delete -------------------------------------------------------------

def test_create_sends_hash_only(cbs, capsys):
    result, out = run(ahsay_sysuser, cbs, capsys, diff=True, name="ops", password=PASSWORD, role="api_only", status="enabled")
    assert result["changed"] is True
    assert cbs.apis() == ["ListSystemUsers", "AddSysUser"]
    add = cbs.log[1]["body"]
    assert add == {"SysUser": API_USER, "SysPwd": API_PASSWORD, "LoginName": "ops", "Password": sha(PASSWORD),
                   "PasswordHashed": True, "Role": "API_ONLY", "Status": "ENABLED"}
    assert PASSWORD not in cbs.log[1]["raw"]
    assert cbs.users["ops"]["HashedPwd"] == sha(PASSWORD)
    assert result["user"] == {"name": "ops", "role": "api_only", "status": "enabled"}
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["password"] == "<changed>"
    assert PASSWORD not in out and sha(PASSWORD) not in out


def test_same_password_with_update_password_always_is_a_noop(cbs, capsys):
    add_user(cbs, "ops")
    result, out = run(ahsay_sysuser, cbs, capsys, diff=True, name="ops", password=PASSWORD, update_password="always",
                      role="admin", status="enabled")
    assert result["changed"] is False
    assert cbs.apis() == ["ListSystemUsers"]
    assert result["user"] == {"name": "ops", "role": "admin", "status": "enabled", "show_rebranding_pages": False,
                              "send_consolidated_report": False, "free_trial_offer_allowed": False}
    assert result["diff"]["before"]["password"] == "<hidden>"
    assert sha(PASSWORD) not in out and "HashedPwd" not in out


def test_password_change_sends_only_the_hash(cbs, capsys):
    add_user(cbs, "ops")
    result, out = run(ahsay_sysuser, cbs, capsys, diff=True, name="ops", password=NEW_PASSWORD, role="admin")
    assert result["changed"] is True
    assert cbs.apis() == ["ListSystemUsers", "UpdateSysUser"]
    assert cbs.log[1]["body"] == {"SysUser": API_USER, "SysPwd": API_PASSWORD, "LoginName": "ops",
                                  "Password": sha(NEW_PASSWORD), "PasswordHashed": True}
    assert NEW_PASSWORD not in cbs.log[1]["raw"]
    assert cbs.users["ops"]["HashedPwd"] == sha(NEW_PASSWORD)
    assert result["diff"] == {"before": {"name": "ops", "role": "admin", "password": "<hidden>"},
                              "after": {"name": "ops", "role": "admin", "password": "<changed>"}}
    assert "api_username" not in warnings_text(result)
    assert "no_log" not in warnings_text(result)
    for secret in (NEW_PASSWORD, sha(NEW_PASSWORD), sha(PASSWORD)):
        assert secret not in out


def test_on_create_never_touches_an_existing_password(cbs, capsys):
    add_user(cbs, "ops")
    result, dummy = run(ahsay_sysuser, cbs, capsys, name="ops", password=NEW_PASSWORD, update_password="on_create")
    assert result["changed"] is False
    assert cbs.apis() == ["ListSystemUsers"]


def test_non_ascii_password(cbs, capsys):
    password = u"Pässwörd-€-密码-Ünïcode-\U0001F511"
    result, dummy = run(ahsay_sysuser, cbs, capsys, name="intl", password=password, role="admin")
    assert result["changed"] is True
    assert cbs.log[1]["body"]["Password"] == sha(password)
    cbs.log = []
    result, dummy = run(ahsay_sysuser, cbs, capsys, name="intl", password=password, role="admin")
    assert result["changed"] is False
    assert cbs.apis() == ["ListSystemUsers"]


def test_role_status_and_flags_send_only_what_differs(cbs, capsys):
    add_user(cbs, "resell", Role="RESELLER", IsShowRebrandingPages=True)
    result, dummy = run(ahsay_sysuser, cbs, capsys, name="resell", role="reseller", hostname="backup.acme.example",
                        ip="0.0.0.0:443", status="suspended", show_rebranding_pages=True, send_consolidated_report=True)
    assert result["changed"] is True
    assert cbs.log[1]["body"] == {"SysUser": API_USER, "SysPwd": API_PASSWORD, "LoginName": "resell",
                                  "Status": "SUSPENDED", "IsSendConsolidatedReport": True}
    assert result["user"]["status"] == "suspended"


def test_becoming_a_reseller_sends_its_address(cbs, capsys):
    add_user(cbs, "ops")
    result, dummy = run(ahsay_sysuser, cbs, capsys, name="ops", role="reseller", hostname="backup.acme.example", ip="0.0.0.0:443")
    assert result["changed"] is True
    assert cbs.log[1]["body"] == {"SysUser": API_USER, "SysPwd": API_PASSWORD, "LoginName": "ops", "Role": "RESELLER",
                                  "Hostname": "backup.acme.example", "IP": "0.0.0.0:443"}


def test_delete_and_delete_again(cbs, capsys):
    add_user(cbs, "ops")
    result, dummy = run(ahsay_sysuser, cbs, capsys, diff=True, name="ops", state="absent")
    assert result["changed"] is True and result["user"] == {}
    assert cbs.apis() == ["ListSystemUsers", "RemoveSysUser"]
    assert cbs.log[1]["body"] == {"SysUser": API_USER, "SysPwd": API_PASSWORD, "RemoveLoginName": "ops"}
    assert result["diff"]["after"] == {}
    cbs.log = []
    result, dummy = run(ahsay_sysuser, cbs, capsys, name="ops", state="absent")
    assert result["changed"] is False
    assert cbs.apis() == ["ListSystemUsers"]


# -- check mode ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("args, changed", [
    (dict(name="new", password=PASSWORD, role="admin"), True),
    (dict(name="ops", password=NEW_PASSWORD), True),
    (dict(name="ops", password=PASSWORD, status="suspended"), True),
    (dict(name="ops", password=PASSWORD, role="admin"), False),
    (dict(name="ops", state="absent"), True),
    (dict(name="gone", state="absent"), False),
])
def test_check_mode_reads_once_and_predicts(cbs, capsys, args, changed):
    add_user(cbs, "ops")
    before = json.dumps(cbs.users, sort_keys=True)
    result, dummy = run(ahsay_sysuser, cbs, capsys, check_mode=True, **args)
    assert result["changed"] is changed
    assert cbs.apis() == ["ListSystemUsers"]
    assert json.dumps(cbs.users, sort_keys=True) == before


# -- input judged before any request -----------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (dict(name="r1", password=PASSWORD, role="reseller"), "role=reseller requires hostname and ip"),
    (dict(name="r1", password=PASSWORD, role="reseller", hostname="h.example"), "role=reseller requires ip"),
    (dict(name="a1", role="admin", show_rebranding_pages=True), "Options only for role=reseller"),
    (dict(name="a1", password="not-a-hash", password_hashed=True), "password_hashed=true needs password"),
    (dict(name="a1", password=""), "password must not be empty"),
    (dict(name=API_USER, state="absent"), "Refusing to remove system user"),
])
def test_bad_input_fails_before_any_request(cbs, capsys, args, message):
    result, dummy = run(ahsay_sysuser, cbs, capsys, **args)
    assert result["failed"] is True
    assert message in result["msg"]
    assert cbs.log == []


def test_invalid_status_choice(cbs, capsys):
    result, dummy = run(ahsay_sysuser, cbs, capsys, name="a1", status="ENABLE")
    assert result["failed"] is True
    assert "status" in result["msg"] and "enabled, suspended" in result["msg"]
    assert cbs.log == []


def test_create_needs_password_and_role_even_in_check_mode(cbs, capsys):
    for check_mode in (False, True):
        cbs.log = []
        result, dummy = run(ahsay_sysuser, cbs, capsys, check_mode=check_mode, name="new", status="enabled")
        assert result["failed"] is True
        assert "creating it requires password and role" in result["msg"]
        assert cbs.apis() == ["ListSystemUsers"]


def test_reseller_flags_refused_for_existing_admin_without_role(cbs, capsys):
    add_user(cbs, "ops")
    result, dummy = run(ahsay_sysuser, cbs, capsys, name="ops", free_trial_offer_allowed=True)
    assert result["failed"] is True
    assert "role=admin" in result["msg"] and "free_trial_offer_allowed" in result["msg"]
    assert cbs.apis() == ["ListSystemUsers"]


def test_password_hashed_input(cbs, capsys):
    add_user(cbs, "ops")
    result, dummy = run(ahsay_sysuser, cbs, capsys, name="ops", password=sha(PASSWORD), password_hashed=True)
    assert result["changed"] is False
    result, out = run(ahsay_sysuser, cbs, capsys, name="ops", password=sha(NEW_PASSWORD), password_hashed=True)
    assert result["changed"] is True
    assert cbs.log[-1]["body"]["Password"] == sha(NEW_PASSWORD)
    assert cbs.log[-1]["body"]["PasswordHashed"] is True
    assert sha(NEW_PASSWORD) not in out


# -- own account, expired password, server errors ---------------------------------------------------------

def test_changing_own_password_warns(cbs, capsys):
    result, out = run(ahsay_sysuser, cbs, capsys, name=API_USER, password=NEW_PASSWORD)
    assert result["changed"] is True
    assert "later tasks must use the new password" in warnings_text(result)
    assert cbs.users[API_USER]["HashedPwd"] == sha(NEW_PASSWORD)
    assert NEW_PASSWORD not in out


def test_expired_own_password_is_rotated_with_update_sys_user_only(cbs, capsys):
    cbs.expired = True
    result, out = run(ahsay_sysuser, cbs, capsys, name=API_USER, password=NEW_PASSWORD, role="admin")
    assert result["changed"] is True
    assert cbs.apis() == ["ListSystemUsers", "UpdateSysUser"]
    assert cbs.log[1]["body"] == {"SysUser": API_USER, "SysPwd": API_PASSWORD, "LoginName": API_USER,
                                  "Password": sha(NEW_PASSWORD), "PasswordHashed": True}
    assert "had expired" in warnings_text(result)
    assert NEW_PASSWORD not in out and API_PASSWORD not in out


def test_expired_password_of_another_task_fails_verbatim_with_hint(cbs, capsys):
    cbs.expired = True
    result, dummy = run(ahsay_sysuser, cbs, capsys, name="ops", password=NEW_PASSWORD, role="admin")
    assert result["failed"] is True
    assert EXPIRED in result["msg"]
    assert "Hint:" in result["msg"] and "UpdateSysUser" in result["msg"]
    assert result["api_error"]["path"] == "/obs/api/json/ListSystemUsers.do"
    assert cbs.apis() == ["ListSystemUsers"]


def test_expired_check_mode_sends_nothing(cbs, capsys):
    cbs.expired = True
    result, dummy = run(ahsay_sysuser, cbs, capsys, check_mode=True, name=API_USER, password=NEW_PASSWORD)
    assert result["changed"] is True
    assert cbs.apis() == ["ListSystemUsers"]


def test_complexity_error_is_verbatim_with_hint(cbs, capsys):
    add_user(cbs, "ops")
    cbs.next_error = ("UpdateSysUser", "[Error] Password does not meet the password complexity requirements")
    result, out = run(ahsay_sysuser, cbs, capsys, name="ops", password=NEW_PASSWORD)
    assert result["failed"] is True
    assert "POST /obs/api/json/UpdateSysUser.do (HTTP 200): [Error] Password does not meet the password complexity " \
           "requirements [com.ahsay.obs.core.dbs.DbsException]" in result["msg"]
    assert "Administrative Access" in result["msg"]
    assert NEW_PASSWORD not in out and sha(NEW_PASSWORD) not in out


# -- info ---------------------------------------------------------------------------------------------------

def test_info_lists_without_hashes(cbs, capsys):
    add_user(cbs, "resell", Role="RESELLER", Status="SUSPENDED", IsFreeTrialOfferAllowed=True)
    result, out = run(ahsay_sysuser_info, cbs, capsys)
    assert result["changed"] is False
    assert {u["name"] for u in result["users"]} == {API_USER, "resell"}
    resell = [u for u in result["users"] if u["name"] == "resell"][0]
    assert resell == {"name": "resell", "role": "reseller", "status": "suspended", "show_rebranding_pages": False,
                      "send_consolidated_report": False, "free_trial_offer_allowed": True}
    assert "HashedPwd" not in out and sha(PASSWORD) not in out and sha(API_PASSWORD) not in out
    assert cbs.apis() == ["ListSystemUsers"]


def test_info_by_name_and_role_only(cbs, capsys):
    add_user(cbs, "ops", Role="READ_ONLY_ADMIN")
    result, dummy = run(ahsay_sysuser_info, cbs, capsys, name="ops")
    assert [u["name"] for u in result["users"]] == ["ops"]
    result, dummy = run(ahsay_sysuser_info, cbs, capsys, name="nobody")
    assert result["users"] == []
    result, dummy = run(ahsay_sysuser_info, cbs, capsys, role_only=True, login_name="ops")
    assert result["users"] == [{"name": "ops", "role": "read_only_admin"}]
    assert cbs.log[-1]["body"]["RoleOnly"] is True
