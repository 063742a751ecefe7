# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Oracle Communications Unified Assurance (UA) Core REST API facade (private: not a public API).

Every answer is an envelope ``{"success": bool, "message": str, "data": [...], "total": int}``;
``data`` is a list even for one record. A failure carries ``success: false``, a ``message``
and an ``errors`` list, and may arrive with HTTP 200: both that and an HTTP error status
are raised as :class:`ApiError` with the server's ``message`` and ``errors``.

Authentication is stateless: HTTP Basic on every request, or a TLS client certificate.
"""

import calendar
import datetime
import json
import re

from ansible_collections.msp.accounts.plugins.module_utils import _diff
from ansible_collections.msp.accounts.plugins.module_utils._diff import fold
from ansible_collections.msp.accounts.plugins.module_utils._http import (
    ApiError, HttpClient, InputError, api_url_hint, hint_on_404, scrub,
)
from ansible_collections.msp.accounts.plugins.module_utils._spec import Adapter, Option, Spec

USERS = "/api/AAA/Users"
USER_GROUPS = "/api/AAA/UserGroups"

# Records asked for per list request, and a guard against servers that ignore paging.
PAGE_SIZE = 500
MAX_RECORDS = 100000

# The one Internal authentication type always has this ID (UA documentation).
INTERNAL_AUTH_TYPE_ID = 1
INTERNAL_AUTH_TYPE_NAME = "Internal"
# PasswordExpiration values with a fixed meaning: expired / never expires.
PASSWORD_EXPIRED = 0
PASSWORD_NEVER_EXPIRES = 2147483647

# Options given by name or ID: option -> the endpoint of their definitions. The option's wire spelling
# (UserGroup) is the user record's reference key and, with ID and Name, the definition's keys.
LOOKUPS = {"user_group": USER_GROUPS, "authentication_type": "/api/AAA/AuthTypes"}
# Entries of a user: option -> (definitions endpoint, ID key, name key, value key). The option's wire spelling
# (Preferences) is the user record's array of them.
ENTRIES = {
    "preferences": ("/api/AAA/Preferences", "PreferenceID", "PreferenceName", "PreferenceValue"),
    "properties": ("/api/AAA/UserProperties", "PropertyID", "PropertyName", "PropertyValue"),
}

HINTS = {
    (401, "basic"): "check api_username/api_password (AAA_API_USERNAME/AAA_API_PASSWORD); the user needs Internal "
    "authentication and an enabled, unexpired account.",
    (401, "certificate"): "check that client_cert/client_key (AAA_CLIENT_CERT/AAA_CLIENT_KEY) were issued by the server's "
    "CA with the CN of an existing, enabled user (CreateSSLCertificate --type User --CN <user>).",
    (403, "any"): "the user's primary group role does not allow this call; the default 'api' user or a member of "
    "Administrators can manage users.",
}

# A 404 from a list endpoint: every UA server has them, so api_url leads elsewhere.
HINT_404 = api_url_hint("Unified Assurance server", "https://ua.example.com", "/api/AAA/...")

_TAGS = re.compile(r"<[^>]+>")


def _plain(text):
    """Server messages may carry HTML (PHP exceptions): keep the words only."""
    text = _TAGS.sub(" ", str(text)).replace("\\/", "/")
    return " ".join(text.split())


def _error_items(errors):
    """``(field, text)`` of each ``errors`` item ("validation errors are keyed by record field")."""
    for error in errors if isinstance(errors, list) else [errors]:
        if isinstance(error, dict) and "message" in error and set(error) <= set(("message", "field", "property", "id", "code")):
            yield error.get("field") or error.get("property") or error.get("id"), _plain(error["message"])
        elif isinstance(error, dict):
            for key, value in sorted(error.items()):
                yield key, _plain(value)
        elif error not in (None, ""):
            yield None, _plain(error)


def error_message(body, text):
    """The server's own words from a UA failure envelope: ``message`` plus the ``errors`` it does not repeat."""
    if isinstance(body, dict):
        message = _plain(body.get("message") or "")
        extra = ["%s: %s" % (field, words) if field else words
                 for field, words in _error_items(body.get("errors")) if words and words not in message]
        if extra:
            message = "%s (%s)" % (message, "; ".join(extra)) if message else "; ".join(extra)
        if message:
            return message
    return _plain(text or "")[:500] or "no message in the answer"


