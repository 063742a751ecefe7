# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Veeam Service Provider Console REST API v3 facade (private: not a public API).

All paths are relative to ``<api_url>/api/v3``. Authentication is a Bearer token: an API
key or access token given by the user, or an access token from ``POST /token`` (OAuth 2.0
password grant, form-encoded). Answers are enveloped (``{"data": ...}``; collections add
``meta.pagingInfo``); errors carry ``errors[].message``, except ``/token``, which answers
with an OAuth ``error``/``error_description`` pair. Any operation may answer 202 with an
async action to poll. This module also holds the one table that maps the collection's
snake_case choices to the API's PascalCase values.
"""

import json
import re
import threading
import time
import uuid

from ansible_collections.msp.accounts.plugins.module_utils import _diff
from ansible_collections.msp.accounts.plugins.module_utils._http import (
    ApiError, HttpClient, InputError, api_url_hint, default_error_message, hint_on_404,
)
from ansible_collections.msp.accounts.plugins.module_utils._spec import Adapter, Option, Spec, get_path, set_path

API_PATH = "/api/v3"
PAGE_SIZE = 500
DEFAULT_WAIT_TIMEOUT = 120
# Seconds between two polls of an async action: starts short, grows to the cap.
POLL_FIRST, POLL_MAX = 0.5, 5.0
# Statuses of an async action that has ended.
SUCCEEDED = ("succeed", "succeeded", "success", "finished")
FAILED = ("failed", "canceled", "cancelled")


# -- the choices tables: snake_case option value -> API spelling ---------------------

def snake(value):
    """``CompanyOwner`` -> ``company_owner``: how every choice is named after its API spelling."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", str(value)).lower()


def choices(*spellings):
    """A choices table, ``{"company_owner": "CompanyOwner", ...}``, from the API's spellings."""
    return dict((snake(spelling), spelling) for spelling in spellings)


ROLES = choices("PortalAdministrator", "PortalOperator", "PortalReadonlyOperator", "SiteAdministrator",
                "CompanyLocationAdministrator", "CompanyLocationUser", "CompanyOwner", "CompanyAdministrator",
                "CompanyInvoiceAuditor", "CompanySubtenant", "CompanyTenant", "ResellerOwner", "ResellerAdministrator",
                "ResellerOperator", "ResellerUser", "ResellerInvoiceAuditor")
STATUSES = choices("Enabled", "Disabled")
TITLES = choices("Unknown", "Mr", "Mrs", "Miss", "Ms")
# Input accepts Enabled/Disabled; answers may also say EnabledByInheritance (read as enabled_by_inheritance).
MFA_POLICIES = choices("Enabled", "Disabled")
MFA_CONFIGURATIONS = choices("Configured", "NotConfigured")


def role_organization_type(role):
    """The organization type (API spelling) a role belongs to (portal and site roles: the provider's), or ``None``."""
    if not role:
        return None
    return {"company": "Company", "reseller": "Reseller"}.get(role.split("_", 1)[0], "Provider")


def roles_for_type(organization_type):
    """The role choices (snake_case, sorted) that belong to an organization type."""
    wanted = str(organization_type or "").casefold()
    return sorted(role for role in ROLES if str(role_organization_type(role)).casefold() == wanted)


def from_api(table, value):
    """The snake_case choice for an API value, matched case-insensitively.

    The API is not consistent about case (``Disabled`` and ``disabled`` both occur), and
    extensible enums may grow: unknown values are converted mechanically.
    """
    if value is None:
        return None
    folded = dict((spelling.casefold(), choice) for choice, spelling in table.items())
    return folded.get(str(value).casefold()) or snake(value)


# -- the portal user: its options, with the spelling of each in User/UserInput (``wire``) --

# The UserProfile email pattern of the vendor document. The document writes the opening
# quote group as ``(")?``; under the ECMAScript rules of the documented API a back-reference
# to a group that did not take part matches the empty string, while Python's ``re`` fails
# it. ``("?)`` is the same rule written so that both engines agree.
EMAIL_PATTERN = r"""^("?)(?:[^\."])(?:(?:[\.])?(?:[\w\-!#$%&'*+\/=?\^_`{|}~]))*\1@(\w[\-\w]*\.){1,5}([A-Za-z]){2,6}$"""
# Credentials.userName: none of / \ [ ] : ; | = , + * ? < > @ " ! # $ % ^ & ( ) { } and no trailing dot.
USERNAME_PATTERN = r"""^[^\/\\\[\]:;|=,+\*\?<>@"!#$%^&(){}]+(?<!\.)$"""
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
# Limits of UserProfile and Credentials (characters).
MAX_LENGTHS = {"first_name": 2048, "last_name": 2048, "email": 2048, "address": 2048, "phone": 512,
               "name": 256, "password": 128}
