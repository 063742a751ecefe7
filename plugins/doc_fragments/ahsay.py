# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later


class ModuleDocFragment(object):
    # Connection options of every AhsayCBS module.
    DOCUMENTATION = r"""
options:
  api_url:
    description:
      - Base URL of the AhsayCBS server, for example V(https://backup.example.com).
      - The JSON API paths (C(/obs/api/json/...)) are added by the module.
      - If not set, the value of the E(AHSAY_API_URL) environment variable is used. The option or the variable must be given, as an
        V(https://) or V(http://) URL with a host name.
    type: str
  api_username:
    description:
      - Login name of the AhsayCBS system user the module authenticates as (C(SysUser)).
      - That system user needs the Admin or API role.
      - If not set, the value of the E(AHSAY_API_USERNAME) environment variable is used. The option or the variable must be given.
    type: str
  api_password:
    description:
      - Password of O(api_username) (C(SysPwd)).
      - If not set, the value of the E(AHSAY_API_PASSWORD) environment variable is used. The option or the variable must be given.
    type: str
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate.
      - Set to V(false) only for test systems with self-signed certificates.
      - If not set, the value of the E(AHSAY_VALIDATE_CERTS) environment variable is used; a value there that is not a boolean fails
        the task, naming the variable.
      - V(false) makes the module warn (once per task).
    type: bool
    default: true
  ca_path:
    description:
      - Path to a PEM file with the CA certificate(s) that issued the server's certificate. A file without a PEM certificate fails
        before any request.
      - If not set, the value of the E(AHSAY_CA_PATH) environment variable is used.
    type: path
  timeout:
    description:
      - Seconds to wait for each answer from the server.
    type: int
    default: 30
  retries:
    description:
      - How often a read request is repeated after a connection error or an HTTP 429, 500, 502, 503, 504 or 520 answer,
        with exponential backoff and jitter (a server's C(Retry-After) or C(retryAfter) hint is honoured, at most 60 seconds).
      - Write requests are never repeated, except after HTTP 429, when the server refused them unprocessed. A failed write
        says whether it may have been applied.
    type: int
    default: 3
requirements:
  - requests >= 2.25 (Python library) on the host that runs the module, usually the controller or the execution environment
notes:
  - "What you must provide: O(api_url), O(api_username) and O(api_password), each as a module option,
    through C(module_defaults), or in its environment variable. None of them has to be in the task itself."
  - Secrets (O(api_password)) are never logged. An V(http://) O(api_url) works but
    the module warns that credentials travel unencrypted.
  - C(module_defaults) groups, environment variables, CA files and error messages are explained in the
    R(Connecting and credentials guide,ansible_collections.msp.accounts.docsite.connecting)
    (C(docs/connecting.md) in the collection).
"""