def eq_filter(prop, value):
    """A ``filter`` item matching ``prop`` exactly (the API's default operator is LIKE)."""
    return {"property": prop, "value": value, "operator": "eq"}


class AaaApi(object):
    """One method per Unified Assurance endpoint the modules use."""

    platform = "aaa"

    def __init__(self, client, page_size=PAGE_SIZE, auth_mode="basic"):
        self.client = client
        self.check_mode = getattr(client, "check_mode", False)
        self.page_size = page_size
        self.auth_mode = auth_mode
        self.warnings = []

    @classmethod
    def from_params(cls, params, check_mode=False, secrets=()):
        """A facade from a module's connection options: HTTP Basic, else the client certificate
        (the module has judged that one of them is given)."""
        username, password = params.get("api_username"), params.get("api_password")
        auth = (username, password) if username and password else None
        client = HttpClient.from_params(params, check_mode=check_mode, auth=auth, error_message=error_message,
                                        secrets=secrets)
        return cls(client, auth_mode="basic" if auth else "certificate")

    # -- transport -----------------------------------------------------------------

    def call(self, method, path, params=None, body=None):
        """Send one request and return the success envelope (a dict)."""
        try:
            response = self.client.request(method, path, params=params, json_body=body)
        except ApiError as err:
            raise err.hinted(self._hint(err.status))
        answer = response.body
        if not isinstance(answer, dict):
            raise ApiError("the answer is not a JSON envelope: %s" % scrub(_plain(response.text or ""), self.client.secrets)[:200],
                           method, path, response.status, secrets=self.client.secrets)
        if answer.get("success") is not True:
            raise ApiError(error_message(answer, response.text), method, path, response.status, answer,
                           hint=self._hint(response.status), secrets=self.client.secrets)
        return answer

    def _hint(self, status):
        return HINTS.get((status, self.auth_mode)) or HINTS.get((status, "any"))

    @staticmethod
    def _first(answer):
        """The record of a write's answer: ``data`` is a list of one, or (some servers) the record itself."""
        data = answer.get("data")
        record = data[0] if isinstance(data, list) and data else data
        return record if isinstance(record, dict) else None

    def list_all(self, path, filters=None):
        """Every record of a list endpoint, read with ``start``/``limit`` pages until all are read.

        ``filters`` is the API's filter list (of :func:`eq_filter` items).
        Stops on a short page, when ``total`` records are read, or at :data:`MAX_RECORDS`.
        """
        query = {"filter": json.dumps(filters, separators=(",", ":"))} if filters else {}
        records = []
        while True:
            query.update(start=len(records), limit=self.page_size)
            with hint_on_404(HINT_404):
                answer = self.call("GET", path, params=query)
            data = answer.get("data") or []
            if not isinstance(data, list):
                data = [data]
            records.extend(data)
            total = answer.get("total")
            if len(data) < self.page_size or (isinstance(total, int) and len(records) >= total):
                return records
            if len(records) >= MAX_RECORDS:
                self.warnings.append("stopped reading %s after %d records" % (path, len(records)))
                return records

    # -- users -----------------------------------------------------------------------

    def list_users(self, filters=None):
        """``GET /api/AAA/Users``: every user matching ``filters`` (all pages)."""
        return self.list_all(USERS, filters)

    def find_user(self, name):
        """The user called exactly ``name``, or ``None``: one filtered read.

        The filter uses ``eq``, and the name is compared again here, case-sensitively,
        so that neither a LIKE match (``jdoe`` vs ``jdoe2``) nor a case-insensitive
        database collation picks the wrong user. A user whose name differs only in case
        raises ``InputError``: the server would refuse to create a second one.
        """
        users = self.list_users([eq_filter("UserName", name)])
        found = next((user for user in users if user.get("UserName") == name), None)
        if found is None:
            other = next((u.get("UserName") for u in users if str(u.get("UserName")).casefold() == name.casefold()), None)
            if other is not None:
                raise InputError("user %r does not exist, but %r does; Unified Assurance user names are not case-sensitive, "
                                 "so use name: %s" % (name, other, other))
        return found

    def create_user(self, body):
        """``POST /api/AAA/Users``; returns the created record (``data[0]``)."""
        return self._first(self.call("POST", USERS, body=body))

    def update_user(self, user_id, body):
        """``PUT /api/AAA/Users/{id}``; returns the updated record when the server sends it."""
        return self._first(self.call("PUT", "%s/%s" % (USERS, user_id), body=body))

    def delete_user(self, user_id):
        """``DELETE /api/AAA/Users/{id}``."""
        return self.call("DELETE", "%s/%s" % (USERS, user_id))

    # -- user profiles -----------------------------------------------------------------

    def update_user_profile(self, user_id, body):
        """``PUT /api/AAA/UserProfiles/{id}``; send ``Preferences``/``Properties`` whole."""
        return self._first(self.call("PUT", "/api/AAA/UserProfiles/%s" % user_id, body=body))

    # -- lookups -------------------------------------------------------------------------

    def known_names(self, kind):
        """``{name: id}`` of every defined preference (``kind='preferences'``) or property."""
        path, id_key, name_key = ENTRIES[kind][:3]
        return dict((r.get(name_key), r.get(id_key)) for r in self.reference(path) if r.get(name_key))

    def lookup(self, kind, value, records=None):
        """The ``user_group`` or ``authentication_type`` record whose ID or (case-insensitive) name is ``value``,
        from ``records`` or the definitions read once per run; ``InputError`` listing the known ones."""
        id_key, name_key = USER_PROFILE[kind].wire + "ID", USER_PROFILE[kind].wire + "Name"
        records = self.reference(LOOKUPS[kind]) if records is None else records
        text = str(value).strip()
        for record in records:
            if str(record.get(id_key)) == text:
                return record
        matches = [r for r in records if str(r.get(name_key, "")).casefold() == text.casefold()]
        exact = [r for r in matches if r.get(name_key) == text]
        if exact or len(matches) == 1:
            return (exact or matches)[0]
        known = ", ".join(sorted("%s (%s)" % (r.get(name_key), r.get(id_key)) for r in records))
        raise InputError("%s %r does not exist; known: %s" % (kind.replace("_", " "), value, known or "none"))

    def reference(self, path):
        """Every record of a definition list (groups, authentication types, ...), read once per module run:
        a bulk module resolves the names of all its elements from the one read."""
        cache = self.__dict__.setdefault("_reference", {})
        if path not in cache:
            cache[path] = self.list_all(path)
        return cache[path]


