"""Oracle Communications Unified Assurance (formerly Assure1) Core REST API, AAA area.

Simulated under ``/api/AAA``:

* ``Users`` (list, get, create, update, delete, ``readForSelect``; DELETE and ``readForSelect`` of
  Users are inferred: their pages were not retrieved) and
  ``UserProfiles/{id}`` (get, update): users as ``AAAUsersRead`` objects, with their
  per-user ``Preferences`` and ``Properties`` arrays.
* ``UserGroups``, ``AuthTypes`` (by ID or name), ``Preferences``, ``UserProperties``,
  ``Roles``: list, get by ID, ``readForSelect`` (read only; change them with ``/_sim/seed``).
  The ``readForSelect`` answer shape, ``data: [{"id": "<ID as text>", "name": ...}]`` in the usual
  envelope, is inferred (the pages only say "for Combo Boxes and Item Selectors"; the ``{id, name}``
  form is that of the documented ``UserGroup``/``AuthenticationType`` references).
* ``/api/core/globalProperties``: the cheap "am I authenticated" probe.

Every ``/api/`` request authenticates with HTTP Basic (Internal-auth users only; the
password is kept as a PBKDF2 hash) or with a verified TLS client certificate whose
subject CN names the user (Basic credentials, when sent, win over a certificate). Disabled
or expired accounts cannot authenticate. The profile ``{id}`` is the UserID. Answers use
the success envelope ``{success, message, data: [...], total}`` and the failure envelope
``{success: false, message, errors: [{<field>: <text>}]}``. List endpoints take ``filter``
(JSON array; operator defaults to LIKE; ``eq ne gt gte lt lte like "not like" re "not re"
"not in"``; the last item's conjunction, default OR, applies to all), ``sort`` (JSON
array), ``limit`` and ``start`` (a record offset, ignored without ``limit``).

Inferred behaviours, changeable with ``POST /_sim/config`` (defaults in DEFAULT_CONFIG):

* ``validation_status`` / ``not_found_status`` / ``duplicate_status`` (200: failures come
  back as HTTP 200 with ``success: false``, as seen in the field), ``forbidden_status``
  (403), ``auth_failure_status`` (401), ``auth_failure_body`` (None: a failure envelope;
  a string is sent as HTML), ``auth_challenge`` (the WWW-Authenticate header, None for none).
* ``error_items``: ``keyed`` (``{"UserName": text}``) or ``field_message``
  (``{"field": .., "message": ..}``); ``messages``: per-key overrides of MESSAGES.
* ``like_match``: how a LIKE value without ``%`` matches: ``contains`` | ``prefix`` |
  ``pattern`` (exact unless it holds wildcards); ``case_insensitive`` (MySQL collation:
  filters, sorting, user-name uniqueness and login names).
* ``start_mode``: ``offset`` | ``page`` (start counts pages of ``limit`` records).
* ``omitted_arrays``: a PUT without ``Preferences``/``Properties`` ``clear``s them (the
  vendor-API wrapper saw a device PUT wipe an omitted array) or ``keep``s them;
  ``array_mode``: a sent array ``replace``s the stored one (entries left out are dropped)
  or ``merge``s into it.
* ``locked_preference``: changing a preference locked by the user group: ``error`` | ``ignore``.
* ``password_on_non_internal``: a password for a non-Internal user: ``error`` | ``ignore``;
  ``internal_requires_password``: creating an Internal user needs one.
* ``users_post_required``: required fields of ``POST /Users`` (the 6.0.5 list).
* ``profile_extra_fields``: fields a profile PUT does not carry (FullName, ...):
  ``ignore`` | ``error``; ``profile_put_others``: may a privileged user PUT another user's
  profile (everyone may always read and update their own).
* ``enforce_roles``: group role limits methods (Administrator all, Operator GET, API all
  but DELETE); ``password_expired_blocks_login``; ``account_never_text`` ("[Never]");
  ``blank_password_fields`` (reads carry ``Password``/``RepeatPassword`` as "").
* ``read_property_item_id`` (true): read ``Properties`` rows carry the user-property row's own
  ``id``. Inferred: the UserProfiles PUT page shows ``id`` in its request items, but the
  ``AAAUsersRead`` items on the same page list only Description, PropertyID, PropertyName and
  PropertyValue; set it false for reads exactly as that schema shows them.

Seed: user ``api`` (UserID 1, Administrators, Internal, password ``Ua-Api-Pass-2026!``,
PageSize 1000, DefaultDisplayID 1, ResetQuestion set); groups Administrators (1, role
Administrator) and Operators (2, role Operator); auth types Internal (1) and LDAP (2);
preferences PageSize (2) and DefaultDisplayID (3); property ResetQuestion (1). The IDs, names
and descriptions of the definitions are the vendor page examples (SEED_DESCRIPTIONS). New users
get UserIDs from 1001. ``POST /_sim/seed`` (schemas/aaa/sim_seed.json) adds auth types,
definitions, groups (with locked preferences), users and ``generate_users``.

Fault presets: ``database_error`` (the PHP exception body seen in the field, HTTP 200),
``expired_password``, ``unauthorized``, ``server_busy`` (503), ``rate_limited`` (429).
"""

import base64
import binascii
import calendar
import copy
import datetime
import hashlib
import hmac
import json
import re
import secrets
import time

import jsonschema
from flask import Response, current_app, jsonify, request

import simcore

API = "/api/AAA"
NEVER = "2147483647"  # PasswordExpiration meaning "never"
# Stored passwords are salted PBKDF2 like a real server; few rounds because the simulator
# checks Basic credentials on every request and must answer hundreds per second.
HASH_ROUNDS = 1000
SEED_API_PASSWORD = "Ua-Api-Pass-2026!"

DEFAULT_CONFIG = {
    "validation_status": 200,
    "not_found_status": 200,
    "duplicate_status": 200,
    "forbidden_status": 403,
    "auth_failure_status": 401,
    "auth_failure_body": None,
    "auth_challenge": 'Basic realm="Unified Assurance"',
    "error_items": "keyed",
    "messages": {},
    "like_match": "contains",
    "case_insensitive": True,
    "start_mode": "offset",
    "omitted_arrays": "clear",
    "array_mode": "replace",
    "locked_preference": "error",
    "password_on_non_internal": "error",
    "internal_requires_password": True,
    "users_post_required": [
        "UserName", "FullName", "PasswordChange", "PasswordExpiration", "AccountExpiration",
        "UserGroup", "Subgroups", "AuthenticationType", "AccountStatus", "Properties", "Preferences",
    ],
    "profile_extra_fields": "ignore",
    "profile_put_others": True,
    "enforce_roles": True,
    "password_expired_blocks_login": False,
    "account_never_text": "[Never]",
    "blank_password_fields": True,
    "read_property_item_id": True,
}

