"""Veeam Service Provider Console (VSPC) REST API v3 simulator: users, authentication, organisations.

Everything lives under ``/api/v3`` as the vendor documents it:

* ``POST /token`` (form-encoded OAuth 2.0): ``password``, ``refresh_token`` and ``as`` (impersonation)
  grants; a bare ``OAuth2Result`` on success, ``OAuth2Error`` with HTTP 400 on failure. Only
  ``application/x-www-form-urlencoded`` is accepted (vspc.md 1.1; the ``multipart/form-data`` of the
  VSPC 5.0 pages is gone); any other content type gives 415.
* Bearer authentication everywhere else with an access token or a permanent API key; otherwise 401
  with the ``{"errors": [...]}`` envelope (``type: security``).
* ``/users`` collection (``limit``/``offset``/``filter``/``sort``/``select``), ``/users/{uid}`` GET,
  PATCH (RFC 6902 via ``jsonpatch``, read-only paths give code 1001 with ``failedJsonPatch``), DELETE;
  ``POST /users`` validated against ``schemas/veeam/UserInput.json``; ``/users/me``;
  ``DELETE /users/{uid}/tokens``; API keys (``/users/{uid}/logins``, ``.../logins/apikey``);
  ``/users/{uid}/backupResource`` GET and PATCH (same JSON Patch rules; read-only members give 1001).
* ``/organizations``, ``/organizations/companies``, ``/organizations/resellers``,
  ``/organizations/provider``, ``/organizations/{uid}/users``; ``/about``.
* Query parameters as the vendor document types them: ``filter``, ``sort`` and ``select`` are checked against
  FilterParameter, SortParameter and SelectParameter (``schemas/veeam/query/``; enum members in any case),
  ``null`` (they are nullable) means none; ``limit``/``offset``/``userLoginId`` must be integers in range,
  ``isReadAccessOnly`` a boolean, ``expand`` only ``Organization``. A malformed one answers 400 with its
  ``parameterName`` in the ``{"errors": [...]}`` envelope.
* A method a path does not serve answers 405 with ``Allow``; ``/users/me`` serves GET only (so
  ``PATCH /users/me`` is 405, not a user called ``me``).
* Asynchronous writes: 202 + ``Location: .../api/v3/asyncActions/{id}`` (the id is ``X-Request-id``
  when sent), then ``/asyncActions/{id}`` (running -> succeed/failed) and ``/asyncActions/{id}/result``.
* ``X-Request-id`` idempotence (vendor: an operation is idempotent for 5 minutes under its request UID):
  every authenticated write (POST, PATCH, PUT, DELETE; not the anonymous ``/token``) that carries the
  header has its answer (status, body, ``Location``) kept for ``request_id_ttl`` seconds, and a request
  with the same UID in that time gets the same answer again without running the operation. A header
  that is not a UUID gives 400. [I] Answers are keyed by the UID alone (not by caller, method or
  body); requests refused before the operation ran (401, injected faults) are not kept.

Configurable behaviours (``POST /_sim/config``); the inferred ones are marked [I]:

* ``access_token_lifetime`` (3600 s) and ``refresh_token_lifetime`` (172800 s [I], from the claims of the
  vendor's example token); ``refresh_token_single_use`` (true [I]): a used refresh token stops working.
* ``expire_tokens_now`` (false): set it to ``true`` to expire every issued access token at the next API
  request, or to ``"all"`` to expire refresh tokens as well; it then resets itself to false.
* ``max_page_size`` (500): the largest ``limit`` accepted; above it the answer is 400 [I: not clamped].
* ``async_writes`` (false): every POST/PATCH/DELETE on users answers 202; ``async_next_writes`` (0): only
  the next N writes do; ``async_polls`` (1): how many polls report ``running`` before the action runs.
* ``missing_user_code`` (404 [I]; 1100 is the vendor's "user does not exist" code) for unknown users.
* ``duplicate_user_status`` (409 [I]) and ``username_unique_scope`` (``organization`` [I] or ``global``),
  names compared case-insensitively [I].
* ``enforce_role_org_type`` (true [I]): Portal*/SiteAdministrator roles only in the provider,
  Reseller* in resellers, Company* in companies.
* ``login_requires_org_alias`` (false [I]): company and reseller users must log in as ``alias\\name``.
* ``accept_single_patch_object`` (true [I]): a PATCH body that is one operation object, not an array,
  is accepted (one vendor example does that).
* ``request_id_ttl`` (300): seconds an ``X-Request-id`` answer is replayed (the vendor's 5 minutes).
* ``enum_output_case`` (``pascal`` | ``camel``) [I]: how answers spell the enum values of users
  (``role``, ``status``, ``mfaPolicyStatus``, ``mfaPolicyConfigurationStatus``, ``profile.title``).
  ``pascal`` (default) is the schema's spelling (``Disabled``, ``CompanyOwner``, ``Mr``); ``camel`` is the
  spelling of the vendor's Modify User page (``disabled``, ``companyOwner``, ``mr``). Which one a real
  server uses is not documented, so clients must accept both; input is accepted in any case either way.

Other inferred behaviours: enum values (role, status, mfaPolicyStatus, title) are accepted in any case
and stored in their canonical spelling; PATCH paths match case-insensitively and may lack the leading
slash; an invalid value after a patch gives 400 with ``propertyName``; a patch operation that cannot be
applied gives 400 code 1001; top-level filter expressions are ANDed, filters on enum properties ignore
case, single-quoted filter JSON is accepted; read-only tokens/keys and ``PortalReadonlyOperator`` get
403 on writes; callers outside the provider only see their own organisation (and, for resellers, their
companies); users whose second factor is configured cannot use the password grant; a failed async
action's result is returned with the original status; ``X-Client-Version`` below 3.6 shows the
``CompanyTenant`` role as ``Unknown``.

Fault presets (``POST /_sim/faults {"preset": NAME}``): ``throttled`` (429 with ``retryAfter``),
``throttled_parallel`` (429 without it), ``server_error`` and ``server_unreachable`` (520, as the
vendor maps every 5xx), ``unauthorized`` (401), ``slow`` (2 s delay), ``dropped`` (connection closed).
"""

import base64
import json
import re
import secrets
import time
import uuid
from datetime import datetime, timezone

import jsonpatch
import jsonpointer
from flask import Response, request
from jsonschema import Draft7Validator, FormatChecker
from jsonschema.exceptions import best_match
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter

import simcore

BASE = "/api/v3"

# Fixed identities of the seed data (documented in tests and DESIGN.md).
PROVIDER_UID = "0c6a8f3e-2b71-4d5a-9e40-7f1b3c9d2e01"
RESELLER_UID = "c4e1a7b2-9d36-4f85-8a0c-2b6e5f9d1c37"
ACME_UID = "3f9d2c1a-6b84-4e7f-a2d5-c81e90b4f6a2"
GLOBEX_UID = "8b27e4d9-1c53-4a6e-b9f0-5d2a7c3e8f14"
ADMIN_UID = "a5d3f1e7-4c29-4b8a-9e6d-1f7c3b5a2d90"
ACME_OWNER_UID = "6e2b9c4d-8f17-4a3e-b5d0-3c9a1e7f2b48"
GLOBEX_OWNER_UID = "d19f7a3c-5e82-4b6d-9c04-7a2e8b1f5d63"
SITE_UID = "9e4c2a71-3b5d-4f86-a0c9-7d1e2f3b4a58"
ADMIN_USERNAME = "vspcadmin"
ADMIN_PASSWORD = "Vspc-Admin-Pass-2026!"
ADMIN_API_KEY = "7d3f9a1c5e2b8d40SimVspcApiKeyQ7mZk2xR9pLw3nT8vB5yH1cJ6dF0gS4aE2uW"

CONFIG = {
    "access_token_lifetime": 3600,
    "refresh_token_lifetime": 172800,
    "refresh_token_single_use": True,
    "expire_tokens_now": False,
    "max_page_size": 500,
    "async_writes": False,
    "async_next_writes": 0,
    "async_polls": 1,
    "missing_user_code": 404,
    "duplicate_user_status": 409,
    "username_unique_scope": "organization",
    "enforce_role_org_type": True,
    "login_requires_org_alias": False,
    "accept_single_patch_object": True,
    "request_id_ttl": 300,
    "enum_output_case": "pascal",
}

PRESETS = {
    # The vendor's throttling example carries only type, code and retryAfter (25 s there; 1 s here so
    # tests stay fast; override with {"preset": "throttled", "body": ...}).
    "throttled": {"status": 429, "body": {"errors": [{"type": "transport", "code": 429, "retryAfter": 1}]}},
    "throttled_parallel": {"status": 429, "body": {"errors": [{"type": "transport", "code": 429}]}},
    "server_error": {"status": 520, "body": {"errors": [
        {"message": "Unexpected server error.", "type": "unspecified", "code": 500}]}},
    "server_unreachable": {"status": 520, "body": {"errors": [
        {"message": "REST API service cannot reach the server.", "type": "transport", "code": 504}]}},
    "unauthorized": {"status": 401, "body": {"errors": [
        {"message": "The access token has expired.", "type": "security", "code": 401}]}},
    "slow": {"delay": 2},
    "dropped": {"drop": True},
}

