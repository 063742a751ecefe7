# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later


class ModuleDocFragment(object):
    # Connection options of every Veeam Service Provider Console module.
    DOCUMENTATION = r"""
options:
  api_url:
    description:
      - Base URL of the Veeam Service Provider Console, for example V(https://vspc.example.com:1280).
      - The REST API path C(/api/v3) is added by the module.
      - If not set, the value of the E(VEEAM_API_URL) environment variable is used. The option or the variable must be given, as an
        V(https://) or V(http://) URL with a host name.
    type: str
  api_username:
    description:
      - Portal user name to log in with (OAuth 2.0 password grant on C(/api/v3/token)).
      - Needed unless O(api_token) is given.
      - If not set, the value of the E(VEEAM_API_USERNAME) environment variable is used.
    type: str
  api_password:
    description:
      - Password of O(api_username).
      - If not set, the value of the E(VEEAM_API_PASSWORD) environment variable is used.
    type: str
  api_token:
    description:
      - An API key or an access token (for example RV(msp.accounts.veeam_login#module:token)), sent in the C(Authorization) header as a bearer token.
      - Takes precedence over O(api_username) and O(api_password). When the token has expired and a password is
        also given, the module logs in again once.
      - If not set, the value of the E(VEEAM_API_TOKEN) environment variable is used.
    type: str
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate.
      - Set to V(false) only for test systems with self-signed certificates.
      - If not set, the value of the E(VEEAM_VALIDATE_CERTS) environment variable is used; a value there that is not a boolean fails
        the task, naming the variable.
      - V(false) makes the module warn (once per task).
    type: bool
    default: true
  ca_path:
    description:
      - Path to a PEM file with the CA certificate(s) that issued the server's certificate. A file without a PEM certificate fails
        before any request.
      - If not set, the value of the E(VEEAM_CA_PATH) environment variable is used.
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
      - The log-in with O(api_username) and O(api_password) (C(POST /api/v3/token)) is repeated like a read.
    type: int
    default: 3
requirements:
  - requests >= 2.25 (Python library) on the host that runs the module, usually the controller or the execution environment
notes:
  - "What you must provide: O(api_url), and O(api_token) or O(api_username) with O(api_password), each as a module option,
    through C(module_defaults), or in its environment variable. None of them has to be in the task itself."
  - Secrets (O(api_password), O(api_token)) are never logged. An V(http://) O(api_url) works but
    the module warns that credentials travel unencrypted.
  - C(module_defaults) groups, environment variables, CA files and error messages are explained in the
    R(Connecting and credentials guide,ansible_collections.msp.accounts.docsite.connecting)
    (C(docs/connecting.md) in the collection).
"""
