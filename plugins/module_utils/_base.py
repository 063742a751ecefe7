# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The flow every msp.accounts module shares (private: not a public API).

:class:`AccountModule` runs read -> compare -> (check mode: predict) -> minimal write ->
result for ``state: present|absent`` modules; :class:`InfoModule` runs the read-only
``*_info`` modules. A concrete module supplies its argument spec, its :class:`Field`
table and a few hooks (``find``, ``create``, ``update``, ``delete``).
"""

import functools
import os
import re

from ansible.module_utils.basic import AnsibleFallbackNotFound, AnsibleModule, env_fallback, missing_required_lib
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
    """Connection options of a platform, each with its environment fallback.

    Nothing is ``required`` here, as the environment can give every value: BaseModule judges
    :func:`required_connection` itself, so that the message names the variable. Environment values that are no
    boolean for a boolean option are appended to ``problems`` as ``(variable, value)``.
    """
    prefix = PLATFORMS[platform]["prefix"]
    problems = [] if problems is None else problems

    def env(name):
        return (env_fallback, ["%s_%s" % (prefix, name)])

    def bool_env(name):
        return (functools.partial(bool_env_fallback, problems), ["%s_%s" % (prefix, name)])

    spec = dict(
        api_url=dict(type="str", fallback=env("API_URL")),
        api_username=dict(type="str", fallback=env("API_USERNAME")),
        api_password=dict(type="str", no_log=True, fallback=env("API_PASSWORD")),
        validate_certs=dict(type="bool", default=True, fallback=bool_env("VALIDATE_CERTS")),
        ca_path=dict(type="path", fallback=env("CA_PATH")),
        timeout=dict(type="int", default=30),
        retries=dict(type="int", default=3),
    )
    if PLATFORMS[platform]["token"]:
        spec["api_token"] = dict(type="str", no_log=True, fallback=env("API_TOKEN"))
    if PLATFORMS[platform]["client_cert"]:
        spec["client_cert"] = dict(type="path", fallback=env("CLIENT_CERT"))
        spec["client_key"] = dict(type="path", no_log=False, fallback=env("CLIENT_KEY"))
    return spec


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

    Subclasses set ``platform`` and ``api_class`` (the platform facade, which offers
    ``from_params(params, check_mode)``) and implement :meth:`execute`.
    """

    platform = None
    api_class = None
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
        self.module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **rules)
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
        self.validate()
        try:
            self.api = self.api_class.from_params(self.params, check_mode=self.module.check_mode)
            result = self.execute()
        except ApiError as err:
            self.fail_api(err)
        except InputError as err:
            self.fail(str(err))
        self._emit_warnings()
        self.module.exit_json(**result)


class AccountModule(BaseModule):
    """``state: present|absent`` for one account.

    ``fields`` maps every managed key of the friendly object to a :class:`_diff.Field`.
    Hooks: :meth:`find` (current object or ``None``), :meth:`create`, :meth:`update`,
    :meth:`delete`. ``create``/``update`` may return the resulting object; by default it
    is predicted from what was sent, so no read-back request is needed.
    """

    fields = {}
    secret_keys = ("password",)

    def find(self):
        raise NotImplementedError

    def desired(self, current):
        """The friendly object the user asked for: the managed options they set.

        A password is part of it on creation, or on update with ``update_password: always``.
        """
        wanted = dict((key, self.params.get(key)) for key in self.fields if key not in self.secret_keys)
        wanted = dict((key, value) for key, value in wanted.items() if value is not None)
        for key in self.secret_keys:
            if self.params.get(key) is not None and (current is None or self.params.get("update_password", "always") == "always"):
                wanted[key] = self.params[key]
        return wanted

    def compare(self, current, desired):
        return _diff.changes(current, desired, self.fields)

    def create(self, desired):
        raise NotImplementedError

    def update(self, current, change, desired):
        raise NotImplementedError

    def delete(self, current):
        raise NotImplementedError

    def public(self, obj):
        """The object as returned to the user: secrets removed."""
        if obj is None:
            return {}
        return dict((k, v) for k, v in obj.items() if k not in self.secret_keys)

    def execute(self):
        current = self.find()
        check_mode = self.module.check_mode
        result = dict(changed=False)

        desired = None
        if self.params.get("state", "present") == "absent":
            if current is not None:
                if not check_mode:
                    self.delete(current)
                result["changed"] = True
            result["action"] = "removed" if current is not None else "unchanged"
            result["msg"] = self._message("removed" if current is not None else "absent already")
            before, after, change = current, None, {}
            keys = [k for k in (current or {}) if k in self.fields]
            result["user"] = {}
        else:
            desired = self.desired(current)
            if current is None:
                change = desired
                after = desired if check_mode else (self.create(desired) or desired)
            else:
                change = self.compare(current, desired)
                after = _diff.merge(current, change)
                if change and not check_mode:
                    after = self.update(current, change, desired) or after
            before, keys = current, [k for k in desired if k in self.fields]
            result["changed"] = bool(change)
            result["action"] = "created" if current is None else "updated" if change else "unchanged"
            if current is None:
                result["msg"] = self._message("created")
            elif change:
                result["msg"] = self._message("updated (%s)" % ", ".join(sorted(change)))
            else:
                result["msg"] = self._message("up to date")
            result["user"] = self.public(after)

        if self.module._diff:
            result["diff"] = _diff.diff_view(before, after, keys, change, self.secret_keys, managed=desired)
        return result

    def _message(self, outcome):
        if self.module.check_mode and outcome not in ("up to date", "absent already"):
            outcome = "would be " + outcome  # a prediction: nothing was sent
        name = self.params.get("name")
        return "user %r %s" % (name, outcome) if name else "user %s" % outcome


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
