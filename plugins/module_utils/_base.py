# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The flow every msp.accounts module shares (private: not a public API).

:class:`AccountModule` runs read -> compare -> (check mode: predict) -> minimal write ->
result for ``state: present|absent`` modules, :class:`BulkModule` the same for many accounts
in one task, :class:`InfoModule` the read-only ``*_info`` modules. A concrete write module
names the platform facade and the adapter of its account type (whose spec declares the options).
"""

import functools
import os
import re

from concurrent.futures import ThreadPoolExecutor

from ansible.module_utils.basic import AnsibleFallbackNotFound, AnsibleModule, env_fallback, missing_required_lib
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.module_utils.six.moves.urllib.parse import urlsplit

from ansible_collections.msp.accounts.plugins.module_utils import _diff
from ansible_collections.msp.accounts.plugins.module_utils._http import (
    HAS_REQUESTS, REQUESTS_IMPORT_ERROR, ApiError, InputError, ca_file_problem,
)

# Environment variable prefix, optional connection options and an example URL of each platform.
PLATFORMS = {
    "ahsay": {"prefix": "AHSAY", "token": False, "client_cert": False, "example": "https://backup.example.com"},
    "veeam": {"prefix": "VEEAM", "token": True, "client_cert": False, "example": "https://vspc.example.com:1280"},
    "aaa": {"prefix": "AAA", "token": False, "client_cert": True, "example": "https://ua.example.com"},
}


# How each credential alternative is given, for messages.
CREDENTIAL_WAYS = {
    "api_username": "api_username and api_password (%(env)s_API_USERNAME, %(env)s_API_PASSWORD)",
    "api_token": "api_token (%(env)s_API_TOKEN)",
    "client_cert": "client_cert and client_key (%(env)s_CLIENT_CERT, %(env)s_CLIENT_KEY)",
}
# Options that an empty string leaves unset.
CREDENTIAL_KEYS = ("api_username", "api_password", "api_token", "refresh_token", "client_cert", "client_key", "ca_path")


def bool_env_fallback(problems, name):
    """``env_fallback`` for a boolean option: a value that is no boolean is recorded in
    ``problems`` and not used, so that the failure can name the variable, not the option."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        raise AnsibleFallbackNotFound  # unset, or empty as AWX injects a blank field
    try:
        boolean(value.strip(), strict=True)
    except TypeError:
        problems.append((name, value))
        raise AnsibleFallbackNotFound
    return value.strip()


def connection_argument_spec(platform, problems=None):
    """Connection options of a platform, each with its environment fallback ``<PREFIX>_<OPTION>``.

    Nothing is ``required`` here, as the environment can give every value: BaseModule judges
    :func:`required_connection` itself, so that the message names the variable. Environment values that are no
    boolean for a boolean option are appended to ``problems`` as ``(variable, value)``.
    """
    prefix = PLATFORMS[platform]["prefix"]
    problems = [] if problems is None else problems
    spec = dict(
        api_url=dict(type="str"),
        api_username=dict(type="str"),
        api_password=dict(type="str", no_log=True),
        validate_certs=dict(type="bool", default=True),
        ca_path=dict(type="path"),
    )
    if PLATFORMS[platform]["token"]:
        spec["api_token"] = dict(type="str", no_log=True)
    if PLATFORMS[platform]["client_cert"]:
        spec.update(client_cert=dict(type="path"), client_key=dict(type="path", no_log=False))
    for name, option in spec.items():
        fallback = functools.partial(bool_env_fallback, problems) if option["type"] == "bool" else env_fallback
        option["fallback"] = (fallback, ["%s_%s" % (prefix, name.upper())])
    return dict(spec, timeout=dict(type="int", default=30), retries=dict(type="int", default=3))


def required_connection(platform):
    """Connection options a platform cannot do without (as the option or its environment variable)."""
    # Every AhsayCBS call carries SysUser/SysPwd: there is no other way in.
    return ["api_url", "api_username", "api_password"] if platform == "ahsay" else ["api_url"]


