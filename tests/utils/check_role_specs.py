"""Keep the roles in step with the modules they drive.

msp.accounts.onboard_user takes one dictionary per platform whose keys are the options of
ahsay_user, veeam_user and aaa_user_profile. This check fails when
- the role's meta/argument_specs.yml documents a key the module does not have, or misses one it has
  (connection options and ``state`` are the role's business), or gives it another type, element
  type or list of choices (also for sub-options);
- a task of the role does not pass an option on to the module.
Run: python tests/utils/check_role_specs.py   (smoke.sh runs it)
"""

import os
import re
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLATFORMS = {
    # platform: (module, options the role does not take, task file)
    "ahsay": ("ahsay_user", {"state"}, "ahsay.yml"),
    "veeam": ("veeam_user", {"state", "uid"}, "veeam.yml"),
    "aaa": ("aaa_user_profile", {"state"}, "aaa.yml"),
}
COMPARED = ("type", "elements", "choices")


def module_options(module):
    with open(os.path.join(ROOT, "plugins", "modules", module + ".py"), encoding="utf-8") as handle:
        source = handle.read()
    match = re.search(r'^DOCUMENTATION = r?"""(.*?)"""', source, re.S | re.M)
    return yaml.safe_load(match.group(1)).get("options") or {}


def compare(path, module_opts, role_opts, errors):
    for name in sorted(set(module_opts) - set(role_opts)):
        errors.append("%s.%s: the module has this option, the role's argument spec does not" % (path, name))
    for name in sorted(set(role_opts) - set(module_opts)):
        errors.append("%s.%s: the role's argument spec has this option, the module does not" % (path, name))
    for name in sorted(set(module_opts) & set(role_opts)):
        mod, role = module_opts[name], role_opts[name]
        for key in COMPARED:
            want, got = mod.get(key, "str" if key == "type" else None), role.get(key, "str" if key == "type" else None)
            if key == "choices" and want is not None and got is not None:
                want, got = sorted(map(str, want)), sorted(map(str, got))
            if want != got:
                errors.append("%s.%s: %s is %r in the module but %r in the role" % (path, name, key, want, got))
        if mod.get("suboptions") or role.get("options"):
            compare(path + "." + name, mod.get("suboptions") or {}, role.get("options") or {}, errors)


def main():
    errors = []
    with open(os.path.join(ROOT, "roles", "onboard_user", "meta", "argument_specs.yml"), encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)["argument_specs"]["main"]["options"]
    for platform, (module, skipped, task_file) in PLATFORMS.items():
        wanted = dict((k, v) for k, v in module_options(module).items() if k not in skipped)
        for where in ("onboard_user_%s" % platform, "onboard_user_%s_defaults" % platform):
            compare(where, wanted, spec[where].get("options") or {}, errors)
        compare("onboard_user_users[].%s" % platform, wanted, spec["onboard_user_users"]["options"][platform]["options"], errors)
        with open(os.path.join(ROOT, "roles", "onboard_user", "tasks", task_file), encoding="utf-8") as handle:
            task = yaml.safe_load(handle)[0]
        passed = set(task["msp.accounts." + module])
        for name in sorted(set(wanted) - passed):
            errors.append("roles/onboard_user/tasks/%s does not pass %s to msp.accounts.%s" % (task_file, name, module))
    for error in errors:
        print("ERROR: " + error)
    if errors:
        return 1
    print("The onboard_user argument spec and tasks match the options of ahsay_user, veeam_user and aaa_user_profile.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