# -- record views shared by the modules ----------------------------------------------------

def ref_id(value):
    """The ID of a ``{"id": "1", "name": ...}`` reference (or a bare ID) as text."""
    if isinstance(value, dict):
        value = value.get("id")
    return None if value in (None, "") else str(value).strip()


def as_int(value):
    """An integer from ``1``/``"1"``; other values unchanged."""
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return value


def value_text(value):
    """Preference and property values compare as text (reads return ``"5"``, writes may send ``5``)."""
    if isinstance(value, bool) or isinstance(value, float) and value.is_integer():
        value = int(value)  # True is "1", 5.0 is "5"
    return None if value is None else str(value)


def value_like(value, current):
    """``value`` in the JSON type of the value it replaces (a number stays a number)."""
    text = value_text(value)
    if isinstance(current, int) and not isinstance(current, bool) and re.match(r"^-?[0-9]+$", text):
        return int(text)
    return text


def is_internal_ref(value):
    """Whether a name or ID given by the user means the Internal authentication type."""
    text = str(value).strip()
    return text == str(INTERNAL_AUTH_TYPE_ID) or text.casefold() == INTERNAL_AUTH_TYPE_NAME.casefold()


def canonical_moment(text):
    """``YYYY-MM-DD``, or ``YYYY-MM-DD HH:MM:SS`` when a time is given, of a readable
    ``YYYY-MM-DD[( |T)HH:MM[:SS]]``; else ``None``.

    ``strptime`` also reads ``2027-1-5`` and ``7:05``: the canonical form is what is compared and sent.
    """
    text = str(text).strip().replace("T", " ")
    for form in ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"):
        try:
            moment = datetime.datetime.strptime(text, form)
        except ValueError:
            continue
        # strftime("%Y") does not pad years before 1000 on every platform: format by hand.
        day = "%04d-%02d-%02d" % (moment.year, moment.month, moment.day)
        return day if form == "%Y-%m-%d" else "%s %02d:%02d:%02d" % (day, moment.hour, moment.minute, moment.second)
    return None