def connection_rules(platform):
    """``required_*`` rules for the credentials of a platform."""
    if platform == "veeam":
        return dict(required_one_of=[("api_token", "api_username")], required_together=[("api_username", "api_password")])
    if platform == "aaa":
        return dict(required_one_of=[("api_username", "client_cert")], required_together=[("api_username", "api_password")])
    return {}


class BaseModule(object):
    """Argument handling, connection and error reporting shared by every module.

    A write module sets ``adapter`` (the facade's class for its account type), which names the
    platform facade (``api_class``, which offers ``from_params(params, check_mode)``), which names
    its ``platform``; the other modules set ``api_class``. Subclasses implement :meth:`execute`.
    """

    adapter = None
    module_class = AnsibleModule
    # Options that pick accounts. Given empty they would match every account (or none), so
    # they are refused before any request: an empty name must never widen a selection.
    selectors = ("name",)
    # How to select everything instead, for the message (info modules list all without the option).
    select_all_hint = ""

    def __init__(self, argument_spec, **rules):
        self.env_problems = []
        spec = connection_argument_spec(self.platform, self.env_problems)
        spec.update(argument_spec)
        # Connection rules are judged by check_connection_options, whose messages name the variables.
        self.module = self.module_class(argument_spec=spec, supports_check_mode=True, **rules)
        self.params = self.module.params
        self.api = None
        if not HAS_REQUESTS:
            self.module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
        self.check_connection_options()
        if self.params["api_url"].lower().startswith("http://"):
            self.module.warn("api_url uses http://: credentials and data travel unencrypted. Use https:// outside a lab.")
        elif not self.params["validate_certs"]:
            # requests' own warning is silenced in _http (it would repeat per request and never reach the user).
            self.module.warn("validate_certs is false: the server's certificate is not checked, so credentials could go to "
                             "an impostor. Outside a test system, give the server's CA in ca_path instead.")

    @property
    def api_class(self):
        return self.adapter.api_class

    @property
    def platform(self):
        return self.api_class.platform

    def fail(self, msg, **kwargs):
        self._emit_warnings()  # e.g. "the password of api_username changed" must survive a later failure
        self.module.fail_json(msg=msg, **kwargs)

    def fail_api(self, err, **kwargs):
        """Fail with an :class:`ApiError`: its safe text, and its parts for playbooks to test."""
        self.fail(str(err), api_error=dict(method=err.method, path=err.path, status=err.status, message=err.message), **kwargs)

    def _emit_warnings(self):
        warnings = getattr(self.api, "warnings", None) or []
        while warnings:
            self.module.warn(warnings.pop(0))

    def credential_rules(self):
        """``required_*`` rules for the credentials; a module with another way in narrows them."""
        return connection_rules(self.platform)

    def check_connection_options(self):
        """Connection options that can be judged locally, before any request."""
        params = self.params
        env = PLATFORMS[self.platform]["prefix"]
        # An environment variable set to "" (as an AWX credential with an empty field injects it)
        # means "not given", so the credential rules are judged again without it.
        for key in CREDENTIAL_KEYS + ("api_url",):
            if isinstance(params.get(key), str) and not params[key].strip():
                params[key] = None
        missing = [key for key in required_connection(self.platform) if not params.get(key)]
        if missing:
            variables = ["%s_%s" % (env, key.upper()) for key in missing]
            if len(missing) == 1:
                text = "%s is required: set %s or the %s environment variable" % (missing[0], missing[0], variables[0])
            else:
                text = "%s are required: set them or the environment variables %s" % (
                    " and ".join(missing), " and ".join(variables))
            if "api_url" in missing:
                text += "; api_url is the server's http:// or https:// URL, for example %s" % PLATFORMS[self.platform]["example"]
            self.fail(text + ".")
        self._check_api_url(env)
        for variable, value in self.env_problems:
            self.fail("the %s environment variable (the default of %s) is %r, which is not a boolean: set it to true or false "
                      "(also yes/no, on/off, 1/0), or unset it." % (variable, variable[len(env) + 1:].lower(), value))
        rules = self.credential_rules()
        for group in rules.get("required_one_of", []):
            if not any(params.get(key) for key in group):
                ways = [CREDENTIAL_WAYS[key] % {"env": env} for key in group]
                self.fail("no credentials were given: set %s." % " or ".join(ways))
        for group in rules.get("required_together", []):
            given = [key for key in group if params.get(key)]
            if given and len(given) < len(group):
                self.fail("%s must be given together (or the environment variables %s)." % (
                    " and ".join(group), ", ".join("%s_%s" % (env, key.upper()) for key in group)))
        if params["timeout"] is not None and params["timeout"] <= 0:
            self.fail("timeout must be a positive number of seconds, got %s." % params["timeout"])
        if params["retries"] is not None and params["retries"] < 0:
            self.fail("retries must be 0 or more, got %s." % params["retries"])
        for option in ("ca_path", "client_cert", "client_key"):
            path = params.get(option)
            if path and not os.path.isfile(path):
                self.fail("%s (or %s_%s) names %r, which is not a readable file." % (option, env, option.upper(), path))
        if params.get("ca_path") and params["validate_certs"]:
            problem = ca_file_problem(params["ca_path"])
            if problem:
                self.fail(problem.replace("ca_path", "ca_path (or %s_CA_PATH)" % env, 1))

    def _check_api_url(self, env):
        """api_url must be an http(s) URL with a host: anything else fails here, not after retries."""
        url = self.params["api_url"].strip()
        self.params["api_url"] = url  # a trailing newline from a YAML block is no reason to fail
        parts = urlsplit(url)
        try:
            port_ok = parts.port is None or parts.port > 0
        except ValueError:
            port_ok = False
        if parts.scheme.lower() in ("http", "https") and parts.hostname and port_ok and not (
                parts.query or parts.fragment or re.search(r"\s", url)):
            return
        # Everything up to the last "@" may be user:password (even with an unencoded "/" or "@" in it).
        shown = re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://)?.*@", lambda m: (m.group(1) or "") + "********@", url)
        text = ("api_url (or %s_API_URL) must be an http:// or https:// URL with a host name (and no query, fragment or spaces), "
                "for example %s; got %r." % (env, PLATFORMS[self.platform]["example"], shown))
        if "://" not in url:
            text += " Did you mean %r?" % ("https://" + shown)
        self.fail(text)

    def check_selectors(self):
        for key in self.selectors:
            value = self.params.get(key)
            if value is not None and not str(value).strip():
                self.fail("%s must not be empty or only white space%s." % (key, self.select_all_hint))

    def validate(self):
        """Judge the input before any request; call :meth:`fail` for bad input."""

    def execute(self):
        raise NotImplementedError

    def run(self):
        self.check_selectors()  # the connection options were judged when the module was built
        try:
            self.validate()
            self.api = self.api_class.from_params(self.params, check_mode=self.module.check_mode,
                                                  secrets=self.module.no_log_values)
            result = self.execute()
        except ApiError as err:
            self.fail_api(err, **(dict(err.result or {}, changed=True, action="created") if err.changed else {}))
        except InputError as err:
            self.fail(str(err))
        self._emit_warnings()
        self.module.exit_json(**result)


