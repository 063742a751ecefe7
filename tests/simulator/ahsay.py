"""AhsayCBS (v9.x/v10.x) JSON API simulator: backup users and system users.

Every call is ``POST /obs/api/json/<Name>.do`` (v1) or ``POST /obs/api/json/2/<Name>.do``
(v2) with a JSON object body holding ``SysUser``/``SysPwd`` beside the call's own keys.
Bodies sent as ``text/plain`` JSON or form-encoded are accepted as well. Answers are
always HTTP 200: ``{"Status":"OK", ...}`` or ``{"Status":"Error","Message":..,"ExptType":..}``.

Endpoints
  v2  AddUser, GetUser (payload ``Data``), UpdateUser (partial), ListUsers (payload ``User``)
  v1  GetUser, ListUsers, RemoveUser, ModifyUserStatus, AuthUser, AddContact,
      AddSysUser, UpdateSysUser, ListSystemUsers (``Data``), RemoveSysUser (key
      ``RemoveLoginName``), AuthSystemUser

Request bodies are checked against ``schemas/ahsay/<Name>.json``. The type names in those
schemas follow org.json: Boolean and long keys take ``true``/``"true"``/``"True"`` and
``5``/``"5"``; string keys must be JSON strings, and a wrong type gives an org.json
``JSONException`` text.

Users as stored and returned
  A backup user is kept in the spelling of UpdateUser and GetUser: module flags live in
  ``ModuleSettings`` as ``*BackupEnabled``/``*Enabled`` with their quotas. AddUser's
  ``Enable*`` flags and ``*Quota`` keys are mapped onto that on creation (``ADD_MODULES``).
  GetUser ``Data`` (v1 and v2 alike) holds the documented legacy keys (AccessToken ...
  FullName) followed by the UpdateUser keys and a few counters, sorted by name (the
  documented part of the table is alphabetical):
  AccessToken, AdGroup, AdGroups, Alias, BackupSetIdList, Bandwidth, ClientRunVersion,
  ClientType, ComputerNameDirList, ContactList, DoubleEncodedName, EmailReportSettings,
  EncodedName, File, ForgotPasswordSettings, FullName, HostQuota, HostQuotaEnabled, ID,
  Language, LastBackupDate, LoginName, ModuleSettings, Notes, Online, Owner, QuotaList,
  QuotaType, RegistrationDate, RunDirectQuota, RunDirectQuotaEnabled, SecuritySettings,
  Status (ENABLE|SUSPENDED), StorageQuota, Type (TRIAL|PAID), UserHome,
  UserSuspendSettings, WindowsEventLogSettings.
  Everything after FullName is inferred [I]. Because the documented part is complete and
  alphabetical, keys that would sort inside it are not returned: no ``Email`` (AddUser's
  ``Email``/``DisplayName`` become the first contact [I]), no ``EnableAUA`` (accepted by
  AddUser/UpdateUser, never read back), no ``DataSize``. ``QuotaList`` lists every
  destination (unset ones disabled with quota 0), as in Ahsay's own sample output.
  ``ContactList`` items carry a ``ContactId`` [I]. The password is never returned.
  ListUsers entries are the same object plus ``DataSize`` (seen on real ListUsers v2 output)
  [I]; ``LoginNameOnly`` gives ``{ID, LoginName}`` and ``ClientTypeOnly``
  ``{ID, LoginName, ClientType}``.

System users have HashedPwd = Base64(SHA-256(UTF-8 password)) and Status ENABLED|SUSPENDED.

Inferred behaviours, all in ``CONFIG`` (change with ``POST /_sim/config``):
  curly_quotes            False  the doc pages print curly quotes (U+2018/2019/201D) where a
                                  real server capture has ASCII ones; True renders the
                                  messages that the pages print exactly as printed there
  org_json_style          "20220924"  type error wording: "20220924", "20200518", "20190722",
                                  or "sysuser_page" (the garbled text of the UpdateSysUser page)
  type_error_status       "Error" envelope Status of type errors (one doc page shows "OK")
  nosuchuser_expt_types   per endpoint ExptType of NoSuchUserExpt (documented where known)
  duplicate_user_message / duplicate_sysuser_message / *_expt_type  invented texts
  authuser_bad_password_message  invented text for AuthUser with a wrong password
  backup_user_roles       ["ADMIN", "API_ONLY"]         roles allowed on backup-user APIs
  sysuser_api_roles       ["ADMIN", "API_ONLY", "READ_ONLY_ADMIN"]  system-user APIs
  auth_system_user_roles  ["ADMIN", "API_ONLY", "RESELLER"]  (READ_ONLY_ADMIN refused [C])
  expired_passwords       []     system users whose password counts as expired until they
                                  change it with UpdateSysUser (a seed may also set
                                  ``PasswordExpired: true`` on a system user)
  expired_password_expt_type  "com.ahsay.obs.core.dbs.c"
  password_complexity     None   e.g. {"min_length": 12, "upper": true, "lower": true,
                                  "digit": true, "symbol": true}; message invented
  updateuser_unknown_destination  "ignore"  UpdateUser's documented example pushes key
                                  "OBM" and gets OK; "error" rejects it like AddUser
  contact_count_mismatch_message  None  ChangeContact with OldContact/NewContact of
                                  different lengths: the page shows a bare {"Status":"Error"}
  contact_default_append  False  ``Contact`` without ``AppendContact`` replaces the list
  strict_user_status      True   UpdateUser/ModifyUserStatus reject a Status other than
                                  ENABLE/SUSPENDED (AddUser is lenient as documented)
  check_owner_exists      True   AddUser ``Owner`` must name a system user
  mfa_enabled             False  global MFA setting; SecuritySettings is ignored when off
  unknown_api_http_status 200    HTTP status of the error for an unknown API name
Missing keys give ``[Error] Parameter <Key> is null / empty!`` on backup-user APIs and
``... is null/empty!`` on system-user APIs (each as printed on a vendor page).
Fault presets: expired_password (every API but UpdateSysUser), unavailable (503),
rate_limited (429 + Retry-After), slow (2 s delay), drop (closed connection).

Not simulated: other APIs (the deprecated v1 AddUser/UpdateUserProfile included) answer
the unknown-API error; a GET on an API path gets Flask's 405; the trial-expiry rule of
ModifyUserStatus; user and policy groups (users carry group IDs only for ListUsers filters).
"""

