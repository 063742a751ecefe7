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
import binascii
import calendar
import hashlib
import functools
import time

from ansible_collections.msp.accounts.plugins.module_utils import _diff
from ansible_collections.msp.accounts.plugins.module_utils._diff import fold, to_bool, to_bytes
from ansible_collections.msp.accounts.plugins.module_utils._http import (
    ApiError, HttpClient, InputError, api_url_hint, hint_on_404, scrub,
)
from ansible_collections.msp.accounts.plugins.module_utils._spec import Adapter, Option, Spec, set_path

NO_SUCH_USER = "NoSuchUserExpt"
EXPIRED_PASSWORD = "password has expired"
HINTS = (
    (EXPIRED_PASSWORD, "the password of api_username has expired; change it in the AhsayCBS web console "
                       "or with msp.accounts.ahsay_sysuser (UpdateSysUser is the one call still allowed)."),
    ("Incorrect system username/password", "check api_username/api_password (AHSAY_API_USERNAME/AHSAY_API_PASSWORD); "
                                           "the system user needs the Admin or API role and must not be suspended."),
)


# Every AhsayCBS server has every endpoint (errors come with HTTP 200): a 404 means api_url leads elsewhere.
HINT_404 = api_url_hint("AhsayCBS server", "https://backup.example.com", "/obs/api/json/...")

COMPLEXITY_HINT = ("AhsayCBS rejected the password of %r; its password rules are set under System Settings > Basic > "
                   "Administrative Access > Authentication > Password.")


def hash_password(password):
    """The form AhsayCBS stores system-user passwords in: Base64(SHA-256(UTF-8 text))."""
    return base64.b64encode(hashlib.sha256(password.encode("utf-8")).digest()).decode("ascii")


class AhsayApi(object):
    """One method per AhsayCBS endpoint the modules use."""

    platform = "ahsay"

    def __init__(self, client, username, password):
        self.client = client
        self.username = username
        self.password = password

    @classmethod
    def from_params(cls, params, check_mode=False, secrets=()):
        client = HttpClient.from_params(params, check_mode=check_mode, secrets=secrets)  # the default parser reads Message
        return cls(client, params["api_username"], params["api_password"])

    # -- transport -----------------------------------------------------------------

    def call(self, name, body=None, version=1, read=False):
        """POST one API call and return the answer's JSON object (``Status`` is ``OK``); a ``Password``
        it carries (plaintext or hash) is kept out of every message."""
        path = "/obs/api/json/%s%s.do" % ("2/" if version == 2 else "", name)
        payload = {"SysUser": self.username, "SysPwd": self.password, **(body or {})}
        self.client.add_secret(payload.get("Password"))
        with hint_on_404(HINT_404):
            response = self.client.request("POST", path, json_body=payload, read=read)
        answer = response.body
        if not isinstance(answer, dict):
            raise ApiError("the answer is not a JSON object: %s" % scrub(response.text or "", self.client.secrets)[:200],
                           "POST", path, response.status, secrets=self.client.secrets)
        if str(answer.get("Status", "")).upper() != "OK":
            message = str(answer.get("Message") or "the server answered Status %r" % answer.get("Status"))
            if answer.get("ExptType"):
                message += " [%s]" % answer["ExptType"]
            hint = next((text for needle, text in HINTS if needle in message), None)
            raise ApiError(message, "POST", path, response.status, answer, hint=hint, secrets=self.client.secrets)
        return answer

    @staticmethod
    def _account(name, owner=None, fields=None):
        """A body naming one account (``LoginName``, and ``Owner`` when set), then ``fields``."""
        body = {"LoginName": name}
        if owner:
            body["Owner"] = owner
        body.update(fields or {})
        return body

    # -- backup users --------------------------------------------------------------

    def get_user(self, name, owner=None):
        """GetUser v2: the user's ``Data`` object, or ``None`` when there is no such user."""
        try:
            return self.call("GetUser", self._account(name, owner), version=2, read=True).get("Data")
        except ApiError as err:
            if NO_SUCH_USER in err.message:
                return None
            raise

    def list_users(self, **filters):
        """ListUsers v2 with its filters (``searchStr``, ``reseller``, ``ClientType``, ...)."""
        body = dict((k, v) for k, v in filters.items() if v is not None)
        return self.call("ListUsers", body, version=2, read=True).get("User") or []

    def add_user(self, name, fields, owner=None):
        """AddUser v2 with the AddUser spelling of every field."""
        return self.call("AddUser", self._account(name, owner, fields), version=2)

    def update_user(self, name, fields, owner=None):
        """UpdateUser v2 sending only ``fields`` (UpdateUser spelling)."""
        return self.call("UpdateUser", self._account(name, owner, fields), version=2)

    def remove_user(self, name, owner=None):
        return self.call("RemoveUser", self._account(name, owner))

    # -- system users ----------------------------------------------------------------

    def list_system_users(self, role_only=False):
        users = self.call("ListSystemUsers", {"RoleOnly": True} if role_only else {}, read=True).get("Data") or []
        for user in users:
            # A hash of a password is as good as the password to this API: never show one.
            self.client.add_secret(user.get("HashedPwd"))
        return users

    def get_system_user(self, name):
        """The system user called ``name`` from ListSystemUsers (one request), or ``None``."""
        return next((user for user in self.list_system_users() if user.get("Name") == name), None)

    def add_system_user(self, fields):
        return self._password_write("AddSysUser", fields)

    def update_system_user(self, name, fields):
        return self._password_write("UpdateSysUser", self._account(name, fields=fields))

    def _password_write(self, name, body):
        """A call that may set a password: a refusal that talks about the password gets a hint."""
        try:
            return self.call(name, body)
        except ApiError as err:
            if err.hint is None and "Password" in body and "password" in err.message.lower():
                raise err.replace(hint=COMPLEXITY_HINT % body["LoginName"])
            raise

    def remove_system_user(self, name):
        return self.call("RemoveSysUser", {"RemoveLoginName": name})