# Definition descriptions as the vendor pages give them: DefaultDisplayID and ResetQuestion from the
# AAAUsersRead items of "Update a User Profile" (the request items there show "A new property." as an
# example of a new property instead); PageSize from the example record of the AAA notes.
SEED_DESCRIPTIONS = {
    "PageSize": "Default pagination setting for grid views (default 1000)",
    "DefaultDisplayID": "Default event list display (default 'Default')",
    "ResetQuestion": "Reserved for future use",
}

# Message texts. "loaded", "added" and "updated" are documented; the rest are inferred.
MESSAGES = {
    "loaded": "Loaded {count} entries",
    "added": "Added record",
    "updated": "Updated record",
    "deleted": "Deleted record",
    "auth_failed": "Authentication failed",
    "password_expired": "Password has expired",
    "forbidden": "Permission denied for {method} {path}",
    "not_found": "No {resource} record found with ID {id}",
    "invalid_id": "Invalid ID {id}",
    "invalid_json": "The request body must be a JSON object",
    "invalid_value": "{field} is invalid: {detail}",
    "bad_param": "Parameter {param} is invalid: {detail}",
    "bad_filter_property": "Cannot filter or sort on {property}",
    "bad_operator": "Unknown filter operator {operator}",
    "required": "{field} is required",
    "password_mismatch": "Password and RepeatPassword differ",
    "password_not_internal": "A password can only be set for Internal authentication",
    "password_required": "A password is required for Internal authentication",
    "password_too_short": "Password needs at least {minimum} characters",
    "password_needs": "Password needs at least one {kind} character",
    "duplicate_user": "User name {name} is already taken",
    "unknown_group": "User group {id} does not exist",
    "subgroup_is_primary": "Group {id} is the primary group and cannot be a subgroup as well",
    "unknown_auth_type": "Authentication type {id} does not exist",
    "bad_email": "{value} is not an email address",
    "bad_date": "{value} is not a date",
    "unknown_preference": "Unknown preference {name}",
    "unknown_property": "Unknown property {name}",
    "locked_preference": "Preference {name} is locked by user group {group}",
    "not_in_profile": "{field} cannot be changed in a user profile",
}

PRESETS = {
    "database_error": {"status": 200, "body": {
        "success": False,
        "message": "PHP Exception<ul><li>/opt/assure1/www/api/lib/Model.php on line 997</li><ul><li>"
                   "Error connecting to [Assure1] database. Please contact your administrator</li></ul></ul>",
        "data": [],
    }},
    "expired_password": {"status": 401, "body": {"success": False, "message": MESSAGES["password_expired"], "errors": []}},
    "unauthorized": {"status": 401, "body": {"success": False, "message": MESSAGES["auth_failed"], "errors": []},
                     "headers": {"WWW-Authenticate": 'Basic realm="Unified Assurance"'}},
    "server_busy": {"status": 503, "body": "<html><body><h1>Service Unavailable</h1></body></html>"},
    "rate_limited": {"status": 429, "headers": {"Retry-After": "1"},
                     "body": {"success": False, "message": "Too many requests", "errors": []}},
}

PROFILE_FIELDS = {"AccountStatus", "AuthenticationType", "EmailAddress", "Password", "RepeatPassword",
                  "Preferences", "Properties"}
OPERATORS = {"eq", "ne", "gt", "gte", "lt", "lte", "like", "not like", "re", "not re", "not in"}


def _validator(name):
    return jsonschema.Draft202012Validator(simcore.load_schema("aaa/%s.json" % name))


VALIDATORS = {name: _validator(name) for name in ("user_write", "user_profile_put", "list_filter", "list_sort", "sim_seed")}


class ApiError(Exception):
    """A failure answered with the failure envelope; kind picks the HTTP status."""

    def __init__(self, kind, errors, message=None):
        super().__init__(message)
        self.kind = kind  # validation | not_found | duplicate | forbidden
        self.errors = errors  # [(field, text)]
        self.message = message


class SeedError(Exception):
    """Bad /_sim/seed payload (answered 400, not with the API envelope)."""


# ----------------------------------------------------------------- helpers


def _sim():
    return current_app.config["SIM"]


def text(key, **values):
    return (_sim().config["messages"].get(key) or MESSAGES[key]).format(**values)


def fold(value):
    value = "" if value is None else str(value)
    return value.lower() if _sim().config["case_insensitive"] else value


# While a seed runs: secret -> hash, so that 10,000 seeded users sharing a password are hashed once.
_SEED_HASHES = None


def hash_secret(secret, salt=None):
    if _SEED_HASHES is not None and salt is None:
        if secret not in _SEED_HASHES:
            _SEED_HASHES[secret] = hash_secret(secret, secrets.token_hex(8))
        return _SEED_HASHES[secret]
    salt = salt or secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", secret.encode(), salt.encode(), HASH_ROUNDS).hex()
    return "pbkdf2_sha256$%d$%s$%s" % (HASH_ROUNDS, salt, digest)


def check_secret(secret, stored):
    if not stored:
        return False
    _algo, rounds, salt, digest = stored.split("$")
    candidate = hashlib.pbkdf2_hmac("sha256", secret.encode(), salt.encode(), int(rounds)).hex()
    return hmac.compare_digest(candidate, digest)


SEED_API_HASH = hash_secret(SEED_API_PASSWORD)  # once: resets happen before every test


def find(items, key, value):
    return next((item for item in items if item[key] == value), None)


def next_id(state, counter):
    state["next_ids"][counter] += 1
    return state["next_ids"][counter] - 1


def envelope(data, message, total=None):
    return jsonify({"success": True, "message": message, "data": data,
                    "total": len(data) if total is None else total})


def parse_ident(ident):
    if not re.fullmatch(r"[0-9]+", ident):
        raise ApiError("validation", [("id", text("invalid_id", id=ident))])
    return int(ident)


