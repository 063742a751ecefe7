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

import os

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.msp.accounts.plugins.module_utils import _diff
from ansible_collections.msp.accounts.plugins.module_utils._http import HAS_REQUESTS, REQUESTS_IMPORT_ERROR, ApiError

# Environment variable prefix and optional connection options of each platform.
PLATFORMS = {
    "ahsay": {"prefix": "AHSAY", "token": False, "client_cert": False},
    "veeam": {"prefix": "VEEAM", "token": True, "client_cert": False},
    "aaa": {"prefix": "AAA", "token": False, "client_cert": True},
}


# How each credential alternative is given, for messages.
CREDENTIAL_WAYS = {
    "api_username": "api_username and api_password (%(env)s_API_USERNAME, %(env)s_API_PASSWORD)",
    "api_token": "api_token (%(env)s_API_TOKEN)",
    "client_cert": "client_cert and client_key (%(env)s_CLIENT_CERT, %(env)s_CLIENT_KEY)",
}
# Options that an empty string leaves unset.
CREDENTIAL_KEYS = ("api_username", "api_password", "api_token", "client_cert", "client_key", "ca_path")


def connection_argument_spec(platform):
    """Connection options of a platform, each with its environment fallback."""
    prefix = PLATFORMS[platform]["prefix"]

    def env(name):
        return (env_fallback, ["%s_%s" % (prefix, name)])

    spec = dict(
        api_url=dict(type="str", fallback=env("API_URL")),
        api_username=dict(type="str", fallback=env("API_USERNAME")),
        api_password=dict(type="str", no_log=True, fallback=env("API_PASSWORD")),
        validate_certs=dict(type="bool", default=True, fallback=env("VALIDATE_CERTS")),
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

    def __init__(self, argument_spec, **rules):
        spec = connection_argument_spec(self.platform)
        spec.update(argument_spec)
        # The credential rules (connection_rules) are judged by check_connection_options, whose message names
        # the environment variables too, and which treats an empty value as not given.
        self.module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **rules)
        self.params = self.module.params
        self.api = None
        if not HAS_REQUESTS:
            self.module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
        if str(self.params["api_url"]).lower().startswith("http://"):
            self.module.warn("api_url uses http://: credentials and data travel unencrypted. Use https:// outside a lab.")

    def fail(self, msg, **kwargs):
        self._emit_warnings()  # e.g. "the password of api_username changed" must survive a later failure
        self.module.fail_json(msg=msg, **kwargs)

    def _emit_warnings(self):
        warnings = getattr(self.api, "warnings", None) or []
        while warnings:
            self.module.warn(warnings.pop(0))

    def check_connection_options(self):
        """Connection options that can be judged locally, before any request."""
        params = self.params
        # An environment variable set to "" (as an AWX credential with an empty field injects it)
        # means "not given", so the credential rules are judged again without it.
        for key in CREDENTIAL_KEYS:
            if isinstance(params.get(key), str) and not params[key].strip():
                params[key] = None
        env = PLATFORMS[self.platform]["prefix"]
        # Needed, but not required in the argument spec: the environment can give them.
        if not (params["api_url"] or "").strip():
            self.fail("no api_url was given: set api_url or the %s_API_URL environment variable." % env)
        rules = connection_rules(self.platform)
        for group in rules.get("required_one_of", []):
            if not any(params.get(key) for key in group):
                ways = [CREDENTIAL_WAYS[key] % {"env": env} for key in group]
                self.fail("no credentials were given: set %s." % " or ".join(ways))
        for group in rules.get("required_together", []):
            given = [key for key in group if params.get(key)]
            if given and len(given) < len(group):
                self.fail("%s must be given together (or the environment variables %s)." % (
                    " and ".join(group), ", ".join("%s_%s" % (env, key.upper()) for key in group)))
        # Every AhsayCBS call carries SysUser/SysPwd: there is no other way in.
        if self.platform == "ahsay" and not (params["api_username"] and params["api_password"]):
            self.fail("no credentials were given: set %s." % (CREDENTIAL_WAYS["api_username"] % {"env": env}))
        if params["timeout"] is not None and params["timeout"] <= 0:
            self.fail("timeout must be a positive number of seconds, got %s." % params["timeout"])
        if params["retries"] is not None and params["retries"] < 0:
            self.fail("retries must be 0 or more, got %s." % params["retries"])
        env = PLATFORMS[self.platform]["prefix"]
        for option in ("ca_path", "client_cert", "client_key"):
            path = params.get(option)
            if path and not os.path.isfile(path):
                self.fail("%s (or %s_%s) names %r, which is not a readable file." % (option, env, option.upper(), path))

    def validate(self):
        """Judge the input before any request; call :meth:`fail` for bad input."""

    def execute(self):
        raise NotImplementedError

    def run(self):
        self.check_connection_options()
        self.validate()
        try:
            self.api = self.api_class.from_params(self.params, check_mode=self.module.check_mode)
            result = self.execute()
        except ApiError as err:
            self.fail(str(err), api_error=dict(method=err.method, path=err.path, status=err.status, message=err.message))
        except ValueError as err:
            # Raised by facades for answers that make no sense (e.g. an unknown name).
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
        name = self.params.get("name")
        text = "user %r %s" % (name, outcome) if name else "user %s" % outcome
        if self.module.check_mode and outcome not in ("up to date", "absent already"):
            text += " (check mode: nothing was sent)"
        return text


class InfoModule(BaseModule):
    """Read-only modules: :meth:`list_users` returns friendly objects without secrets."""

    def list_users(self):
        raise NotImplementedError

    def execute(self):
        return dict(changed=False, users=self.list_users())
