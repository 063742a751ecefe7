# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write the ``users`` option documentation of each bulk module from its single module.

An element of ``users`` takes the options of the single module (both argument specs come from
the same declarative spec in plugins/module_utils), so its documentation is copied from the
single module's DOCUMENTATION, between the markers ``# BEGIN users`` and ``# END users``.
References to the module's own options, O(x), become O(users[].x); to its return values, RV(x), text.

    python tests/utils/bulk_docs/generate.py          rewrite the bulk modules   (make bulk-docs)
    python tests/utils/bulk_docs/generate.py --check  fail when a committed file differs (smoke.sh)
"""

import argparse
import ast
import os
import re
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
PAIRS = {"ahsay_users": "ahsay_user", "ahsay_sysusers": "ahsay_sysuser", "veeam_users": "veeam_user",
         "aaa_user_profiles": "aaa_user_profile"}
BLOCK = re.compile(r"(?ms)^  # BEGIN users.*?^  # END users\n")
# Options a bulk module takes once for the whole task, documented at its top level, not per element.
TASK_OPTIONS = {"veeam_users": ("wait_timeout",)}


def documentation(path):
    tree = ast.parse(open(path).read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and node.targets[0].id == "DOCUMENTATION":
            return yaml.safe_load(node.value.value)
    raise SystemExit("%s has no DOCUMENTATION" % path)


def rewrite(value, names):
    if isinstance(value, str):
        value = re.sub(r"RV\(([^)]*)\)", r"the single module's C(\1)", value)  # the bulk module returns other keys
        return re.sub(r"O\(([a-z0-9_]+)([.=\[])?", lambda m: "O(users[].%s%s" % (m.group(1), m.group(2) or "")
                      if m.group(1) in names else m.group(0), value)
    if isinstance(value, list):
        return [rewrite(item, names) for item in value]
    if isinstance(value, dict):
        return dict((key, rewrite(item, names)) for key, item in value.items())
    return value


def block(bulk, single):
    options = documentation(os.path.join(ROOT, "plugins", "modules", single + ".py"))["options"]
    for key in TASK_OPTIONS.get(bulk, ()):
        del options[key]
    options["name"]["required"] = True  # bulk modules match accounts by name
    text = yaml.safe_dump({"suboptions": rewrite(options, set(options))}, sort_keys=False, width=110, allow_unicode=True)
    body = "".join("    " + line if line.strip() else line for line in text.splitlines(True))
    return ("  # BEGIN users: generated from %s by `make bulk-docs`; do not edit by hand\n%s  # END users\n"
            % (single, body))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true")
    stale = []
    for bulk, single in sorted(PAIRS.items()):
        path = os.path.join(ROOT, "plugins", "modules", bulk + ".py")
        if not os.path.exists(path):
            continue
        text = open(path).read()
        if not BLOCK.search(text):
            raise SystemExit("%s lacks the '# BEGIN users' ... '# END users' markers" % path)
        new = BLOCK.sub(lambda m: block(bulk, single), text, count=1)
        if new != text:
            stale.append(path)
            if not parser.parse_args().check:
                open(path, "w").write(new)
    if stale and parser.parse_args().check:
        sys.exit("stale: %s; run `make bulk-docs`" % ", ".join(stale))
    print("\n".join("written: %s" % p for p in stale) or "bulk module docs up to date")


if __name__ == "__main__":
    main()
