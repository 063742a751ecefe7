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

from ansible_collections.msp.accounts.plugins.module_utils._http import ApiError, HttpClient, InputError, api_url_hint, hint_on_404

USERS = "/api/AAA/Users"
USER_PROFILES = "/api/AAA/UserProfiles"
USER_GROUPS = "/api/AAA/UserGroups"
AUTH_TYPES = "/api/AAA/AuthTypes"
PREFERENCES = "/api/AAA/Preferences"
USER_PROPERTIES = "/api/AAA/UserProperties"

# Records asked for per list request, and a guard against servers that ignore paging.
PAGE_SIZE = 500
MAX_RECORDS = 100000

# The one Internal authentication type always has this ID (UA documentation).
INTERNAL_AUTH_TYPE_ID = 1
INTERNAL_AUTH_TYPE_NAME = "Internal"
# PasswordExpiration values with a fixed meaning: expired / never expires.
PASSWORD_EXPIRED = 0
PASSWORD_NEVER_EXPIRES = 2147483647

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
    items = []
    for error in errors if isinstance(errors, list) else [errors]:
        if isinstance(error, dict):
            if "message" in error and set(error) <= set(("message", "field", "property", "id", "code")):
                items.append((error.get("field") or error.get("property") or error.get("id"), _plain(error["message"])))
            else:
                items.extend((key, _plain(value)) for key, value in sorted(error.items()))
        elif error not in (None, ""):
            items.append((None, _plain(error)))
    return items


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
    """A ``filter`` query value matching ``prop`` exactly (the API's default operator is LIKE)."""
    return [{"property": prop, "value": value, "operator": "eq"}]


def _filter_param(filters):
    if filters is None or isinstance(filters, str):
        return filters
    return json.dumps(list(filters), separators=(",", ":"))