MIN_STORAGE_QUOTA = 1073741824  # UserBackupResourceInput.storageQuota minimum (1 GiB)


def uid(value):
    """A UID in the API's lower-case spelling (its filters compare text); ``ValueError`` for anything else."""
    if not re.match(UUID_PATTERN, str(value)):
        raise ValueError("not %r" % (value,))
    return str(value).lower()


def storage_quota(value):
    """Bytes of a subtenant quota (a size such as ``50 GB`` is converted); at least 1 GiB."""
    size = _diff.to_bytes(value)
    if size < MIN_STORAGE_QUOTA:
        raise ValueError("got %d bytes" % size)
    return size


def _with_quota_limit(resource):
    """A quota limits the resource unless ``unlimited_quota`` says otherwise."""
    if "quota" in resource and "unlimited_quota" not in resource:
        resource = dict(resource, unlimited_quota=False)
    return resource


def _uid_option(**facts):
    return Option(normalise=uid, allowed="a UID such as 0a093973-274b-4df8-83e2-1316dee0c9a9", compare=_diff.ENUM, **facts)


PORTAL_USER = Spec(
    "portal user", "VSPC",
    rules=dict(required_one_of=[("name", "uid")], mutually_exclusive=[("organization", "organization_uid")]),
    places=("organization", "organization_uid"),  # one user name may be in several companies
    # name and organization_uid are compared: VSPC can neither rename a user nor move it (PortalUsers.changes).
    name=Option(aliases=["user_name"], nonempty=True, compare=_diff.ENUM, wire="credentials.userName"),
    uid=_uid_option(aliases=["user_uid"], key=True),
    organization=Option(key=True),  # resolved to organization_uid by PortalUsers
    organization_uid=_uid_option(nonempty=True, wire="organizationUid"),
    role=Option(choices=ROLES, wire="role"),
    status=Option(choices=STATUSES, wire="status"),
    first_name=Option(wire="profile.firstName"),
    last_name=Option(wire="profile.lastName"),
    title=Option(choices=TITLES, wire="profile.title"),
    email=Option(wire="profile.email"),
    address=Option(wire="profile.address"),
    phone=Option(wire="profile.phone"),
    mfa_policy=Option(choices=MFA_POLICIES, wire="mfaPolicyStatus",
                      compare=_diff.enum_or(enabled=("enabled_by_inheritance",))),
    password=Option(secret=True, wire="credentials.password"),
    update_password=Option(choices=["always", "on_create"], default="on_create", no_log=False, control=True),
    backup_resource=Option("dict", wire="backupResource", normalise=_with_quota_limit, options=dict(
        repository_uid=_uid_option(wire="tenantBackupResourceUid"),
        friendly_name=Option(wire="resourceFriendlyName"),
        site_uid=_uid_option(wire="siteUid"),
        quota=Option("raw", normalise=storage_quota, wire="storageQuota",
                     allowed="at least 1 GB (%d bytes), in bytes or as a size such as '50 GB'" % MIN_STORAGE_QUOTA),
        unlimited_quota=Option("bool", wire="isStorageQuotaUnlimited"),
        description=Option(wire="description"),
        vcd_user_id=Option(create_only=True, wire="vcdUserId"),  # VSPC does not let it change
    )),
    state=Option(choices=["present", "absent"], default="present", control=True),
    wait_timeout=Option("int", default=DEFAULT_WAIT_TIMEOUT, control=True),
)
RESOURCE = PORTAL_USER["backup_resource"].options


def from_wire(data, options):
    """The friendly keys of an API object (``User``, or with ``options=RESOURCE`` a backup resource):
    each option that the API reports, read at its wire spelling. Secrets, nested objects and
    create-only values (``vcd_user_id``) only go in."""
    friendly = {}
    for name, option in options.items():
        if option.wire and not (option.secret or option.options or option.create_only):
            value = get_path(data, option.wire)
            friendly[name] = from_api(option.values, value) if option.values else value
    return friendly