import base64
import copy
import decimal
import hashlib
import json
import os
import time
import urllib.parse

import jsonschema
from flask import Response, abort, jsonify, request

import simcore

OK = "OK"
BAD_LOGIN = "Incorrect system username/password"
BAD_LOGIN_EXPT = "com.ahsay.obs.core.dbs.c"
EXPIRED = ("Your password has expired and must be changed. "
           "Please update in web console or by UpdateSysUser API")
DBS = "com.ahsay.obs.core.dbs.DbsException"
JAVA_EXC = "java.lang.Exception"
JSON_EXC = "org.json.JSONException"
NO_SUCH_USER = "[UserCacheManager.NoSuchUserExpt] User '{}' not found."
NO_SUCH_SYSUSER = "System user '{}' does not exist"
DUP_CONTACT = "[UpdateUserProfile.checkDuplicatedEmail] Contact already exists <{}>"
ROLES = ("ADMIN", "READ_ONLY_ADMIN", "RESELLER", "API_ONLY")
OBS_KEY = "OBS"

CONFIG = {
    "curly_quotes": False,
    "org_json_style": "20220924",
    "type_error_status": "Error",
    "nosuchuser_expt_types": {
        "GetUser": "com.ahsay.obs.core.dbs.ad",          # [C] real fixture
        "AuthUser": "com.ahsay.obs.core.dbs.ai",         # [C] page
        "ModifyUserStatus": "com.ahsay.obm.core.dbs.ai",  # [C] page
        "UpdateUser": "com.ahsay.obs.core.dbs.ad",       # [I]
        "RemoveUser": "com.ahsay.obs.core.dbs.ad",       # [I]
        "AddContact": "com.ahsay.obs.core.dbs.ad",       # [I]
    },
    "duplicate_user_message": "[Error] User '{name}' already exists",
    "duplicate_user_expt_type": DBS,
    "duplicate_sysuser_message": "[Error] System user '{name}' already exists",
    "duplicate_sysuser_expt_type": DBS,
    "authuser_bad_password_message": "[Error] Incorrect password for user '{name}'",
    "authuser_bad_password_expt_type": "com.ahsay.obs.core.dbs.ai",
    "backup_user_roles": ["ADMIN", "API_ONLY"],
    "sysuser_api_roles": ["ADMIN", "API_ONLY", "READ_ONLY_ADMIN"],
    "auth_system_user_roles": ["ADMIN", "API_ONLY", "RESELLER"],
    "expired_passwords": [],
    "expired_password_expt_type": BAD_LOGIN_EXPT,
    "password_complexity": None,
    "password_complexity_message": "[Error] Password does not meet the password complexity requirements",
    "updateuser_unknown_destination": "ignore",
    "contact_count_mismatch_message": None,
    "contact_default_append": False,
    "strict_user_status": True,
    "check_owner_exists": True,
    "mfa_enabled": False,
    "unknown_api_http_status": 200,
}

PRESETS = {
    "expired_password": {
        "path": r"^/obs/api/json/(?!(2/)?UpdateSysUser\.do$)", "status": 200,
        "body": {"Status": "Error", "Message": EXPIRED, "ExptType": BAD_LOGIN_EXPT},
    },
    "unavailable": {"status": 503, "body": "<html><body><h1>HTTP Status 503 - Service Unavailable</h1></body></html>"},
    "rate_limited": {"status": 429, "headers": {"Retry-After": "2"}, "body": {"Status": "Error", "Message": "Too Many Requests"}},
    "slow": {"delay": 2},
    "drop": {"drop": True},
}

# AddUser flag -> ModuleSettings flag; AddUser quota -> (ModuleSettings key, flag making it mandatory).
ADD_MODULES = {
    "EnableExchangeMailbox": "MSExchangeMailboxBackupEnabled", "EnableMSSQL": "MSSQLBackupEnabled",
    "EnableMSExchange": "MSExchangeBackupEnabled", "EnableOracle": "OracleBackupEnabled",
    "EnableLotusDomino": "LotusDominoBackupEnabled", "EnableLotusNotes": "LotusNotesBackupEnabled",
    "EnableMySQL": "MySQLBackupEnabled", "EnableInFileDelta": "InFileDeltaEnabled",
    "EnableShadowCopy": "ShadowCopyEnabled", "EnableNASClient": "NasClientEnabled", "EnableQnap": "QnapEnabled",
    "EnableMsVm": "MSHyperVBackupEnabled", "EnableVMware": "VMwareBackupEnabled", "EnableCDP": "CDPEnabled",
    "EnableShadowProtectBareMetal": "ShadowProtectBackupEnabled",
    "EnableWinServer2008BareMetal": "MSWindowsSystemBackupEnabled",
    "EnableMsWinSysState": "MSWindowsSystemStateBackupEnabled", "EnableOffice365Mail": "Office365MailEnabled",
    "EnableMobile": "MobileEnabled", "EnableMobileV2": "MobileV2Enabled", "EnableOpenDirect": "OpenDirectEnabled",
    "EnableMariaDB": "MariaDBBackupEnabled", "EnableDeduplication": "DeduplicationEnabled",
    "EnableTibero": "TiberoBackupEnabled", "EnableLinuxBareMetal": "LinuxBareMetalBackupEnabled",
    "EnablePostgreSQL": "PostgreSQLBackupEnabled", "EnableProxmox": "ProxmoxVEBackupEnabled",
}
ADD_QUOTAS = {
    "ExchangeMailboxQuota": ("MSExMailboxQuota", "EnableExchangeMailbox"),
    "MsVmQuota": ("MSHyperVVMQuota", "EnableMsVm"),
    "VMwareQuota": ("VMwareVMQuota", "EnableVMware"),
    "Office365MailQuota": ("Office365MailQuota", "EnableOffice365Mail"),
    "MobileQuota": ("MobileQuota", None),
    "OpenDirectQuota": ("OpenDirectQuota", None),
    "MsVmQuotaType": ("MSHyperVVMQuotaType", None),
    "VMwareQuotaType": ("VMwareVMQuotaType", None),
}