class AaaApi(object):
    """One method per Unified Assurance endpoint the modules use."""

    def __init__(self, client, page_size=PAGE_SIZE, auth_mode="basic"):
        self.client = client
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
            hint = self._hint(err.status)
            if hint and not err.hint:
                raise err.replace(hint=hint)
            raise
        answer = response.body
        if not isinstance(answer, dict):
            raise ApiError("the answer is not a JSON envelope: %s" % _plain(response.text or "")[:200],
                           method, path, response.status, secrets=self.client.secrets)
        if answer.get("success") is not True:
            raise ApiError(error_message(answer, response.text), method, path, response.status, answer,
                           hint=self._hint(response.status), secrets=self.client.secrets)
        return answer

    def _hint(self, status):
        return HINTS.get((status, self.auth_mode)) or HINTS.get((status, "any"))

    @staticmethod
    def _first(answer):
        data = answer.get("data")
        if isinstance(data, list):
            return data[0] if data else None
        return data if isinstance(data, dict) else None

    def list_all(self, path, filters=None, sort=None, params=None):
        """Every record of a list endpoint, read with ``start``/``limit`` pages until all are read.

        ``filters`` is the API's filter list (e.g. :func:`eq_filter`); ``sort`` its sort list.
        Stops on a short page, when ``total`` records are read, or at :data:`MAX_RECORDS`.
        """
        query = dict(params or {})
        if filters:
            query["filter"] = _filter_param(filters)
        if sort:
            query["sort"] = _filter_param(sort)
        records = []
        start = 0
        while True:
            query.update(start=start, limit=self.page_size)
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
            start += len(data)

    # -- users -----------------------------------------------------------------------

    def list_users(self, filters=None, sort=None):
        """``GET /api/AAA/Users``: every user matching ``filters`` (all pages)."""
        return self.list_all(USERS, filters, sort)

    def find_user(self, name):
        """The user called exactly ``name``, or ``None``: one filtered read.

        The filter uses ``eq``, and the name is compared again here, case-sensitively,
        so that neither a LIKE match (``jdoe`` vs ``jdoe2``) nor a case-insensitive
        database collation picks the wrong user. A user whose name differs only in case
        raises ``InputError``: the server would refuse to create a second one.
        """
        users = self.list_users(eq_filter("UserName", name))
        found = next((user for user in users if user.get("UserName") == name), None)
        if found is None:
            other = next((u.get("UserName") for u in users if str(u.get("UserName")).casefold() == name.casefold()), None)
            if other is not None:
                raise InputError("user %r does not exist, but %r does; Unified Assurance user names are not case-sensitive, "
                                 "so use name: %s" % (name, other, other))
        return found

    def create_user(self, body):
        """``POST /api/AAA/Users``; returns the created record (``data[0]``)."""
        self._register_secrets(body)
        return self._first(self.call("POST", USERS, body=body))

    def update_user(self, user_id, body):
        """``PUT /api/AAA/Users/{id}``; returns the updated record when the server sends it."""
        self._register_secrets(body)
        return self._first(self.call("PUT", "%s/%s" % (USERS, user_id), body=body))

    def delete_user(self, user_id):
        """``DELETE /api/AAA/Users/{id}``."""
        return self.call("DELETE", "%s/%s" % (USERS, user_id))

    # -- user profiles -----------------------------------------------------------------

    def update_user_profile(self, user_id, body):
        """``PUT /api/AAA/UserProfiles/{id}``; send ``Preferences``/``Properties`` whole."""
        self._register_secrets(body)
        return self._first(self.call("PUT", "%s/%s" % (USER_PROFILES, user_id), body=body))

    # -- lookups -------------------------------------------------------------------------

    def list_user_groups(self, filters=None):
        """``GET /api/AAA/UserGroups``."""
        return self.list_all(USER_GROUPS, filters)

    def list_auth_types(self, filters=None):
        """``GET /api/AAA/AuthTypes``."""
        return self.list_all(AUTH_TYPES, filters)

    def list_preferences(self):
        """``GET /api/AAA/Preferences``: the preference definitions."""
        return self.list_all(PREFERENCES)

    def list_user_properties(self):
        """``GET /api/AAA/UserProperties``: the user property definitions."""
        return self.list_all(USER_PROPERTIES)

    def known_names(self, kind):
        """``{name: id}`` of every defined preference (``kind='preferences'``) or property."""
        if kind == "preferences":
            records, name_key, id_key = self.list_preferences(), "PreferenceName", "PreferenceID"
        else:
            records, name_key, id_key = self.list_user_properties(), "PropertyName", "PropertyID"
        return dict((r.get(name_key), r.get(id_key)) for r in records if r.get(name_key))

    @staticmethod
    def pick(records, value, id_key, name_key, what):
        """The record whose ID or (case-insensitive) name is ``value``; ``InputError`` listing the known ones."""
        text = str(value).strip()
        for record in records:
            if str(record.get(id_key)) == text:
                return record
        matches = [r for r in records if str(r.get(name_key, "")).casefold() == text.casefold()]
        exact = [r for r in matches if r.get(name_key) == text]
        if exact or len(matches) == 1:
            return (exact or matches)[0]
        known = ", ".join(sorted("%s (%s)" % (r.get(name_key), r.get(id_key)) for r in records))
        raise InputError("%s %r does not exist; known: %s" % (what, value, known or "none"))

    def user_group(self, value):
        """The user group record named ``value`` or with ID ``value``."""
        return self.pick(self.list_user_groups(), value, "UserGroupID", "UserGroupName", "user group")

    def auth_type(self, value):
        """The authentication type record named ``value`` or with ID ``value``."""
        return self.pick(self.list_auth_types(), value, "AuthenticationTypeID", "AuthenticationTypeName",
                         "authentication type")

    def _register_secrets(self, body):
        for key in ("Password", "RepeatPassword", "SupportPassword"):
            if isinstance(body, dict) and body.get(key):
                self.client.add_secret(body[key])


# -- record views shared by the modules ----------------------------------------------------

def ref_id(value):
    """The ID of a ``{"id": "1", "name": ...}`` reference (or a bare ID) as text."""
    if isinstance(value, dict):
        value = value.get("id")
    if value is None or value == "":
        return None
    return str(value).strip()


def ref_name(value, fallback=None):
    if isinstance(value, dict) and value.get("name") is not None:
        return value["name"]
    return fallback


def as_int(value):
    """An integer from ``1``/``"1"``; other values unchanged."""
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return value