def account_expiration_text(value):
    """Comparable form of an account expiration: ``never`` or ``YYYY-MM-DD[ HH:MM:SS]``.

    A time of ``00:00:00`` compares as the date alone. A text that is not a readable date
    (a server format this module does not know) is compared as it is.
    """
    text = "" if value is None else str(value).strip()
    if text.lower() in ("", "0", "[never]", "never"):
        return "never"
    canonical = canonical_moment(text)
    if canonical is None:
        return text
    return canonical[:-9] if canonical.endswith(" 00:00:00") else canonical


def account_expiration_body(value):
    """``AccountExpiration`` as sent: ``0`` for never, else the canonical date (and time, when given)."""
    text = account_expiration_text(value)
    return "0" if text == "never" else canonical_moment(value) or text


def password_expiration_for(change):
    """The ``PasswordExpiration`` timestamp saying the same as a ``PasswordChange`` value."""
    if change == "never":
        return str(PASSWORD_NEVER_EXPIRES)
    if change == "immediate":
        return str(PASSWORD_EXPIRED)
    return str(calendar.timegm(datetime.datetime.strptime(change, "%Y-%m-%d").timetuple()))


def password_change_view(expiration):
    """``PasswordExpiration`` read as a ``PasswordChange`` value.

    A date is the day of the timestamp rounded to the nearest midnight UTC, so that a
    server storing local midnight in any time zone from UTC-11 to UTC+12 reads back the day
    that was written.
    """
    if expiration in (None, ""):
        return None
    stamp = as_int(expiration)
    if isinstance(stamp, bool) or not isinstance(stamp, int):
        return str(expiration)
    if stamp >= PASSWORD_NEVER_EXPIRES:
        return "never"
    if stamp <= PASSWORD_EXPIRED:
        return "immediate"
    moment = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=stamp + 12 * 3600)
    return moment.strftime("%Y-%m-%d")


def user_view(record):
    """The friendly form of an ``AAAUsersRead`` record (no password fields)."""
    status, expiration = record.get("AccountStatus"), record.get("PasswordExpiration")
    user = {
        "id": as_int(record.get("UserID")),
        "name": record.get("UserName"),
        "full_name": record.get("FullName"),
        "email": record.get("EmailAddress"),
        "enabled": None if status in (None, "") else str(status).strip() == "1",
        "subgroups": [as_int(ref_id(g)) for g in record.get("Subgroups") or []],
        "account_expiration": record.get("AccountExpiration"),
        "password_expiration": None if expiration is None else str(expiration),
        "password_change": password_change_view(expiration),
        "failed_login_count": record.get("FailedLoginCount"),
        "last_login_success": record.get("LastLoginSuccess"),
        "last_login_failed": record.get("LastLoginFailed"),
        "support_username": record.get("SupportUsername"),
    }
    for kind in LOOKUPS:  # {"id": "2", "name": "Operators"}, its name also in UserGroupName
        wire = USER_PROFILE[kind].wire
        reference = record.get(wire)
        named = isinstance(reference, dict) and reference.get("name") is not None
        user[kind] = reference["name"] if named else record.get(wire + "Name")
        user[kind + "_id"] = as_int(ref_id(reference))
    for kind, (_path, _id, name_key, value_key) in ENTRIES.items():
        entries = record.get(USER_PROFILE[kind].wire) or []
        user[kind] = dict((p.get(name_key), value_text(p.get(value_key))) for p in entries if p.get(name_key))
    return user


