# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Runs the veeam_login module and hides its successful result from every output.

The result carries access and refresh tokens. A module cannot hide single return
values without also hiding them from ``register``, so the whole result is marked
no_log here: the registered variable keeps the tokens, callbacks and AWX job events
show only that the output was hidden. Failures stay visible (they hold no token).
"""

from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        result.update(self._execute_module(module_name="msp.accounts.veeam_login", module_args=self._task.args, task_vars=task_vars))
        if not result.get("failed"):
            result["_ansible_no_log"] = True
        return result