def json_body(schema):
    body = request.get_json(silent=True, force=True)
    if not isinstance(body, dict):
        raise ApiError("validation", [("body", text("invalid_json"))])
    errors = []
    for error in sorted(VALIDATORS[schema].iter_errors(body), key=lambda e: list(map(str, e.absolute_path))):
        field = str(error.absolute_path[0]) if error.absolute_path else "body"
        # jsonschema quotes the value; never echo a secret back.
        detail = "wrong type or value" if field.lower() in simcore.SECRET_KEYS else error.message
        errors.append((field, text("invalid_value", field=field, detail=detail)))
    if errors:
        raise ApiError("validation", errors)
    return body


def now():
    return int(time.time())


def parse_when(value):
    """Dates the simulator understands of what PHP strtotime takes."""
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(value, fmt)
        except ValueError:
            pass
    return None


def account_expired(user):
    when = parse_when(user["AccountExpiration"]) if user["AccountExpiration"] else None
    return when is not None and when <= datetime.datetime.now()


def password_expired(user):
    return int(user["PasswordExpiration"] or 0) <= now()


def is_internal(state, auth_type_id):
    auth = find(state["auth_types"], "AuthenticationTypeID", auth_type_id)
    return auth is not None and auth["AuthenticationTypeProtocol"] == "Internal"


# ----------------------------------------------------------------- seed data


def seed():
    """Fresh state: the api user, two groups, Internal and LDAP auth, two preferences, one property.

    ``users`` maps UserID to the stored user (in creation order); ``user_names`` maps each
    lower-cased user name to the UserIDs so called, so that a login or a uniqueness check
    finds a user without a scan of all of them (kept by add_user, replace_user, drop_user)."""
    state = {
        "next_ids": {"user": 1001, "group": 3, "auth_type": 3, "preference": 4, "property": 2, "user_property": 2},
        "roles": [
            {"RoleID": 1, "RoleName": "Administrator", "AllowedMethods": ["GET", "POST", "PUT", "PATCH", "DELETE"]},
            {"RoleID": 2, "RoleName": "Operator", "AllowedMethods": ["GET"]},
            {"RoleID": 3, "RoleName": "API", "AllowedMethods": ["GET", "POST", "PUT", "PATCH"]},
        ],
        "auth_types": [
            {"AuthenticationTypeID": 1, "AuthenticationTypeName": "Internal", "AuthenticationTypeProtocol": "Internal",
             "AuthenticationStatus": 1, "PasswordMinimumLength": 4, "PasswordRequiredLowercase": 0,
             "PasswordRequiredUppercase": 0, "PasswordRequiredNumbers": 0, "PasswordRequiredSpecialCharacters": 0,
             "PasswordResetAvailable": 0, "PasswordResetCustomText": ""},
            {"AuthenticationTypeID": 2, "AuthenticationTypeName": "LDAP", "AuthenticationTypeProtocol": "LDAP",
             "AuthenticationStatus": 1, "LDAPHost1": "ldap.example.invalid"},
        ],
        "preferences": [
            {"PreferenceID": 2, "PreferenceName": "PageSize", "DefaultValue": "1000",
             "Description": SEED_DESCRIPTIONS["PageSize"]},
            {"PreferenceID": 3, "PreferenceName": "DefaultDisplayID", "DefaultValue": "1",
             "Description": SEED_DESCRIPTIONS["DefaultDisplayID"]},
        ],
        "properties": [
            {"PropertyID": 1, "PropertyName": "ResetQuestion", "Description": SEED_DESCRIPTIONS["ResetQuestion"]},
        ],
        "groups": [
            {"UserGroupID": 1, "UserGroupName": "Administrators", "RoleID": 1, "Preferences": [], "Properties": []},
            {"UserGroupID": 2, "UserGroupName": "Operators", "RoleID": 2, "Preferences": [], "Properties": []},
        ],
        "users": [{
            "UserID": 1, "UserName": "api", "FullName": "API User", "EmailAddress": "api@example.invalid",
            "UserGroupID": 1, "Subgroups": [], "AuthenticationTypeID": 1, "AccountStatus": 1,
            "AccountExpiration": None, "PasswordExpiration": NEVER, "SupportUsername": "",
            "PasswordHash": SEED_API_HASH, "SupportPasswordHash": None, "PasswordChangedAt": None,
            "FailedLoginCount": 0, "LastLoginFailed": 0, "LastLoginSuccess": 0,
            "Preferences": [{"PreferenceID": 2, "PreferenceValue": "1000"}, {"PreferenceID": 3, "PreferenceValue": "1"}],
            "Properties": [{"id": 1, "PropertyID": 1, "PropertyValue": "Name of the first lab"}],
        }],
    }
    users, state["users"], state["user_names"] = state["users"], {}, {}
    for user in users:
        add_user(state, user)
    return state


def add_user(state, user):
    state["users"][user["UserID"]] = user
    _index_name(state, user)


def drop_user(state, user):
    del state["users"][user["UserID"]]
    _unindex_name(state, user)


def replace_user(state, updated):
    """Store a changed copy of a user in the place of the original (a rename moves its name)."""
    current = state["users"][updated["UserID"]]
    state["users"][updated["UserID"]] = updated
    if current["UserName"].lower() != updated["UserName"].lower():
        _unindex_name(state, current)
        _index_name(state, updated)


def _index_name(state, user):
    state["user_names"].setdefault(user["UserName"].lower(), []).append(user["UserID"])


def _unindex_name(state, user):
    namesakes = state["user_names"][user["UserName"].lower()]
    namesakes.remove(user["UserID"])
    if not namesakes:
        del state["user_names"][user["UserName"].lower()]


def users_named(state, name):
    """The stored users whose name is ``name`` (compared as the configured collation does)."""
    wanted = fold(name)
    return [state["users"][uid] for uid in state["user_names"].get(str(name).lower(), ())
            if fold(state["users"][uid]["UserName"]) == wanted]


def blank_user(state):
    operators = find(state["groups"], "UserGroupName", "Operators") or state["groups"][0]
    return {
        "UserID": None, "UserName": "", "FullName": "", "EmailAddress": "", "UserGroupID": operators["UserGroupID"],
        "Subgroups": [], "AuthenticationTypeID": 1, "AccountStatus": 1, "AccountExpiration": None,
        "PasswordExpiration": NEVER, "SupportUsername": "", "PasswordHash": None, "SupportPasswordHash": None,
        "PasswordChangedAt": None, "FailedLoginCount": 0, "LastLoginFailed": 0, "LastLoginSuccess": 0,
        "Preferences": [], "Properties": [],
    }