def value_text(value):
    """Preference and property values compare as text (reads return ``"5"``, writes may send ``5``)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


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


def _day_text(moment):
    # strftime("%Y") does not pad years before 1000 on every platform: format by hand.
    return "%04d-%02d-%02d" % (moment.year, moment.month, moment.day)


def parse_day(text):
    """A ``datetime.date`` from ``YYYY-MM-DD`` (one-digit month and day accepted), else ``None``."""
    try:
        return datetime.datetime.strptime(str(text).strip(), "%Y-%m-%d").date()
    except ValueError:
        return None


def _parse_when(text):
    """``(datetime, has_time)`` from ``YYYY-MM-DD[( |T)HH:MM[:SS]]``, else ``None``."""
    text = str(text).strip().replace("T", " ")
    for form, has_time in (("%Y-%m-%d", False), ("%Y-%m-%d %H:%M", True), ("%Y-%m-%d %H:%M:%S", True)):
        try:
            return datetime.datetime.strptime(text, form), has_time
        except ValueError:
            pass
    return None


def canonical_moment(text):
    """``YYYY-MM-DD``, or ``YYYY-MM-DD HH:MM:SS`` when a time is given, of a readable date; else ``None``.

    ``strptime`` also reads ``2027-1-5`` and ``7:05``: the canonical form is what is compared and sent.
    """
    parsed = _parse_when(text)
    if parsed is None:
        return None
    moment, has_time = parsed
    day = _day_text(moment)
    return "%s %02d:%02d:%02d" % (day, moment.hour, moment.minute, moment.second) if has_time else day


def _is_never(text):
    return text.lower() in ("", "0", "[never]", "never")


def account_expiration_text(value):
    """Comparable form of an account expiration: ``never`` or ``YYYY-MM-DD[ HH:MM:SS]``.

    A time of ``00:00:00`` compares as the date alone. A text that is not a readable date
    (a server format this module does not know) is compared as it is.
    """
    text = "" if value is None else str(value).strip()
    if _is_never(text):
        return "never"
    canonical = canonical_moment(text)
    if canonical is None:
        return text
    return canonical[:-9] if canonical.endswith(" 00:00:00") else canonical


def account_expiration_body(value):
    """``AccountExpiration`` as sent: ``0`` for never, else the canonical date (and time, when given)."""
    text = "" if value is None else str(value).strip()
    if _is_never(text):
        return "0"
    return canonical_moment(text) or text


def password_change_text(value):
    """``never``, ``immediate`` or the canonical ``YYYY-MM-DD`` of a readable date (other text unchanged)."""
    text = str(value).strip()
    if text.lower() in ("never", "immediate"):
        return text.lower()
    day = parse_day(text)
    return _day_text(day) if day else text


def password_change_day_ok(text):
    """Whether ``text`` is a date whose midnight UTC is a ``PasswordExpiration`` meaning that day.

    Midnight 1970-01-01 is 0 (expired) and the timestamp must stay below the "never" value,
    so the dates run from 1970-01-02 to 2038-01-19.
    """
    day = parse_day(text)
    if day is None:
        return False
    return PASSWORD_EXPIRED < calendar.timegm(day.timetuple()) < PASSWORD_NEVER_EXPIRES


def password_expiration_for(change):
    """The ``PasswordExpiration`` timestamp saying the same as a ``PasswordChange`` value."""
    if change == "never":
        return str(PASSWORD_NEVER_EXPIRES)
    if change == "immediate":
        return str(PASSWORD_EXPIRED)
    return str(calendar.timegm(parse_day(change).timetuple()))


def password_change_view(expiration):
    """``PasswordExpiration`` read as a ``PasswordChange`` value.

    A date is the day of the timestamp rounded to the nearest midnight UTC, so that a
    server storing local midnight in any time zone from UTC-11 to UTC+12 reads back the day
    that was written.
    """
    if expiration in (None, ""):
        return None
    try:
        stamp = int(str(expiration).strip())
    except ValueError:
        return str(expiration)
    if stamp >= PASSWORD_NEVER_EXPIRES:
        return "never"
    if stamp <= PASSWORD_EXPIRED:
        return "immediate"
    moment = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=stamp + 12 * 3600)
    return moment.strftime("%Y-%m-%d")


def _text(value):
    return None if value is None else str(value)


def user_view(record):
    """The friendly form of an ``AAAUsersRead`` record (no password fields)."""
    preferences = dict((p.get("PreferenceName"), value_text(p.get("PreferenceValue")))
                       for p in record.get("Preferences") or [] if p.get("PreferenceName"))
    properties = dict((p.get("PropertyName"), value_text(p.get("PropertyValue")))
                      for p in record.get("Properties") or [] if p.get("PropertyName"))
    status = record.get("AccountStatus")
    return {
        "id": as_int(record.get("UserID")),
        "name": record.get("UserName"),
        "full_name": record.get("FullName"),
        "email": record.get("EmailAddress"),
        "enabled": None if status in (None, "") else str(status).strip() == "1",
        "user_group": ref_name(record.get("UserGroup"), record.get("UserGroupName")),
        "user_group_id": as_int(ref_id(record.get("UserGroup"))),
        "subgroups": [as_int(ref_id(g)) for g in record.get("Subgroups") or []],
        "authentication_type": ref_name(record.get("AuthenticationType"), record.get("AuthenticationTypeName")),
        "authentication_type_id": as_int(ref_id(record.get("AuthenticationType"))),
        "account_expiration": record.get("AccountExpiration"),
        "password_expiration": _text(record.get("PasswordExpiration")),
        "password_change": password_change_view(record.get("PasswordExpiration")),
        "preferences": preferences,
        "properties": properties,
        "failed_login_count": record.get("FailedLoginCount"),
        "last_login_success": record.get("LastLoginSuccess"),
        "last_login_failed": record.get("LastLoginFailed"),
        "support_username": record.get("SupportUsername"),
    }