class Plan(object):
    """What converging one account means: ``action`` is created, updated, removed or unchanged."""

    def __init__(self, params, current, action, change=None, desired=None):
        self.params, self.current, self.action = params, current, action
        self.change, self.desired = change or {}, desired
        self.error, self.partly, self.warnings = None, False, []  # bulk modules: what went wrong, per account
        absent = action == "removed" or params.get("state") == "absent"
        self.after = None if absent else _diff.merge(current, self.change) if current else self.change

    @classmethod
    def make(cls, adapter, params, current, warn):
        if params.get("state", "present") == "absent":
            return cls(params, current, "removed" if current is not None else "unchanged")
        desired = adapter.desired(params, current)
        if current is None:
            adapter.check_creation(params, desired)
            return cls(params, current, "created", desired, desired)
        change = adapter.changes(params, current, desired, warn)
        return cls(params, current, "updated" if change else "unchanged", change, desired)

    def apply(self, adapter):
        """Send the write(s); the result object is what the server answered or the prediction."""
        if self.action == "created":
            self.after = adapter.create(self.params, self.change) or self.after
        elif self.action in ("updated", "suspended"):  # a suspension is an update whose change is the status
            self.after = adapter.update(self.params, self.current, self.change) or self.after
        elif self.action == "removed":
            adapter.delete(self.params, self.current)

    def message(self, check_mode):
        outcome = {"created": "created", "removed": "removed", "suspended": "suspended",
                   "updated": "updated (%s)" % ", ".join(sorted(self.change))}
        text = outcome.get(self.action)
        if text is None:
            text = "absent already" if self.params.get("state") == "absent" else "up to date"
        elif check_mode:
            text = "would be " + text  # a prediction: nothing was sent
        name = self.params.get("name")
        return "user %r %s" % (name, text) if name else "user %s" % text

    def result(self, adapter, check_mode, want_diff):
        result = dict(changed=self.action != "unchanged", action=self.action, msg=self.message(check_mode),
                      user={} if self.after is None else adapter.public(self.params, self.after))
        if want_diff:
            result["diff"] = adapter.spec.diff(self.current, self.after, self.change, self.desired)
        return result


