# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Write a report of the access_review filter as JSON, CSV or one self-contained HTML page."""

DOCUMENTATION = r"""
name: access_review_render
author:
  - msp.accounts contributors (@msp-accounts)
version_added: 0.3.0
short_description: Write an access review report as JSON, CSV or one self-contained HTML page
description:
  - Renders the report of the P(msp.accounts.access_review#filter) filter.
  - V(json), the report as it is; V(csv), one row per account with its findings joined in one column (cells a
    spreadsheet would run as a formula start with an apostrophe); V(html), one page without any asset or script
    from the network (a Content-Security-Policy forbids loading anything) with a header, a summary per finding
    kind and a people by platforms table that can be filtered and sorted and prints readably.
positional: _input, output_format
options:
  _input:
    description: A report of the P(msp.accounts.access_review#filter) filter.
    type: dict
    required: true
  output_format:
    description: The format.
    type: str
    choices: [json, csv, html]
    default: json
"""

EXAMPLES = r"""
- name: Write the HTML page
  ansible.builtin.copy:
    content: "{{ review | msp.accounts.access_review_render('html') }}"
    dest: /srv/audit/access-review.html
    mode: "0640"
"""

RETURN = r"""
_value:
  description: The report as text in the chosen format.
  type: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.msp.accounts.plugins.plugin_utils import _access_review_render as render


def access_review_render(report, output_format="json"):
    if not isinstance(report, dict) or "accounts" not in report:
        raise AnsibleFilterError("access_review_render: the input must be a report of the access_review filter")
    if output_format not in render.RENDERERS:
        raise AnsibleFilterError("access_review_render: the format must be json, csv or html, got %r" % (output_format,))
    return render.as_data(render.RENDERERS[output_format](report))


class FilterModule(object):
    def filters(self):
        return {"access_review_render": access_review_render}