class ApiError(Exception):
    """An Ahsay error envelope; ``message`` None gives a bare {"Status":"Error"}.

    ``page`` marks texts the vendor pages print with typographic quotes: with the
    ``curly_quotes`` setting they are rendered that way (org.json texts never are)."""

    def __init__(self, message, expt_type=None, status="Error", http_status=200, page=False):
        super().__init__(message)
        self.message, self.expt_type, self.status, self.http_status = message, expt_type, status, http_status
        self.page = page

    def body(self, curly):
        out = {"Status": self.status}
        if self.message is not None:
            out["Message"] = page_quotes(self.message) if curly and self.page else self.message
        if self.expt_type is not None:
            out["ExptType"] = self.expt_type
        return out


def page_quotes(text):
    """ASCII quotes as the vendor pages print them: 'x' -> left/right single, policy's ->
    right single, "x" -> right double quotes (the pages show \\u201d on both sides)."""
    out = []
    for i, ch in enumerate(text):
        if ch == "'":
            before = text[i - 1] if i else " "
            out.append("\u2018" if before.isspace() or before in "([{" else "\u2019")
        else:
            out.append("\u201d" if ch == '"' else ch)
    return "".join(out)


def missing(key, sys_api=False):
    return ApiError("[Error] Parameter %s is %s!" % (key, "null/empty" if sys_api else "null / empty"), DBS)


def hash_password(password):
    return base64.b64encode(hashlib.sha256(password.encode("utf-8")).digest()).decode("ascii")


# ---------------------------------------------------------------- schemas and org.json typing

def _inline(node, defs):
    """A schema with every ``$ref`` (all point into defs.json's ``$defs``, none has siblings)
    replaced by its target: the same checks and error titles, without a reference lookup per
    key and request (which made seeding 10,000 users slow)."""
    if isinstance(node, dict):
        if "$ref" in node:
            return _inline(defs[node["$ref"].rsplit("/", 1)[1]], defs)
        return {key: _inline(value, defs) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline(value, defs) for value in node]
    return node


def _load_schemas():
    folder = os.path.join(simcore.SCHEMA_DIR, "ahsay")
    schemas = {f[:-5]: simcore.load_schema("ahsay/" + f) for f in sorted(os.listdir(folder)) if f.endswith(".json")}
    defs = schemas["defs"]["$defs"]
    validators = {n: jsonschema.Draft202012Validator(_inline(s, defs)) for n, s in schemas.items() if n != "defs"}
    return defs, validators


DEFS, VALIDATORS = _load_schemas()


def _java(value):
    """Java class and text org.json would print for a parsed JSON value."""
    if isinstance(value, bool):
        return "java.lang.Boolean", str(value).lower()
    if isinstance(value, int):
        return ("java.lang.Integer" if -2**31 <= value < 2**31 else "java.lang.Long"), str(value)
    if isinstance(value, float):
        return "java.math.BigDecimal", repr(value)
    if isinstance(value, str):
        return "java.lang.String", value
    if isinstance(value, (dict, list)):
        return "org.json." + ("JSONObject" if isinstance(value, dict) else "JSONArray"), None
    return "org.json.JSONObject$Null", "null"


def type_error(config, key, getter, value):
    """The JSONException text of an org.json getter that met the wrong type."""
    style = config["org_json_style"]
    status = config["type_error_status"]
    if style == "sysuser_page":  # verbatim from the UpdateSysUser page, typos included
        return ApiError('JSONObject\\"%s\\"\\not a %s' % (key, getter), "org.json.JONException", status, page=True)
    if isinstance(key, int):
        where, getter = "JSONArray[%d]" % key, ("String" if getter == "string" else getter)
    else:
        where = 'JSONObject["%s"]' % key
    if style == "20190722":
        return ApiError("%s not a %s." % (where, getter), JSON_EXC, status)
    if style == "20200518":
        return ApiError("%s is not a %s." % (where, getter), JSON_EXC, status)
    cls, text = _java(value)
    detail = "class %s" % cls if text is None else "class %s : %s" % (cls, text)
    return ApiError("%s is not a %s (%s)." % (where, getter, detail), JSON_EXC, status)


def check_types(config, api, body):
    errors = list(VALIDATORS[api].iter_errors(body))
    if errors:
        order = list(body)
        err = min(errors, key=lambda e: (order.index(e.path[0]) if e.path and e.path[0] in order else 0, len(e.path)))
        raise type_error(config, err.path[-1] if err.path else api, err.schema.get("title", "string"), err.instance)


def to_bool(value):
    return value if isinstance(value, bool) else str(value).strip().lower() == "true"


def to_long(value):
    return int(value) if isinstance(value, (int, float)) else int(decimal.Decimal(str(value).strip()))


def is_bool(value):
    return isinstance(value, bool) or (isinstance(value, str) and value.strip().lower() in ("true", "false"))


def is_long(value):
    if value is None or isinstance(value, (bool, dict, list)):
        return False
    try:
        to_long(value)
    except (decimal.InvalidOperation, ValueError):
        return False
    return True


def _defaults(defs_name, overrides=None):
    """Default values for every key of a settings object named in defs.json."""
    kinds = {"Bool": False, "Long": 0, "Str": ""}
    out = {k: kinds[v["$ref"].rsplit("/", 1)[1]] for k, v in DEFS[defs_name]["properties"].items()}
    out.update(overrides or {})
    return out