def friendly_user(user):
    """A ``User`` object of the API as the modules return it (no secrets: the API never returns a password)."""
    friendly = dict(uid=get_path(user, "instanceUid"), **from_wire(user, PORTAL_USER.options))
    friendly["name"] = get_path(user, "userName") or friendly["name"]  # User has it at the top, UserInput in credentials
    friendly["mfa_configuration"] = from_api(MFA_CONFIGURATIONS, get_path(user, "mfaPolicyConfigurationStatus"))
    return friendly


def to_wire(friendly, options=None, containers=()):
    """The API object (``User``/``UserInput``, or with ``options=RESOURCE`` a backup resource) of
    the keys of ``friendly`` that have a wire spelling; unset values are left out.

    ``containers`` are always present, so that a JSON Patch built against the result
    addresses leaves (``/profile/email``) and never whole objects.
    """
    options = PORTAL_USER.options if options is None else options
    result = dict((name, {}) for name in containers)
    for key, value in friendly.items():
        option = options.get(key)
        if option is None or option.wire is None or value is None:
            continue
        if option.options:
            value = to_wire(value, option.options)
        elif option.values:
            value = option.values.get(str(value).lower(), value)
        set_path(result, option.wire, value)
    return result


# -- errors ---------------------------------------------------------------------------

def _operation_text(operation):
    """``replace /profile/email`` for one operation of a ``failedJsonPatch``: its operation and path only.

    The value is never shown: a failed operation may be the one that sets a password.
    """
    if not isinstance(operation, dict):
        return "(not an operation object)"
    words = [label + str(operation[key]) for key, label in (("op", ""), ("path", ""), ("from", "from "))
             if operation.get(key) not in (None, "")]
    return " ".join(words) or "(no op or path)"


def _error_text(error):
    """One item of the envelope's ``errors``: its message, with its code, the parameter or property it names,
    the failed patch and the wait the server asks for."""
    if not isinstance(error, dict):
        return str(error)
    message = str(error.get("message") or "").strip() or "%s error" % (error.get("type") or "unspecified")
    details = ["code %s" % error["code"]] if error.get("code") is not None else []
    details += ["%s %s" % (key, error[key]) for key in ("parameterName", "propertyName") if error.get(key)]
    failed = error.get("failedJsonPatch")
    if failed:
        details.append("failed patch %s" % ", ".join(map(_operation_text, failed if isinstance(failed, list) else [failed])))
    if error.get("retryAfter") is not None:
        details.append("retry after %s s" % error["retryAfter"])
    return "%s [%s]" % (message, ", ".join(details)) if details else message


def error_message(body, text):
    """The server's own message: ``errors[].message`` of the VSPC envelope, or the OAuth
    ``error_description`` (and ``error`` code) of ``/token``."""
    if isinstance(body, dict):
        errors = body.get("errors")
        if isinstance(errors, list) and errors:
            return "; ".join(map(_error_text, errors))
        if body.get("error_description") or body.get("error"):
            description = str(body.get("error_description") or "").strip()
            code = body.get("error")
            if description and code:
                return "%s [%s]" % (description, code)
            return description or str(code)
    return default_error_message(None, text)


HINT_401 = ("the API token is invalid or has expired. Get a fresh one with msp.accounts.veeam_login, or give "
            "api_username and api_password (VEEAM_API_USERNAME/VEEAM_API_PASSWORD) so the module can log in again.")
HINT_LOGIN = ("check api_username/api_password (VEEAM_API_USERNAME/VEEAM_API_PASSWORD); company and reseller users log in "
              "as <company alias>\\<user name>. Users with a second factor (MFA) cannot use the password grant: use an API key "
              "as api_token instead.")
HINT_REFRESH = ("the refresh token has expired, was revoked or was used already; log in again with api_username and "
                "api_password (give them with refresh_token and the module does so by itself).")
APPLIED_NOTE = ("The server had accepted %s %s as async action %s and finished it, so it was applied; only its result "
                "could not be read. Running the task again reads the account.")
ACCEPTED_NOTE = ("The server had accepted %s %s as async action %s, so it may have been applied: read the account "
                 "before retrying (running the task again does).")
# A 404 from /token or a collection: these exist on every VSPC server, so api_url leads elsewhere.
HINT_404 = api_url_hint("VSPC server", "https://vspc.example.com:1280", API_PATH)
HINT_403 = ("VSPC does not let these credentials do this: the account's role does not allow it, or the token or API key "
            "is read-only.")
HINTS = {401: HINT_401, 403: HINT_403}  # for any request but the login