# ----------------------------------------------------------------- rendering


def render_user(state, user):
    """A stored user as AAAUsersRead: object ids are strings, never a secret."""
    group = find(state["groups"], "UserGroupID", user["UserGroupID"])
    auth = find(state["auth_types"], "AuthenticationTypeID", user["AuthenticationTypeID"])
    config = _sim().config
    row = {
        "UserID": user["UserID"],
        "UserName": user["UserName"],
        "FullName": user["FullName"],
        "EmailAddress": user["EmailAddress"],
        "AccountStatus": user["AccountStatus"],
        "AccountExpiration": user["AccountExpiration"] or config["account_never_text"],
        "PasswordExpiration": user["PasswordExpiration"],
        "AuthenticationType": {"id": str(auth["AuthenticationTypeID"]), "name": auth["AuthenticationTypeName"]},
        "AuthenticationTypeName": auth["AuthenticationTypeName"],
        "UserGroup": {"id": str(group["UserGroupID"]), "name": group["UserGroupName"]},
        "UserGroupName": group["UserGroupName"],
        "Subgroups": list(user["Subgroups"]),
        "FailedLoginCount": user["FailedLoginCount"],
        "LastLoginFailed": user["LastLoginFailed"],
        "LastLoginSuccess": user["LastLoginSuccess"],
        "SupportUsername": user["SupportUsername"],
        "Preferences": render_preferences(state, user, group),
        "Properties": render_properties(state, user["Properties"]),
    }
    if config["blank_password_fields"]:
        row["Password"] = row["RepeatPassword"] = ""
    return row


def render_preferences(state, owner, group=None):
    """Preference items; for a user, group-locked values replace the user's own (Override 1)."""
    definitions = {d["PreferenceID"]: d for d in state["preferences"]}
    values = {p["PreferenceID"]: (p["PreferenceValue"], int(p.get("Override", 0))) for p in owner["Preferences"]}
    for item in (group or {}).get("Preferences", []):
        if item.get("Override"):
            values[item["PreferenceID"]] = (item["PreferenceValue"], 1)
    return [{"PreferenceID": pid, "PreferenceName": definitions[pid]["PreferenceName"], "PreferenceValue": value,
             "Override": override, "Description": definitions[pid]["Description"]}
            for pid, (value, override) in sorted(values.items()) if pid in definitions]


def render_properties(state, items):
    definitions = {d["PropertyID"]: d for d in state["properties"]}
    rows = []
    for item in items:
        if item["PropertyID"] not in definitions:
            continue
        definition = definitions[item["PropertyID"]]
        row = {"id": item["id"]} if _sim().config["read_property_item_id"] else {}
        row.update({"PropertyID": item["PropertyID"], "PropertyName": definition["PropertyName"],
                    "PropertyValue": item["PropertyValue"], "Description": definition["Description"]})
        rows.append(row)
    return rows


def render_group(state, group):
    role = find(state["roles"], "RoleID", group["RoleID"]) or {"RoleName": ""}
    return {
        "UserGroupID": group["UserGroupID"], "UserGroupName": group["UserGroupName"],
        "RoleID": group["RoleID"], "RoleName": role["RoleName"],
        "Users": [u["UserID"] for u in state["users"].values() if u["UserGroupID"] == group["UserGroupID"]],
        "Preferences": render_preferences(state, group),
        "Properties": [dict(p) for p in group["Properties"]],
    }


def render_auth_type(_state, auth):
    row = dict(auth)
    row["AuthenticationStatusIcon"] = "OrbGreen.png" if auth["AuthenticationStatus"] else "OrbRed.png"
    return row


def render_role(_state, role):
    return {"RoleID": role["RoleID"], "RoleName": role["RoleName"]}


# Read-only resources: path -> (state key, id field, name field, render, {id} may be a name)
RESOURCES = {
    "UserGroups": ("groups", "UserGroupID", "UserGroupName", render_group, False),
    "AuthTypes": ("auth_types", "AuthenticationTypeID", "AuthenticationTypeName", render_auth_type, True),
    "Preferences": ("preferences", "PreferenceID", "PreferenceName", lambda _s, item: dict(item), False),
    "UserProperties": ("properties", "PropertyID", "PropertyName", lambda _s, item: dict(item), False),
    "Roles": ("roles", "RoleID", "RoleName", render_role, False),
}


# ----------------------------------------------------------------- list parameters


def field_value(row, prop):
    """A filterable scalar of a row; ``XxxID`` reaches the id of an ``Xxx`` {id, name} object."""
    value = row.get(prop)
    if value is None and prop.endswith("ID") and isinstance(row.get(prop[:-2]), dict):
        value = row[prop[:-2]].get("id")
    if (value is None and prop not in row) or isinstance(value, (dict, list)):
        raise ApiError("validation", [("filter", text("bad_filter_property", property=prop))])
    return value


def json_param(name):
    raw = request.args.get(name)
    if raw in (None, ""):
        return []
    try:
        value = json.loads(raw)
    except ValueError:
        raise ApiError("validation", [(name, text("bad_param", param=name, detail="not JSON"))]) from None
    error = jsonschema.exceptions.best_match(VALIDATORS["list_" + name].iter_errors(value))
    if error is not None:
        raise ApiError("validation", [(name, text("bad_param", param=name, detail=error.message))])
    return value


def int_param(name):
    raw = request.args.get(name)
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except ValueError:
        raise ApiError("validation", [(name, text("bad_param", param=name, detail="not an integer"))]) from None


def like_regex(value):
    """SQL LIKE pattern (%, _) as a regex; a value without % is widened per config."""
    pattern = str(value)
    mode = _sim().config["like_match"]
    if "%" not in pattern:
        pattern = {"contains": "%" + pattern + "%", "prefix": pattern + "%"}.get(mode, pattern)
    parts = [".*" if ch == "%" else "." if ch == "_" else re.escape(ch) for ch in pattern]
    return re.compile("".join(parts), re.S | (re.I if _sim().config["case_insensitive"] else 0))