def _coerce(defs_name, given):
    """Typed copy of the known keys of a settings object (unknown keys are ignored)."""
    out = {}
    for key, spec in DEFS[defs_name]["properties"].items():
        if key in given and given[key] is not None:
            kind = spec["$ref"].rsplit("/", 1)[1]
            out[key] = to_bool(given[key]) if kind == "Bool" else to_long(given[key]) if kind == "Long" else given[key]
    return out


# ---------------------------------------------------------------- state

def now_ms():
    return int(time.time() * 1000)


def new_id(state):
    """13-digit millisecond IDs as the server hands out, unique within this state."""
    state["last_id"] = max(now_ms(), state.get("last_id", 0) + 1)
    return str(state["last_id"])


def make_sysuser(name, hashed, role="ADMIN", status="ENABLED", **extra):
    user = {"Name": name, "Role": role, "Status": status, "HashedPwd": hashed,
            "IsShowRebrandingPages": False, "IsSendConsolidatedReport": False, "IsFreeTrialOfferAllowed": False,
            "Hostname": "", "IP": "", "PasswordExpired": False}
    user.update(extra)
    return user


def seed():
    return {
        "sysusers": {"system": make_sysuser("system", "ggeRi1mrAu37jPPCb6q6sRyBRlz/VxUgHbso6jqZu0I=")},
        "destinations": {
            OBS_KEY: {"DestinationKey": OBS_KEY, "DestinationName": "AhsayCBS", "Visible": True},
            "-1532572601525": {"DestinationKey": "-1532572601525", "DestinationName": "GoogleDrive-1", "Visible": True},
        },
        "user_homes": ["/usr/local/cbs/user", "/mnt/cbs-users-2"],
        "users": {},
        "password_changed": [],
        "last_id": 0,
    }


# Stored, accepted by AddUser/UpdateUser, but outside GetUser's documented (alphabetical) key list.
NOT_IN_GETUSER = ("Password", "EnableAUA", "DataSize")


def user_view(state, user, listing=False):
    """A stored backup user as GetUser returns it (never the password); ``listing``: as a ListUsers entry."""
    quotas = {q["DestinationKey"]: q for q in user["QuotaList"]}
    # Not copied: the answer is serialised at once, under the simulator's lock.
    data = {k: v for k, v in user.items() if k not in NOT_IN_GETUSER and not k.startswith("_")}
    if listing:
        data["DataSize"] = user.get("DataSize", 0)
    data.update({
        "AccessToken": "", "AdGroup": "", "AdGroups": [], "Bandwidth": 0, "ClientRunVersion": "",
        "ComputerNameDirList": [], "EmailReportSettings": {}, "ForgotPasswordSettings": {},
        "FullName": user["LoginName"],
        "EncodedName": urllib.parse.quote(user["LoginName"], safe=""),
        "DoubleEncodedName": urllib.parse.quote(urllib.parse.quote(user["LoginName"], safe=""), safe=""),
        "File": "%s/%s/users.xml" % (user["UserHome"], user["LoginName"]),
        "QuotaList": [
            {"Enabled": quotas.get(k, {}).get("Enabled", False), "Quota": quotas.get(k, {}).get("Quota", 0),
             "DestinationName": d["DestinationName"], "DestinationKey": k}
            for k, d in state["destinations"].items()
        ],
    })
    return dict(sorted(data.items()))


def find_user(sim, body, api):
    name = body.get("LoginName")
    if name in (None, ""):
        raise missing("LoginName")
    user = sim.state["users"].get(name)
    owner = body.get("Owner")
    if user is None or (owner and user["Owner"] != owner):
        raise ApiError(NO_SUCH_USER.format(name), sim.config["nosuchuser_expt_types"].get(api, DBS), page=True)
    return user


def _enum(value, allowed, key):
    if value not in allowed:
        raise ApiError("[Error] Parameter %s must either be %s!" % (key, " or ".join(allowed)), DBS)  # [I]
    return value


def _user_status(sim, value, lenient):
    if lenient or not sim.config["strict_user_status"]:
        return "SUSPENDED" if value == "SUSPENDED" else "ENABLE"
    return _enum(value, ("ENABLE", "SUSPENDED"), "Status")


def _contact(given, state):
    fields = ("Name", "Email", "Address", "Company", "Website", "Phone1", "Phone2")
    out = {"ContactId": given.get("ContactId") or new_id(state)}
    out.update({f: given.get(f, "") for f in fields})
    return out


def _check_contacts(contacts):
    seen = set()
    for c in contacts:
        email = c["Email"].strip().lower()
        if email and email in seen:
            raise ApiError(DUP_CONTACT.format(c["Email"]), DBS)
        seen.add(email)


def parse_quota_list(sim, items, user_name, quota_type, update):
    """Validate a QuotaList push; returns [(key, enabled, quota-or-None)] (None: keep)."""
    keys = []
    for item in items:
        key = item.get("DestinationKey")
        if key in (None, ""):
            raise missing("DestinationKey")
        if not isinstance(key, str):
            raise type_error(sim.config, "DestinationKey", "string", key)
        if key in keys:
            raise ApiError("Duplicated DestinationKey (%s) are not allowed in the QuotaList." % key, JAVA_EXC)
        keys.append(key)
    parsed = []
    for item, key in zip(items, keys):
        dest = sim.state["destinations"].get(key)
        if dest is None and update and sim.config["updateuser_unknown_destination"] == "ignore":
            continue
        if dest is None or not dest["Visible"]:
            raise ApiError("Destination '%s' is not visible to user '%s' according to policy's "
                           "[Destinations Visible to Users] settings." % (key, user_name), JAVA_EXC, page=True)
        if item.get("Enabled") is None:
            raise ApiError("Value 'Enabled' is missing in item '%s' of 'QuotaList'." % key, JAVA_EXC, page=True)
        if not is_bool(item["Enabled"]):
            raise ApiError("Invalid 'Enabled' in item '%s' of 'QuotaList'." % key, JAVA_EXC, page=True)
        enabled, quota = to_bool(item["Enabled"]), item.get("Quota")
        if quota is None:
            if enabled and not update:  # [I]
                raise ApiError("Value 'Quota' is missing in item '%s' of 'QuotaList'." % key, JAVA_EXC, page=True)
        elif not is_long(quota):
            cls, text = _java(quota)
            detail = cls if text is None else "%s: %s" % (cls, text)
            raise ApiError("Invalid value 'Quota' for item '%s' of 'QuotaList'. Error: JSONObject [\"Quota\"] "
                           "is not a long (class %s)." % (key, detail), JAVA_EXC, page=True)
        else:
            quota = to_long(quota)
            if quota < 0 and quota_type == "PER_DESTINATION_QUOTA":
                raise ApiError("Invalid value for 'Quota' for item '%s' of 'QuotaList'. "
                               "Error: Must be a positive number." % key, JAVA_EXC, page=True)
        parsed.append((key, enabled, quota if quota is not None or update else 0))
    return parsed