def is_id(value):
    """Whether a group or type given by the user is a numeric ID (names are never all digits)."""
    return bool(re.match(r"^[0-9]+$", str(value).strip()))


def int_id(value):
    """An ID as an integer (``1``, ``"1"``, ``{"id": "1"}``), or ``None`` when there is no readable one."""
    text = ref_id(value)
    return int(text) if text is not None and is_id(text) else None


def account_expiration_value(value):
    """The desired account expiration: ``never`` or the canonical date (and time); ``ValueError`` otherwise."""
    canonical = "never" if value.strip().lower() == "never" else canonical_moment(value)
    if canonical is None:
        raise ValueError("not %r" % value)
    return canonical


def password_change_value(value):
    """The desired password change: ``never``, ``immediate`` or a canonical date; ``ValueError`` otherwise.

    A date is one whose midnight UTC is a ``PasswordExpiration`` meaning that day: midnight 1970-01-01
    is 0 (expired) and the timestamp must stay below the "never" value, so the dates run from
    1970-01-02 to 2038-01-19.
    """
    text = value.strip().lower()
    if text in ("never", "immediate"):
        return text
    day = canonical_moment(value)
    if day is None or " " in day or not PASSWORD_EXPIRED < int(password_expiration_for(day)) < PASSWORD_NEVER_EXPIRES:
        raise ValueError("not %r" % value)  # not a date, or a date and time
    return day


# =====================================================================================
# the user and its profile
# =====================================================================================

USER_PROFILE = Spec(
    "user", "Unified Assurance",
    name=Option(required=True, key=True, shown=True, normalise=str.strip),
    state=Option(choices=["present", "absent"], default="present", control=True),
    full_name=Option(nonempty=True, normalise=str.strip, wire="FullName"),
    user_group=Option(nonempty=True, normalise=str.strip, compare=_diff.ENUM, wire="UserGroup"),  # name or ID: LOOKUPS
    subgroups=Option("list", elements="str", compare=_diff.set_of(_diff.normalise_id), wire="Subgroups",
                     view=lambda value: sorted(value, key=str) if isinstance(value, list) else value),
    authentication_type=Option(nonempty=True, normalise=str.strip, compare=_diff.ENUM, wire="AuthenticationType"),
    email=Option(normalise=str.strip, wire="EmailAddress"),
    enabled=Option("bool", wire="AccountStatus"),
    password=Option(secret=True, wire="Password"),
    update_password=Option(choices=["on_create", "always"], default="on_create", no_log=False, control=True),
    preferences=Option("dict", compare=_diff.same_entries(value_text), wire="Preferences"),  # ENTRIES
    properties=Option("dict", compare=_diff.same_entries(value_text), wire="Properties"),
    account_expiration=Option(normalise=account_expiration_value,
                              allowed="never, a date YYYY-MM-DD or a date and time YYYY-MM-DD HH:MM:SS (HH:MM also accepted)",
                              compare=_diff.Field(normalise=account_expiration_text), view=account_expiration_text,
                              wire="AccountExpiration"),
    password_change=Option(no_log=False, normalise=password_change_value, compare=_diff.ENUM, wire="PasswordChange",
                           allowed="never, immediate or a date YYYY-MM-DD from 1970-01-02 to 2038-01-19"),
)
# Options whose only writer is PUT /api/AAA/Users/{id}; the rest are profile fields.
USERS_ONLY = ("full_name", "user_group", "subgroups", "account_expiration", "password_change")


