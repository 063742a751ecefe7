# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write roles/<role>/meta/argument_specs.yml from one source per role and the modules.

A role's own variables (names, types, defaults, choices, descriptions) are written by hand in
tests/utils/role_specs/<role>.yml. Two keys there are not Ansible's; this script expands them:

``module_options: {module: M, leave_out: [...], passed_by: tasks/x.yml}`` on a dict option
    Its ``options`` become those of msp.accounts.M, every option but the ones left out: type,
    elements, choices and the required flag of sub-options as M's DOCUMENTATION says, ``no_log``
    as M's argument spec says, and as description the first sentence of M's description plus a
    link to the module's option. ``passed_by`` names the task file that calls M, or its bulk form
    (``BULK``: M's options are the elements of its ``users``). A call of M must pass every one of
    those options on; a call of the bulk form must hand ``users`` a list built from the entries'
    whole platform dictionary (a template that ``combine``s ``entry.<platform>``), take every one
    of those options in its elements, and list no option of M itself (nor ``unlisted`` other than
    ``keep``: the roles never touch an account they were not given).
``connection: [platform, ...]`` on the entry point
    Adds the variables <role>_<platform>_<option> for the connection options the roles take
    (types, ``no_log`` and environment variables from the module's argument spec).
``connection_modules: {platform: module, ...}`` on the entry point
    The module whose connection options a platform's variables are passed to, when the role does not
    call the platform's write module (the default, see PLATFORMS).

    python tests/utils/role_specs/generate.py          write both files   (make role-specs)
    python tests/utils/role_specs/generate.py --check  fail when a committed file differs (smoke.sh)
"""

import argparse
import ast
import difflib
import os
import re
import runpy
import shutil
import sys
import tempfile

import yaml
from ansible.module_utils import basic

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
ROLES = ("onboard_user", "offboard_user", "access_review")
COMMAND = "make role-specs"

# The module whose connection options each platform's role variables are passed to, the platform's
# name in descriptions, and what the roles take of its connection options (timeout and retries are
# left to module_defaults).
PLATFORMS = {
    "ahsay": ("ahsay_user", "AhsayCBS"),
    "veeam": ("veeam_user", "VSPC"),
    "aaa": ("aaa_user_profile", "Unified Assurance"),
}
# The bulk module that converges many accounts of the type each single-account module manages.
BULK = {
    "ahsay_user": "ahsay_users",
    "veeam_user": "veeam_users",
    "aaa_user_profile": "aaa_user_profiles",
    "ahsay_sysuser": "ahsay_sysusers",
}
CONNECTION = (
    ("api_url", "URL of {label}, passed as {link}."),
    ("api_username", "User to log in with, passed as {link}."),
    ("api_password", "Password of that user, passed as {link}."),
    ("api_token", "An API key or access token, passed as {link}; no login is needed then."),
    ("client_cert", "Client certificate (PEM file) instead of a password, passed as {link}."),
    ("client_key", "Key of O({variable_prefix}client_cert), passed as {link}."),
    ("validate_certs", "Whether to verify the TLS certificate of {label}, passed as {link}."),
    ("ca_path", "CA bundle (PEM file) to verify {label} with, passed as {link}."),
)
CONNECTION_FALLBACK = ("When not set, C(module_defaults) of C(group/msp.accounts.{platform}) or the environment "
                       "variable E({env}) apply.")


class Failure(Exception):
    pass


# --- what the modules say -------------------------------------------------------------------------

def module_documentation(module):
    """The options of DOCUMENTATION of plugins/modules/<module>.py (without doc fragments)."""
    path = os.path.join(ROOT, "plugins", "modules", module + ".py")
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), path)
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "DOCUMENTATION" for t in node.targets):
            return yaml.safe_load(node.value.value).get("options") or {}
    raise Failure("%s has no DOCUMENTATION" % path)


class _Captured(BaseException):
    """Carries the keyword arguments of AnsibleModule() out of the module's main()."""

    def __init__(self, kwargs):
        super().__init__()
        self.kwargs = kwargs


_SPECS = {}


def module_argument_spec(module):
    """The argument spec msp.accounts.<module> gives AnsibleModule, connection options included.

    The module runs as a script until it creates its AnsibleModule, which is stopped there: nothing
    is read from stdin and no request is sent.
    """
    if module in _SPECS:
        return _SPECS[module]

    def capture(self, *args, **kwargs):
        if args:
            kwargs["argument_spec"] = args[0]
        raise _Captured(kwargs)

    original = basic.AnsibleModule.__init__
    basic.AnsibleModule.__init__ = capture
    try:
        runpy.run_module("ansible_collections.msp.accounts.plugins.modules." + module, run_name="__main__")
    except _Captured as captured:
        _SPECS[module] = captured.kwargs["argument_spec"]
        return _SPECS[module]
    finally:
        basic.AnsibleModule.__init__ = original
    raise Failure("msp.accounts.%s ended without creating its AnsibleModule" % module)


def import_path():
    """Make ``ansible_collections.msp.accounts`` importable from this checkout."""
    base = tempfile.mkdtemp(prefix="role-specs-")
    os.makedirs(os.path.join(base, "ansible_collections", "msp"))
    os.symlink(ROOT, os.path.join(base, "ansible_collections", "msp", "accounts"))
    sys.path.insert(0, base)
    return base


# --- descriptions ---------------------------------------------------------------------------------

def first_sentence(text):
    """The text up to the first full stop that ends a sentence (not one inside parentheses)."""
    text = " ".join(str(text).split())
    depth = 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char == "." and depth == 0 and text[index + 1:index + 2] == " ":
            return text[:index + 1]
    return text


def role_markup(text):
    """O(x) and RV(x) of a module's own options and values name nothing in a role: show them as code."""
    return re.sub(r"\b(?:O|RV)\(([^()#]+)\)", r"C(\1)", text)


def module_tree(module, doc_options, spec, path, leave_out=(), nested=False):
    tree = {}
    for name, doc in doc_options.items():
        if name in leave_out:
            continue
        if name not in spec:
            raise Failure("msp.accounts.%s documents %s%s, which its argument spec does not have" % (module, path, name))
        description = doc.get("description") or [""]
        description = description if isinstance(description, list) else [description]
        option = {"description": [role_markup(first_sentence(description[0])),
                                  "Passed to O(msp.accounts.%s#module:%s%s)." % (module, path, name)],
                  "type": doc.get("type", "str")}
        for key in ("elements", "choices"):
            if key in doc:
                option[key] = doc[key]
        if nested and doc.get("required"):
            option["required"] = True
        if spec[name].get("no_log"):
            option["no_log"] = True
        if doc.get("suboptions"):
            separator = "[]." if doc.get("type") == "list" else "."
            option["options"] = module_tree(module, doc["suboptions"], spec[name].get("options") or {},
                                            path + name + separator, nested=True)
        tree[name] = option
    return tree


def connection_variables(role, platform, module=None):
    default_module, label = PLATFORMS[platform]
    module = module or default_module
    spec = module_argument_spec(module)
    variable_prefix = "%s_%s_" % (role, platform)
    variables = {}
    for name, template in CONNECTION:
        if name not in spec:
            continue
        link = "O(msp.accounts.%s#module:%s)" % (module, name)
        fallback = spec[name].get("fallback") or (None, [])
        env = fallback[1][0] if fallback[1] else None
        if not env:
            raise Failure("msp.accounts.%s: the connection option %s has no environment variable" % (module, name))
        variable = {"description": [template.format(label=label, link=link, variable_prefix=variable_prefix),
                                    CONNECTION_FALLBACK.format(platform=platform, env=env)],
                    "type": spec[name].get("type", "str")}
        if spec[name].get("no_log"):
            variable["no_log"] = True
        variables[variable_prefix + name] = variable
    return variables


# --- the role files -------------------------------------------------------------------------------

def source_path(role):
    return os.path.join(HERE, role + ".yml")


def target_path(role):
    return os.path.join(ROOT, "roles", role, "meta", "argument_specs.yml")


def expand_options(role, options, errors):
    out = {}
    for name, option in options.items():
        option = dict(option)
        directive = option.pop("module_options", None)
        if directive:
            module = directive["module"]
            leave_out = set(directive.get("leave_out") or ())
            doc_options = module_documentation(module)
            unknown = leave_out - set(doc_options)
            if unknown:
                raise Failure("%s: %s leaves out %s, which msp.accounts.%s does not have"
                              % (source_path(role), name, ", ".join(sorted(unknown)), module))
            option["options"] = module_tree(module, doc_options, module_argument_spec(module), "", leave_out)
            if directive.get("passed_by"):
                check_passed(role, module, directive["passed_by"], option["options"], errors)
        elif "options" in option:
            option["options"] = expand_options(role, option["options"], errors)
        out[name] = option
    return out


def check_passed(role, module, task_file, options, errors):
    """The task that calls the module (or its bulk form) passes every option the role documents for it."""
    path = os.path.join(ROOT, "roles", role, task_file)
    where = "roles/%s/%s" % (role, task_file)
    with open(path, encoding="utf-8") as handle:
        tasks = yaml.safe_load(handle) or []
    bulk = BULK.get(module)
    bulk_calls = [task for task in tasks if bulk and "msp.accounts." + bulk in task]
    calls = [task["msp.accounts." + module] for task in tasks if "msp.accounts." + module in task]
    if bulk_calls and not calls:
        if len(bulk_calls) != 1:
            errors.append("%s: expected one task that calls msp.accounts.%s, found %d" % (where, bulk, len(bulk_calls)))
            return
        check_bulk_call(where, module, bulk, bulk_calls[0], options, errors)
        return
    if len(calls) != 1:
        errors.append("%s: expected one task that calls msp.accounts.%s (or msp.accounts.%s), found %d"
                      % (where, module, bulk, len(calls)))
        return
    for name in options:
        if name not in (calls[0] or {}):
            errors.append("%s does not pass %s to msp.accounts.%s" % (where, name, module))


def check_bulk_call(where, module, bulk, task, options, errors):
    """The bulk task hands ``users`` the entries' whole platform dictionaries, not a list of options."""
    platform = next(name for name, (single, _label) in PLATFORMS.items() if single == module)
    arguments = task["msp.accounts." + bulk] or {}
    spec = module_argument_spec(bulk)
    elements = spec["users"].get("options") or {}
    missing = sorted(set(options) - set(elements) - set(spec))
    if missing:
        errors.append("%s: the elements of msp.accounts.%s do not take %s" % (where, bulk, ", ".join(missing)))
    # An option the bulk module takes once for the task (veeam_users' wait_timeout) is passed at task level.
    for name in sorted((set(options) - set(elements)) & set(spec)):
        if name not in arguments:
            errors.append("%s does not pass %s to msp.accounts.%s" % (where, name, bulk))
    listed = sorted(name for name in arguments if name in elements or name not in spec)
    if listed:
        errors.append("%s passes %s to msp.accounts.%s; options of %s belong in the elements of users, "
                      "built from the platform dictionary" % (where, ", ".join(listed), bulk, module))
    if arguments.get("unlisted", "keep") != "keep":
        errors.append("%s: msp.accounts.%s must leave unlisted at keep" % (where, bulk))
    # users: "{{ var }}" with var in the task's vars, or the template itself.
    users = str(arguments.get("users", ""))
    named = re.fullmatch(r"\{\{\s*(\w+)\s*\}\}", users.strip())
    if named and named.group(1) in (task.get("vars") or {}):
        users = str(task["vars"][named.group(1)])
    platform_dict = r"\|\s*combine\(\s*entry(?:\.%s\b|\[\s*['\"]%s['\"]\s*\])" % (platform, platform)
    if not re.search(platform_dict, users):
        errors.append("%s: users of msp.accounts.%s must be built from each entry's whole %s dictionary "
                      "(combine entry.%s)" % (where, bulk, platform, platform))


def render(role, errors):
    with open(source_path(role), encoding="utf-8") as handle:
        source = yaml.safe_load(handle)
    entry_points = {}
    for entry_name, entry in source.items():
        entry = dict(entry)
        platforms = entry.pop("connection", None) or ()
        modules = entry.pop("connection_modules", None) or {}
        entry["options"] = expand_options(role, entry.get("options") or {}, errors)
        for platform in platforms:
            entry["options"].update(connection_variables(role, platform, modules.get(platform)))
        entry_points[entry_name] = entry
    header = (
        "# Generated by `%s` (tests/utils/role_specs/generate.py): do not edit. The role's own variables\n"
        "# come from tests/utils/role_specs/%s.yml, the options of the modules from their DOCUMENTATION;\n"
        "# `make test` fails when this file differs from what the command writes.\n" % (COMMAND, role))
    return header + yaml.dump({"argument_specs": entry_points}, Dumper=_Dumper, explicit_start=True,
                              sort_keys=False, width=100, allow_unicode=True, default_flow_style=False)


class _Dumper(yaml.SafeDumper):
    """Block style with indented lists, no anchors, as the rest of the repository's YAML."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data):
        return True

    def represent_list(self, data):
        # Short lists of single words (choices, defaults) on one line, as [a, b]; the rest one item a line.
        words = all(isinstance(item, (bool, int)) or (isinstance(item, str) and item and not re.search(r"\s", item))
                    for item in data)
        short = len(", ".join(str(item) for item in data)) <= 60
        return self.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=bool(data) and words and short)


_Dumper.add_representer(list, _Dumper.represent_list)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="only report whether the committed files are up to date")
    args = parser.parse_args(argv)
    base = import_path()
    errors, stale = [], []
    try:
        for role in ROLES:
            text = render(role, errors)
            path = target_path(role)
            relative = os.path.relpath(path, ROOT)
            try:
                with open(path, encoding="utf-8") as handle:
                    current = handle.read()
            except IOError:
                current = ""
            if current == text:
                if not args.check:
                    print("%s is up to date" % relative)
                continue
            if args.check:
                stale.append(relative)
                diff = difflib.unified_diff(current.splitlines(True), text.splitlines(True),
                                            "committed " + relative, "generated " + relative, n=1)
                sys.stdout.writelines(list(diff)[:60])
            else:
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(text)
                print("wrote %s" % relative)
    except Failure as failure:
        errors.append(str(failure))
    finally:
        os.unlink(os.path.join(base, "ansible_collections", "msp", "accounts"))  # the link, not the checkout
        shutil.rmtree(base)
    for error in errors:
        print("ERROR: " + error)
    for relative in stale:
        print("ERROR: %s is stale (it differs from what its sources give, diff above). Run `%s` and commit "
              "the result (the role's own variables are in tests/utils/role_specs/)." % (relative, COMMAND))
    if errors or stale:
        return 1
    if args.check:
        print("The argument specs of %s are up to date (%s)." % (" and ".join(ROLES), COMMAND))
    return 0


if __name__ == "__main__":
    sys.exit(main())
