# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later


class ModuleDocFragment(object):
    # Attributes shared by the modules of this collection.
    DOCUMENTATION = r"""
options: {}
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying target.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
"""

    # Modules that change accounts.
    ACTIONS = r"""
options: {}
notes:
  - What the module compares, what check and diff mode show, and how passwords are handled (O(update_password))
    are explained in the
    R(Passwords and idempotency guide,ansible_collections.msp.accounts.docsite.passwords-and-idempotency)
    (C(docs/passwords-and-idempotency.md) in the collection).
attributes:
  check_mode:
    support: full
    details:
      - No write request is sent; the result and the diff are predicted from the current object.
  diff_mode:
    support: full
    details:
      - Only the options you set are shown; a password shows as V(<changed>), never its value.
"""

    # Bulk modules (a list of accounts in O(users)).
    BULK = r"""
options:
  unlisted_limit:
    description:
      - When O(unlisted) is V(suspend) or V(remove) and more accounts than this would be affected, the task fails
        before any write and says how many. A truncated export must not empty a server.
    type: int
    default: 10
  parallel:
    description:
      - How many writes are in flight at once, from 1 to 32. A server's retry hint (HTTP 429) pauses all of them.
    type: int
    default: 4
notes:
  - What the module compares, what check and diff mode show, and how passwords are handled (O(users[].update_password))
    are explained in the
    R(Passwords and idempotency guide,ansible_collections.msp.accounts.docsite.passwords-and-idempotency)
    (C(docs/passwords-and-idempotency.md) in the collection); the R(bulk guide,ansible_collections.msp.accounts.docsite.bulk)
    (C(docs/bulk.md)) covers scopes, unlisted accounts and many servers.
attributes:
  check_mode:
    support: full
    details:
      - Only the read pass is sent; the action of every account is predicted.
  diff_mode:
    support: full
    details:
      - Each changed account's entry in RV(users) holds its C(diff), with only the options its element sets; a password
        shows as V(<changed>). Ansible prints them one after the other, each headed by the account's name.
"""

    # Read-only modules.
    INFO = r"""
options: {}
attributes:
  check_mode:
    support: full
    details:
      - The module only reads, so it runs the same in check mode.
  diff_mode:
    support: N/A
    details:
      - The module changes nothing.
"""

    AHSAY_GROUP = r"""
options: {}
attributes:
  action_group:
    description: Use C(group/msp.accounts.ahsay) or C(group/msp.accounts.all) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - msp.accounts.ahsay
      - msp.accounts.all
"""

    VEEAM_GROUP = r"""
options: {}
attributes:
  action_group:
    description: Use C(group/msp.accounts.veeam) or C(group/msp.accounts.all) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - msp.accounts.veeam
      - msp.accounts.all
"""

    AAA_GROUP = r"""
options: {}
attributes:
  action_group:
    description: Use C(group/msp.accounts.aaa) or C(group/msp.accounts.all) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - msp.accounts.aaa
      - msp.accounts.all
"""