def apply_quotas(user, parsed):
    current = {q["DestinationKey"]: q for q in user["QuotaList"]}
    for key, enabled, quota in parsed:
        entry = current.setdefault(key, {"DestinationKey": key, "Enabled": False, "Quota": 0})
        entry["Enabled"] = enabled
        if quota is not None:
            entry["Quota"] = quota
    user["QuotaList"] = list(current.values())


def create_user(sim, body):
    """Build and store a backup user from an AddUser body (already type-checked)."""
    state, config = sim.state, sim.config
    for key in ("LoginName", "Password"):
        if body.get(key) in (None, ""):
            raise missing(key)
    name, owner = body["LoginName"], body.get("Owner", "")
    if owner and config["check_owner_exists"] and owner not in state["sysusers"]:
        raise ApiError("[Error] Parameter Owner, %s does not exist!" % owner, DBS)  # [I]
    if name in state["users"]:
        raise ApiError(config["duplicate_user_message"].format(name=name), config["duplicate_user_expt_type"], page=True)
    quota_type = _enum(body.get("QuotaType", "PER_DESTINATION_QUOTA"), ("TOTAL_QUOTA", "PER_DESTINATION_QUOTA"), "QuotaType")
    if quota_type == "PER_DESTINATION_QUOTA" and not body.get("QuotaList"):
        raise missing("QuotaList")
    for quota_key, (_module_key, flag) in ADD_QUOTAS.items():
        if flag and to_bool(body.get(flag, False)) and body.get(quota_key) in (None, ""):
            raise missing(quota_key)
    if to_bool(body.get("RunDirectQuotaEnabled", False)) and body.get("RunDirectQuota") in (None, ""):
        raise missing("RunDirectQuota")
    home = body.get("UserHome") or state["user_homes"][0]
    if home not in state["user_homes"]:
        raise ApiError("[Error] Parameter UserHome, %s does not exist!" % home, DBS)  # [I]
    parsed = parse_quota_list(sim, body.get("QuotaList") or [], name, quota_type, update=False)
    modules = _defaults("ModuleSettings", {"MSHyperVVMQuotaType": "GUESTVM", "VMwareVMQuotaType": "GUESTVM",
                                           "MobileQuotaV2": 10, "OpenDirectQuota": "0"})
    for flag, module_key in ADD_MODULES.items():
        if flag in body:
            modules[module_key] = to_bool(body[flag])
    for quota_key, (module_key, _flag) in ADD_QUOTAS.items():
        if body.get(quota_key) not in (None, ""):
            value = body[quota_key]
            modules[module_key] = value if module_key.endswith(("Type", "OpenDirectQuota")) else to_long(value)
    for key in ("MSHyperVVMQuotaType", "VMwareVMQuotaType"):
        _enum(modules[key], ("GUESTVM", "SOCKET"), key)
    modules["MobileEnabled"] = False  # v1 mobile modules can no longer be enabled
    alias = body.get("DisplayName") or name
    user = {
        "LoginName": name, "Owner": owner, "Password": body["Password"], "Alias": alias,
        "ID": new_id(state), "RegistrationDate": now_ms(),
        "Status": _user_status(sim, body.get("Status"), lenient=True),
        "Type": _enum(str(body.get("Type") or "TRIAL").upper(), ("TRIAL", "PAID"), "Type"),
        "ClientType": _enum(body.get("ClientType") or "OBM", ("OBM", "ACB"), "ClientType"),
        "Language": body.get("Language", "en"), "Notes": body.get("Notes", ""), "UserHome": home,
        "ContactList": [_contact({"Name": alias, "Email": body["Email"]}, state)] if body.get("Email") else [],
        "QuotaList": [], "QuotaType": quota_type,
        "StorageQuota": to_long(body.get("StorageQuota", 100)),
        "HostQuotaEnabled": to_bool(body.get("HostQuotaEnabled", False)), "HostQuota": to_long(body.get("HostQuota", 0)),
        "RunDirectQuotaEnabled": to_bool(body.get("RunDirectQuotaEnabled", False)),
        "RunDirectQuota": to_long(body.get("RunDirectQuota", 0)),
        "EnableAUA": to_bool(body.get("EnableAUA", False)),
        "ModuleSettings": modules,
        "WindowsEventLogSettings": _defaults("WindowsEventLogSettings"),
        "UserSuspendSettings": {"Enabled": False, "Date": 0},
        "SecuritySettings": {"Enabled": False, "PhoneList": []},
        "BackupSetIdList": [], "DataSize": 0, "LastBackupDate": 0, "Online": False,
        "_UserGroupIDs": [], "_PolicyGroupIDs": [],
    }
    apply_quotas(user, parsed)
    state["users"][name] = user
    return user