# =====================================================================================
# backup-user fields
# =====================================================================================
#
# Owned by msp.accounts.ahsay_user and msp.accounts.ahsay_user_info. ONE table below maps
# every friendly option to its three API spellings: AddUser v2 (creation), UpdateUser v2
# (change) and GetUser v2 (read; ListUsers v2 entries use the same spelling). All of it
# comes from the vendor's AddUser and UpdateUser pages. GetUser's field list is only
# documented up to ``FullName``; for the rest the GetUser column assumes the UpdateUser
# spelling (the UpdateUser page tells callers to take the keys from GetUser), which is
# what the collection's simulator returns. ``Alias``, ``ClientType``, ``ContactList``,
# ``QuotaList`` and ``LoginName`` are documented GetUser keys. The documented part of
# GetUser's list is alphabetical and complete up to ``FullName``, which rules out
# ``Email`` and ``EnableAUA``: the email is read from the first contact, and the auto
# update agent setting cannot be read back at all (its GetUser spelling is ``None``).
#
# Paths with a dot are nested objects (``ModuleSettings.CDPEnabled``); a ``None``
# spelling means that API has no such field: a field AddUser lacks is set right after
# creation with one UpdateUser call, a field UpdateUser lacks can only be set at creation.

USER_STATUSES = {"enabled": "ENABLE", "suspended": "SUSPENDED"}
CLIENT_TYPES = {"obm": "OBM", "acb": "ACB"}
USER_TYPES = {"trial": "TRIAL", "paid": "PAID"}
QUOTA_TYPES = {"total": "TOTAL_QUOTA", "per_destination": "PER_DESTINATION_QUOTA"}
VM_QUOTA_TYPES = {"guest_vm": "GUESTVM", "socket": "SOCKET"}

# Add-on modules: friendly name -> (AddUser flag, UpdateUser/GetUser ModuleSettings flag).
MODULES = {
    "cdp": ("EnableCDP", "CDPEnabled"),
    "deduplication": ("EnableDeduplication", "DeduplicationEnabled"),
    "delta_merge": (None, "DeltaMergeEnabled"),
    "exchange": ("EnableMSExchange", "MSExchangeBackupEnabled"),
    "exchange_mailbox": ("EnableExchangeMailbox", "MSExchangeMailboxBackupEnabled"),
    "hyperv": ("EnableMsVm", "MSHyperVBackupEnabled"),
    "in_file_delta": ("EnableInFileDelta", "InFileDeltaEnabled"),
    "linux_bare_metal": ("EnableLinuxBareMetal", "LinuxBareMetalBackupEnabled"),
    "lotus_domino": ("EnableLotusDomino", "LotusDominoBackupEnabled"),
    "lotus_notes": ("EnableLotusNotes", "LotusNotesBackupEnabled"),
    "mariadb": ("EnableMariaDB", "MariaDBBackupEnabled"),
    "mobile": ("EnableMobileV2", "MobileV2Enabled"),
    "mobile_legacy": ("EnableMobile", "MobileEnabled"),
    "mssql": ("EnableMSSQL", "MSSQLBackupEnabled"),
    "mysql": ("EnableMySQL", "MySQLBackupEnabled"),
    "nas_qnap": ("EnableQnap", "QnapEnabled"),
    "nas_synology": ("EnableNASClient", "NasClientEnabled"),
    "office365_mail": ("EnableOffice365Mail", "Office365MailEnabled"),
    "open_direct": ("EnableOpenDirect", "OpenDirectEnabled"),
    "oracle": ("EnableOracle", "OracleBackupEnabled"),
    "postgresql": ("EnablePostgreSQL", "PostgreSQLBackupEnabled"),
    "proxmox": ("EnableProxmox", "ProxmoxVEBackupEnabled"),
    "shadow_copy": ("EnableShadowCopy", "ShadowCopyEnabled"),
    "shadowprotect": ("EnableShadowProtectBareMetal", "ShadowProtectBackupEnabled"),
    "tibero": ("EnableTibero", "TiberoBackupEnabled"),
    "vmware": ("EnableVMware", "VMwareBackupEnabled"),
    "windows_system": ("EnableWinServer2008BareMetal", "MSWindowsSystemBackupEnabled"),
    "windows_system_state": ("EnableMsWinSysState", "MSWindowsSystemStateBackupEnabled"),
}