class UserProfiles(Adapter):
    """Unified Assurance users with their profiles: the filtered user read, POST/PUT/DELETE
    ``/api/AAA/Users``, and PUT ``/api/AAA/UserProfiles`` for changes of profile fields only."""

    spec = USER_PROFILE
    api_class = AaaApi

    def __init__(self, api):
        super(UserProfiles, self).__init__(api)
        # A bulk module plans many accounts before it writes any: what is learnt about one account is kept
        # per account, the record as read by the friendly view made of it, the resolved IDs by the params.
        self.records, self.resolved = {}, {}

    def _view(self, record):
        view = user_view(record)
        self.records[id(view)] = record
        return view

    def ids(self, params):
        return self.resolved.setdefault(id(params), {})

    def validate(self, params):
        if params["state"] == "absent":
            return
        if params["email"] and not re.match(r"^[^@\s]+@[^@\s]+$", params["email"].strip()):
            raise InputError("email %r is not an e-mail address (name@domain), or use \"\" to clear it" % params["email"])
        subgroups, group, auth = params["subgroups"] or [], params["user_group"], params["authentication_type"]
        if any(not (item or "").strip() for item in subgroups):
            raise InputError("subgroups must list group names or numeric IDs; an entry is empty")
        if group and any(fold(item.strip()) == fold(group.strip()) for item in subgroups):
            raise InputError("user_group %s cannot be one of the subgroups as well" % group)
        if params["password"] and auth and not is_internal_ref(auth):
            raise InputError("password can only be set for Internal authentication (authentication_type Internal or 1), "
                             "not for authentication_type %s; remove password" % auth)
        for kind in ENTRIES:
            for name, value in (params[kind] or {}).items():
                if not str(name).strip():
                    raise InputError("%s: a name is empty" % kind)
                if value is None or isinstance(value, (dict, list)):
                    raise InputError("%s: the value of %s must be a string or number, not %r" % (kind, name, value))

    def find(self, params):
        record = self.api.find_user(params["name"].strip())
        return None if record is None else self._view(record)

    def list(self, name=None, user_group=None, enabled=None):
        """Friendly users matching a name (case-insensitive), a primary group (name or ID) and a status."""
        name, group = (name or "").strip(), (user_group or "").strip()
        group_id = group if is_id(group) else None
        if group_id is not None:
            group = self.api.lookup("user_group", group_id)["UserGroupName"]  # the user list filters on the group's name
        wanted = (("UserName", name), ("UserGroupName", group), ("AccountStatus", None if enabled is None else int(enabled)))
        filters = [eq_filter(prop, value) for prop, value in wanted if value not in (None, "")]
        if filters:
            filters[-1]["conjunction"] = "AND"
        users = [self._view(record) for record in self.api.list_users(filters)]

        # The server filters; these checks keep the semantics whatever its collation or LIKE rules.
        # Names compare case-insensitively, as Unified Assurance does (it refuses a second "Alice" beside "alice").
        def wanted_user(user):
            return all((not name or str(user["name"]).casefold() == name.casefold(),
                        group_id is None or str(user["user_group_id"]) == group_id,
                        not group or (user["user_group"] or "").casefold() == group.casefold(),
                        enabled is None or user["enabled"] is enabled))
        return [user for user in users if wanted_user(user)]

    # -- what the user asked for, in the server's terms ----------------------------------------

    def desired(self, params, current):
        wanted = self.spec.desired(params, current)
        # "immediate" goes with a password being set; it never forces a second change.
        if wanted.get("password_change") == "immediate" and current is not None and "password" not in wanted:
            del wanted["password_change"]
        if current is None:  # creation needs these (checked before any lookup, in check mode too)
            missing = [key for key in ("full_name", "user_group") if not wanted.get(key)]
            if not wanted.get("password") and is_internal_ref(wanted.get("authentication_type", INTERNAL_AUTH_TYPE_ID)):
                missing.append("password")
            if missing:
                raise InputError("user %s does not exist; creating it needs full_name, user_group and, for Internal "
                                 "authentication, password (missing: %s)" % (wanted["name"], ", ".join(missing)))
        ids = self.ids(params)
        for kind in LOOKUPS:
            self._resolve(kind, wanted, current, ids)
        if "subgroups" in wanted:
            self._resolve_subgroups(wanted, ids)
        for kind in ENTRIES:
            if kind in wanted:
                wanted[kind] = self._resolve_entries(kind, wanted[kind], current)
        auth_id = ids.get("authentication_type")
        # Without a type in the record, the server judges the password.
        if "password" in wanted and auth_id is not None and str(auth_id) != str(INTERNAL_AUTH_TYPE_ID):
            name = wanted.get("authentication_type") or (current or {}).get("authentication_type") or auth_id
            raise InputError("password can only be set for Internal authentication; user %s uses %s. "
                             "Remove password (or set update_password: on_create)" % (wanted["name"], name))
        return wanted

    def _resolve(self, kind, wanted, current, ids):
        """The group or type by name or ID: looked up only when it has to be written (or, in check mode, shown)."""
        value, wire = wanted.get(kind), self.spec[kind].wire
        internal = kind == "authentication_type"
        if value is None:
            if current is not None or internal:
                ids[kind] = current[kind + "_id"] if current else INTERNAL_AUTH_TYPE_ID
            return
        if current is not None and (str(current[kind + "_id"]) == value if is_id(value) else fold(current[kind]) == fold(value)):
            wanted[kind], ids[kind] = current[kind], current[kind + "_id"]
        elif internal and is_internal_ref(value):
            wanted[kind], ids[kind] = INTERNAL_AUTH_TYPE_NAME, INTERNAL_AUTH_TYPE_ID
        elif is_id(value) and not self.api.check_mode:
            wanted[kind], ids[kind] = value, int(value)  # the write needs only the ID; the answer names it
        else:
            record = self.api.lookup(kind, value)
            wanted[kind], ids[kind] = record[wire + "Name"], as_int(record[wire + "ID"])

    def _resolve_subgroups(self, wanted, ids):
        values = [v.strip() for v in wanted["subgroups"]]
        groups = None if all(is_id(v) for v in values) else self.api.list_all(USER_GROUPS)
        found = [int(v) if is_id(v) else as_int(self.api.lookup("user_group", v, groups)["UserGroupID"]) for v in values]
        wanted["subgroups"] = sorted(set(found))
        primary = int_id(ids.get("user_group"))
        if primary is not None and primary in wanted["subgroups"]:
            raise InputError("user_group %s cannot be one of the subgroups as well" % (wanted.get("user_group") or primary))

    def _resolve_entries(self, kind, given, current):
        """Preference/property names in the server's spelling; unknown names fail listing the known ones."""
        existing = (current or {}).get(kind) or {}
        have = dict((fold(n), n) for n in existing)
        if any(fold(str(name).strip()) not in have for name in given):
            known = self.api.known_names(kind)  # read once per run (AaaApi.reference)
            have.update((fold(n), n) for n in known)
            unknown = [name for name in given if fold(str(name).strip()) not in have]
            if unknown:
                raise InputError("%s: unknown name%s %s; known: %s" % (
                    kind, "s" if len(unknown) > 1 else "", ", ".join(sorted(str(u) for u in unknown)),
                    ", ".join(sorted(set(known) | set(existing))) or "none"))
        resolved = dict((have[fold(str(name).strip())], value_text(value)) for name, value in given.items())
        record = self.records.get(id(current), {}) if current is not None else {}
        for item in record.get("Preferences") or [] if kind == "preferences" else []:
            name, value = item.get("PreferenceName"), value_text(item.get("PreferenceValue"))
            if name in resolved and str(item.get("Override", 0)) == "1" and value != resolved[name]:
                raise InputError("preferences: %s is locked by user group %s (value %s); it cannot be changed for this user"
                                 % (name, current.get("user_group"), value))
        return resolved

    # -- writes ----------------------------------------------------------------------------------

    def create(self, params, desired):
        values = {"enabled": True, "subgroups": [], "account_expiration": "never", "password_change": "never", **desired}
        ids = self.ids(params)
        body = self._body(values, {}, True, ids)
        body["PasswordExpiration"] = password_expiration_for(values["password_change"])
        return self._result(self.api.create_user(body), desired, ids)

    def update(self, params, current, change):
        """One PUT: the record as read with ``change`` applied; profile fields only go to ``/api/AAA/UserProfiles``."""
        users = any(key in change for key in USERS_ONLY)
        # The record as read: the arrays are written whole, so a write without it would drop their other entries.
        record, ids = self.records[id(current)], self.ids(params)
        for kind in LOOKUPS:  # an account planned without its own lookups (an unlisted one) keeps its group and type
            ids.setdefault(kind, current.get(kind + "_id"))
        body = self._body(dict(change, name=current["name"]), record, users, ids)
        write = self.api.update_user if users else self.api.update_user_profile
        return self._result(write(self._user_id(current), body), _diff.merge(current, change), ids)

    def _body(self, values, record, users, ids):
        """A write body: ``record`` (as read; ``{}`` on creation) with ``values`` applied; keys without a value are
        left out. ``users``: the ``/api/AAA/Users`` body, else only the profile fields."""
        status = int_id(record.get("AccountStatus"))
        if "enabled" in values:
            status = 1 if _diff.to_bool(values["enabled"]) else 0
        elif status not in (0, 1):
            status = None  # missing or unknown: left out
        body = {"AccountStatus": status, "AuthenticationType": int_id(ids.get("authentication_type")),
                "EmailAddress": values.get("email", record.get("EmailAddress"))}
        for kind in ENTRIES:
            array = self.spec[kind].wire
            body[array] = self._entries(kind, values.get(kind) or {}, record.get(array) or [])
        if "password" in values:
            body["Password"] = body["RepeatPassword"] = values["password"]
        if users:
            expiration = values.get("account_expiration", record.get("AccountExpiration"))
            listed = record.get("Subgroups")
            subgroups = [as_int(ref_id(item)) for item in listed] if isinstance(listed, list) else None
            # The Users body takes AccountStatus as text ("0"/"1").
            body.update(AccountStatus=None if status is None else str(status), UserName=values["name"],
                        FullName=values.get("full_name", record.get("FullName")), UserGroup=int_id(ids.get("user_group")),
                        Subgroups=values.get("subgroups", subgroups), PasswordChange=values.get("password_change"),
                        AccountExpiration=None if expiration is None else account_expiration_body(expiration))
        return dict((key, value) for key, value in body.items() if value is not None)

    def delete(self, params, current):
        self.api.delete_user(self._user_id(current))

    def public(self, params, obj):
        user = self.spec.public(obj)
        # A check-mode prediction names the group and type being written (a server answer already does).
        return self._with_ids(user, self.ids(params)) if self.api.check_mode and params["state"] == "present" else user

    @staticmethod
    def _user_id(current):
        user_id = int_id(current.get("id"))
        if user_id is None:
            raise InputError("the server's record of user %s has no readable UserID (%r); it cannot be changed or deleted"
                             % (current.get("name"), current.get("id")))
        return user_id

    def _entries(self, kind, values, items):
        """The whole Preferences/Properties array: ``items`` as read with ``values`` applied."""
        id_key, name_key, value_key = ENTRIES[kind][1:]
        values, result = dict(values), []
        for item in items:
            item = dict(item)
            if item.get(name_key) in values:
                item[value_key] = value_like(values.pop(item[name_key]), item.get(value_key))
            result.append(item)
        known = self.api.known_names(kind) if values else {}  # new entries: _resolve_entries has read them
        for name, value in values.items():
            entry = {id_key: as_int(known[name])} if known.get(name) is not None else {}
            entry[name_key] = name
            # Preference values are integers in the documented write schema, property values text.
            entry[value_key] = value_like(value, 0) if kind == "preferences" else value_text(value)
            result.append(entry)
        return result

    def _result(self, record, predicted, ids):
        """The friendly user from the server's answer, or ``predicted`` when the answer carries no record."""
        if isinstance(record, dict) and record.get("UserName"):
            return user_view(record)
        return self._with_ids(predicted, ids)

    @staticmethod
    def _with_ids(user, ids):
        """A predicted user whose ``*_id`` keys follow the group and authentication type being written."""
        user = dict(user)
        for key in LOOKUPS:
            ident = int_id(ids.get(key))
            if ident is not None:
                user[key + "_id"] = ident
        if user.get("authentication_type") is None and user.get("authentication_type_id") == INTERNAL_AUTH_TYPE_ID:
            user["authentication_type"] = INTERNAL_AUTH_TYPE_NAME
        return user