def update_user(sim, user, body, mfa=None):
    """Apply an UpdateUser body: only the keys given change; all checks run before any change."""
    config, state = sim.config, sim.state
    new = copy.deepcopy(user)
    for key in ("Alias", "Language", "Notes"):
        if key in body:
            new[key] = body[key]
    if body.get("Password"):
        new["Password"] = body["Password"]
    if "Status" in body:
        new["Status"] = _user_status(sim, body["Status"], lenient=False)
    if "Type" in body:
        new["Type"] = _enum(str(body["Type"]).upper(), ("TRIAL", "PAID"), "Type")
    if "ClientType" in body:
        new["ClientType"] = _enum(body["ClientType"], ("OBM", "ACB"), "ClientType")
    if "QuotaType" in body:
        new["QuotaType"] = _enum(body["QuotaType"], ("TOTAL_QUOTA", "PER_DESTINATION_QUOTA"), "QuotaType")
    for key in ("HostQuotaEnabled", "RunDirectQuotaEnabled", "EnableAUA"):
        if key in body:
            new[key] = to_bool(body[key])
    for key in ("HostQuota", "RunDirectQuota", "StorageQuota"):
        if key in body:
            new[key] = to_long(body[key])
    if "QuotaList" in body:
        apply_quotas(new, parse_quota_list(sim, body["QuotaList"], new["LoginName"], new["QuotaType"], update=True))
    if "ModuleSettings" in body:
        changes = _coerce("ModuleSettings", body["ModuleSettings"])
        changes.pop("MobileQuotaV2", None)  # fixed at 10
        if "MobileEnabled" in changes:
            changes["MobileEnabled"] = False  # v1 mobile: can be switched off, never on
        for key in ("MSHyperVVMQuotaType", "VMwareVMQuotaType"):
            if key in changes:
                _enum(changes[key], ("GUESTVM", "SOCKET"), key)
        new["ModuleSettings"].update(changes)
    for key in ("WindowsEventLogSettings", "UserSuspendSettings"):
        if key in body:
            new[key].update(_coerce(key, body[key]))
    if "SecuritySettings" in body and (config["mfa_enabled"] if mfa is None else mfa):
        given = body["SecuritySettings"]
        if "Enabled" in given:
            new["SecuritySettings"]["Enabled"] = to_bool(given["Enabled"])
        if "PhoneList" in given:  # whole-list replacement; Verified/Id are the server's
            phones = [{"Id": int(new_id(state)), "CountryCode": to_long(p.get("CountryCode", 0)),
                       "PhoneNumber": p.get("PhoneNumber", ""), "Verified": False, "VerifiedTime": 0}
                      for p in given["PhoneList"]]
            last = new.get("_LastLoginPhone")
            if last and last not in [p["PhoneNumber"] for p in phones]:
                raise ApiError("[Error] Phone number %s of the last successful login cannot be removed." % last, DBS)  # [I]
            new["SecuritySettings"]["PhoneList"] = phones
    _update_contacts(sim, new, body)
    user.clear()
    user.update(new)


def _update_contacts(sim, user, body):
    state, config = sim.state, sim.config
    contacts = user["ContactList"]
    if body.get("ChangeContact") == "Y":
        old, new = body.get("OldContact") or [], [_contact(c, state) for c in body.get("NewContact") or []]
        if not old:
            contacts = contacts + new
        else:
            if len(old) != len(new):
                raise ApiError(config["contact_count_mismatch_message"], DBS if config["contact_count_mismatch_message"] else None)
            contacts = [dict(c) for c in contacts]
            for before, after in zip(old, new):
                email = str(before.get("Email", "")).strip().lower()
                match = [i for i, c in enumerate(contacts) if c["Email"].strip().lower() == email]
                if not match:
                    raise ApiError("[UpdateUserProfile.changeContact] Contact does not exist <%s>" % before.get("Email", ""), DBS)  # [I]
                after["ContactId"] = contacts[match[0]]["ContactId"]
                contacts[match[0]] = after
    if "Contact" in body:
        append = body.get("AppendContact", "Y" if config["contact_default_append"] else "N") == "Y"
        given = [_contact(c, state) for c in body["Contact"]]
        if append:
            existing = {c["Email"].strip().lower() for c in contacts if c["Email"]}
            for c in given:
                if c["Email"].strip().lower() in existing:
                    raise ApiError(DUP_CONTACT.format(c["Email"]), DBS)
            contacts = contacts + given
        else:
            contacts = given
    _check_contacts(contacts)
    user["ContactList"] = contacts


# ---------------------------------------------------------------- API handlers

APIS = {}


def api(name, kind="user", required=(), allow_expired=False):
    """Register a handler for path ``name`` (e.g. "2/AddUser.do"). ``kind`` picks the role list."""
    def register(fn):
        schema = name.rsplit("/", 1)[-1][:-3]
        APIS[name] = {"fn": fn, "kind": kind, "required": required, "allow_expired": allow_expired, "schema": schema}
        return fn
    return register


@api("2/AddUser.do")
def add_user(sim, body, _caller):
    create_user(sim, body)


@api("2/GetUser.do")
@api("GetUser.do")
def get_user(sim, body, _caller):
    return {"Data": user_view(sim.state, find_user(sim, body, "GetUser"))}


@api("2/UpdateUser.do")
def update_user_api(sim, body, _caller):
    update_user(sim, find_user(sim, body, "UpdateUser"), body)


@api("2/ListUsers.do")
@api("ListUsers.do")
def list_users(sim, body, _caller):
    users = list(sim.state["users"].values())
    search = body.get("searchStr")
    if search:
        users = [u for u in users if search.lower() in u["LoginName"].lower()]
    if body.get("reseller"):
        users = [u for u in users if u["Owner"] == body["reseller"]]
    if body.get("ClientType"):
        users = [u for u in users if u["ClientType"] == body["ClientType"]]
    if body.get("UserGroupID"):
        users = [u for u in users if body["UserGroupID"] in u["_UserGroupIDs"]]
    if body.get("PolicyGroupID"):
        users = [u for u in users if body["PolicyGroupID"] in u["_PolicyGroupIDs"]]
    if body.get("Date"):
        try:
            since = now_ms() - int(body["Date"]) * 86400000
        except ValueError:
            raise ApiError("[Error] Parameter Date, %s is not a number!" % body["Date"], DBS) from None  # [I]
        users = [u for u in users if u["RegistrationDate"] >= since]
    if to_bool(body.get("LoginNameOnly", False)):
        return {"User": [{"ID": u["ID"], "LoginName": u["LoginName"]} for u in users]}
    if to_bool(body.get("ClientTypeOnly", False)):
        return {"User": [{"ID": u["ID"], "LoginName": u["LoginName"], "ClientType": u["ClientType"]} for u in users]}
    return {"User": [user_view(sim.state, u, listing=True) for u in users]}