OAUTH_BAD_LOGIN = "Cannot complete login due to incorrect username or password, or no sufficient rights."


def _validator(name):
    return Draft7Validator(simcore.load_schema("veeam/" + name), format_checker=FormatChecker())


USER_INPUT = _validator("UserInput.json")
USER = _validator("User.json")
PATCH_OP = _validator("JsonPatch.json")
_USER_PROPS = USER.schema["properties"]
ROLES = simcore.load_schema("veeam/UserRole.json")["enum"]
PROFILE_KEYS = list(simcore.load_schema("veeam/UserProfile.json")["properties"])
USER_KEYS = set(_USER_PROPS)
ENUMS = {  # canonical spellings, looked up case-insensitively on input
    "status": _USER_PROPS["status"]["enum"],
    "mfaPolicyStatus": _USER_PROPS["mfaPolicyStatus"]["enum"],
    "role": ROLES,
    "title": simcore.load_schema("veeam/UserProfile.json")["properties"]["title"]["enum"],
}
RO_PATHS = {"/instanceuid", "/organizationuid", "/username", "/mfapolicyconfigurationstatus", "/credentials/username"}
BACKUP_RESOURCE = _validator("UserBackupResource.json")
# Read-only members of UserBackupResource (readOnly in the vendor schema).
BACKUP_RESOURCE_RO = {"/useruid", "/subtenantuid", "/vcduserid", "/storagequotausage"}
# The filter, sort and select query parameters (schemas/veeam/query/, from the vendor document).
QUERY_PARAMETERS = {
    name: Draft7Validator(simcore.load_schema("veeam/query/%sParameter.json" % name.capitalize()))
    for name in ("filter", "sort", "select")
}
QUERY_ENUMS = {
    "operation": simcore.load_schema("veeam/query/FilterParameter.json")[
        "definitions"]["FilterExpression"]["properties"]["operation"]["enum"],
    "collation": simcore.load_schema("veeam/query/FilterParameter.json")[
        "definitions"]["FilterExpression"]["properties"]["collation"]["anyOf"][0]["enum"],
    "direction": simcore.load_schema("veeam/query/SortParameter.json")[
        "definitions"]["SortExpression"]["properties"]["direction"]["enum"],
}
EXPAND_VALUES = ["Organization"]  # CompanyExpand, ResellerExpand and ProviderExpand
ENUM_FILTER_PROPS = {"role", "status", "mfapolicystatus", "mfapolicyconfigurationstatus", "profile.title", "type"}

# UserRole values admitted to the users operations (the spec lists internal names; see vspc.md 4.2).
USERS_READ_ROLES = {
    "PortalAdministrator", "CompanyLocationAdministrator", "CompanyOwner", "PortalOperator", "ResellerOwner",
    "ResellerOperator", "ResellerAdministrator", "SiteAdministrator", "CompanyAdministrator",
    "PortalReadonlyOperator", "CompanyTenant",
}
USERS_WRITE_ROLES = USERS_READ_ROLES - {"PortalReadonlyOperator"}
ROLE_ORG_TYPES = {
    "Provider": {"PortalAdministrator", "PortalOperator", "PortalReadonlyOperator", "SiteAdministrator"},
    "Reseller": {r for r in ROLES if r.startswith("Reseller")},
    "Company": {r for r in ROLES if r.startswith("Company")},
}
DEFAULT_ROLE = {"Provider": "PortalOperator", "Reseller": "ResellerUser", "Company": "CompanyAdministrator"}


class ApiError(Exception):
    """An error answered with the VSPC envelope ``{"errors": [ResponseError]}``."""

    def __init__(self, status, message, code=None, kind="logical", errors=None, headers=None, **extra):
        super().__init__(message)
        self.status = status
        self.headers = headers or {}
        self.body = {"errors": errors or [dict({"message": message, "type": kind, "code": code or status}, **extra)]}


def _now_iso():
    # The vendor's time format has seven fractional digits and an explicit offset.
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f") + "0+00:00"


def _is_uuid(value):
    try:
        uuid.UUID(str(value))
        return True
    except ValueError:
        return False


def _canonical(value, allowed):
    if isinstance(value, str):
        for option in allowed:
            if option.lower() == value.lower():
                return option
    return value


# ---------------------------------------------------------------- seed data

def _organization(uid, name, alias, org_type, **fields):
    org = {
        "instanceUid": uid, "name": name, "alias": alias, "type": org_type, "taxId": None, "email": None,
        "phone": None, "country": None, "state": None, "countryName": None, "regionName": None, "city": None,
        "street": None, "locationAdmin0Code": None, "locationAdmin1Code": None, "locationAdmin2Code": None,
        "notes": None, "zipCode": None, "website": None, "veeamTenantId": None, "companyId": None,
    }
    org.update({k: v for k, v in fields.items() if k in org})
    if org_type == "Company":
        org["details"] = {
            "status": fields.get("status", "Active"), "resellerUid": fields.get("resellerUid"),
            "subscriptionPlanUid": None, "isRestAccessEnabled": True, "isAlarmDetectEnabled": False,
            "companyServices": {
                "hostedServices": {"isVbPublicCloudManagementEnabled": False},
                "remoteServices": {
                    "isBackupResourcesEnabled": True,
                    "backupAgentsManagement": {"workstationAgentsQuota": None, "serverAgentsQuota": None},
                    "backupServersManagement": {"backupServerQuota": None},
                    "vb365ServersManagement": None, "isVbPublicCloudManagementEnabled": False,
                },
            },
            "loginUrl": None, "ownerUserName": fields.get("ownerUserName"),
        }
    elif org_type == "Reseller":
        org["details"] = {
            "proPartnerId": None, "status": fields.get("status", "Active"), "isRestAccessEnabled": True,
            "resellerServices": {
                "hostedServices": {"backupResourcesEnabled": False, "vb365ManagementEnabled": False,
                                   "vbPublicCloudManagementEnabled": False},
                "remoteServices": {"backupAgentsManagement": {"workstationAgentsQuota": None, "serverAgentsQuota": None},
                                   "vb365ManagementEnabled": False, "backupServersManagementEnabled": False,
                                   "vbPublicCloudManagementEnabled": False},
                "cloudConnectQuota": None, "cloudConnectManagementEnabled": False, "isFileLevelRestoreEnabled": False,
            },
        }
    return org


def _user(state, uid, org_uid, name, password, role, profile=None, **fields):
    state["next_login_id"] += 1
    return {
        "instanceUid": uid, "organizationUid": org_uid, "userName": name,
        "status": _canonical(fields.get("status", "Enabled"), ENUMS["status"]),
        "mfaPolicyStatus": _canonical(fields.get("mfaPolicyStatus", "Disabled"), ENUMS["mfaPolicyStatus"]),
        "mfaPolicyConfigurationStatus": fields.get("mfaPolicyConfigurationStatus", "NotConfigured"),
        "role": _canonical(role, ROLES),
        "profile": _profile(profile),
        "credentials": {"userName": name, "password": password},
        "backupResource": _backup_resource(fields.get("backupResource")),
        "loginId": state["next_login_id"],
    }


def _backup_resource(resource):
    """A subtenant's backup resource as stored; a missing site means the seed's only Cloud Connect site."""
    if not resource:
        return None
    stored = {"description": None, "vcdUserId": None, "storageQuota": None, "isStorageQuotaUnlimited": True}
    stored.update(resource)
    stored["siteUid"] = stored.get("siteUid") or SITE_UID
    stored["subtenantUid"] = str(uuid.uuid4())
    return stored


def _profile(profile):
    profile = profile or {}
    out = {key: profile.get(key) for key in PROFILE_KEYS}
    out["title"] = _canonical(out["title"] or "Unknown", ENUMS["title"])
    return out