class AccountModule(BaseModule):
    """``state: present|absent`` for one account; ``adapter`` is the facade's class for the account type."""

    def __init__(self):
        super(AccountModule, self).__init__(self.adapter.spec.argument_spec(), **self.adapter.spec.rules)
        self.selectors = self.adapter.spec.keys

    def validate(self):
        self.adapter.spec.validate(self.params)
        self.adapter(None).validate(self.params)

    def execute(self):
        adapter = self.adapter(self.api)
        plan = Plan.make(adapter, self.params, adapter.find(self.params), self.module.warn)
        if not self.module.check_mode:
            plan.apply(adapter)
        return plan.result(adapter, self.module.check_mode, self.module._diff)


def element_problem(users, element_spec):
    """The first invalid element of a bulk module's ``users``, named by position and name."""
    for index, item in enumerate(users or []):
        if isinstance(item, dict):
            given = dict((key, value) for key, value in item.items() if value is not None)  # None: filled in by Ansible
            errors = ArgumentSpecValidator(element_spec).validate(given).errors.errors
            if errors:
                return "users[%d] (name %r): %s" % (index, item.get("name"), str(errors[0]).replace(" found in users", ""))
    return None


def _secret_values(spec, params):
    """The values of the ``no_log`` options of ``params`` (and of their sub-options), as text."""
    found = set()
    for key, option in spec.items():
        value = (params or {}).get(key)
        if value in (None, ""):
            continue
        if option.get("no_log"):
            found.add(str(value))
        elif option.get("options") and isinstance(value, dict):
            found |= _secret_values(option["options"], value)
        elif option.get("options") and isinstance(value, list):
            for item in value:
                found |= _secret_values(option["options"], item if isinstance(item, dict) else {})
    return found