@api("RemoveUser.do")
def remove_user(sim, body, _caller):
    del sim.state["users"][find_user(sim, body, "RemoveUser")["LoginName"]]


@api("ModifyUserStatus.do", required=("Status",))
def modify_user_status(sim, body, _caller):
    user = find_user(sim, body, "ModifyUserStatus")
    user["Status"] = _user_status(sim, body["Status"], lenient=False)


@api("AuthUser.do")
def auth_user(sim, body, _caller):
    user = find_user(sim, body, "AuthUser")
    if body.get("Password") != user["Password"]:
        raise ApiError(sim.config["authuser_bad_password_message"].format(name=user["LoginName"]),
                       sim.config["authuser_bad_password_expt_type"], page=True)


@api("AddContact.do", required=("NewContact",))
def add_contact(sim, body, _caller):
    user = find_user(sim, body, "AddContact")
    contacts = user["ContactList"] + [_contact(body["NewContact"], sim.state)]
    _check_contacts(contacts)
    user["ContactList"] = contacts


def _check_password(sim, password, hashed):
    rules = sim.config["password_complexity"]
    if hashed or not rules:
        return
    checks = [len(password) >= int(rules.get("min_length", 0)),
              not rules.get("upper") or any(c.isupper() for c in password),
              not rules.get("lower") or any(c.islower() for c in password),
              not rules.get("digit") or any(c.isdigit() for c in password),
              not rules.get("symbol") or any(not c.isalnum() for c in password)]
    if not all(checks):
        raise ApiError(sim.config["password_complexity_message"], DBS)


def _sys_fields(sim, user, body):
    """Role/Status/flags shared by AddSysUser and UpdateSysUser (checked before storing)."""
    if "Status" in body and body["Status"] not in ("ENABLED", "SUSPENDED"):
        raise ApiError("Invalid value.  'Status' must be 'ENABLED' or 'SUSPENDED'", DBS, page=True)
    if "Role" in body and body["Role"] not in ROLES:
        raise ApiError("Invalid value.  'Role' must be 'ADMIN', 'READ_ONLY_ADMIN', 'RESELLER' or 'API_ONLY'",
                       DBS, page=True)  # [I]
    for key in ("Status", "Role", "Hostname", "IP"):
        if key in body:
            user[key] = body[key]
    for key in ("IsShowRebrandingPages", "IsSendConsolidatedReport", "IsFreeTrialOfferAllowed"):
        if key in body:
            user[key] = to_bool(body[key])
    if user["Role"] == "RESELLER":
        for key in ("Hostname", "IP"):
            if not user[key]:
                raise missing(key, sys_api=True)
    if "Password" in body and body["Password"] not in (None, ""):
        hashed = to_bool(body.get("PasswordHashed", False))
        _check_password(sim, body["Password"], hashed)
        user["HashedPwd"] = body["Password"] if hashed else hash_password(body["Password"])
        return True
    return False


@api("AddSysUser.do", kind="sys", required=("LoginName", "Password", "Role"))
def add_sys_user(sim, body, _caller):
    name = body["LoginName"]
    if name in sim.state["sysusers"]:
        raise ApiError(sim.config["duplicate_sysuser_message"].format(name=name),
                       sim.config["duplicate_sysuser_expt_type"], page=True)
    user = make_sysuser(name, "")
    _sys_fields(sim, user, body)
    sim.state["sysusers"][name] = user


@api("UpdateSysUser.do", kind="sys", required=("LoginName",), allow_expired=True)
def update_sys_user(sim, body, _caller):
    current = sim.state["sysusers"].get(body["LoginName"])
    if current is None:
        raise ApiError(NO_SUCH_SYSUSER.format(body["LoginName"]), JSON_EXC, page=True)
    user = dict(current)
    if _sys_fields(sim, user, body):
        user["PasswordExpired"] = False
        if user["Name"] not in sim.state["password_changed"]:
            sim.state["password_changed"].append(user["Name"])
    current.update(user)


@api("ListSystemUsers.do", kind="sys")
def list_system_users(sim, body, _caller):
    users = sim.state["sysusers"].values()
    if to_bool(body.get("RoleOnly", False)):
        return {"Data": [{"Name": u["Name"], "Role": u["Role"]} for u in users]}
    keys = ("Role", "Status", "HashedPwd", "IsShowRebrandingPages", "Name", "IsSendConsolidatedReport",
            "IsFreeTrialOfferAllowed")
    return {"Data": [{k: u[k] for k in keys} for u in users]}


@api("RemoveSysUser.do", kind="sys", required=("RemoveLoginName",))
def remove_sys_user(sim, body, _caller):
    if sim.state["sysusers"].pop(body["RemoveLoginName"], None) is None:
        raise ApiError(NO_SUCH_SYSUSER.format(body["RemoveLoginName"]), JSON_EXC, page=True)


@api("AuthSystemUser.do", kind="auth")
def auth_system_user(_sim, _body, _caller):
    return None


# ---------------------------------------------------------------- request plumbing

def parse_body():
    """The request's JSON object, as org.json would read it; form bodies are accepted too."""
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = request.form.to_dict()
        if len(form) == 1 and next(iter(form)).lstrip().startswith("{") and not next(iter(form.values())):
            return parse_json_text(next(iter(form)))  # a JSON text posted with a form content type
        for key, value in form.items():
            if value.lstrip().startswith(("[", "{")):
                try:
                    form[key] = json.loads(value)
                except ValueError:
                    pass
        return form
    return parse_json_text(request.get_data(as_text=True))