# Quotas AddUser requires when their module (or switch) is on: switch -> quota option.
REQUIRED_QUOTAS = {
    "modules.exchange_mailbox": "exchange_mailbox_quota",
    "modules.hyperv": "hyperv_quota",
    "modules.vmware": "vmware_quota",
    "modules.office365_mail": "office365_mail_quota",
    "run_direct_quota_enabled": "run_direct_quota",
}

# Windows event log settings: friendly key -> WindowsEventLogSettings key.
EVENT_LOG = {
    "enabled": "Enabled", "error": "LogError", "warning": "LogWarn", "info": "LogInfo", "license": "LogLicense",
    "backup": "LogBackup", "buy": "LogBuy", "login_logout": "LogLogInLogOut", "profile": "LogProfile",
    "report": "LogReport", "restore": "LogRestore", "services": "LogServices",
    "software_update": "LogSoftwareUpdate", "utilities": "LogUtilities",
}

# Contact fields: friendly key -> Contact key (the same on UpdateUser and in GetUser's ContactList).
CONTACT = {
    "name": "Name", "email": "Email", "company": "Company", "address": "Address",
    "website": "Website", "phone1": "Phone1", "phone2": "Phone2",
}


_DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")
NEVER = "never"


def _flatten(friendly):
    """``{"modules": {"cdp": True}, "notes": "x"}`` -> ``{"modules.cdp": True, "notes": "x"}``."""
    flat = {}
    for key, value in friendly.items():
        if key in USER_DICT_OPTIONS and isinstance(value, dict):
            for sub, subvalue in value.items():
                flat["%s.%s" % (key, sub)] = subvalue
        else:
            flat[key] = value
    return flat


def suspend_date(value):
    """Canonical friendly form of a suspend-at date: ``never``, ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM:SSZ`` (UTC).

    Accepts those forms (a trailing ``Z`` is optional, a space may replace ``T``);
    raises ``ValueError`` otherwise.
    """
    text = str(value).strip()
    if text.lower() in (NEVER, "", "none", "false"):
        return NEVER
    return _date_text(_millis(text, value))