class _BulkAnsibleModule(AnsibleModule):
    """Ansible's own check of list elements does not say which element is wrong: this one does.

    Ansible also scrubs its log line and the result of every ``no_log`` value, one pass per value
    over every string: with thousands of element passwords that is quadratic (minutes for 10,000).
    Here the elements' secrets never reach those passes: the log line gives the number of elements,
    the invocation shows each element with its secrets replaced, the client scrubs every error
    text of all secrets (:class:`ApiError`), and BulkModule scrubs each result entry (diff included)
    of its own element's secrets.
    """

    element_spec = {}

    def task_secrets(self):
        """The ``no_log`` values without those that only elements gave."""
        elements = set()
        for item in self.params.get("users") or ():
            elements |= _secret_values(self.element_spec, item if isinstance(item, dict) else {})
        task_level = dict((key, option) for key, option in self.argument_spec.items() if key != "users")
        return self.no_log_values - (elements - _secret_values(task_level, self.params))

    def masked_params(self):
        """The parameters to show: each element's options that have a value (given, or Ansible's default), secrets replaced."""
        users = []
        for item in self.params.get("users") or ():
            if not isinstance(item, dict):
                users.append(item)
                continue
            given = dict((key, value) for key, value in item.items() if value is not None)
            secrets = _secret_values(self.element_spec, given)
            users.append(remove_values(given, secrets) if secrets else given)
        return dict(self.params, users=users)

    def _log_invocation(self):
        saved, self.no_log_values = self.no_log_values, self.task_secrets()
        users = self.params.get("users")
        self.params["users"] = "(%d elements)" % len(users or ())
        try:
            super(_BulkAnsibleModule, self)._log_invocation()
        finally:
            self.params["users"], self.no_log_values = users, saved

    def _scrub(self, kwargs):
        """The result before Ansible's own pass, which from here on covers only the task's secrets: the task's
        message is scrubbed of all of them (BulkModule.result has scrubbed each entry of its element's)."""
        if not isinstance(self.params.get("users"), list):
            return kwargs
        if kwargs.get("msg"):
            kwargs["msg"] = remove_values(kwargs["msg"], self.no_log_values)
        kwargs.setdefault("invocation", dict(module_args=self.masked_params()))
        self.no_log_values = self.task_secrets()
        return kwargs

    def exit_json(self, **kwargs):
        super(_BulkAnsibleModule, self).exit_json(**self._scrub(kwargs))

    def fail_json(self, msg=None, **kwargs):
        if msg and " found in users" in str(msg):
            msg = element_problem(self.params.get("users"), self.element_spec) or msg
        kwargs = self._scrub(dict(kwargs, msg=msg))
        super(_BulkAnsibleModule, self).fail_json(**kwargs)