def seed():
    # "user_names": lower-cased user name -> UIDs of the users so called (uniqueness checks
    # without a scan of every user); kept by _add_user and do_delete.
    state = {"organizations": {}, "users": {}, "user_names": {}, "api_keys": [], "tokens": {}, "async_actions": {},
             "request_ids": {}, "next_login_id": 0}
    orgs = state["organizations"]
    orgs[PROVIDER_UID] = _organization(
        PROVIDER_UID, "Northwind Cloud Services", "northwind", "Provider", email="support@northwind.test",
        phone="+1 555 0100", city="Seattle", countryName="USA", website="www.northwind.test")
    orgs[RESELLER_UID] = _organization(
        RESELLER_UID, "Initech Partners", "initech", "Reseller", email="partners@initech.test", city="Austin")
    orgs[ACME_UID] = _organization(
        ACME_UID, "Acme Corp", "acme", "Company", email="it@acme.test", phone="+1 555 0142", city="Springfield",
        countryName="USA", website="www.acme.test", ownerUserName="acme-owner")
    orgs[GLOBEX_UID] = _organization(
        GLOBEX_UID, "Globex Ltd", "globex", "Company", email="admin@globex.test", city="Cypress Creek",
        countryName="USA", ownerUserName="globex-owner")
    users = state["users"]
    users[ADMIN_UID] = _user(state, ADMIN_UID, PROVIDER_UID, ADMIN_USERNAME, ADMIN_PASSWORD, "PortalAdministrator",
                             {"firstName": "Portal", "lastName": "Administrator", "email": "vspcadmin@northwind.test"})
    users[ACME_OWNER_UID] = _user(state, ACME_OWNER_UID, ACME_UID, "acme-owner", "Acme-Owner-Pass-3b8e61d2!",
                                  "CompanyOwner", {"firstName": "Wile", "lastName": "Coyote", "title": "Mr",
                                                   "email": "owner@acme.test"})
    users[GLOBEX_OWNER_UID] = _user(state, GLOBEX_OWNER_UID, GLOBEX_UID, "globex-owner", "Globex-Owner-Pass-9c4f27a5!",
                                    "CompanyOwner", {"firstName": "Hank", "lastName": "Scorpio", "title": "Mr",
                                                     "email": "owner@globex.test"})
    for user in list(users.values()):
        _add_user(state, user)
    _add_api_key(state, users[ADMIN_UID], ADMIN_API_KEY, "Simulator seed API key", False, ["rest", "integration"])
    return state


def _add_user(state, user):
    state["users"][user["instanceUid"]] = user
    state["user_names"].setdefault(user["userName"].lower(), []).append(user["instanceUid"])


def _add_api_key(state, user, key, description, read_only, scopes):
    state["next_login_id"] += 1
    entry = {"id": state["next_login_id"], "userUid": user["instanceUid"], "description": description,
             "isReadAccessOnly": bool(read_only), "scopes": list(scopes), "status": "enabled",
             "apiKey": key, "identifierInProvider": str(secrets.randbits(63)), "creationDate": _now_iso()}
    state["api_keys"].append(entry)
    return entry


# ---------------------------------------------------------------- rendering

def _client_version():
    parts = re.findall(r"\d+", request.headers.get("X-Client-Version", ""))
    return tuple(int(p) for p in parts) if parts else None


def _camel(value):
    """``CompanyOwner`` -> ``companyOwner`` (``None`` and non-text values stay as they are)."""
    return value[:1].lower() + value[1:] if isinstance(value, str) else value


def render_user(user, client_version=None, enum_case="pascal"):
    """A stored user as the API answers it; ``enum_case="camel"`` spells its enum values in camelCase."""
    role = user["role"]
    if role == "CompanyTenant" and client_version and client_version < (3, 6):
        role = "Unknown"  # x-extensible-enum: older clients get Unknown for newer values
    spell = _camel if enum_case == "camel" else (lambda value: value)
    profile = dict(user["profile"])
    profile["title"] = spell(profile.get("title"))
    return {
        "instanceUid": user["instanceUid"], "organizationUid": user["organizationUid"], "userName": user["userName"],
        "status": spell(user["status"]), "mfaPolicyStatus": spell(user["mfaPolicyStatus"]),
        "mfaPolicyConfigurationStatus": spell(user["mfaPolicyConfigurationStatus"]), "role": spell(role),
        "profile": profile, "credentials": {"userName": user["userName"], "password": None},
    }


def present_user(sim, user, client_version=None):
    """:func:`render_user` with the simulator's configured enum spelling (``enum_output_case``)."""
    return render_user(user, client_version, sim.config.get("enum_output_case", "pascal"))


def render_organization(org):
    return {k: v for k, v in org.items() if k != "details"}


def _embedded(org, expand):
    return {"organization": render_organization(org) if expand else None}


def render_company(org, expand=False):
    d = org["details"]
    return {
        "instanceUid": org["instanceUid"], "name": org["name"], "status": d["status"], "resellerUid": d["resellerUid"],
        "subscriptionPlanUid": d["subscriptionPlanUid"], "isRestAccessEnabled": d["isRestAccessEnabled"],
        "isAlarmDetectEnabled": d["isAlarmDetectEnabled"], "companyServices": d["companyServices"],
        "loginUrl": d["loginUrl"], "ownerCredentials": {"userName": d["ownerUserName"], "password": None},
        "_embedded": _embedded(org, expand),
    }


def render_reseller(org, expand=False):
    d = org["details"]
    return {"instanceUid": org["instanceUid"], "proPartnerId": d["proPartnerId"], "name": org["name"],
            "status": d["status"], "isRestAccessEnabled": d["isRestAccessEnabled"],
            "resellerServices": d["resellerServices"], "_embedded": _embedded(org, expand)}


def render_login(state, user, entry=None, show_key=False):
    org = state["organizations"][user["organizationUid"]]
    if entry is None:  # the user's own user-name/password identity
        entry = {"id": user["loginId"], "description": "", "isReadAccessOnly": False, "scopes": ["ui", "rest"],
                 "status": "enabled" if user["status"] == "Enabled" else "disabledDueToUser",
                 "identifierInProvider": user["instanceUid"], "creationDate": None}
    return {
        "id": entry["id"], "userUid": user["instanceUid"], "userName": user["userName"],
        "companyId": org["instanceUid"], "companyName": org["name"],
        "identityProviderName": "AK" if "apiKey" in entry else "VSPC", "description": entry["description"],
        "isReadAccessOnly": entry["isReadAccessOnly"], "scopes": entry["scopes"], "status": entry["status"],
        # The key itself is shown once, when it is created.
        "parameters": entry["apiKey"] if show_key else "", "identifierInProvider": entry["identifierInProvider"],
        "creationDate": entry["creationDate"],
    }


def _empty_response():
    return {"errors": [], "data": {}, "meta": {}}


# ---------------------------------------------------------------- query parameters

def _int_param(name, default, minimum, maximum):
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not re.fullmatch(r"\s*[+-]?[0-9]+\s*", raw):  # not Python's int() spellings such as 1_000
        raise ApiError(400, "Property value must be an integer.", parameterName=name)
    value = int(raw)
    if value < minimum:
        raise ApiError(400, "Property value must be larger or equal to %d." % minimum, parameterName=name)
    if value > maximum:
        raise ApiError(400, "Property value must be less or equal to %d." % maximum, parameterName=name)
    return value


def _bool_param(name, default=False):
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if raw.strip().lower() not in ("true", "false"):
        raise ApiError(400, "Property value must be true or false.", parameterName=name)
    return raw.strip().lower() == "true"


def _query_location(path):
    return "".join("[%d]" % p if isinstance(p, int) else "." + str(p) for p in path) or "the top level"