class VeeamApi(object):
    """One method per VSPC endpoint the modules use.

    ``token`` is an API key or access token; ``username``/``password`` are used to log in
    when there is no token, and once more when the server answers 401 (an expired token).
    """

    platform = "veeam"

    def __init__(self, client, token=None, username=None, password=None, wait_timeout=DEFAULT_WAIT_TIMEOUT):
        self.client = client
        self.token = token
        self.username = username
        self.password = password
        self.wait_timeout = wait_timeout if wait_timeout is not None else DEFAULT_WAIT_TIMEOUT
        self.login_lock = threading.Lock()  # bulk modules' threads share the token: one of them logs in again
        self.named, self.lock = {}, threading.Lock()  # organizations by name, read once per module run
        client.add_secret(token)

    @classmethod
    def from_params(cls, params, check_mode=False, **client_options):
        base = str(params["api_url"]).rstrip("/")
        if not base.lower().endswith(API_PATH):
            base += API_PATH
        client_options.setdefault("error_message", error_message)
        client = HttpClient.from_params(params, base_url=base, check_mode=check_mode, **client_options)
        return cls(client, token=params.get("api_token"), username=params.get("api_username"),
                   password=params.get("api_password"), wait_timeout=params.get("wait_timeout"))

    # -- authentication -------------------------------------------------------------

    def login(self, read_only=False):
        """``POST /token`` with the password grant; returns the ``OAuth2Result`` and uses
        its access token from now on. Allowed in check mode (it changes nothing)."""
        if not (self.username and self.password):
            raise InputError("logging in to VSPC needs api_username and api_password (or VEEAM_API_USERNAME/VEEAM_API_PASSWORD)")
        return self._token_request({"grant_type": "password", "username": self.username, "password": self.password}, read_only)

    def refresh(self, refresh_token, read_only=False):
        """``POST /token`` with the refresh_token grant."""
        self.client.add_secret(refresh_token)
        return self._token_request({"grant_type": "refresh_token", "refresh_token": refresh_token}, read_only)

    def _token_request(self, form, read_only):
        # A repeated password grant only issues one more token: retried like a read. A refresh grant is not:
        # a server that rotated the refresh token would refuse the repeat.
        password_grant = form["grant_type"] == "password"
        if read_only:
            form["readOnly"] = "true"
        with hint_on_404(HINT_404):
            try:
                response = self.client.request("POST", "/token", form=form, login=True, read=password_grant)
            except ApiError as err:
                raise err.hinted((HINT_LOGIN if password_grant else HINT_REFRESH) if err.status in (400, 401) else None)
        answer = response.body if isinstance(response.body, dict) else {}
        for key in ("access_token", "refresh_token"):
            self.client.add_secret(answer.get(key))
        if not answer.get("access_token"):
            problem = ("the account has multi-factor authentication: the password grant returned an MFA challenge, which a "
                       "module cannot answer. Use an API key as api_token." if answer.get("mfa_token") else "the answer has no access_token")
            raise ApiError(problem, "POST", self.client.endpoint("/token"), response.status, secrets=self.client.secrets)
        self.token = answer["access_token"]
        return answer

    def revoke_tokens(self, user_uid):
        """``DELETE /users/{uid}/tokens``: revokes the user's access and refresh tokens."""
        return self.request("DELETE", "/users/%s/tokens" % user_uid).body

    def current_user(self):
        """``GET /users/me``: the user behind the credentials."""
        with hint_on_404(HINT_404):
            return self.data(self.request("GET", "/users/me"))

    # -- users ----------------------------------------------------------------------

    def list_users(self, name=None, organization_uid=None, role=None, status=None):
        """Every user matching the filters (``GET /users``, all pages); ``role`` and ``status`` are choices."""
        spelled = to_wire(dict(role=role, status=status))  # {"role": "CompanyOwner", ...}
        return self.search("/users", "userName", name, exact=dict(organizationUid=organization_uid), folded=spelled)

    def get_user(self, uid):
        """``GET /users/{uid}``; ``None`` when there is no such user."""
        response = self.request("GET", "/users/%s" % uid, ok_statuses=(404,))
        return None if response.status == 404 else self.data(response)

    def create_user(self, body):
        """``POST /users`` with a ``UserInput`` body; returns the new ``User``."""
        self.client.add_secret((body.get("credentials") or {}).get("password"))
        return self.data(self.request("POST", "/users", json_body=body))

    def patch_user(self, uid, operations):
        """``PATCH /users/{uid}`` with an RFC 6902 array; returns the resulting ``User``."""
        for operation in operations:
            if operation.get("path", "").lower() == "/credentials/password":
                self.client.add_secret(operation.get("value"))
        return self.data(self.request("PATCH", "/users/%s" % uid, json_body=list(operations)))

    def delete_user(self, uid):
        """``DELETE /users/{uid}``. A 404 (already gone) is not an error; the body is ignored."""
        return self.request("DELETE", "/users/%s" % uid, ok_statuses=(404,)).status

    def get_backup_resource(self, uid):
        """``GET /users/{uid}/backupResource`` (subtenant users); ``None`` when there is none."""
        response = self.request("GET", "/users/%s/backupResource" % uid, ok_statuses=(404,))
        return None if response.status == 404 else self.data(response)

    def patch_backup_resource(self, uid, operations):
        """``PATCH /users/{uid}/backupResource`` with an RFC 6902 array."""
        return self.data(self.request("PATCH", "/users/%s/backupResource" % uid, json_body=list(operations)))

    # -- organizations --------------------------------------------------------------

    def search(self, path, name_property, name, exact=None, folded=None):
        """Every item of a collection (all pages) whose properties have the values of ``exact`` and,
        ignoring case, ``name`` and ``folded`` (``None``: any value)."""
        conditions = [dict(property=name_property, value=name, collation="ignorecase")]
        conditions += [dict(property=key, value=value) for key, value in (exact or {}).items()]
        conditions += [dict(property=key, value=value, collation="ignorecase") for key, value in (folded or {}).items()]
        items = self.paged(path, filters=[dict(c, operation="equals") for c in conditions if c["value"] is not None])
        if name is not None:
            # Never trust a filter alone with an identity: keep exact (case-insensitive) matches.
            items = [item for item in items if str(item.get(name_property) or "").casefold() == name.casefold()]
        return items

    def organization(self, name, organization_type=None):
        """The one organization called ``name`` (``GET /organizations``: companies, resellers and the
        provider; one request); ``None`` when there is none.

        The search is not limited to ``organization_type``, so that an organization of
        another type is found and can be named in an error instead of reported missing;
        the type only picks among namesakes. Several matches left raise ``InputError``
        naming them.
        """
        with self.lock:  # bulk modules resolve the same few names from many threads: one request per name
            if name.casefold() not in self.named:
                self.named[name.casefold()] = self.search("/organizations", "name", name)
        found = self.named[name.casefold()]
        if organization_type is not None and len(found) > 1:
            found = [o for o in found if str(o.get("type") or "").casefold() == organization_type.casefold()] or found
        if len(found) > 1:
            raise InputError("several organizations are called %r: %s; set organization_uid instead" % (
                name, ", ".join("%s %s" % (o.get("type"), o.get("instanceUid")) for o in found)))
        return found[0] if found else None

    # -- transport ------------------------------------------------------------------

    @staticmethod
    def data(response):
        """The ``data`` member of an enveloped answer."""
        return response.body.get("data") if isinstance(response.body, dict) else None

    def paged(self, path, filters=None):
        """Every item of a collection: ``limit=500`` pages, ``offset`` advanced by what
        each page returned, until ``pagingInfo.total`` is reached."""
        query = {"limit": PAGE_SIZE}
        if filters:
            expression = filters if len(filters) == 1 else [{"operation": "and", "items": filters}]
            query["filter"] = json.dumps(expression, separators=(",", ":"))
        items = []
        while True:
            query["offset"] = len(items)
            with hint_on_404(HINT_404):
                body = self.request("GET", path, params=dict(query)).body or {}
            page = body.get("data") or []
            items.extend(page)
            total = ((body.get("meta") or {}).get("pagingInfo") or {}).get("total")
            if not page or total is None or len(items) >= int(total):
                return items

    def _headers(self, method):
        headers = {}
        if self.token:
            headers["Authorization"] = "Bearer %s" % self.token
        if method not in ("GET", "HEAD", "OPTIONS"):
            # Names the async action should the server answer 202, and makes the request
            # idempotent on the server side for a few minutes.
            headers["X-Request-id"] = str(uuid.uuid4())
        return headers

    def request(self, method, path, params=None, json_body=None, ok_statuses=None):
        """One authenticated request: logs in first when needed, logs in once more after
        a 401 when a password is available, and follows a 202 to its result."""
        method = method.upper()
        with self.login_lock:
            if not self.token:
                self.login()
        for retried in (False, True):
            sent_with, headers = self.token, self._headers(method)
            try:
                response = self.client.request(method, path, params=params, json_body=json_body, headers=headers,
                                               ok_statuses=ok_statuses)
                break
            except ApiError as err:
                if err.status != 401 or not (self.username and self.password) or retried:
                    raise err.hinted(HINTS.get(err.status))
            # The token has expired: log in once more (one thread for all) and repeat the request once.
            with self.login_lock:
                if self.token == sent_with:
                    self.login()
        if response.status == 202:
            response = self._follow(response, headers.get("X-Request-id"), method, path, ok_statuses)
        return response

    def _follow(self, accepted, request_id, method, path, ok_statuses):
        """Poll ``/asyncActions/{id}`` until the action ends (at most ``wait_timeout``
        seconds), then return ``/asyncActions/{id}/result`` as the answer."""
        match = re.search(r"asyncActions/([^/?#]+)", accepted.headers.get("Location") or "")
        action = match.group(1) if match else request_id
        body = accepted.body if isinstance(accepted.body, dict) else {}
        if not action and isinstance(body.get("data"), dict):
            action = body["data"].get("id")
        where = self.client.endpoint(path)
        if not action:
            raise ApiError("the server queued the request (HTTP 202) without naming its async action", method, where, 202,
                           secrets=self.client.secrets)
        auth, accepted_note = self._headers("GET"), ACCEPTED_NOTE % (method, where, action)
        started = time.monotonic()
        slept, delay = 0.0, POLL_FIRST
        while True:
            try:
                info = self.data(self.client.request("GET", "/asyncActions/%s" % action, headers=auth)) or {}
            except ApiError as err:
                raise err.replace(note=accepted_note)  # the failed request is a read, but the write it follows was taken on
            status = str(info.get("status") or "").lower()
            if status in SUCCEEDED + FAILED:
                break
            if max(time.monotonic() - started, slept) >= self.wait_timeout:
                raise ApiError("the server queued the request as async action %s, which was still %s after %s seconds; "
                               "raise wait_timeout or check GET %s/asyncActions/%s" % (
                                   action, status or "unknown", self.wait_timeout, API_PATH, action),
                               method, where, 202, secrets=self.client.secrets, note=accepted_note)
            self.client.sleep(delay)
            slept += delay
            delay = min(POLL_MAX, delay * 2)
        failed = status if status in FAILED else None
        try:
            result = self.client.request("GET", "/asyncActions/%s/result" % action, headers=auth, ok_statuses=ok_statuses)
        except ApiError as err:
            # Only the answer is missing: the action itself has ended (succeeded, or failed as named).
            raise ApiError("%s (async action %s)" % (err.message, action), method, where, err.status, err.body,
                           secrets=self.client.secrets, note=accepted_note if failed else APPLIED_NOTE % (method, where, action))
        if failed:
            message = error_message(result.body, result.text) if result.body else "no details in its result"
            raise ApiError("async action %s %s: %s" % (action, failed, message), method, where, result.status, result.body,
                           secrets=self.client.secrets)
        return result