class BulkModule(BaseModule):
    """Converge many accounts of one type in one task (``users``, ``unlisted``, ``scope``...).

    One read pass lists the accounts within ``scope``; each element is planned like the
    single module; writes run ``parallel`` at a time; one account's failure does not stop
    the others. ``scope`` maps the scope options to their argument spec; ``suspended`` is
    the change that suspends an account.
    """

    adapter = None
    scope = {}
    suspended = {}
    selectors = ()
    extra_options = {}

    def __init__(self):
        element_spec = self.adapter.spec.element_spec()
        element_spec["name"]["required"] = True  # a bulk module matches accounts by name
        for key in self.extra_options:  # given once for the task, not per element
            element_spec.pop(key, None)
        self.module_class = type("BulkAnsibleModule", (_BulkAnsibleModule,), dict(element_spec=element_spec))
        options = dict(
            users=dict(type="list", elements="dict", required=True, options=element_spec),
            unlisted=dict(type="str", choices=["keep", "suspend", "remove"], default="keep"),
            scope=dict(type="dict", options=self.scope),
            unlisted_limit=dict(type="int", default=10),
            parallel=dict(type="int", default=4),
        )
        options.update(self.extra_options)
        super(BulkModule, self).__init__(options)

    def validate(self):
        params, spec = self.params, self.adapter.spec
        if not 1 <= params["parallel"] <= 32:
            raise InputError("parallel must be from 1 to 32, got %d." % params["parallel"])
        if params["unlisted_limit"] < 0:
            raise InputError("unlisted_limit must be 0 or more, got %d." % params["unlisted_limit"])
        scope = dict((key, value) for key, value in (params["scope"] or {}).items() if value is not None)
        for key, value in scope.items():
            if not str(value).strip():
                raise InputError("scope.%s must not be empty or only white space; leave it out to consider every %s."
                                 % (key, spec.noun))
            if key in spec.options:
                for problem in spec.options[key].problems("scope." + key, value):
                    raise InputError(problem)
        if not params["users"] and params["unlisted"] != "keep":
            raise InputError("users is empty, so unlisted=%s would affect every %s within scope; nothing was changed. Give "
                             "the accounts to keep, or use unlisted=keep." % (params["unlisted"], spec.noun))
        if params["unlisted"] != "keep" and not params.get("api_username"):
            raise InputError("unlisted=%s needs api_username (with api_password), so that the account the module logs in "
                             "with is never suspended or removed; with a token or certificate use unlisted=keep." % params["unlisted"])
        seen = set()
        checker = self.adapter(None)
        for index, item in enumerate(params["users"]):
            where = "users[%d] (name %r): " % (index, item.get("name"))
            element = self.element(item)
            try:
                for key in spec.keys:
                    if item.get(key) is not None and not str(item[key]).strip():
                        raise InputError("%s must not be empty or only white space." % key)
                self.check_scope(item, scope)
                spec.validate(item)
                checker.validate(element)
            except InputError as err:
                raise InputError(where + str(err))
            identity = spec.identity(element)
            if identity in seen:
                raise InputError(where + "listed more than once; each account may appear once.")
            seen.add(identity)

    def check_scope(self, item, scope):
        """An element must lie within scope: only the accounts there are read, so one outside would look absent."""
        places = self.adapter.spec.places
        for key, value in scope.items():
            given = item.get(key)
            if given is not None and _diff.fold(str(given).strip()) != _diff.fold(str(value).strip()):
                raise InputError("%s %s is outside scope.%s %s; converge it in a task of its own scope." % (key, given, key, value))
            if key in places and any(item.get(other) is not None for other in places if other != key):
                raise InputError("the scope gives %s: give the element's place the same way, or leave it out." % key)

    def element(self, item):
        """An element's params: the scope's values fill the options the element leaves out; api_username
        tells the adapter which account the module logs in with."""
        params = dict(item, api_username=self.params.get("api_username"))
        for key, value in (self.params["scope"] or {}).items():
            if key in self.adapter.spec.options and params.get(key) is None:
                params[key] = value
        return params

    def own_login(self, name):
        # A VSPC company user logs in as "alias\\name": the account itself is called name.
        username = (self.params.get("api_username") or "").rsplit("\\", 1)[-1]
        return _diff.fold(name) == _diff.fold(username)

    def execute(self):
        check_mode, params = self.module.check_mode, self.params
        adapter = self.adapter(self.api)
        scope = dict((k, v) for k, v in (params["scope"] or {}).items() if v is not None)
        listed = adapter.list(**scope)
        key = adapter.spec.name_key
        by_name = {}
        for user in listed:
            by_name.setdefault(key(user["name"]), []).append(user)
        elements = [self.element(item) for item in params["users"]]

        def complete(item):
            return adapter.complete(item, by_name.get(key(item["name"]), []))
        reading = [index for index, item in enumerate(elements) if adapter.complete_reads(item)]
        currents = [None if adapter.complete_reads(item) else complete(item) for item in elements]
        with ThreadPoolExecutor(params["parallel"]) as pool:
            for index, current in zip(reading, pool.map(complete, [elements[index] for index in reading])):
                currents[index] = current
        plans, problems, taken = [], [], {}
        for index, (item, current) in enumerate(zip(elements, currents)):
            if current is not None and id(current) in taken:  # e.g. one VSPC user named by organization and by UID
                problems.append("users[%d] (name %r): the same account as users[%d]." % (index, item["name"], taken[id(current)]))
            if current is not None:
                taken.setdefault(id(current), index)
            warnings = []
            try:
                plans.append(Plan.make(adapter, item, current, warnings.append))
            except InputError as err:
                problems.append("users[%d] (name %r): %s" % (index, item["name"], err))
            else:
                plans[-1].warnings = warnings
        if problems:
            raise InputError("nothing was changed: %s" % " ".join(problems))
        # Unlisted: every listed account no element was matched with (one name may be in several organizations).
        matched = set(id(current) for current in currents if current is not None)
        others = [user for user in listed if id(user) not in matched and not self.own_login(user["name"])]
        unlisted = self.unlisted_plans(others)
        if params["unlisted"] != "keep" and len(unlisted) > params["unlisted_limit"]:
            raise InputError("unlisted=%s would affect %d accounts not in users, more than unlisted_limit (%d): nothing was "
                             "changed. Check that users is complete, narrow scope, or raise unlisted_limit." % (
                                 params["unlisted"], len(unlisted), params["unlisted_limit"]))

        def apply(plan):
            try:
                plan.apply(adapter)
            except ApiError as err:
                plan.error, plan.partly = str(err), err.changed
            except InputError as err:  # judged from what the server answered: this account only
                plan.error = str(err)
        writes = [] if check_mode else [plan for plan in plans + unlisted if plan.action not in ("unchanged", "kept")]
        with ThreadPoolExecutor(params["parallel"]) as pool:
            list(pool.map(apply, writes))
        return self.result(adapter, plans, unlisted)

    def unlisted_plans(self, others):
        mode = self.params["unlisted"]
        plans = []
        for user in others:
            params = dict(name=user["name"], state="absent" if mode == "remove" else "present")
            params.update(dict((key, user.get(key)) for key in self.adapter.spec.keys if key != "name"))
            if mode == "remove":
                plans.append(Plan(params, user, "removed"))
            elif mode == "suspend":
                change = self.adapter.spec.changes(user, self.suspended, params, lambda text: None)
                if change:
                    plans.append(Plan(params, user, "suspended", change, dict(self.suspended)))
            else:
                plans.append(Plan(params, user, "kept"))
        return plans

    def result(self, adapter, plans, unlisted):
        check_mode = self.module.check_mode
        summary = dict((key, 0) for key in ("created", "updated", "removed", "suspended", "unchanged", "failed"))
        failures = []
        for plan in plans + unlisted:
            if plan.error:
                failures.append("%s: %s" % (plan.params["name"], plan.error))
            if plan.action != "kept":
                summary["failed" if plan.error else plan.action] += 1
        users = []
        for plan in plans:
            entry = dict(name=plan.params["name"], action="failed" if plan.error else plan.action,
                         msg=plan.error or plan.message(check_mode))
            if plan.warnings:
                entry["warnings"] = plan.warnings
            if self.module._diff and plan.action != "unchanged" and not plan.error:
                entry["diff"] = adapter.spec.diff(plan.current, plan.after, plan.change, plan.desired)
            secrets = _secret_values(self.module.element_spec, plan.params)  # Ansible's pass no longer knows them
            users.append(remove_values(entry, secrets) if secrets else entry)
        if self.module._diff:  # Ansible shows a list of diffs, one per changed account, each headed by its name
            result_diff = [dict(entry["diff"], before_header=entry["name"], after_header=entry["name"])
                           for entry in users if "diff" in entry]
        result = dict(
            changed=any(plan.action not in ("unchanged", "kept") and (not plan.error or plan.partly) for plan in plans + unlisted),
            summary=summary, users=users,
            unlisted=[dict(name=plan.params["name"], action="failed" if plan.error else plan.action) for plan in unlisted])
        if self.module._diff:
            result["diff"] = result_diff
        if failures:
            handled = len(plans) + len([plan for plan in unlisted if plan.action != "kept"])
            self.fail("%d of %d accounts failed: %s" % (len(failures), handled, "; ".join(failures)), **result)
        result["msg"] = ", ".join("%d %s" % (n, key) for key, n in summary.items() if n) or "no accounts"
        return result


class InfoModule(BaseModule):
    """Read-only modules: :meth:`list_users` returns friendly objects without secrets."""

    select_all_hint = "; leave it out to list every user"

    def list_users(self):
        raise NotImplementedError

    def connection(self):
        """The server and the user the read was made as, whichever way they were given (option, module_defaults,
        environment): the access review reports them, and the API user is its platform's service account."""
        return dict(api_url=self.params.get("api_url"), api_username=self.params.get("api_username"))

    def fail(self, msg, **kwargs):
        kwargs.setdefault("connection", self.connection())
        super(InfoModule, self).fail(msg, **kwargs)

    def execute(self):
        return dict(changed=False, users=self.list_users(), connection=self.connection())