def as_number(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def operator_of(item):
    """Operators are matched case-insensitively; LIKE is the default."""
    return " ".join(str(item.get("operator") or "like").lower().split())


def matches(row, item):
    op = operator_of(item)
    actual, expected = field_value(row, item["property"]), item["value"]
    if op in ("eq", "ne"):
        return (fold(actual) == fold(expected)) == (op == "eq")
    if op in ("gt", "gte", "lt", "lte"):
        left, right = as_number(actual), as_number(expected)
        if left is None or right is None:
            left, right = fold(actual), fold(expected)
        return {"gt": left > right, "gte": left >= right, "lt": left < right, "lte": left <= right}[op]
    if op in ("like", "not like"):
        return bool(like_regex(expected).fullmatch(str(actual if actual is not None else ""))) == (op == "like")
    if op in ("re", "not re"):
        flags = re.I if _sim().config["case_insensitive"] else 0
        try:
            found = re.search(str(expected), str(actual), flags) is not None
        except re.error:
            raise ApiError("validation", [("filter", text("bad_param", param="filter", detail="bad regex"))]) from None
        return found == (op == "re")
    values = expected if isinstance(expected, list) else str(expected).split(",")
    return fold(actual) not in {fold(v).strip() for v in values}  # not in


def sort_key(value):
    number = as_number(value)
    if number is not None:
        return (0, number, "")
    return (1, 0, fold(value))


def list_response(rows, select=None, memo_key=None):
    """Apply filter, sort, start and limit to rendered rows and answer the envelope.

    ``rows`` is a list or a function returning a new one. With ``memo_key``, the filtered and
    sorted rows are kept until the state changes (:meth:`simcore.Simulator.memo`): paging
    through 10,000 users renders and filters them once, not once per page."""
    filters, sorters = json_param("filter"), json_param("sort")
    limit, start = int_param("limit"), int_param("start") or 0

    def build():
        found = rows() if callable(rows) else list(rows)
        for item in filters:
            if operator_of(item) not in OPERATORS:
                raise ApiError("validation", [("filter", text("bad_operator", operator=item.get("operator")))])
            if found:
                field_value(found[0], item["property"])
        if filters:
            combine = all if str(filters[-1].get("conjunction") or "OR").upper() == "AND" else any
            found = [row for row in found if combine(matches(row, item) for item in filters)]
        for item in reversed(sorters):
            if found:
                field_value(found[0], item["property"])
            found.sort(key=lambda row, p=item["property"]: sort_key(field_value(row, p)),
                       reverse=str(item.get("direction") or "ASC").upper() == "DESC")
        return found

    if memo_key is None:
        rows = build()
    else:
        rows = _sim().memo(tuple(memo_key) + (request.args.get("filter"), request.args.get("sort")), build)
    total = len(rows)
    if limit is not None and limit > 0:  # start means nothing without limit
        offset = max(start, 0) * (limit if _sim().config["start_mode"] == "page" else 1)
        rows = rows[offset:offset + limit]
    if select:
        rows = [select(row) for row in rows]
    return envelope(rows, text("loaded", count=len(rows)), total)


# ----------------------------------------------------------------- writing users


def resolve_definition(items, id_key, name_key, item):
    """The definition an array item names, by ID or else by name (both must agree)."""
    if item.get(id_key) in (None, ""):
        return next((d for d in items if fold(d[name_key]) == fold(item.get(name_key))), None)
    by_id = find(items, id_key, int(item[id_key]))
    if by_id and item.get(name_key) and fold(item[name_key]) != fold(by_id[name_key]):
        return None
    return by_id


def value_text(value):
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def write_preferences(state, user, items, errors):
    config = _sim().config
    values = {p["PreferenceID"]: p["PreferenceValue"] for p in user["Preferences"]} if config["array_mode"] == "merge" else {}
    group = find(state["groups"], "UserGroupID", user["UserGroupID"]) or {"Preferences": []}  # unknown: reported already
    locked = {p["PreferenceID"]: p["PreferenceValue"] for p in group["Preferences"] if p.get("Override")}
    for item in items:
        definition = resolve_definition(state["preferences"], "PreferenceID", "PreferenceName", item)
        if definition is None:
            name = item.get("PreferenceName") or item.get("PreferenceID")
            errors.append(("Preferences", text("unknown_preference", name=name)))
            continue
        pid, value = definition["PreferenceID"], value_text(item.get("PreferenceValue", ""))
        if pid in locked:  # the group's value wins; the user keeps no override
            if value != locked[pid] and config["locked_preference"] == "error":
                errors.append(("Preferences", text("locked_preference", name=definition["PreferenceName"],
                                                   group=group["UserGroupName"])))
            continue
        values[pid] = value
    return [{"PreferenceID": pid, "PreferenceValue": values[pid]} for pid in sorted(values)]


def write_properties(state, user, items, errors):
    existing = {p["PropertyID"]: p for p in user["Properties"]}
    rows = dict(existing) if _sim().config["array_mode"] == "merge" else {}
    for item in items:
        definition = resolve_definition(state["properties"], "PropertyID", "PropertyName", item)
        if definition is None:
            name = item.get("PropertyName") or item.get("PropertyID")
            errors.append(("Properties", text("unknown_property", name=name)))
            continue
        pid = definition["PropertyID"]
        row = existing.get(pid) or {"id": next_id(state, "user_property"), "PropertyID": pid}
        rows[pid] = dict(row, PropertyValue=value_text(item.get("PropertyValue", "")))
    return [rows[pid] for pid in sorted(rows)]


def password_policy(state, auth_type_id, password):
    auth = find(state["auth_types"], "AuthenticationTypeID", auth_type_id)
    problems = []
    minimum = int(auth.get("PasswordMinimumLength") or 0)
    if len(password) < minimum:
        problems.append(text("password_too_short", minimum=minimum))
    for flag, kind, test in (("PasswordRequiredLowercase", "lower-case", str.islower),
                             ("PasswordRequiredUppercase", "upper-case", str.isupper),
                             ("PasswordRequiredNumbers", "numeric", str.isdigit),
                             ("PasswordRequiredSpecialCharacters", "special", lambda c: not c.isalnum())):
        if int(auth.get(flag) or 0) and not any(test(c) for c in password):
            problems.append(text("password_needs", kind=kind))
    return problems


def write_user(state, current, body, mode, require_password=True):
    """Validate a Users or UserProfiles body and return the changed copy of the user.

    mode is ``create``, ``update`` (Users PUT) or ``profile`` (UserProfiles PUT).
    """
    config = _sim().config
    user = copy.deepcopy(current)
    errors = []

    def bad(field, key, **values):
        errors.append((field, text(key, field=field, **values)))

    def given(field):
        return field in body and (mode != "profile" or field in PROFILE_FIELDS)

    if mode == "profile" and config["profile_extra_fields"] == "error":
        for field in sorted(set(body) - PROFILE_FIELDS):
            bad(field, "not_in_profile")
    for field in ("UserName", "FullName"):
        if given(field):
            if not body[field].strip():
                bad(field, "required")
            user[field] = body[field].strip()
    if given("EmailAddress"):
        email = body["EmailAddress"].strip()
        if email and not re.fullmatch(r"[^@\s]+@[^@\s]+", email):
            bad("EmailAddress", "bad_email", value=email)
        user["EmailAddress"] = email
    if given("UserGroup"):
        user["UserGroupID"] = int(body["UserGroup"])
        if not find(state["groups"], "UserGroupID", user["UserGroupID"]):
            bad("UserGroup", "unknown_group", id=user["UserGroupID"])
    if given("Subgroups"):
        user["Subgroups"] = sorted({int(s) for s in body["Subgroups"]})
        for sub in user["Subgroups"]:
            if not find(state["groups"], "UserGroupID", sub):
                bad("Subgroups", "unknown_group", id=sub)
    if user["UserGroupID"] in user["Subgroups"]:
        bad("Subgroups", "subgroup_is_primary", id=user["UserGroupID"])
    if given("AuthenticationType"):
        user["AuthenticationTypeID"] = int(body["AuthenticationType"])
        if not find(state["auth_types"], "AuthenticationTypeID", user["AuthenticationTypeID"]):
            bad("AuthenticationType", "unknown_auth_type", id=user["AuthenticationTypeID"])
    if given("AccountStatus"):
        user["AccountStatus"] = int(body["AccountStatus"])
    if given("AccountExpiration"):
        value = str(body["AccountExpiration"]).strip()
        if value.lower() in ("", "0", "[never]", "never"):
            user["AccountExpiration"] = None
        elif value.lower() == "immediate":
            user["AccountExpiration"] = datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        elif parse_when(value):
            user["AccountExpiration"] = value
        else:
            bad("AccountExpiration", "bad_date", value=value)
    # PasswordChange and PasswordExpiration say the same thing; PasswordChange wins when both are set.
    if given("PasswordChange") and body["PasswordChange"] not in (None, ""):
        change = body["PasswordChange"].strip().lower()
        day = parse_when(change) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", change) else None
        if change in ("never", "immediate") or day:
            user["PasswordExpiration"] = {"never": NEVER, "immediate": "0"}.get(change) or str(calendar.timegm(day.timetuple()))
        else:
            bad("PasswordChange", "bad_date", value=body["PasswordChange"])
    elif given("PasswordExpiration") and body["PasswordExpiration"] not in (None, ""):
        user["PasswordExpiration"] = str(int(body["PasswordExpiration"]))
    if given("SupportUsername"):
        user["SupportUsername"] = body["SupportUsername"]
    if given("SupportPassword") and body["SupportPassword"]:
        user["SupportPasswordHash"] = hash_secret(body["SupportPassword"])

    # Blank password fields (as reads return them) mean "no change".
    password, repeat = body.get("Password") or "", body.get("RepeatPassword") or ""
    internal = is_internal(state, user["AuthenticationTypeID"])
    if password or repeat:
        if password != repeat:
            bad("RepeatPassword", "password_mismatch")
        elif not internal:
            if config["password_on_non_internal"] == "error":
                bad("Password", "password_not_internal")
        else:
            problems = password_policy(state, user["AuthenticationTypeID"], password)
            errors.extend(("Password", problem) for problem in problems)
            if not problems:
                user["PasswordHash"] = hash_secret(password)
                user["PasswordChangedAt"] = time.time()
    elif mode == "create" and internal and require_password and config["internal_requires_password"]:
        bad("Password", "password_required")

    for field, writer in (("Preferences", write_preferences), ("Properties", write_properties)):
        if given(field):
            user[field] = writer(state, user, body[field], errors)
        elif mode != "create" and config["omitted_arrays"] == "clear":
            user[field] = []
    if errors:
        raise ApiError("validation", errors)

    if mode == "create" or fold(user["UserName"]) != fold(current["UserName"]):
        for other in users_named(state, user["UserName"]):
            if other["UserID"] != user["UserID"]:
                raise ApiError("duplicate", [("UserName", text("duplicate_user", name=user["UserName"]))])
    return user


def required_errors(body):
    missing = []
    for field in _sim().config["users_post_required"]:
        value = body.get(field)
        if value is None or (isinstance(value, str) and not value.strip() and field in ("UserName", "FullName")):
            missing.append((field, text("required", field=field)))
    if missing:
        raise ApiError("validation", missing)


def create_user(state, body, require_password=True):
    user = write_user(state, blank_user(state), body, "create", require_password)
    user["UserID"] = next_id(state, "user")
    add_user(state, user)
    return user


# ----------------------------------------------------------------- authentication


def certificate_user_name(pem):
    # Imported here: --plain-http needs no TLS libraries.
    from cryptography import x509  # pylint: disable=import-outside-toplevel
    from cryptography.x509.oid import NameOID  # pylint: disable=import-outside-toplevel

    try:
        names = x509.load_pem_x509_certificate(pem.encode()).subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    except ValueError:
        return None
    return names[0].value if names else None


def find_user_by_name(state, name):
    return next(iter(users_named(state, name)), None)


def identify(state):
    """The authenticated user, or (None, message key). Basic credentials win over a certificate."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, dummy, token = header.partition(" ")
        try:
            name, dummy, password = base64.b64decode(token.strip(), validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None, "auth_failed"
        user = find_user_by_name(state, name) if scheme.lower() == "basic" else None
        if user is None or not is_internal(state, user["AuthenticationTypeID"]):
            return None, "auth_failed"
        if not check_secret(password, user["PasswordHash"]):
            user["FailedLoginCount"] += 1
            user["LastLoginFailed"] = now()
            _sim().touch()  # lists show the counters
            return None, "auth_failed"
        if _sim().config["password_expired_blocks_login"] and password_expired(user):
            return None, "password_expired"
    elif request.environ.get("SSL_CLIENT_CERT"):  # only set for a certificate our CA verified
        user = find_user_by_name(state, certificate_user_name(request.environ["SSL_CLIENT_CERT"]) or "")
        if user is None:
            return None, "auth_failed"
    else:
        return None, "auth_failed"
    auth = find(state["auth_types"], "AuthenticationTypeID", user["AuthenticationTypeID"])
    if user["AccountStatus"] != 1 or account_expired(user) or not auth["AuthenticationStatus"]:
        return None, "auth_failed"
    if user["FailedLoginCount"] != 0 or user["LastLoginSuccess"] != now():
        user["FailedLoginCount"] = 0
        user["LastLoginSuccess"] = now()
        _sim().touch()  # lists show the counters (at most once a second for a busy client)
    return user, None


def auth_failure(key):
    config = _sim().config
    body = config["auth_failure_body"]
    if body is None:
        response = jsonify({"success": False, "message": text(key), "errors": []})
    elif isinstance(body, str):
        response = Response(body, mimetype="text/html")
    else:
        response = jsonify(body)
    response.status_code = config["auth_failure_status"]
    if config["auth_challenge"]:
        response.headers["WWW-Authenticate"] = config["auth_challenge"]
    return response


def authorize(state, user):
    """Role limits per method; everyone may read and update their own profile."""
    config = _sim().config
    if request.path.rstrip("/") == "%s/UserProfiles/%s" % (API, user["UserID"]):
        return
    group = find(state["groups"], "UserGroupID", user["UserGroupID"])
    role = find(state["roles"], "RoleID", group["RoleID"])
    allowed = role["AllowedMethods"] if config["enforce_roles"] and role else ["GET", "POST", "PUT", "PATCH", "DELETE"]
    other_profile = request.path.startswith(API + "/UserProfiles/") and request.method == "PUT"
    if request.method not in allowed + ["HEAD", "OPTIONS"] or (other_profile and not config["profile_put_others"]):
        raise ApiError("forbidden", [("permission", text("forbidden", method=request.method, path=request.path))])


# ----------------------------------------------------------------- /_sim hooks


def state_view(sim):
    """Stored state with hashes left out: tests see whether a password is set and when it changed."""
    view = {key: copy.deepcopy(value) for key, value in sim.state.items() if key not in ("users", "user_names")}
    view["users"] = []
    for user in sim.state["users"].values():
        shown = {k: copy.deepcopy(v) for k, v in user.items() if not k.endswith("PasswordHash")}
        shown["PasswordSet"] = bool(user["PasswordHash"])
        shown["SupportPasswordSet"] = bool(user["SupportPasswordHash"])
        view["users"].append(shown)
    return view


def lookup(items, id_key, name_key, ident, what):
    for item in items:
        if item[id_key] == ident or str(item[id_key]) == str(ident) or fold(item[name_key]) == fold(ident):
            return item[id_key]
    raise SeedError("unknown %s %r" % (what, ident))


def api_items(value, name_key, value_key):
    if isinstance(value, dict):
        return [{name_key: k, value_key: v} for k, v in value.items()]
    return value


def seed_handler(sim, payload):
    """POST /_sim/seed: add auth types, definitions, groups and users (all or nothing)."""
    error = jsonschema.exceptions.best_match(VALIDATORS["sim_seed"].iter_errors(payload))
    if error is not None:
        raise SeedError("invalid seed payload at %s: %s" % ("/".join(map(str, error.absolute_path)), error.message))
    global _SEED_HASHES  # pylint: disable=global-statement
    # A seed only adds users (never changes one): their maps are copied shallowly, the rest deeply.
    before = {key: dict(value) if key == "users" else {k: list(v) for k, v in value.items()} if key == "user_names"
              else copy.deepcopy(value) for key, value in sim.state.items()}
    _SEED_HASHES = {}
    try:
        return _seed(sim.state, payload)
    except ApiError as exc:
        sim.state = before
        raise SeedError("; ".join(t for dummy, t in exc.errors)) from None
    except SeedError:
        sim.state = before
        raise
    finally:
        _SEED_HASHES = None


def _seed(state, payload):
    report = {"auth_types": [], "preferences": [], "properties": [], "groups": [], "users": 0}
    for item in payload.get("auth_types", []):
        current = find(state["auth_types"], "AuthenticationTypeID", item.get("AuthenticationTypeID"))
        if current is None:
            current = {"AuthenticationTypeID": next_id(state, "auth_type"), "AuthenticationStatus": 1}
            state["auth_types"].append(current)
        current.update(item)
        report["auth_types"].append(current["AuthenticationTypeID"])
    for key, id_key, counter in (("preferences", "PreferenceID", "preference"), ("properties", "PropertyID", "property")):
        for item in payload.get(key, []):
            entry = dict({"Description": "", id_key: next_id(state, counter)}, **item)
            if key == "preferences":
                entry["DefaultValue"] = str(entry.get("DefaultValue", ""))
            state[key].append(entry)
            report[key].append(entry[id_key])
    for item in payload.get("groups", []):
        if re.fullmatch(r"[+-]?[0-9]+", item["UserGroupName"]):
            raise SeedError("a group name cannot be all digits: %r" % item["UserGroupName"])
        if any(fold(g_["UserGroupName"]) == fold(item["UserGroupName"]) for g_ in state["groups"]):
            raise SeedError("group %r exists" % item["UserGroupName"])
        prefs = [{"PreferenceID": lookup(state["preferences"], "PreferenceID", "PreferenceName", p["PreferenceName"], "preference"),
                  "PreferenceValue": str(p["PreferenceValue"]), "Override": p.get("Override", 0)}
                 for p in item.get("Preferences", [])]
        group = {"UserGroupID": next_id(state, "group"), "UserGroupName": item["UserGroupName"],
                 "RoleID": item.get("RoleID", 2), "Preferences": prefs, "Properties": []}
        state["groups"].append(group)
        report["groups"].append(group["UserGroupID"])
    for item in payload.get("users", []):
        body = dict(item)
        body["UserGroup"] = lookup(state["groups"], "UserGroupID", "UserGroupName", item.get("UserGroup", "Operators"), "group")
        body["Subgroups"] = [lookup(state["groups"], "UserGroupID", "UserGroupName", s, "group") for s in item.get("Subgroups", [])]
        body["AuthenticationType"] = lookup(state["auth_types"], "AuthenticationTypeID", "AuthenticationTypeName",
                                            item.get("AuthenticationType", 1), "auth type")
        body["Preferences"] = api_items(item.get("Preferences", []), "PreferenceName", "PreferenceValue")
        body["Properties"] = api_items(item.get("Properties", []), "PropertyName", "PropertyValue")
        body.setdefault("FullName", item["UserName"])
        if item.get("Password"):
            body["RepeatPassword"] = item["Password"]
        create_user(state, body, require_password=False)
        report["users"] += 1
    generate = payload.get("generate_users")
    if generate:
        shared = hash_secret(generate["password"]) if generate.get("password") else None  # hashing 300 times is slow
        group = lookup(state["groups"], "UserGroupID", "UserGroupName", generate.get("group", "Operators"), "group")
        prefix, first = generate.get("prefix", "bulk"), generate.get("start", 1)
        for number in range(first, first + generate["count"]):
            name = "%s%04d" % (prefix, number)
            user = create_user(state, {"UserName": name, "FullName": "Bulk user %d" % number, "UserGroup": group,
                                       "EmailAddress": "%s@%s" % (name, generate.get("email_domain", "example.invalid"))},
                               require_password=False)
            user["PasswordHash"] = shared
            report["users"] += 1
    return {"seeded": report}


# ----------------------------------------------------------------- the app


def create_app():
    app, sim = simcore.create_app("aaa", seed, config=DEFAULT_CONFIG, presets=PRESETS,
                                  seed_handler=seed_handler, state_view=state_view)

    @app.errorhandler(ApiError)
    def _api_error(exc):
        if sim.config["error_items"] == "field_message":
            items = [{"field": field, "message": message} for field, message in exc.errors]
        else:
            items = [{field: message} for field, message in exc.errors]
        message = exc.message or "; ".join(message for dummy, message in exc.errors)
        return jsonify({"success": False, "message": message, "errors": items}), sim.config[exc.kind + "_status"]

    @app.errorhandler(SeedError)
    def _seed_error(exc):
        return jsonify({"error": str(exc)}), 400

    @app.errorhandler(404)
    @app.errorhandler(405)
    def _routing_error(exc):
        # A 405 lists the methods the path serves (RFC 9110); werkzeug knows them.
        headers = {k: v for k, v in exc.get_headers() if k.lower() == "allow"}
        return jsonify({"success": False, "message": exc.name, "errors": []}), exc.code, headers

    @app.before_request
    def _authenticate():
        if not request.path.startswith("/api/"):
            return None
        with sim.lock:
            user, failure = identify(sim.state)
            if user is None:
                return auth_failure(failure)
            authorize(sim.state, user)
        return None

    def get_user(ident):
        user = sim.state["users"].get(parse_ident(ident))
        if user is None:
            raise ApiError("not_found", [("id", text("not_found", resource="user", id=ident))])
        return user

    def user_rows():
        return [render_user(sim.state, u) for u in sim.state["users"].values()]

    @app.get(API + "/Users")
    def users_list():
        with sim.lock:
            return list_response(user_rows, memo_key=("Users",))

    @app.get(API + "/Users/readForSelect")
    def users_select():
        # Inferred answer shape (see the module docstring): {"id": "<UserID>", "name": "<UserName>"} rows.
        with sim.lock:
            return list_response(user_rows, select=lambda r: {"id": str(r["UserID"]), "name": r["UserName"]},
                                 memo_key=("Users",))

    @app.get(API + "/Users/<ident>")
    @app.get(API + "/UserProfiles/<ident>")
    def users_get(ident):
        with sim.lock:
            return envelope([render_user(sim.state, get_user(ident))], text("loaded", count=1))

    @app.post(API + "/Users")
    def users_create():
        body = json_body("user_write")
        required_errors(body)
        with sim.lock:
            user = create_user(sim.state, body)
            return envelope([render_user(sim.state, user)], text("added"))

    @app.put(API + "/Users/<ident>")
    def users_update(ident):
        body = json_body("user_write")
        with sim.lock:
            updated = write_user(sim.state, get_user(ident), body, "update")
            replace_user(sim.state, updated)
            return envelope([render_user(sim.state, updated)], text("updated"))

    @app.put(API + "/UserProfiles/<ident>")
    def profiles_update(ident):
        body = json_body("user_profile_put")
        with sim.lock:
            updated = write_user(sim.state, get_user(ident), body, "profile")
            replace_user(sim.state, updated)
            return envelope([render_user(sim.state, updated)], text("updated"))

    @app.delete(API + "/Users/<ident>")
    def users_delete(ident):
        with sim.lock:
            drop_user(sim.state, get_user(ident))
            return jsonify({"success": True, "message": text("deleted")})

    for path, (key, id_key, name_key, render, by_name) in RESOURCES.items():

        def list_view(key=key, render=render):
            with sim.lock:
                return list_response([render(sim.state, item) for item in sim.state[key]])

        def select_view(key=key, render=render, id_key=id_key, name_key=name_key):
            # Inferred answer shape, as for Users/readForSelect.
            with sim.lock:
                rows = [render(sim.state, item) for item in sim.state[key]]
                return list_response(rows, select=lambda r: {"id": str(r[id_key]), "name": r[name_key]})

        def get_view(ident, key=key, render=render, id_key=id_key, name_key=name_key, by_name=by_name, path=path):
            with sim.lock:
                if by_name and not ident.isdigit():
                    item = next((i for i in sim.state[key] if fold(i[name_key]) == fold(ident)), None)
                else:
                    item = find(sim.state[key], id_key, parse_ident(ident))
                if item is None:
                    raise ApiError("not_found", [("id", text("not_found", resource=path, id=ident))])
                return envelope([render(sim.state, item)], text("loaded", count=1))

        app.add_url_rule("%s/%s" % (API, path), path + "_list", list_view, methods=["GET"])
        app.add_url_rule("%s/%s/readForSelect" % (API, path), path + "_select", select_view, methods=["GET"])
        app.add_url_rule("%s/%s/<ident>" % (API, path), path + "_get", get_view, methods=["GET"])

    @app.get("/api/core/globalProperties")
    def global_properties():
        return envelope([{"GlobalPropertyID": 1, "PropertyName": "Product", "Value": "Unified Assurance (simulated)"}],
                        text("loaded", count=1))

    return app, sim