def _canonical_expressions(value):
    """Enum members of filter/sort expressions (``operation``, ``collation``, ``direction``) in the
    schema's spelling, whatever their case: the server's enum binding ignores case [I]."""
    if isinstance(value, list):
        return [_canonical_expressions(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = dict(value)
    for key, allowed in QUERY_ENUMS.items():
        if isinstance(out.get(key), str):
            out[key] = _canonical(out[key], allowed)
    if isinstance(out.get("items"), list):
        out["items"] = _canonical_expressions(out["items"])
    return out


def _json_param(name):
    """``filter``, ``sort`` or ``select``: a JSON array of expressions (FilterParameter, SortParameter,
    SelectParameter), checked against the vendor schema; ``null`` (the schemas are nullable) means none."""
    raw = request.args.get(name)
    if raw in (None, ""):
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        try:  # production scripts send single-quoted pseudo-JSON and the server accepts it
            value = json.loads(raw.replace("'", '"'))
        except ValueError:
            raise ApiError(400, "Value of the %s parameter is not a valid JSON array." % name,
                           parameterName=name) from None
    if value is None:
        return None
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ApiError(400, "Value of the %s parameter must be an array of expressions." % name, parameterName=name)
    value = _canonical_expressions(value)
    error = best_match(QUERY_PARAMETERS[name].iter_errors(value))
    while error is not None and error.context:  # nullable anyOf wrappers: report the branch that is not null
        error = best_match([e for e in error.context if not (e.validator == "type" and e.validator_value == "null")]
                           or error.context)
    if error is not None:
        raise ApiError(400, "Value of the %s parameter is not valid at %s: %s." % (
            name, _query_location(error.absolute_path), error.message), parameterName=name)
    return value


def _resolve(obj, path):
    """Value at a property path (``profile.email``, ``/profile/email``), matched case-insensitively."""
    segments = [s for s in re.split(r"[./]", path or "") if s]
    if not segments:
        raise KeyError(path)
    for segment in segments:
        if obj is None:
            return None
        if not isinstance(obj, dict):
            raise KeyError(path)
        key = next((k for k in obj if k.lower() == segment.lower()), None)
        if key is None:
            raise KeyError(path)
        obj = obj[key]
    return obj


def _prop_key(path):
    return ".".join(s for s in re.split(r"[./]", path or "") if s).lower()


def _natural(text):
    return tuple((0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.split(r"(\d+)", text) if t)


def _sort_key(value, collation):
    if value is None:
        return (0,)
    if isinstance(value, str):
        if collation == "ignorecase":
            return (1, value.casefold())
        if collation == "lexicographic":
            return (1, _natural(value.casefold()))
    return (1, value)


def _coerce(actual, value):
    """Convert a filter value to the property's type, as the server's model binder would."""
    if isinstance(actual, bool) and isinstance(value, str):
        return value.lower() == "true"
    if isinstance(actual, (int, float)) and not isinstance(actual, bool) and isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return value


LEAF_OPS = {"in", "contains", "subset", "superset", "equals", "notequals", "lessthan", "lessthanorequal",
            "greaterthan", "greaterthanorequal"}
GROUP_OPS = {"and", "or", "not", "exclusiveor"}


def _match(item, expr):
    operation = str(expr.get("operation") or "").lower()
    if operation in GROUP_OPS:
        items = expr.get("items") or []
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise ApiError(400, "Filter group items must be an array of expressions.", parameterName="filter")
        results = [_match(item, sub) for sub in items]
        return {"and": all(results), "or": any(results), "not": not all(results),
                "exclusiveor": sum(results) == 1}[operation]
    if operation not in LEAF_OPS:
        raise ApiError(400, "Filter operation '%s' is not supported." % expr.get("operation"), parameterName="filter")
    prop = expr.get("property")
    try:
        actual = _resolve(item, prop)
    except KeyError:
        raise ApiError(400, "Filter property '%s' does not exist." % prop, parameterName="filter") from None
    collation = str(expr.get("collation") or "ordinal").lower()
    fold = collation == "ignorecase" or _prop_key(prop) in ENUM_FILTER_PROPS

    def norm(value):
        return value.casefold() if fold and isinstance(value, str) else value

    value = expr.get("value")
    values = value if isinstance(value, list) else [value]
    if operation == "equals":
        return norm(actual) == norm(_coerce(actual, value))
    if operation == "notequals":
        return norm(actual) != norm(_coerce(actual, value))
    if operation == "in":
        return any(norm(actual) == norm(_coerce(actual, v)) for v in values)
    if operation == "contains":
        if isinstance(actual, list):
            return any(norm(a) == norm(value) for a in actual)
        return isinstance(actual, str) and isinstance(value, str) and norm(value) in norm(actual)
    if operation in ("subset", "superset"):
        have = {norm(a) for a in (actual if isinstance(actual, list) else [actual])}
        want = {norm(v) for v in values}
        return have <= want if operation == "subset" else have >= want
    if actual is None:
        return False
    left, right = _sort_key(actual, collation), _sort_key(_coerce(actual, value), collation)
    try:
        return {"lessthan": left < right, "lessthanorequal": left <= right,
                "greaterthan": left > right, "greaterthanorequal": left >= right}[operation]
    except TypeError:
        return False


def _sort(items, expressions):
    for expr in reversed(expressions):  # stable sorts, last key first
        prop, direction = expr.get("property"), str(expr.get("direction") or "").lower()
        if not prop or direction not in ("ascending", "descending"):
            raise ApiError(400, "Sort expressions need a property and a direction (ascending or descending).",
                           parameterName="sort")
        collation = str(expr.get("collation") or "ordinal").lower()
        try:
            items = sorted(items, key=lambda i: _sort_key(_resolve(i, prop), collation),
                           reverse=direction == "descending")
        except KeyError:
            raise ApiError(400, "Sort property '%s' does not exist." % prop, parameterName="sort") from None
        except TypeError:
            raise ApiError(400, "Sort property '%s' cannot be ordered." % prop, parameterName="sort") from None
    return items


def _select(obj, expressions):
    """Keep only the selected property paths (unknown paths are left out); no expressions keep all."""
    if not expressions:
        return obj
    out = {}
    for expr in expressions:
        segments = [s for s in re.split(r"[./]", str(expr.get("propertyPath") or "")) if s]
        source, target = obj, out
        for index, segment in enumerate(segments):
            key = next((k for k in source if k.lower() == segment.lower()), None) if isinstance(source, dict) else None
            if key is None:
                break
            if index == len(segments) - 1 or not isinstance(source[key], dict):
                target[key] = source[key]
                break
            target = target.setdefault(key, {})
            source = source[key]
    return out


def _apply_select(obj):
    return _select(obj, _json_param("select"))


def collection(items, max_page_size, sim=None, memo_key=None):
    """The VSPC collection envelope after filter, sort, offset, limit and select.

    ``items`` is a list, or a function returning it. With ``sim`` and ``memo_key`` (what else
    the list depends on: caller, client version, ...), the filtered and sorted list is kept
    until the state changes (:meth:`simcore.Simulator.memo`): paging through 10,000 users
    then renders and filters them once, not once per page."""
    limit = _int_param("limit", 100, 1, int(max_page_size))
    offset = _int_param("offset", 0, 0, 2147483647)

    def build():
        rows = items() if callable(items) else items
        expressions = _json_param("filter")
        if expressions:
            rows = [i for i in rows if all(_match(i, e) for e in expressions)]
        sort = _json_param("sort")
        if sort:
            rows = _sort(rows, sort)
        return rows

    if sim is None or memo_key is None:
        items = build()
    else:
        items = sim.memo(tuple(memo_key) + (request.args.get("filter"), request.args.get("sort")), build)
    page = items[offset:offset + limit]
    select = _json_param("select")
    page = [_select(i, select) for i in page]
    return {"meta": {"pagingInfo": {"total": len(items), "count": len(page), "offset": offset}}, "data": page}


# ---------------------------------------------------------------- validation helpers

def _error_for(err):
    """One ResponseError for a jsonschema error, worded like the server's model validation."""
    while err.context:  # nullable anyOf wrappers: report the branch that is not "must be null"
        branches = [e for e in err.context if not (e.validator == "type" and e.validator_value == "null")]
        err = (branches or err.context)[0]
    prop = ".".join(str(p) for p in err.absolute_path)
    if err.validator == "required":
        missing = re.search(r"'(.+?)' is a required property", err.message)
        prop = ".".join(filter(None, [prop, missing.group(1) if missing else ""]))
        message = "The %s field is required." % prop
    elif err.validator == "pattern":
        message = "The field %s must match the regular expression '%s'." % (prop, err.validator_value)
    elif err.validator == "maxLength":
        message = "The field %s must be a string with a maximum length of %s." % (prop, err.validator_value)
    elif err.validator == "minLength":
        message = "The field %s must be a string with a minimum length of %s." % (prop, err.validator_value)
    elif err.validator in ("minimum", "maximum"):
        message = "The field %s must be %s %s." % (
            prop, "at least" if err.validator == "minimum" else "at most", err.validator_value)
    elif err.validator == "enum":
        message = "The value is not valid for %s; allowed values: %s." % (prop, ", ".join(err.validator_value))
    elif err.validator == "type":
        message = "The field %s must be of type %s." % (prop or "body", err.validator_value)
    elif err.validator == "format":
        message = "The field %s must be a valid %s." % (prop, err.validator_value)
    else:
        message = "The value of %s is not valid." % (prop or "body")
    return {"message": message, "type": "logical", "code": 400, "propertyName": prop or "body"}


def _validate(validator, doc):
    errors = sorted(validator.iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path])
    if errors:
        raise ApiError(400, "", errors=[_error_for(e) for e in errors])


def _canonical_enums(doc):
    if not isinstance(doc, dict):
        return doc
    for key in ("status", "mfaPolicyStatus", "role"):
        if key in doc:
            doc[key] = _canonical(doc[key], ENUMS[key])
    if isinstance(doc.get("profile"), dict) and "title" in doc["profile"]:
        doc["profile"]["title"] = _canonical(doc["profile"]["title"], ENUMS["title"])
    return doc


def _json_body():
    mimetype = request.mimetype or ""
    if not (mimetype == "application/json" or (mimetype.startswith("application/") and mimetype.endswith("+json"))):
        raise ApiError(415, "Content type '%s' is not supported; use application/json." % (mimetype or "none"))
    body = request.get_json(silent=True)
    if body is None:
        raise ApiError(400, "The request body is missing or is not valid JSON.", parameterName="body")
    return body


# ---------------------------------------------------------------- the application

class UserUidConverter(BaseConverter):
    """A ``/users/{userUid}`` segment other than ``me``: ``/users/me`` is its own resource, which the vendor
    document serves for GET only, so ``PATCH``/``DELETE /users/me`` are 405 (with ``Allow``), not "user 'me'
    does not exist"."""

    regex = r"(?!me(?![^/]))[^/]+"


def create_app():
    app, sim = simcore.create_app("veeam", seed, config=CONFIG, presets=PRESETS,
                                  seed_handler=seed_handler, state_view=state_view)
    app.url_map.converters["user"] = UserUidConverter

    @app.errorhandler(ApiError)
    def _api_error(err):
        return err.body, err.status, err.headers

    @app.errorhandler(HTTPException)
    def _http_error(err):
        message = "Resource '%s' does not exist." % request.path if err.code == 404 else err.description
        # A 405 lists the methods the path serves (RFC 9110); werkzeug knows them.
        headers = {k: v for k, v in err.get_headers() if k.lower() == "allow"}
        return {"errors": [{"message": message, "type": "logical", "code": err.code}]}, err.code, headers

    @app.errorhandler(Exception)
    def _unexpected(err):  # the vendor sends every server error as 520
        app.logger.exception("unexpected simulator error")
        return {"errors": [{"message": "Unexpected server error: %s" % err, "type": "unspecified", "code": 500}]}, 520

    @app.before_request
    def _expire_tokens():
        mode = sim.config.get("expire_tokens_now")
        if mode and request.path.startswith(BASE + "/"):
            with sim.lock:
                for token in sim.state["tokens"].values():
                    if token["kind"] == "access" or mode == "all":
                        token["expires"] = 0
                sim.config["expire_tokens_now"] = False

    def api(rule, methods=("GET",), anonymous=False):
        def register(handler):
            def view(**kwargs):
                with sim.lock:
                    caller = None if anonymous else authenticate(sim)
                    if anonymous or request.method in ("GET", "HEAD", "OPTIONS"):
                        return handler(caller, **kwargs)
                    return idempotent(lambda: handler(caller, **kwargs))
            app.add_url_rule(BASE + rule, endpoint="api_" + handler.__name__, view_func=view, methods=list(methods))
            return handler
        return register

    def idempotent(run):
        """Run a write once per ``X-Request-id`` within ``request_id_ttl`` seconds; replay its answer after."""
        request_id = request.headers.get("X-Request-id")
        if not request_id:
            return run()
        if not _is_uuid(request_id):
            raise ApiError(400, "The X-Request-id header must be a UUID.", parameterName="X-Request-id")
        kept = state()["request_ids"]
        now = time.time()
        for key in [k for k, v in kept.items() if v["expires"] <= now]:
            del kept[key]
        key = str(uuid.UUID(request_id))
        if key in kept:
            return _replay(kept[key])
        try:
            answer = run()
        except ApiError as err:
            answer = (err.body, err.status, err.headers)
        response = app.make_response(answer)
        kept[key] = {"status": response.status_code, "data": response.get_data(),
                     "headers": [(k, v) for k, v in response.headers.items() if k.lower() in ("content-type", "location")],
                     "expires": now + float(sim.config["request_id_ttl"])}
        return response

    def state():  # sim.state is replaced on reset, so never keep a reference to it
        return sim.state

    # ------------------------------------------------------------ authentication

    @api("/token", methods=("POST",), anonymous=True)
    def token(_caller):
        if request.mimetype != "application/x-www-form-urlencoded":
            raise ApiError(415, "Content type '%s' is not supported; use application/x-www-form-urlencoded."
                           % (request.mimetype or "none"))
        form = request.form
        grant = form.get("grant_type")
        read_only = str(form.get("readOnly", "")).lower() == "true"
        if not grant:
            return oauth_error("invalid_request", "The grant_type parameter is required.")
        if grant == "password":
            user = find_login_user(sim, form.get("username") or "")
            if (user is None or not form.get("password") or user["credentials"]["password"] != form["password"]
                    or not can_log_in(sim, user) or user["mfaPolicyConfigurationStatus"] == "Configured"):
                return oauth_error("invalid_request", OAUTH_BAD_LOGIN)
            return token_response(issue_tokens(sim, user, read_only, user["loginId"]))
        if grant in ("refresh_token", "as"):
            entry = state()["tokens"].get(form.get("refresh_token") or "")
            if not entry or entry["kind"] != "refresh" or entry["expires"] <= time.time():
                return oauth_error("invalid_grant", "The refresh token is invalid or has expired.")
            user = state()["users"].get(entry["userUid"])
            if user is None or not can_log_in(sim, user):
                return oauth_error("invalid_grant", "The refresh token is invalid or has expired.")
            if grant == "as":  # impersonation: the caller must be able to edit the target user
                target = state()["users"].get(form.get("userUid") or "")
                caller = {"user": user, "read_only": entry["readOnly"]}
                if target is None or not org_visible(sim, caller, target["organizationUid"]) \
                        or user["role"] not in USERS_WRITE_ROLES or not can_log_in(sim, target):
                    return oauth_error("invalid_request", OAUTH_BAD_LOGIN)
                return token_response(issue_tokens(sim, target, read_only, target["loginId"]))
            if sim.config["refresh_token_single_use"]:
                del state()["tokens"][form["refresh_token"]]
            return token_response(issue_tokens(sim, user, entry["readOnly"] or read_only, entry["loginId"]))
        return oauth_error("unsupported_grant_type", "Grant type '%s' is not supported." % grant)

    @api("/about")
    def about(_caller):
        return {"data": {"installationId": "5b8d0f3a-2c47-4e19-9a6b-d1e3f5a7c920",
                         "installationDate": "2026-01-05T09:12:44.1234567+00:00", "actualVawVersion": "6.3.0.177",
                         "actualValVersion": "6.3.0.1010", "actualVamVersion": "2.3.0.86",
                         "serverVersion": "9.1.0.30713", "windowsManagementAgentVersion": "9.1.0.30713",
                         "linuxManagementAgentVersion": "9.1.0.30713", "macManagementAgentVersion": "9.1.0.30713"}}

    # ------------------------------------------------------------ users

    @api("/users")
    def list_users(caller):
        require_role(caller)
        version = _client_version()

        def items():
            return [present_user(sim, u, version) for u in state()["users"].values()
                    if org_visible(sim, caller, u["organizationUid"])]
        return collection(items, sim.config["max_page_size"], sim, ("users", caller["user"]["instanceUid"], version))

    @api("/users/me")
    def current_user(caller):
        return {"data": _apply_select(present_user(sim, caller["user"], _client_version()))}

    @api("/users/<user:user_uid>")
    def get_user(caller, user_uid):
        require_role(caller)
        return {"data": _apply_select(present_user(sim, find_user(sim, caller, user_uid), _client_version()))}

    @api("/users", methods=("POST",))
    def create_user(caller):
        require_role(caller, write=True)
        body, version, select = _json_body(), _client_version(), _json_param("select")
        return write(caller, "CreateUser", lambda: do_create(sim, caller, body, version, select))

    @api("/users/<user:user_uid>", methods=("PATCH",))
    def patch_user(caller, user_uid):
        require_role(caller, write=True)
        body, version, select = _json_body(), _client_version(), _json_param("select")
        return write(caller, "PatchUser", lambda: do_patch(sim, caller, user_uid, body, version, select))

    @api("/users/<user:user_uid>", methods=("DELETE",))
    def delete_user(caller, user_uid):
        require_role(caller, write=True)
        return write(caller, "DeleteUser", lambda: do_delete(sim, caller, user_uid))

    @api("/users/<user_uid>/tokens", methods=("DELETE",))
    def revoke_tokens(caller, user_uid):
        user = find_user(sim, caller, user_uid, any_role=True)
        login_id = _int_param("userLoginId", None, -2 ** 63, 2 ** 63 - 1)  # int64
        tokens = state()["tokens"]
        for key in [k for k, t in tokens.items() if t["userUid"] == user["instanceUid"]
                    and (login_id is None or t["loginId"] == login_id)]:
            del tokens[key]
        return {"data": True}

    @api("/users/<user_uid>/logins")
    def list_logins(caller, user_uid):
        user = find_user(sim, caller, user_uid, any_role=True)
        keys = [k for k in state()["api_keys"] if k["userUid"] == user["instanceUid"]]
        return {"data": [render_login(state(), user)] + [render_login(state(), user, k) for k in keys]}

    @api("/users/<user_uid>/logins/apikey", methods=("POST",))
    def add_api_key(caller, user_uid):
        user = find_user(sim, caller, user_uid, any_role=True)
        if caller["read_only"] or (user is not caller["user"] and caller["user"]["role"] not in USERS_WRITE_ROLES):
            raise forbidden()
        description = request.args.get("description") or ""
        if not 1 <= len(description) <= 128 or re.search(r"[<>=]", description):
            raise ApiError(400, "The description must be 1-128 characters without < > =.",
                           parameterName="description")
        scopes = _json_list_arg("scopes") or ["rest"]
        if not set(scopes) <= {"unknown", "integration", "rest", "ui"}:
            raise ApiError(400, "The specified scope cannot be assigned.", code=1209, parameterName="scopes")
        read_only = _bool_param("isReadAccessOnly")
        key = secrets.token_hex(8) + secrets.token_urlsafe(72).replace("-", "x").replace("_", "y")
        entry = _add_api_key(state(), user, key, description, read_only, scopes)
        return {"data": render_login(state(), user, entry, show_key=True)}

    @api("/users/<user_uid>/logins/<int:login_id>", methods=("DELETE",))
    def delete_login(caller, user_uid, login_id):
        user = find_user(sim, caller, user_uid, any_role=True)
        keys = state()["api_keys"]
        match = [k for k in keys if k["id"] == login_id and k["userUid"] == user["instanceUid"]]
        if not match:
            raise ApiError(404, "User identity %d does not exist." % login_id)
        keys.remove(match[0])
        return {"data": True}

    @api("/users/<user_uid>/backupResource")
    def get_backup_resource(caller, user_uid):
        require_role(caller)
        return {"data": render_backup_resource(find_user(sim, caller, user_uid), user_uid)}

    @api("/users/<user_uid>/backupResource", methods=("PATCH",))
    def patch_backup_resource(caller, user_uid):
        require_role(caller, write=True)
        body = _json_body()
        return write(caller, "PatchUserBackupResource", lambda: do_patch_backup_resource(sim, caller, user_uid, body))

    # ------------------------------------------------------------ organizations

    def organizations(org_type, caller):
        return [o for o in state()["organizations"].values()
                if (org_type is None or o["type"] == org_type) and org_visible(sim, caller, o["instanceUid"])]

    def expand_organization():
        """``expand``: an array of CompanyExpand/ResellerExpand/ProviderExpand (only ``Organization``), sent
        form-style (``expand=Organization``, repeated or comma-separated) or as a JSON array [I]."""
        values = request.args.getlist("expand")
        flat = []
        for value in values:
            try:
                parsed = json.loads(value)
            except ValueError:
                parsed = value.split(",")
            flat.extend(parsed if isinstance(parsed, list) else [parsed])
        chosen = set()
        for value in flat:
            if isinstance(value, str) and not value.strip():
                continue
            member = _canonical(value.strip(), EXPAND_VALUES) if isinstance(value, str) else value
            if member not in EXPAND_VALUES:
                raise ApiError(400, "Value %s of the expand parameter is not valid; allowed values: %s." % (
                    json.dumps(value), ", ".join(EXPAND_VALUES)), parameterName="expand")
            chosen.add(member)
        return "Organization" in chosen

    @api("/organizations")
    def list_organizations(caller):
        items = [render_organization(o) for o in organizations(None, caller)]
        return collection(items, sim.config["max_page_size"])

    @api("/organizations/companies")
    def list_companies(caller):
        expand = expand_organization()
        items = [render_company(o, expand) for o in organizations("Company", caller)]
        return collection(items, sim.config["max_page_size"])

    @api("/organizations/resellers")
    def list_resellers(caller):
        expand = expand_organization()
        items = [render_reseller(o, expand) for o in organizations("Reseller", caller)]
        return collection(items, sim.config["max_page_size"])

    @api("/organizations/provider")
    def get_provider(_caller):
        provider = state()["organizations"][PROVIDER_UID]
        return {"data": {"instanceUid": PROVIDER_UID, "_embedded": _embedded(provider, expand_organization())}}

    @api("/organizations/<org_uid>/users")
    def list_organization_users(caller, org_uid):
        require_role(caller)
        org = state()["organizations"].get(org_uid)
        if org is None or not org_visible(sim, caller, org_uid):
            raise ApiError(404, "Organization with UID '%s' does not exist." % org_uid)
        version = _client_version()

        def items():
            return [present_user(sim, u, version) for u in state()["users"].values() if u["organizationUid"] == org_uid]
        return collection(items, sim.config["max_page_size"], sim, ("organization users", org_uid, version))

    # ------------------------------------------------------------ asynchronous actions

    def write(caller, action_name, run):
        """Run a write now, or register it as an async action and answer 202."""
        config = sim.config
        if not (config["async_writes"] or int(config["async_next_writes"]) > 0):
            status, body = execute(run)
            return body, status
        if int(config["async_next_writes"]) > 0:
            config["async_next_writes"] = int(config["async_next_writes"]) - 1
        action_id = request.headers.get("X-Request-id") or str(uuid.uuid4())
        if not _is_uuid(action_id):
            raise ApiError(400, "The X-Request-id header must be a UUID.", parameterName="X-Request-id")
        actions = state()["async_actions"]
        if action_id not in actions:  # a repeated X-Request-id does not start the action twice
            body = request.get_json(silent=True)
            actions[action_id] = {
                "id": action_id, "initiatorUid": caller["user"]["instanceUid"], "actionName": action_name,
                "status": "running",
                "requestBody": json.dumps(simcore.redact(body)) if body is not None else None,
                "queryParameters": {k: request.args.getlist(k) for k in request.args},
                "_polls_left": int(config["async_polls"]), "_run": run, "_result": None,
            }
        response = Response(status=202)
        response.headers["Location"] = request.host_url.rstrip("/") + BASE + "/asyncActions/" + action_id
        del response.headers["Content-Type"]
        return response

    def find_action(caller, action_id):
        action = state()["async_actions"].get(action_id)
        if action is None or (action["initiatorUid"] != caller["user"]["instanceUid"]
                              and caller["user"]["role"] != "PortalAdministrator"):
            raise ApiError(404, "Async action '%s' does not exist." % action_id)
        return action

    def public_action(action):
        return {k: v for k, v in action.items() if not k.startswith("_")}

    @api("/asyncActions")
    def list_actions(caller):
        items = [public_action(a) for a in state()["async_actions"].values()
                 if a["initiatorUid"] == caller["user"]["instanceUid"] or caller["user"]["role"] == "PortalAdministrator"]
        return collection(items, sim.config["max_page_size"])

    @api("/asyncActions/<action_id>")
    def get_action(caller, action_id):
        action = find_action(caller, action_id)
        if action["status"] == "running":
            if action["_polls_left"] > 0:
                action["_polls_left"] -= 1
            else:
                sim.touch()  # a GET that runs a write
                status, body = execute(action["_run"])
                sim.touch()
                action["_result"] = (status, body)
                action["status"] = "succeed" if status < 400 else "failed"
        return {"data": _apply_select(public_action(action))}

    @api("/asyncActions/<action_id>", methods=("DELETE",))
    def cancel_action(caller, action_id):
        action = find_action(caller, action_id)
        if action["status"] == "running":
            action["status"] = "canceled"
        return _empty_response()

    @api("/asyncActions/<action_id>/result")
    def get_action_result(caller, action_id):
        action = find_action(caller, action_id)
        if action["status"] == "running":
            raise ApiError(400, "Async action '%s' is still running." % action_id, code=1000)
        if action["status"] == "canceled":
            raise ApiError(400, "Async action '%s' has been canceled." % action_id, code=1050)
        status, body = action["_result"]
        return body, status

    @api("/asyncActions/<action_id>/result", methods=("DELETE",))
    def clear_action_result(caller, action_id):
        find_action(caller, action_id)
        del state()["async_actions"][action_id]
        return _empty_response()

    return app, sim


def _json_list_arg(name):
    """An array query parameter: form-style (``scopes=rest&scopes=ui``, as the vendor document describes
    it), comma-separated, or a JSON array [I]."""
    values = []
    for raw in request.args.getlist(name):
        if not raw:
            continue
        try:
            value = json.loads(raw)
        except ValueError:
            value = raw.split(",")
        values.extend(str(v) for v in (value if isinstance(value, list) else [value]))
    return values or None


def _replay(kept):
    response = Response(kept["data"], status=kept["status"])
    del response.headers["Content-Type"]
    for key, value in kept["headers"]:
        response.headers[key] = value
    return response


def execute(run):
    try:
        return run()
    except ApiError as err:
        return err.status, err.body


def oauth_error(error, description):
    return {"error": error, "error_description": description, "error_uri": None}, 400


def token_response(result):
    return result, 200, {"Cache-Control": "no-store", "Pragma": "no-cache"}


def forbidden():
    return ApiError(403, "The current user is not allowed to perform this operation.", kind="security")


# ---------------------------------------------------------------- authentication helpers

def _jwt(claims):
    def b64(raw):
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    def part(obj):
        return b64(json.dumps(obj, separators=(",", ":")).encode())
    return ".".join([part({"typ": "JWT", "alg": "RS256"}), part(claims), b64(secrets.token_bytes(64))])


def issue_tokens(sim, user, read_only, login_id):
    now = time.time()
    tokens = sim.state["tokens"]
    for key in [k for k, t in tokens.items() if t["expires"] <= now]:
        del tokens[key]  # keep the store small
    lifetimes = {"access": int(sim.config["access_token_lifetime"]), "refresh": int(sim.config["refresh_token_lifetime"])}
    issued = {}
    for kind, code in (("access", "3"), ("refresh", "2")):
        value = _jwt({"iat": str(int(now)), "exp": str(int(now + lifetimes[kind])), "sub": user["instanceUid"],
                      "jti": str(uuid.uuid4()), "name": user["userName"], "lid": str(login_id), "kind": code})
        tokens[value] = {"kind": kind, "userUid": user["instanceUid"], "loginId": login_id,
                         "expires": now + lifetimes[kind], "readOnly": bool(read_only)}
        issued[kind] = value
    return {"access_token": issued["access"], "token_type": "bearer", "refresh_token": issued["refresh"],
            "mfa_token": None, "encrypted_code": None, "expires_in": lifetimes["access"]}


def find_login_user(sim, username):
    """The user a login name means: ``name`` or ``orgAlias\\name`` (case-insensitive)."""
    alias, sep, name = username.rpartition("\\")
    orgs = sim.state["organizations"]
    candidates = [u for u in sim.state["users"].values() if u["userName"].lower() == name.lower()]
    if sep:
        candidates = [u for u in candidates if (orgs[u["organizationUid"]]["alias"] or "").lower() == alias.lower()]
    elif sim.config["login_requires_org_alias"]:
        candidates = [u for u in candidates if orgs[u["organizationUid"]]["type"] == "Provider"]
    return candidates[0] if len(candidates) == 1 else None


def can_log_in(sim, user):
    org = sim.state["organizations"].get(user["organizationUid"])
    return user["status"] == "Enabled" and org is not None and org.get("details", {}).get("status", "Active") == "Active"


def authenticate(sim):
    """The caller of an API request: ``{"user": ..., "read_only": bool}``, or a 401 error."""
    scheme, dummy, credential = request.headers.get("Authorization", "").partition(" ")
    credential = credential.strip()
    if scheme.lower() != "bearer" or not credential:
        raise _unauthorized("Authorization with a Bearer access token or API key is required.")
    users = sim.state["users"]
    entry = sim.state["tokens"].get(credential)
    if entry is not None and entry["kind"] == "access":
        if entry["expires"] <= time.time():
            raise _unauthorized("The access token has expired.")
        user, read_only = users.get(entry["userUid"]), entry["readOnly"]
    else:
        key = next((k for k in sim.state["api_keys"] if k["apiKey"] == credential and k["status"] == "enabled"), None)
        if key is None:
            raise _unauthorized("The access token or API key is not valid.")
        user, read_only = users.get(key["userUid"]), key["isReadAccessOnly"]
    if user is None or not can_log_in(sim, user):
        raise _unauthorized("The user of this access token is disabled or no longer exists.")
    return {"user": user, "read_only": read_only}


def _unauthorized(message):
    return ApiError(401, message, kind="security", headers={"WWW-Authenticate": "Bearer"})


def require_role(caller, write=False):
    role = caller["user"]["role"]
    if role not in USERS_READ_ROLES or (write and (caller["read_only"] or role not in USERS_WRITE_ROLES)):
        raise forbidden()


def org_visible(sim, caller, org_uid):
    orgs = sim.state["organizations"]
    own = orgs.get(caller["user"]["organizationUid"])
    if own is None:
        return False
    if own["type"] == "Provider":
        return True
    if org_uid == own["instanceUid"]:
        return True
    target = orgs.get(org_uid)
    return own["type"] == "Reseller" and target is not None and \
        target.get("details", {}).get("resellerUid") == own["instanceUid"]


def find_user(sim, caller, user_uid, any_role=False):
    """A user the caller may see, or the documented not-found error."""
    user = sim.state["users"].get(str(user_uid).lower()) or sim.state["users"].get(user_uid)
    if user is not None and (org_visible(sim, caller, user["organizationUid"]) or
                             (any_role and user is caller["user"])):
        return user
    raise ApiError(404, "User with UID '%s' does not exist." % user_uid, code=int(sim.config["missing_user_code"]))


# ---------------------------------------------------------------- user operations

def _check_role(sim, role, org, prop="role"):
    if role == "Unknown":
        raise ApiError(400, "The role Unknown cannot be assigned.", propertyName=prop)
    if sim.config["enforce_role_org_type"] and role not in ROLE_ORG_TYPES.get(org["type"], set()):
        raise ApiError(400, "The role %s cannot be assigned to a user of a %s organization." % (role, org["type"]),
                       propertyName=prop)


def _check_unique(sim, name, org_uid):
    users = sim.state["users"]
    for other in [users[uid] for uid in sim.state["user_names"].get(name.lower(), ())]:
        same_scope = sim.config["username_unique_scope"] == "global" or other["organizationUid"] == org_uid
        if same_scope and other["userName"].lower() == name.lower():
            raise ApiError(int(sim.config["duplicate_user_status"]), "User with the name '%s' already exists." % name,
                           code=int(sim.config["duplicate_user_status"]), propertyName="credentials.userName")


def do_create(sim, caller, body, client_version, select):
    _validate(USER_INPUT, _canonical_enums(body))
    org = sim.state["organizations"].get(body["organizationUid"].lower())
    if org is None:
        raise ApiError(400, "Organization with UID '%s' does not exist." % body["organizationUid"],
                       propertyName="organizationUid")
    if not org_visible(sim, caller, org["instanceUid"]):
        raise forbidden()
    _check_role(sim, body["role"], org)
    if body.get("backupResource") and body["role"] != "CompanySubtenant":
        raise ApiError(400, "A backup resource can be configured only for CompanySubtenant users.",
                       propertyName="backupResource")
    name = body["credentials"]["userName"]
    _check_unique(sim, name, org["instanceUid"])
    user = _user(sim.state, str(uuid.uuid4()), org["instanceUid"], name, body["credentials"].get("password"),
                 body["role"], body["profile"], mfaPolicyStatus=body.get("mfaPolicyStatus", "Disabled"),
                 backupResource=body.get("backupResource"))
    _add_user(sim.state, user)
    return 200, {"data": _select(present_user(sim, user, client_version), select)}


def _canonical_pointer(doc, path):
    """Match a JSON pointer case-insensitively against the document; add a missing leading slash."""
    if not isinstance(path, str) or path == "":
        return path
    node, out = doc, []
    for segment in (path if path.startswith("/") else "/" + path).split("/")[1:]:
        key = next((k for k in node if k.lower() == segment.lower()), segment) if isinstance(node, dict) else segment
        out.append(key)
        node = node.get(key) if isinstance(node, dict) else None
    return "/" + "/".join(out)


def _read_only_values(doc):
    credentials = doc.get("credentials") if isinstance(doc.get("credentials"), dict) else {}
    return [doc.get("instanceUid"), doc.get("organizationUid"), doc.get("userName"),
            doc.get("mfaPolicyConfigurationStatus"), credentials.get("userName")]


def _known_shape(doc):
    profile, credentials = doc.get("profile"), doc.get("credentials")
    return (set(doc) <= USER_KEYS
            and (not isinstance(profile, dict) or set(profile) <= set(PROFILE_KEYS))
            and (not isinstance(credentials, dict) or set(credentials) <= {"userName", "password"}))


def do_patch(sim, caller, user_uid, ops, client_version, select):
    user = find_user(sim, caller, user_uid)
    if isinstance(ops, dict) and sim.config["accept_single_patch_object"]:
        ops = [ops]
    if not isinstance(ops, list):
        raise ApiError(400, "The request body must be an array of JSON Patch operations.", propertyName="body")
    doc = render_user(user)
    original = _read_only_values(doc)
    for raw in ops:
        path = raw.get("path") if isinstance(raw, dict) else None
        failed = ApiError(400, "The property at path '%s' could not be updated." % path, code=1001,
                          failedJsonPatch=simcore.redact(raw))
        if not isinstance(raw, dict) or any(True for dummy in PATCH_OP.iter_errors(raw)):
            raise failed
        op = dict(raw, path=_canonical_pointer(doc, raw["path"]))
        if op.get("from") is not None:
            op["from"] = _canonical_pointer(doc, op["from"])
        touched = [op["path"]] + ([op["from"]] if op["op"] == "move" else [])
        if any(p.lower() in RO_PATHS for p in touched):
            raise failed
        try:
            doc = jsonpatch.apply_patch(doc, [op])
        except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException, TypeError, KeyError, IndexError):
            raise failed from None
        if not isinstance(doc, dict) or _read_only_values(doc) != original or not _known_shape(doc):
            raise failed
    _validate(USER, _canonical_enums(doc))
    org = sim.state["organizations"][user["organizationUid"]]
    if doc["role"] != user["role"]:
        _check_role(sim, doc["role"], org)
    user["role"] = doc["role"]
    user["status"] = doc.get("status", "Enabled")
    user["mfaPolicyStatus"] = doc.get("mfaPolicyStatus", "Disabled")
    user["profile"] = _profile(doc["profile"])
    new_password = (doc.get("credentials") or {}).get("password")
    if new_password:
        user["credentials"]["password"] = new_password
    return 200, {"data": _select(present_user(sim, user, client_version), select)}


def render_backup_resource(user, user_uid):
    resource = user.get("backupResource")
    if not resource:
        raise ApiError(404, "Backup resource of user '%s' does not exist." % user_uid)
    return dict({"userUid": user["instanceUid"]}, **resource, storageQuotaUsage=0)


def do_patch_backup_resource(sim, caller, user_uid, ops):
    """PatchUserBackupResource: the same JSON Patch rules as PatchUser, on the subtenant's resource."""
    user = find_user(sim, caller, user_uid)
    doc = render_backup_resource(user, user_uid)
    if isinstance(ops, dict) and sim.config["accept_single_patch_object"]:
        ops = [ops]
    if not isinstance(ops, list):
        raise ApiError(400, "The request body must be an array of JSON Patch operations.", propertyName="body")
    original = {k: doc[k] for k in ("userUid", "subtenantUid", "vcdUserId")}
    for raw in ops:
        path = raw.get("path") if isinstance(raw, dict) else None
        failed = ApiError(400, "The property at path '%s' could not be updated." % path, code=1001,
                          failedJsonPatch=simcore.redact(raw))
        if not isinstance(raw, dict) or any(True for dummy in PATCH_OP.iter_errors(raw)):
            raise failed
        op = dict(raw, path=_canonical_pointer(doc, raw["path"]))
        if op["path"].lower() in BACKUP_RESOURCE_RO:
            raise failed
        try:
            doc = jsonpatch.apply_patch(doc, [op])
        except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException, TypeError, KeyError, IndexError):
            raise failed from None
        if not isinstance(doc, dict) or {k: doc.get(k) for k in original} != original:
            raise failed
    _validate(BACKUP_RESOURCE, doc)
    if doc.get("storageQuota") is not None and doc["storageQuota"] < 0:
        raise ApiError(400, "The field storageQuota must be 0 or more.", propertyName="storageQuota")
    stored = user["backupResource"]
    for key in ("description", "siteUid", "tenantBackupResourceUid", "resourceFriendlyName", "storageQuota",
                "isStorageQuotaUnlimited"):
        if key in doc:
            stored[key] = doc[key]
    return 200, {"data": render_backup_resource(user, user_uid)}