class PortalUsers(Adapter):
    """VSPC portal users: one filtered ``GET /users`` (or ``GET /users/{uid}``) to find, ``POST /users``
    (then a ``PATCH`` of the status, which ``UserInput`` lacks), one JSON Patch to change, ``DELETE``.

    ``organization`` is resolved to its UID with one ``GET /organizations``; the UID is kept
    in ``params["organization_uid"]``, so that it is compared, created with and returned.
    """

    spec = PORTAL_USER
    api_class = VeeamApi

    def validate(self, params):
        name = params.get("name")
        if name is not None and not (len(name) <= MAX_LENGTHS["name"] and re.match(USERNAME_PATTERN, name)):
            raise InputError("name %r is not a valid VSPC user name: 1 to 256 characters, none of / \\ [ ] : ; | = , + * ? < > @ "
                             "\" ! # $ %% ^ & ( ) { }, and no trailing dot." % name)
        if params.get("state") == "absent":
            return
        email = params.get("email")
        if email == "":
            raise InputError("email cannot be emptied: VSPC needs at least one character there, and a JSON Patch cannot set "
                             "it to null.")
        if email is not None and not re.match(EMAIL_PATTERN, email):
            raise InputError("email %r is not an address VSPC accepts (user@domain.tld; the domain needs a top-level part of "
                             "2 to 6 letters)." % email)
        for key, limit in MAX_LENGTHS.items():
            if key != "name" and params.get(key) is not None and len(params[key]) > limit:
                raise InputError("%s is longer than VSPC allows (%d characters at most)." % (key, limit))
        resource = params.get("backup_resource")
        if resource is not None and params.get("role") not in (None, "company_subtenant"):
            raise InputError("backup_resource applies to role=company_subtenant only, not role=%s." % params["role"])
        if resource is not None and resource.get("quota") is not None and resource.get("unlimited_quota") is True:
            raise InputError("backup_resource.quota and backup_resource.unlimited_quota=true contradict each other.")

    def organization_uid(self, params):
        """The UID of the organization asked for (``None`` when none, or when ``state=absent``
        names one that does not exist); a name costs one request."""
        name, present = params.get("organization"), params.get("state", "present") == "present"
        if name is None or params.get("organization_uid"):
            return uid(params["organization_uid"]) if params.get("organization_uid") else None
        wanted_type = role_organization_type(params.get("role"))
        organization = self.api.organization(name, wanted_type)
        if organization is None:
            if not present:
                return None
            raise InputError("There is no organization called %r (GET %s/organizations). Check the name or give "
                             "organization_uid." % (name, API_PATH))
        found_type = organization.get("type")
        if present and wanted_type and str(found_type or "").casefold() != wanted_type.casefold():
            fitting = roles_for_type(found_type)
            raise InputError("Organization %r (%s) is a %s, and role=%s is a role of %s organizations. %s" % (
                organization.get("name", name), organization.get("instanceUid"), found_type or "organization of unknown type",
                params["role"], wanted_type, "Roles that fit a %s: %s." % (found_type, ", ".join(fitting)) if fitting
                else "No role of this module fits that organization type."))
        params["organization_uid"] = organization.get("instanceUid")
        return params["organization_uid"]

    def find(self, params):
        organization_uid = self.organization_uid(params)
        if params.get("organization") is not None and organization_uid is None:
            return None  # state=absent in an organization that does not exist
        if not params.get("uid"):
            users = self.api.list_users(name=params["name"], organization_uid=organization_uid)
            return self.complete(params, [friendly_user(user) for user in users], resolved=True)
        user = self.api.get_user(uid(params["uid"]))
        present = params.get("state", "present") == "present"
        if user is None and present:
            raise InputError("There is no user with uid %s; a new user gets its UID from VSPC, so create it by name."
                             % uid(params["uid"]))
        found = [friendly_user(user)] if user else []
        if found and not present:  # never delete by UID a user other than the one the task also names
            differ = self.differences(found[0], dict(name=params.get("name"), organization_uid=organization_uid))
            if differ:
                raise InputError("uid %s is user %r of organization %s, which does not match the %s given; nothing was deleted."
                                 % (found[0]["uid"], found[0]["name"], found[0]["organization_uid"], " and ".join(differ)))
        return self.complete(params, found, resolved=True)

    def complete(self, params, listed, resolved=False):
        """The listed user of the element's organization (one name may be in several), with what the
        list lacks and the element asks for: its backup resource. ``resolved``: :meth:`find` read the
        user(s) of the element's own organization, or of its UID."""
        if not resolved:
            organization_uid = self.organization_uid(params)
            if params.get("organization") and not organization_uid:
                return None  # state=absent in an organization that does not exist: never its namesake elsewhere
            if organization_uid:
                listed = [user for user in listed if _diff.fold(user.get("organization_uid")) == _diff.fold(organization_uid)]
            if params.get("uid"):
                matching = [user for user in listed if _diff.fold(user.get("uid")) == _diff.fold(uid(params["uid"]))]
                if not matching:
                    raise InputError("uid %s is not a user called %r%s; nothing was changed." % (
                        uid(params["uid"]), params["name"], " in organization %s" % organization_uid if organization_uid else ""))
                listed = matching
        if len(listed) > 1:
            raise InputError("Several users are called %r: %s. Set organization or organization_uid%s." % (
                params["name"], ", ".join("uid %s in organization %s" % (u.get("uid"), u.get("organization_uid")) for u in listed),
                ", or give uid" if resolved else ""))
        if not listed:
            return None
        current = listed[0]
        if self.complete_reads(params):
            if _diff.fold(current.get("role")) != "company_subtenant":
                raise InputError("backup_resource applies to subtenant users, and %r has role %s." % (
                    current["name"], current.get("role")))
            current["backup_resource"] = from_wire(self.api.get_backup_resource(current["uid"]), RESOURCE)
        return current

    def complete_reads(self, params):
        return params.get("state", "present") == "present" and any(
            value is not None for value in (params.get("backup_resource") or {}).values())

    def differences(self, user, wanted):
        """The keys of ``wanted`` whose value ``user`` does not have, compared as the spec says (``None``: any value)."""
        return sorted(key for key, value in wanted.items()
                      if value is not None and not self.spec[key].compare.same(user.get(key), value))

    def list(self, organization=None, organization_uid=None, user_uid=None, **filters):
        """Every user the credentials can see, or those of one organization (by name: one more request);
        ``filters`` (``name``, ``role``, ``status``) are sent to the server. With ``user_uid``, the user
        with that UID (``GET /users/{uid}``) if it meets the filters."""
        filters["organization_uid"] = self.organization_uid(dict(organization=organization, organization_uid=organization_uid))
        if user_uid is None:
            return [friendly_user(user) for user in self.api.list_users(**filters)]
        user = self.api.get_user(uid(user_uid))
        found = [friendly_user(user)] if user else []
        return [one for one in found if not self.differences(one, filters)]

    def check_creation(self, params, desired):
        needed = (("name", "name"), ("organization_uid", "organization or organization_uid"), ("role", "role"),
                  ("password", "password"))
        missing = [label for key, label in needed if not desired.get(key)]
        if missing:
            raise InputError("Creating user %r needs %s." % (params.get("name"), ", ".join(missing)))
        resource = desired.get("backup_resource")  # for role=company_subtenant only, as validate made sure
        if resource is not None:
            absent = [key for key in ("repository_uid", "friendly_name") if not resource.get(key)]
            if absent:
                raise InputError("Creating a subtenant with backup_resource needs backup_resource.%s."
                                 % " and backup_resource.".join(absent))

    def changes(self, params, current, desired, warn):
        change = self.spec.changes(current, desired, params, warn)
        if "name" in change:
            raise InputError("User %s is called %r; VSPC cannot rename a user (userName is read-only). Delete it and create %r "
                             "instead if that is what you want." % (current.get("uid"), current.get("name"), desired["name"]))
        if "organization_uid" in change:
            raise InputError("User %r belongs to organization %s, not %s; VSPC cannot move a user to another organization "
                             "(organizationUid is read-only)." % (
                                 current.get("name"), current.get("organization_uid"), desired["organization_uid"]))
        if "mfa_policy" in change and _diff.fold(current.get("mfa_policy")) == "enabled_by_inheritance":
            raise InputError("User %r cannot get mfa_policy=%s: VSPC reports its MFA policy as enabled_by_inheritance, that is, "
                             "organization %s requires multi-factor authentication of its users, and the user's own policy "
                             "does not override that. Nothing was changed. Leave mfa_policy out for this user (or set it to "
                             "enabled), or lift the organization's MFA requirement in VSPC first." % (
                                 current.get("name"), desired["mfa_policy"], current.get("organization_uid")))
        return change

    def create(self, params, desired):
        # UserInput has no status: a disabled user is disabled afterwards.
        user = self.api.create_user(to_wire(dict(desired, status=None), containers=("profile",)))
        if desired.get("status") == "disabled":
            try:
                user = self.api.patch_user(user["instanceUid"], [{"op": "replace", "path": "/status", "value": "Disabled"}]) or user
            except ApiError as err:
                # The user exists now, enabled unless the PATCH got through.
                raise err.replace(changed=True, result=dict(user=self.public(params, self.after(user, desired))), note=(
                    "User %r was created (uid %s), but disabling it failed, so it may still be enabled: run the task again "
                    "to finish." % (desired["name"], user.get("instanceUid"))))
        return self.after(user, desired)

    def update(self, params, current, change):
        user = None
        if set(change) - {"backup_resource"}:  # the backup resource has an endpoint of its own
            user = self.api.patch_user(current["uid"], _diff.json_patch(to_wire(current, containers=("profile", "credentials")),
                                                                        to_wire(dict(change, backup_resource=None))))
        if change.get("backup_resource"):
            # replace where the resource has the member, add where it has none (RFC 6902).
            self.api.patch_backup_resource(current["uid"], _diff.json_patch(
                to_wire(current["backup_resource"], RESOURCE), to_wire(change["backup_resource"], RESOURCE)))
        return self.after(user, _diff.merge(current, change)) if user else None

    def delete(self, params, current):
        self.api.delete_user(current["uid"])

    @staticmethod
    def after(user, desired):
        """The friendly user from a write's answer, with the backup resource that was asked for."""
        after = friendly_user(user)
        if desired.get("backup_resource"):
            after["backup_resource"] = desired["backup_resource"]
        return after