def _date_text(millis):
    stamp = time.gmtime(int(millis) // 1000)
    midnight = stamp.tm_hour == stamp.tm_min == stamp.tm_sec == 0
    return time.strftime("%Y-%m-%d" if midnight else "%Y-%m-%dT%H:%M:%SZ", stamp)


def _millis(text, given=None):
    """Unix milliseconds of a date in one of the accepted forms; the error quotes ``given`` (default: ``text``)."""
    stamp = text[:-1] if text.upper().endswith("Z") else text
    for layout in _DATE_FORMATS:
        try:
            return calendar.timegm(time.strptime(stamp, layout)) * 1000
        except ValueError:
            continue
    raise ValueError("%r is not a date; use YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ (UTC) or never" % (text if given is None else given,))


class UserField(object):
    """The wire facts of one option: its AddUser, UpdateUser and GetUser spellings (``None``:
    not in that API; a dot is a nested object) and ``kind``, how values convert (see :func:`to_api`).
    ``option``, ``values`` (friendly -> API enum values) and ``items`` (the sub-options of a list of
    objects, each with its API key as ``wire``) are filled in from the spec."""

    __slots__ = ("option", "add", "update", "get", "kind", "values", "items", "read")

    def __init__(self, add, update=None, get=None, kind=None):
        self.add, self.update, self.get, self.kind = add, update, get, kind
        self.option, self.values, self.items, self.read = None, None, None, None

    def bind(self, name, option):
        """This spelling as the row of ``option``, called ``name``; the kind is derived unless given."""
        self.option, self.values = name, option.values
        self.items = option.options if option.type == "list" else None
        self.kind = self.kind or ("enum" if option.values else option.type if option.type in ("int", "bool") else "text")
        self.read = _reader(self)
        return self

    def __repr__(self):
        return "UserField(%r)" % self.option


def _api(add, update="=", get="=", kind=None):
    """Wire spellings; ``=`` repeats the AddUser spelling."""
    update = add if update == "=" else update
    return UserField(add, update, update if get == "=" else get, kind)


BACKUP_USER = Spec(
    "backup user", "AhsayCBS", case_sensitive=True,
    name=Option(required=True, aliases=["login_name"], key=True, wire=_api("LoginName")),
    owner=Option(key=True, wire=_api("Owner")),
    state=Option(choices=["present", "absent"], default="present", control=True),
    status=Option(choices=USER_STATUSES, wire=_api("Status")),
    password=Option(secret=True, wire=_api("Password", get=None, kind="secret")),
    update_password=Option(choices=["on_create", "always"], default="on_create", no_log=False, control=True),
    alias=Option(wire=_api("DisplayName", "Alias")),
    email=Option(create_only=True, wire=_api("Email", None)),
    client_type=Option(choices=CLIENT_TYPES, wire=_api("ClientType")),
    user_type=Option(choices=USER_TYPES, wire=_api("Type")),
    language=Option(wire=_api("Language")),
    notes=Option(wire=_api("Notes")),
    user_home=Option(create_only=True, wire=_api("UserHome", None, "UserHome")),
    quota_type=Option(choices=QUOTA_TYPES, wire=_api("QuotaType")),
    storage_quota=Option("int", minimum=0, wire=_api("StorageQuota")),
    destination_quotas=Option(
        "list", elements="dict", unique="key", wire=_api("QuotaList", kind="destinations"),
        options=dict(key=Option(required=True, no_log=False, nonempty=True, wire="DestinationKey"),
                     enabled=Option("bool", wire="Enabled"),
                     quota=Option("raw", normalise=to_bytes, allowed="0 or more bytes, or a size such as '50 GB'", wire="Quota")),
        merge=lambda current, desired, params: _diff.merge_by_key(current, desired, "key"),
        compare=_diff.same_items(("key", "enabled", "quota"))),
    modules=Option("dict", options=dict(
        (name, Option("bool", compare=_diff.FLAG, wire=_api(add, "ModuleSettings." + key)))
        for name, (add, key) in sorted(MODULES.items()))),
    exchange_mailbox_quota=Option("int", minimum=0, wire=_api("ExchangeMailboxQuota", "ModuleSettings.MSExMailboxQuota")),
    hyperv_quota=Option("int", minimum=0, wire=_api("MsVmQuota", "ModuleSettings.MSHyperVVMQuota")),
    hyperv_quota_type=Option(choices=VM_QUOTA_TYPES, wire=_api("MsVmQuotaType", "ModuleSettings.MSHyperVVMQuotaType")),
    vmware_quota=Option("int", minimum=0, wire=_api("VMwareQuota", "ModuleSettings.VMwareVMQuota")),
    vmware_quota_type=Option(choices=VM_QUOTA_TYPES, wire=_api("VMwareQuotaType", "ModuleSettings.VMwareVMQuotaType")),
    office365_mail_quota=Option("int", minimum=0, wire=_api("Office365MailQuota", "ModuleSettings.Office365MailQuota")),
    open_direct_quota=Option("int", minimum=0, wire=_api("OpenDirectQuota", "ModuleSettings.OpenDirectQuota", kind="int_text")),
    host_quota_enabled=Option("bool", wire=_api("HostQuotaEnabled")),
    host_quota=Option("int", minimum=0, wire=_api("HostQuota")),
    run_direct_quota_enabled=Option("bool", wire=_api("RunDirectQuotaEnabled")),
    run_direct_quota=Option("int", minimum=0, wire=_api("RunDirectQuota")),
    auto_update_agent=Option("bool", unreadable=True, wire=_api("EnableAUA", get=None)),
    contacts=Option(
        "list", elements="dict", unique="email", wire=_api(None, "Contact", "ContactList", kind="contacts"),
        options=dict((key, Option(required=(key == "email"), normalise=str, wire=api)) for key, api in CONTACT.items()),
        merge=lambda current, desired, params: _diff.merge_by_key(
            current, desired, "email", purge=params.get("purge_contacts", True), casefold=True),
        compare=_diff.same_items(tuple(CONTACT), casefold=("email",))),
    purge_contacts=Option("bool", default=True, control=True),
    suspend_at=Option(normalise=suspend_date, wire=_api(None, "UserSuspendSettings", kind="suspend"),
                      compare=_diff.Field(normalise=lambda value: None if value is None else suspend_date(value))),
    windows_event_log=Option("dict", options=dict(
        (name, Option("bool", compare=_diff.FLAG, wire=_api(None, "WindowsEventLogSettings." + key)))
        for name, key in sorted(EVENT_LOG.items()))),
    mfa=Option("dict", options=dict(
        enabled=Option("bool", compare=_diff.FLAG, wire=_api(None, "SecuritySettings.Enabled")),
        phones=Option("list", elements="dict", wire=_api(None, "SecuritySettings.PhoneList", kind="phones"), options=dict(
            country_code=Option("int", required=True, wire="CountryCode"), number=Option(required=True, wire="PhoneNumber"))))),
)


def _reader(row):
    """How one API value of ``row`` becomes friendly (built once per row: a ListUsers answer has 10,000 users)."""
    if row.items:
        return lambda value: [_item_from_api(row.items, item) for item in _api_list(value)]
    if row.kind == "suspend":
        return _suspend_from_api
    if row.kind == "enum":  # the API's case varies; an unknown value is shown folded
        names = dict((fold(api), friendly) for friendly, api in row.values.items())
        return lambda value: names.get(fold(str(value)), fold(str(value)))
    convert = {"bool": to_bool, "int": int, "int_text": int}.get(row.kind, str)

    def read(value):
        try:
            return convert(value)
        except ValueError:
            return value  # shown as the server sent it
    return read


def _suspend_from_api(value):
    if not isinstance(value, dict) or not to_bool(value.get("Enabled", False)) or value.get("Date") in (None, ""):
        return NEVER
    return _date_text(value["Date"])


def _rows(spec):
    """The wire rows of a spec (``Spec.wires``), each bound to its option (``modules.cdp`` for a dict's entry)."""
    return tuple(option.wire.bind(name, option) for name, option in spec.wires.items())


USER_FIELDS = _rows(BACKUP_USER)
USER_FIELD = dict((row.option, row) for row in USER_FIELDS)
# Friendly options whose value is a dict of rows (``modules.cdp`` ...).
USER_DICT_OPTIONS = tuple(name for name, option in BACKUP_USER.options.items() if option.type == "dict")
# Read-only facts GetUser/ListUsers report that ahsay_user_info passes on (friendly -> API key).
USER_FACTS = {
    "data_size": "DataSize", "last_backup_date": "LastBackupDate", "online": "Online",
    "client_version": "ClientRunVersion", "user_id": "ID",
}


# How a value travels, by the kind of its row or the Ansible type of a list item's sub-option (a quota is bytes already).
_TO_API = {"bool": to_bool, "int": int, "int_text": lambda value: str(int(value)), "text": str, "str": str,
           "secret": lambda value: value, "raw": lambda value: value}


def to_api(row, value):
    """The API form of one friendly value of ``row``."""
    if value is None:
        return None
    if row.items:  # a list of objects: the keys that carry a value, spelled as their wire says
        return [dict((option.wire, _TO_API[option.type](option.clean(item[key])))
                     for key, option in row.items.items() if item.get(key) is not None) for item in value]
    if row.kind == "enum":
        return row.values.get(value, value)
    if row.kind == "suspend":
        text = suspend_date(value)
        return {"Enabled": False} if text == NEVER else {"Enabled": True, "Date": _millis(text)}
    return _TO_API[row.kind](value)


def _api_list(value):
    """The objects of an answer's list, which may come wrapped in an object."""
    if isinstance(value, dict):
        value = next((inner for inner in value.values() if isinstance(inner, list)), [])
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _item_from_api(options, item):
    """One object of an answer's list in friendly terms: a missing text is "", a missing number 0, a missing
    flag false; a quota only when given. A destination also brings the name the server shows for it."""
    friendly = {}
    for key, option in options.items():
        value = item.get(option.wire)
        if option.type == "bool":
            friendly[key] = to_bool(item.get(option.wire, False))
        elif option.type == "int":
            friendly[key] = int(value or 0)
        elif option.type == "str":
            friendly[key] = str(value or "")
        elif value is not None:
            friendly[key] = int(value)
    if item.get("DestinationName"):
        friendly["name"] = item["DestinationName"]
    return friendly


@functools.lru_cache(maxsize=None)
def _record_plan(rows):
    """``rows`` grouped by the API object they are read from: ``[(outer key or None, [(key, row, target)])]``,
    where target is ``(option,)`` or ``(dict option, sub-option)``."""
    groups = {}
    for row in rows:
        if row.get:
            outer, _dot, key = row.get.rpartition(".")
            groups.setdefault(outer or None, []).append((key, row, tuple(row.option.split("."))))
    return list(groups.items())


def record(rows, data):
    """The friendly form of an API object: each row read from its spelling (a dot: nested); what the
    object lacks is left out, and so is an empty secret."""
    friendly = {}
    for outer, reads in _record_plan(rows):
        source = data.get(outer) if outer else data
        if not isinstance(source, dict):
            continue
        for key, row, target in reads:
            value = source.get(key)
            if value is None:
                continue
            value = row.read(value)
            if value is None or (row.kind == "secret" and not value):
                continue
            if len(target) == 1:
                friendly[target[0]] = value
            else:
                friendly.setdefault(target[0], {})[target[1]] = value
    return friendly


def user_from_api(data):
    """The friendly, secret-free form of a GetUser ``Data`` object or a ListUsers entry.

    Only mapped fields (and :data:`USER_FACTS`) are copied, so tokens such as
    ``AccessToken`` never leave this function; fields the answer lacks are left out.
    """
    if not isinstance(data, dict):
        return None
    user = record(USER_FIELDS, data)
    if "email" not in user and user.get("contacts"):
        user["email"] = user["contacts"][0]["email"]
    for friendly, key in USER_FACTS.items():
        if data.get(key) is not None:
            user[friendly] = data[key]
    user.setdefault("owner", "")
    return user


def add_user_payload(desired):
    """Split a friendly user into the AddUser v2 body and what AddUser cannot carry.

    Returns ``(body, rest)``: ``body`` uses the AddUser spelling of every field;
    ``rest`` is the friendly remainder (contacts, suspend date, Windows event log, MFA,
    modules AddUser has no flag for) to send with one UpdateUser right after creation.
    """
    body, rest = {}, {}
    for option, value in _flatten(desired).items():
        row = USER_FIELD.get(option)
        if row is None or value is None:
            continue
        if row.add is None:
            set_path(rest, option, value)
        else:
            body[row.add] = to_api(row, value)
    return body, rest


def contacts_payload(current, result):
    """UpdateUser keys that turn ``current`` contacts into ``result``.

    When ``result`` only adds contacts, they are appended (``AppendContact: Y``);
    otherwise the whole list replaces the current one (``AppendContact: N``).
    """
    current = current or []
    row, same = USER_FIELD["contacts"], BACKUP_USER["contacts"].compare.same
    if current and same(current, result[:len(current)]) and len(result) > len(current):
        return {"AppendContact": "Y", "Contact": to_api(row, result[len(current):])}
    return {"AppendContact": "N", "Contact": to_api(row, result)}


def update_user_payload(change, current=None):
    """The UpdateUser v2 body (without LoginName/Owner) for a friendly ``change``.

    ``change`` holds the resulting value of each changed option (a whole destination
    or contact list, as the spec's ``merge`` builds it);
    keys of dict options that already have the wanted value are not sent. The
    Windows event log settings are sent whole, since the page does not say they merge.
    """
    current = current or {}
    if change.get("windows_event_log"):
        change = dict(change, windows_event_log=dict(current.get("windows_event_log") or {}, **change["windows_event_log"]))
    flat_current = _flatten(current)
    body = {}
    for option, value in _flatten(change).items():
        row = USER_FIELD.get(option)
        if row is None or row.update is None or value is None:
            continue
        if row.kind == "contacts":
            body.update(contacts_payload(current.get("contacts"), value))
            continue
        if "." in option and row.kind == "bool" and to_bool(flat_current.get(option)) == to_bool(value) \
                and not option.startswith("windows_event_log."):
            continue
        set_path(body, row.update, to_api(row, value))
    if "UserSuspendSettings" in body and not body["UserSuspendSettings"]["Enabled"]:
        previous = current.get("suspend_at")
        if previous and previous != NEVER:
            body["UserSuspendSettings"]["Date"] = _millis(previous)
    return body


class BackupUsers(Adapter):
    """AhsayCBS backup users: GetUser/ListUsers v2 to read, AddUser v2, UpdateUser v2, RemoveUser."""

    spec = BACKUP_USER
    api_class = AhsayApi

    def validate(self, params):
        for index, item in enumerate(params.get("destination_quotas") or []):
            if item.get("enabled") is None:
                raise InputError("destination_quotas[%d] (key %s): enabled is required (true or false); AhsayCBS refuses a "
                                 "destination without it." % (index, item["key"]))
        if params.get("quota_type") == "total" and params.get("storage_quota") is None:
            raise InputError("quota_type=total requires storage_quota (the total quota in GB).")
        flat = _flatten(params)
        for switch, quota in sorted(REQUIRED_QUOTAS.items()):
            if flat.get(switch) and params.get(quota) is None:
                raise InputError("%s=true requires %s (AddUser needs the quota of a module or limit it switches on)." % (switch, quota))

    def check_creation(self, params, desired):
        if desired.get("password") is None:
            raise InputError("password is required to create backup user %r." % params["name"])
        if desired.get("quota_type") != "total" and not desired.get("destination_quotas"):
            raise InputError("destination_quotas is required to create backup user %r unless quota_type=total "
                             "(AddUser needs a QuotaList for per-destination quotas)." % params["name"])
        for index, item in enumerate(desired.get("destination_quotas") or []):
            if item.get("enabled") and item.get("quota") is None:
                raise InputError("destination_quotas[%d] (key %s): quota is required to create backup user %r with this "
                                 "destination enabled (AddUser refuses an enabled destination without a quota)." % (
                                     index, item["key"], params["name"]))

    def changes(self, params, current, desired, warn):
        # email is AddUser's; afterwards the address lives in the contacts: only warn when it is in neither.
        email = desired.get("email")
        if email is not None and current.get("email") not in (None, "", email):
            known = [fold(item.get("email")) for item in desired.get("contacts") or current.get("contacts") or []]
            if fold(email) not in known:
                warn("email is only used when a backup user is created; to give %r another contact address, set contacts."
                     % params["name"])
            desired = dict((k, v) for k, v in desired.items() if k != "email")
        return self.spec.changes(current, desired, params, warn)

    def find(self, params):
        return user_from_api(self.api.get_user(params["name"], params.get("owner")))

    def list(self, owner=None, search=None, client_type=None, user_group_id=None, policy_group_id=None,
             registered_within_days=None):
        """The backup users ListUsers v2 returns for the filters (the options of ahsay_user_info)."""
        answer = self.api.list_users(
            searchStr=search, reseller=owner or None, ClientType=to_api(USER_FIELD["client_type"], client_type),
            UserGroupID=user_group_id, PolicyGroupID=policy_group_id,
            Date=None if registered_within_days is None else str(registered_within_days))
        users = [user_from_api(item) for item in answer]
        return [user for user in users if user and user.get("name")]

    def create(self, params, desired):
        body, rest = add_user_payload(desired)
        self.api.add_user(params["name"], body, params.get("owner"))
        if rest:
            try:
                self.api.update_user(params["name"], update_user_payload(rest), params.get("owner"))
            except ApiError as err:
                # AddUser has no field for these: the user exists now, without them unless UpdateUser got through.
                raise err.replace(changed=True, note="User %r was created, but setting %s failed: run the task again to "
                                  "finish." % (params["name"], ", ".join(sorted(rest))))

    def update(self, params, current, change):
        self.api.update_user(params["name"], update_user_payload(change, current), params.get("owner"))

    def delete(self, params, current):
        self.api.remove_user(params["name"], params.get("owner"))

    def public(self, params, obj):
        user = self.spec.public(obj)
        user["name"] = params["name"]
        user.setdefault("owner", params.get("owner") or "")
        return user


# -- system users ---------------------------------------------------------------------
# Owned by msp.accounts.ahsay_sysuser and msp.accounts.ahsay_sysuser_info. One spelling serves
# AddSysUser and UpdateSysUser; ListSystemUsers reads the same keys but the name as ``Name`` and
# the password as ``HashedPwd``, Base64(SHA-256(password)), and never the reseller's address.
# Note: system users are ENABLED/SUSPENDED, backup users ENABLE/SUSPENDED.

SYSUSER_ROLES = {"admin": "ADMIN", "read_only_admin": "READ_ONLY_ADMIN", "reseller": "RESELLER", "api_only": "API_ONLY"}
SYSUSER_STATUSES = {"enabled": "ENABLED", "suspended": "SUSPENDED"}
HASH_LENGTH = 44  # Base64 of a 32-byte SHA-256 digest

SYSTEM_USER = Spec(
    "system user", "AhsayCBS", case_sensitive=True,
    name=Option(required=True, aliases=["login_name"], key=True, shown=True, wire=_api("LoginName", get="Name")),
    state=Option(choices=["present", "absent"], default="present", control=True),
    password=Option(secret=True, compare=_diff.DIGEST, wire=_api("Password", get="HashedPwd", kind="secret")),
    update_password=Option(choices=["always", "on_create"], default="always", no_log=False, control=True),
    password_hashed=Option("bool", default=False, no_log=False, control=True),
    role=Option(choices=SYSUSER_ROLES, wire=_api("Role")),
    status=Option(choices=SYSUSER_STATUSES, wire=_api("Status")),
    # The reseller's web address: AddSysUser needs it, UpdateSysUser when a user becomes a reseller.
    hostname=Option(create_only=True, wire=_api("Hostname", get=None)),
    ip=Option(create_only=True, wire=_api("IP", get=None)),
    show_rebranding_pages=Option("bool", wire=_api("IsShowRebrandingPages")),
    send_consolidated_report=Option("bool", wire=_api("IsSendConsolidatedReport")),
    free_trial_offer_allowed=Option("bool", wire=_api("IsFreeTrialOfferAllowed")),
)
SYSUSER_FIELDS = _rows(SYSTEM_USER)
RESELLER_ADDRESS = ("hostname", "ip")
RESELLER_ONLY = RESELLER_ADDRESS + ("show_rebranding_pages", "send_consolidated_report", "free_trial_offer_allowed")


def is_password_hash(value):
    """True for the Base64 text of a 32-byte digest (the HashedPwd form)."""
    if not isinstance(value, str) or len(value) != HASH_LENGTH:
        return False
    try:
        return len(base64.b64decode(value.encode("ascii"), validate=True)) == 32
    except (binascii.Error, ValueError, UnicodeError):
        return False


class SystemUsers(Adapter):
    """AhsayCBS system users: ListSystemUsers to read, AddSysUser, UpdateSysUser, RemoveSysUser.

    The password is compared through its hash. When the password of api_username has expired, every
    call but UpdateSysUser is refused: ``find`` then returns the name only and ``changes`` sends the
    new password alone.
    """

    spec = SYSTEM_USER
    api_class = AhsayApi
    expired = None  # the ApiError that refused reading the own account

    @staticmethod
    def own(params):
        return params["name"] == params.get("api_username")

    def validate(self, params):
        if params["state"] == "absent":
            if self.own(params):
                raise InputError("Refusing to remove system user %r: it is api_username, the account this module logs in "
                                 "with." % params["name"])
            return
        if params["password"] is not None and params["password_hashed"] and not is_password_hash(params["password"]):
            raise InputError("password_hashed=true needs password to be the Base64 text of a SHA-256 digest (%d characters, "
                             "as ListSystemUsers returns in HashedPwd); the given value is not. Set password_hashed=false "
                             "to give the plaintext." % HASH_LENGTH)
        if params["role"] == "reseller":
            missing = [key for key in RESELLER_ADDRESS if not params[key]]
            if missing:
                raise InputError("role=reseller requires %s (AddSysUser needs them to create a reseller)." % " and ".join(missing))
        elif params["role"] is not None:
            self._refuse_reseller_options(params, params["role"])

    @staticmethod
    def _refuse_reseller_options(params, role):
        given = [key for key in RESELLER_ONLY if params.get(key) is not None]
        if given:
            raise InputError("Options only for role=reseller were given for a user with role=%s: %s." % (role, ", ".join(given)))

    def check_creation(self, params, desired):
        missing = [key for key in ("password", "role") if desired.get(key) is None]
        if missing:
            raise InputError("System user %r does not exist; creating it requires %s." % (params["name"], " and ".join(missing)))

    def find(self, params):
        try:
            data = self.api.get_system_user(params["name"])
        except ApiError as err:
            rotate = params["state"] == "present" and params["password"] is not None and params["update_password"] == "always"
            if EXPIRED_PASSWORD not in err.message or not (rotate and self.own(params)):
                raise
            self.expired = err  # nothing can be read: the new password is all that can be sent
            return {"name": params["name"]}
        return None if data is None else record(SYSUSER_FIELDS, data)

    def list(self, role=None, role_only=False):
        # With the hash, for comparing; public() leaves it out of every result.
        users = [record(SYSUSER_FIELDS, data) for data in self.api.list_system_users(role_only)]
        return [user for user in users if role is None or user.get("role") == role]

    def _hashed(self, params, values):
        """``values`` with the password in the form AhsayCBS stores and compares."""
        if values.get("password") is None or params["password_hashed"]:
            return values
        return dict(values, password=hash_password(values["password"]))

    def changes(self, params, current, desired, warn):
        desired, name = self._hashed(params, desired), params["name"]
        if self.expired:
            warn("The password of api_username %r had expired (%s), so the current settings could not be read and only the "
                 "password was sent; run the task again with the new api_password to converge the other options."
                 % (name, self.expired.message))
            change = {"password": desired["password"]}
        else:
            if params["role"] is None and current.get("role") != "reseller":
                self._refuse_reseller_options(params, current.get("role"))
            if "password" in desired and "password" not in current:
                warn("ListSystemUsers returned no password hash for %r, so the password cannot be compared and is sent on "
                     "every run with update_password=always." % name)
            change = self.spec.changes(current, desired, params, warn)
        if self.own(params):
            verb = "would change" if self.api.client.check_mode else "changed"
            if "password" in change:
                warn("This task %s the password of api_username %r: later tasks must use the new password as api_password."
                     % (verb, name))
            if "role" in change or "status" in change:
                warn("This task %s the role or status of api_username %r, the account this module logs in with; later tasks "
                     "may lose access." % (verb, name))
        return change

    @staticmethod
    def _body(values):
        body = dict((row.add, to_api(row, values[row.option])) for row in SYSUSER_FIELDS if values.get(row.option) is not None)
        if "Password" in body:
            body["PasswordHashed"] = True  # the plaintext never travels
        return body

    def create(self, params, desired):
        self.api.add_system_user(self._body(self._hashed(params, desired)))

    def update(self, params, current, change):
        if change.get("role") == "reseller":  # becoming a reseller needs its address, as on creation
            change = dict(change, **dict((key, params[key]) for key in RESELLER_ADDRESS))
        self.api.update_system_user(params["name"], self._body(change))

    def delete(self, params, current):
        self.api.remove_system_user(params["name"])