def do_delete(sim, caller, user_uid):
    user = find_user(sim, caller, user_uid)
    uid = user["instanceUid"]
    del sim.state["users"][uid]
    namesakes = sim.state["user_names"][user["userName"].lower()]
    namesakes.remove(uid)
    if not namesakes:
        del sim.state["user_names"][user["userName"].lower()]
    tokens = sim.state["tokens"]
    for key in [k for k, t in tokens.items() if t["userUid"] == uid]:
        del tokens[key]
    sim.state["api_keys"] = [k for k in sim.state["api_keys"] if k["userUid"] != uid]
    return 200, _empty_response()


# ---------------------------------------------------------------- /_sim/seed and /_sim/state

def _org_ref(sim, spec, default=None):
    uid = spec.get("organizationUid")
    name = spec.get("organization", default)
    for org in sim.state["organizations"].values():
        if (uid and org["instanceUid"] == uid) or (not uid and name and org["name"].lower() == str(name).lower()):
            return org
    raise ApiError(400, "Seed: organization %r does not exist." % (uid or name))


def _seed_org(sim, spec, org_type):
    orgs = sim.state["organizations"]
    if any(o["name"].lower() == spec["name"].lower() for o in orgs.values()):
        raise ApiError(409, "Seed: organization %r already exists." % spec["name"], code=409)
    fields = {k: v for k, v in spec.items() if k not in ("instanceUid", "name", "alias", "type")}
    if org_type == "Company" and spec.get("reseller"):
        fields["resellerUid"] = _org_ref(sim, {"organization": spec["reseller"]})["instanceUid"]
    owner = spec.get("owner")
    if owner:
        fields["ownerUserName"] = owner["userName"]
    uid = spec.get("instanceUid") or str(uuid.uuid4())
    default_alias = re.sub(r"[^a-z0-9]", "", spec["name"].lower())[:32]
    orgs[uid] = _organization(uid, spec["name"], spec.get("alias", default_alias), org_type, **fields)
    if owner:
        _seed_user(sim, dict(owner, organizationUid=uid, role=owner.get("role", org_type + "Owner")))
    return orgs[uid]