def parse_json_text(text):
    index, character, line = 0, 1, 1
    for ch in text:  # org.json's position counter up to the first non-blank character
        if ch == "\n":
            index, character, line = index + 1, 0, line + 1
            continue
        index, character = index + 1, character + 1
        if not ch.isspace():
            break
    stripped = text.strip()
    if not stripped.startswith("{"):
        raise ApiError("A JSONObject text must begin with '{' at %d [character %d line %d]" % (index, character, line), JSON_EXC)
    try:
        body = json.loads(stripped)
    except json.JSONDecodeError as err:  # [I] org.json words vary by error; this is its commonest
        raise ApiError("Expected a ',' or '}' at %d [character %d line %d]" % (err.pos + 1, err.colno + 1, err.lineno), JSON_EXC) from None
    return {k: v for k, v in body.items() if v is not None}  # JSON null reads as absent


def authenticate(sim, body, entry):
    name, password = body.get("SysUser"), body.get("SysPwd")
    user = sim.state["sysusers"].get(name) if isinstance(name, str) else None
    roles = sim.config[{"user": "backup_user_roles", "sys": "sysuser_api_roles", "auth": "auth_system_user_roles"}[entry["kind"]]]
    if (user is None or not isinstance(password, str) or hash_password(password) != user["HashedPwd"]
            or user["Status"] != "ENABLED" or user["Role"] not in roles):
        raise ApiError(BAD_LOGIN, BAD_LOGIN_EXPT)
    expired = user["PasswordExpired"] or (
        name in sim.config["expired_passwords"] and name not in sim.state["password_changed"])
    if expired and not entry["allow_expired"]:
        raise ApiError(EXPIRED, sim.config["expired_password_expt_type"])
    return user


def seed_handler(sim, payload):
    """Add destinations, user homes, system users and backup users (AddUser-style bodies).

    Backup-user bodies may also carry UpdateUser keys (ModuleSettings, UserSuspendSettings,
    SecuritySettings, ...), ``ContactList``, counters (DataSize, LastBackupDate, Online,
    BackupSetIdList), ``UserGroupIDs``/``PolicyGroupIDs`` and ``LastLoginPhone``. A missing
    QuotaList defaults to 50 GiB on OBS. Existing entries of the same name are replaced.
    """
    state = sim.state
    payload = payload or {}
    try:
        for d in payload.get("destinations", []):
            state["destinations"][d["DestinationKey"]] = {
                "DestinationKey": d["DestinationKey"], "DestinationName": d.get("DestinationName", d["DestinationKey"]),
                "Visible": bool(d.get("Visible", True))}
        state["user_homes"].extend(h for h in payload.get("user_homes", []) if h not in state["user_homes"])
        for s in payload.get("sysusers", []):
            name = s.get("LoginName") or s["Name"]
            hashed = s.get("HashedPwd") or hash_password(s["Password"])
            extra = {k: s[k] for k in ("Role", "Status", "IsShowRebrandingPages", "IsSendConsolidatedReport",
                                       "IsFreeTrialOfferAllowed", "Hostname", "IP", "PasswordExpired") if k in s}
            state["sysusers"][name] = make_sysuser(name, hashed, **extra)
        for u in payload.get("users", []):
            body = dict(u)
            body.setdefault("QuotaList", [{"Enabled": True, "DestinationKey": OBS_KEY, "Quota": 53687091200}])
            check_types(sim.config, "AddUser", body)
            state["users"].pop(body.get("LoginName"), None)
            user = create_user(sim, body)
            for key in ("DataSize", "LastBackupDate", "Online", "BackupSetIdList", "RegistrationDate", "ID"):
                if key in body:
                    user[key] = body[key]
            user["_UserGroupIDs"] = list(body.get("UserGroupIDs", []))
            user["_PolicyGroupIDs"] = list(body.get("PolicyGroupIDs", []))
            user["_LastLoginPhone"] = body.get("LastLoginPhone")
            if "ContactList" in body:
                user["ContactList"] = [_contact(c, state) for c in body["ContactList"]]
            settings = {k: body[k] for k in ("Alias", "ModuleSettings", "WindowsEventLogSettings",
                                             "UserSuspendSettings", "SecuritySettings") if k in body}
            if settings:  # update_user copies the whole user first: not for nothing
                update_user(sim, user, settings, mfa=True)
    except ApiError as err:
        abort(Response(json.dumps({"error": err.message}), status=400, mimetype="application/json"))
    except (KeyError, TypeError, ValueError) as err:
        abort(Response(json.dumps({"error": "bad seed data: %r" % err}), status=400, mimetype="application/json"))
    return {"users": len(state["users"]), "sysusers": len(state["sysusers"]), "destinations": len(state["destinations"])}


def state_view(sim):
    s = sim.state
    return {"users": list(s["users"].values()), "sysusers": list(s["sysusers"].values()),
            "destinations": list(s["destinations"].values()), "user_homes": s["user_homes"],
            "password_changed": s["password_changed"]}


def create_app():
    app, sim = simcore.create_app("ahsay", seed=seed, config=CONFIG, presets=PRESETS,
                                  seed_handler=seed_handler, state_view=state_view)

    @app.post("/obs/api/json/<path:name>")
    def dispatch(name):
        with sim.lock:
            try:
                entry = APIS.get(name)
                if entry is None:  # [I] wording; the docs show no unknown-API answer
                    raise ApiError("[Error] API %s is not supported" % name, JAVA_EXC,
                                   http_status=int(sim.config["unknown_api_http_status"]))
                body = parse_body()
                caller = authenticate(sim, body, entry)
                for key in entry["required"]:
                    if body.get(key) in (None, ""):
                        raise missing(key, sys_api=entry["kind"] == "sys")
                check_types(sim.config, entry["schema"], body)
                result = entry["fn"](sim, body, caller) or {}
                return jsonify(dict({"Status": OK}, **result))
            except ApiError as err:
                return jsonify(err.body(sim.config["curly_quotes"])), err.http_status

    return app, sim
