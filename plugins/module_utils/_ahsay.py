# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""AhsayCBS JSON API facade (private: not a public API).

Every call is a POST of a JSON object to ``/obs/api/json/[2/]<Name>.do`` carrying
``SysUser``/``SysPwd``. Errors arrive with HTTP 200 as ``{"Status": "Error",
"Message": ..., "ExptType": ...}``; they are raised as :class:`ApiError` with the
server's ``Message`` verbatim. ``ExptType`` is shown, never matched on (it is an
obfuscated class name that changes between builds).
"""

import base64
import hashlib

from ansible_collections.msp.accounts.plugins.module_utils._http import ApiError, HttpClient

NO_SUCH_USER = "NoSuchUserExpt"
EXPIRED_PASSWORD = "password has expired"
HINTS = (
    (EXPIRED_PASSWORD, "the password of api_username has expired; change it in the AhsayCBS web console "
                       "or with msp.accounts.ahsay_sysuser (UpdateSysUser is the one call still allowed)."),
    ("Incorrect system username/password", "check api_username/api_password (AHSAY_API_USERNAME/AHSAY_API_PASSWORD); "
                                           "the system user needs the Admin or API role and must not be suspended."),
)


def hash_password(password):
    """The form AhsayCBS stores system-user passwords in: Base64(SHA-256(UTF-8 text))."""
    return base64.b64encode(hashlib.sha256(password.encode("utf-8")).digest()).decode("ascii")


def _error_message(body, text):
    if isinstance(body, dict) and body.get("Message"):
        return str(body["Message"])
    return (text or "").strip()[:500] or "no message in the answer"


class AhsayApi(object):
    """One method per AhsayCBS endpoint the modules use."""

    def __init__(self, client, username, password):
        self.client = client
        self.username = username
        self.password = password
        self.warnings = []

    @classmethod
    def from_params(cls, params, check_mode=False):
        client = HttpClient.from_params(params, check_mode=check_mode, error_message=_error_message)
        return cls(client, params["api_username"], params["api_password"])

    # -- transport -----------------------------------------------------------------

    def call(self, name, body=None, version=1, read=False):
        """POST one API call and return the answer's JSON object (``Status`` is ``OK``)."""
        path = "/obs/api/json/%s%s.do" % ("2/" if version == 2 else "", name)
        payload = {"SysUser": self.username, "SysPwd": self.password}
        payload.update(body or {})
        response = self.client.request("POST", path, json_body=payload, read=read)
        answer = response.body
        if not isinstance(answer, dict):
            raise ApiError("the answer is not a JSON object: %s" % (response.text or "")[:200],
                           "POST", path, response.status, secrets=self.client.secrets)
        if str(answer.get("Status", "")).upper() != "OK":
            message = str(answer.get("Message") or "the server answered Status %r" % answer.get("Status"))
            if answer.get("ExptType"):
                message += " [%s]" % answer["ExptType"]
            hint = next((text for needle, text in HINTS if needle in message), None)
            raise ApiError(message, "POST", path, response.status, answer, hint=hint, secrets=self.client.secrets)
        return answer

    @staticmethod
    def _missing_user(err):
        return NO_SUCH_USER in err.message

    # -- backup users --------------------------------------------------------------

    def get_user(self, name, owner=None):
        """GetUser v2: the user's ``Data`` object, or ``None`` when there is no such user."""
        body = {"LoginName": name}
        if owner:
            body["Owner"] = owner
        try:
            return self.call("GetUser", body, version=2, read=True).get("Data")
        except ApiError as err:
            if self._missing_user(err):
                return None
            raise

    def list_users(self, **filters):
        """ListUsers v2 with its filters (``searchStr``, ``reseller``, ``ClientType``, ...)."""
        body = dict((k, v) for k, v in filters.items() if v is not None)
        return self.call("ListUsers", body, version=2, read=True).get("User") or []

    def add_user(self, fields):
        """AddUser v2 with the AddUser spelling of every field."""
        self.client.add_secret(fields.get("Password"))
        return self.call("AddUser", fields, version=2)

    def update_user(self, name, fields, owner=None):
        """UpdateUser v2 sending only ``fields`` (UpdateUser spelling)."""
        self.client.add_secret(fields.get("Password"))
        body = {"LoginName": name}
        if owner:
            body["Owner"] = owner
        body.update(fields)
        return self.call("UpdateUser", body, version=2)

    def remove_user(self, name, owner=None):
        body = {"LoginName": name}
        if owner:
            body["Owner"] = owner
        return self.call("RemoveUser", body)

    def modify_user_status(self, name, status, owner=None):
        body = {"LoginName": name, "Status": status}
        if owner:
            body["Owner"] = owner
        return self.call("ModifyUserStatus", body)

    # -- system users ----------------------------------------------------------------

    def list_system_users(self, role_only=False):
        body = {"RoleOnly": True} if role_only else {}
        return self.call("ListSystemUsers", body, read=True).get("Data") or []

    def get_system_user(self, name):
        """The system user called ``name`` from ListSystemUsers (one request), or ``None``."""
        return next((user for user in self.list_system_users() if user.get("Name") == name), None)

    def add_system_user(self, fields):
        self.client.add_secret(fields.get("Password"))
        return self.call("AddSysUser", fields)

    def update_system_user(self, name, fields):
        self.client.add_secret(fields.get("Password"))
        body = {"LoginName": name}
        body.update(fields)
        return self.call("UpdateSysUser", body)

    def remove_system_user(self, name):
        return self.call("RemoveSysUser", {"RemoveLoginName": name})

    def auth_system_user(self):
        """AuthSystemUser: checks the module's own credentials."""
        return self.call("AuthSystemUser", read=True)