def _seed_user(sim, spec, check=True):
    org = _org_ref(sim, spec)
    if check:
        _check_unique(sim, spec["userName"], org["instanceUid"])
    uid = spec.get("instanceUid") or str(uuid.uuid4())
    fields = {k: spec[k] for k in ("status", "mfaPolicyStatus", "mfaPolicyConfigurationStatus", "backupResource")
              if k in spec}
    user = _user(sim.state, uid, org["instanceUid"], spec["userName"], spec.get("password"),
                 spec.get("role") or DEFAULT_ROLE[org["type"]], spec.get("profile"), **fields)
    _add_user(sim.state, user)
    return user


def seed_handler(sim, payload):
    """``POST /_sim/seed``: ``resellers``, ``companies`` (with an optional ``owner``), ``users``,
    ``generate_users`` ``{count, organization, prefix, role}`` and ``api_keys``
    ``[{userName | userUid, key, isReadAccessOnly, description}]``."""
    payload = payload or {}
    summary = {"resellers": [], "companies": [], "users": [], "generated": 0, "api_keys": []}
    for spec in payload.get("resellers", []):
        summary["resellers"].append(_seed_org(sim, spec, "Reseller")["instanceUid"])
    for spec in payload.get("companies", []):
        summary["companies"].append(_seed_org(sim, spec, "Company")["instanceUid"])
    for spec in payload.get("users", []):
        user = _seed_user(sim, spec)
        summary["users"].append({"instanceUid": user["instanceUid"], "userName": user["userName"]})
    generate = payload.get("generate_users")
    if generate:
        org = _org_ref(sim, generate, default="Acme Corp")
        prefix, start = generate.get("prefix", "bulk"), int(generate.get("start", 1))
        names = [("%s%04d" % (prefix, n), n) for n in range(start, start + int(generate.get("count", 0)))]
        scope_global = sim.config["username_unique_scope"] == "global"
        taken = {u["userName"].lower() for u in sim.state["users"].values()
                 if scope_global or u["organizationUid"] == org["instanceUid"]}
        clash = [name for name, _n in names if name.lower() in taken]
        if clash:  # one pass instead of a uniqueness scan per generated user
            _check_unique(sim, clash[0], org["instanceUid"])
        for name, number in names:
            _seed_user(sim, {"organizationUid": org["instanceUid"], "userName": name, "role": generate.get("role"),
                             "profile": {"firstName": prefix.capitalize(), "lastName": "User %d" % number,
                                         "email": "%s@%s.test" % (name, org["alias"] or "example")}}, check=False)
            summary["generated"] += 1
    for spec in payload.get("api_keys", []):
        users = sim.state["users"]
        user = users.get(spec.get("userUid", "")) or next(
            (u for u in users.values() if u["userName"].lower() == str(spec.get("userName", "")).lower()), None)
        if user is None or not spec.get("key"):
            raise ApiError(400, "Seed: an API key needs a key and an existing userName or userUid.")
        entry = _add_api_key(sim.state, user, spec["key"], spec.get("description", "Seeded API key"),
                             spec.get("isReadAccessOnly", False), spec.get("scopes", ["rest"]))
        summary["api_keys"].append({"id": entry["id"], "userUid": user["instanceUid"]})
    return summary


def state_view(sim):
    """What ``GET /_sim/state`` shows: stored users and organisations, API keys, token counts, actions."""
    st = sim.state
    now = time.time()
    live = [t for t in st["tokens"].values() if t["expires"] > now]
    return {
        "users": list(st["users"].values()),
        "organizations": list(st["organizations"].values()),
        "api_keys": st["api_keys"],  # the core redacts the apiKey values
        "tokens": {"access": sum(t["kind"] == "access" for t in live),
                   "refresh": sum(t["kind"] == "refresh" for t in live)},
        "async_actions": [{k: v for k, v in a.items() if not k.startswith("_")} for a in st["async_actions"].values()],
    }
