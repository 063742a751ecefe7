# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one HTTP transport of the collection (private: not a public API).

Every request of every platform goes through :class:`HttpClient`: URL joining, JSON in
and out, TLS settings, bounded retries for safe requests, the check-mode write guard
and secret-free errors.
"""

import base64
import collections
import contextlib
import functools
import email.utils
import html
import json
import random
import re
import ssl
import threading
import time
import traceback

from ansible.module_utils.six.moves.urllib.parse import quote, quote_plus, urlsplit

try:
    import requests
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:  # pragma: no cover - exercised only where requests is missing
    requests = None
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

REDACTED = "********"

# Keys whose values are secrets wherever they appear (matched case-insensitively).
SECRET_KEYS = frozenset((
    "password", "repeatpassword", "syspwd", "newpassword", "hashedpwd", "supportpassword",
    "access_token", "refresh_token", "accesstoken", "refreshtoken", "token",
    "api_token", "api_password", "client_secret", "authorization", "apikey", "api_key",
))

READ_METHODS = frozenset(("GET", "HEAD", "OPTIONS"))
# Statuses a read is repeated after. 500 is among them: reads are safe, and a platform's 500 is
# often passing (UA under load: "max connections"; VSPC sends every 5xx as 520 anyway).
RETRY_STATUSES = frozenset((429, 500, 502, 503, 504, 520))
# Statuses after which a write may have been applied: the server (or the one behind a gateway)
# failed while handling it. 503 and 501 mean it was not taken on.
MAYBE_APPLIED_STATUSES = frozenset((500, 502, 504, 520))
MAYBE_APPLIED = "The request may have been applied: read the account before retrying (running the task again does)."
NOT_APPLIED = "The request never reached the server, so nothing was changed."
# Never sleep longer than this for one retry, whatever the server asks for.
MAX_RETRY_WAIT = 60.0


def redact(value, secrets=()):
    """Deep copy of a JSON-like value with secret keys and known secret values replaced."""
    if isinstance(value, dict):
        return dict((k, REDACTED if str(k).lower() in SECRET_KEYS and v not in (None, "") else redact(v, secrets))
                    for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [redact(v, secrets) for v in value]
    if isinstance(value, str):
        return scrub(value, secrets)
    return value


@functools.lru_cache(maxsize=None)  # a bulk module knows thousands of secrets, and scrubs every error text of all
def secret_forms(secret):
    """The ways a server may echo a secret (a text): verbatim, URL-, JSON- and HTML-escaped."""
    return frozenset((secret, quote(secret, safe=""), quote(secret), quote_plus(secret),
                      json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1],
                      html.escape(secret), html.escape(secret, quote=False), html.escape(secret).replace("&#x27;", "&#39;")))


def basic_credential(username, password):
    """The token of ``Authorization: Basic``, which is as good as the password."""
    return base64.b64encode(("%s:%s" % (username, password)).encode("utf-8")).decode("ascii")


def scrub(text, secrets=()):
    """Replace every known secret value, in every form :func:`secret_forms` knows, inside a text."""
    text = str(text)
    forms = set().union(*(secret_forms(str(secret)) for secret in secrets if secret))
    # Longest first, so a secret that contains another is hidden whole.
    for form in sorted((f for f in forms if f), key=len, reverse=True):
        text = text.replace(form, REDACTED)
    return re.sub(r"(?i)(authorization:\s*\w+\s+)\S+", r"\1" + REDACTED, text)


def join_sentences(*parts):
    """Texts joined as sentences: a period where one is missing, never two."""
    text = ""
    for part in parts:
        part = (part or "").strip()
        if not part:
            continue
        if text and not text.endswith((".", "!", "?")):
            text += "."
        text = "%s %s" % (text, part) if text else part
    return text


def api_url_hint(product, example, api_path):
    """Hint for a 404 from an endpoint every server of the platform has: api_url leads elsewhere."""
    return ("check api_url: every %s has this endpoint, so api_url does not lead to its API. Give the server's base URL, "
            "for example %s (the module adds %s itself)." % (product, example, api_path))


@contextlib.contextmanager
def hint_on_404(hint):
    """Give a 404 raised inside the block ``hint``: for endpoints every server of the platform has,
    where a 404 means that api_url leads elsewhere."""
    try:
        yield
    except ApiError as err:
        if err.status != 404:
            raise
        raise err.replace(hint=hint)


def not_pem_message(path):
    return ("ca_path names %r, which holds no PEM certificate: give the CA certificate(s) in PEM form (text between "
            "-----BEGIN CERTIFICATE----- and -----END CERTIFICATE-----); a DER file converts with "
            "openssl x509 -inform der -in FILE -out FILE.pem." % path)


def ca_file_problem(path):
    """Why ``path`` cannot serve as ``ca_path`` (``None`` when it can): read the way the TLS library will."""
    try:
        ssl.create_default_context(cafile=path)
    except ssl.SSLError:
        return not_pem_message(path)
    except (OSError, ValueError) as exc:
        return "ca_path names %r, which cannot be read: %s." % (path, getattr(exc, "strerror", None) or exc)
    return None


class InputError(Exception):
    """Input the module cannot act on, found out only after reading the server (an unknown name,
    a name that fits several records). Modules show it as a clean failure; any other exception is
    a bug and keeps its traceback."""


# Most requests one client sends at once (the bulk modules' ``parallel`` upper bound).
MAX_PARALLEL = 32


class ApiError(Exception):
    """A request that failed: transport error, HTTP error or an error envelope.

    ``message`` is the server's own text when there is one. Secrets are scrubbed at
    construction, so ``str()`` and ``repr()`` are safe to show.
    """

    def __init__(self, message, method=None, path=None, status=None, body=None, hint=None, secrets=(), note=None,
                 changed=False, result=None):
        self.method = method
        self.path = path
        self.status = status
        self.message = scrub(message, secrets)
        self.body = redact(body, secrets)
        self.hint = hint
        # What the failure means for the account (e.g. whether a write may have been applied).
        self.note = scrub(note, secrets) if note else None
        # True when the account was changed before the failure (e.g. created, then a follow-up call failed).
        self.changed = changed
        # Result keys to report with such a failure (e.g. ``user``, the account as created).
        self.result = result
        super(ApiError, self).__init__(self.describe())

    def describe(self):
        where = " ".join(p for p in (self.method, self.path) if p)
        status = "HTTP %s" % self.status if self.status is not None else "no HTTP answer"
        text = "%s (%s): %s" % (where, status, self.message) if where else self.message
        return join_sentences(text, self.note, "Hint: %s" % self.hint if self.hint else None)

    def replace(self, **changes):
        """A copy with some attributes changed (``hint``, ``note``, ...); the text is already scrubbed."""
        values = dict(vars(self), **changes)
        return ApiError(values.pop("message"), **values)

    def hinted(self, hint):
        """This error, given ``hint`` unless it has one already."""
        return self.replace(hint=hint) if hint and not self.hint else self


class CheckModeRefused(ApiError):
    """A write was attempted while running in check mode (a bug in the caller)."""


class Response(collections.namedtuple("Response", "status headers body text")):
    """What the facades need of an HTTP answer (``body``: the JSON, if any)."""

    def __repr__(self):  # the body and text may hold secrets
        return "Response(status=%r)" % self.status


def default_error_message(body, text):
    """Best-effort server message for bodies no platform parser recognised."""
    if isinstance(body, dict):
        for key in ("message", "Message", "error_description", "error"):
            if body.get(key):
                return str(body[key])
    return (text or "").strip()[:500] or "no message in the answer"


class HttpClient(object):
    """JSON over HTTP(S) with bounded retries and a check-mode guard.

    ``error_message(body, text)`` turns an error answer into the server's message;
    ``secrets`` lists values (passwords, tokens) that must never appear in errors.
    """

    def __init__(self, base_url, validate_certs=True, ca_path=None, client_cert=None, client_key=None,
                 timeout=30, retries=3, backoff=0.5, check_mode=False, auth=None,
                 error_message=default_error_message, secrets=(), sleep=time.sleep):
        if not HAS_REQUESTS:
            raise ImportError("requests is required")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retries = max(0, int(retries))
        self.backoff = backoff
        self.check_mode = check_mode
        self.error_message = error_message
        self.secrets = set(s for s in secrets if s)
        self.sleep = sleep
        # One pause shared by every thread of a bulk module: a 429 or retry hint slows all of them.
        self.hold = (0.0, None)  # (resume at, thread that waits for it itself)
        self.session = requests.Session()
        pooled = requests.adapters.HTTPAdapter(pool_maxsize=MAX_PARALLEL)
        self.session.mount("https://", pooled)
        self.session.mount("http://", pooled)
        # Passed with every request: a session-level setting loses to REQUESTS_CA_BUNDLE.
        self.verify = ca_path if (validate_certs and ca_path) else bool(validate_certs)
        if client_cert:
            self.session.cert = (client_cert, client_key) if client_key else client_cert
        if auth:  # (username, password) for HTTP Basic
            self.session.auth = auth
            self.add_secret(basic_credential(*auth))
        self.session.headers["Accept"] = "application/json"
        if not validate_certs:
            requests.packages.urllib3.disable_warnings()  # the module warns once instead

    @classmethod
    def from_params(cls, params, base_url=None, check_mode=False, secrets=(), **kwargs):
        """A client configured from a module's connection options; ``secrets`` are the module's
        ``no_log_values`` (every no_log option, bulk elements' passwords included)."""
        options = dict(
            validate_certs=params.get("validate_certs", True),
            ca_path=params.get("ca_path"),
            client_cert=params.get("client_cert"),
            client_key=params.get("client_key"),
            timeout=params.get("timeout") or 30,
            retries=params.get("retries") if params.get("retries") is not None else 3,
            check_mode=check_mode,
            secrets=[params.get(k) for k in ("api_password", "api_token") if params.get(k)] + list(secrets),
        )
        options.update(kwargs)
        return cls(base_url or params["api_url"], **options)

    def add_secret(self, value):
        if value and str(value) not in self.secrets:
            # A new set, never a change of the one another thread may be scrubbing an error text with.
            self.secrets = self.secrets | {str(value)}

    def url(self, path):
        return "%s/%s" % (self.base_url, path.lstrip("/"))

    def endpoint(self, path):
        """The endpoint as errors name it, as the server sees it: ``/api/v3/users`` for ``/users``."""
        return urlsplit(self.url(path)).path

    def request(self, method, path, params=None, json_body=None, form=None, headers=None,
                read=None, login=False, ok_statuses=None):
        """Send one request and return :class:`Response`.

        ``read`` marks a request that is safe to repeat (default: GET/HEAD/OPTIONS); only
        reads are retried after connection errors and 500/502/503/504/520, and only reads (or
        a ``login``) may run in check mode. A 429 is retried for every method: the server
        refused it unprocessed. Statuses >= 400 raise :class:`ApiError` unless in
        ``ok_statuses``; a failed write says whether it may have been applied.
        """
        method = method.upper()
        if read is None:
            read = method in READ_METHODS
        shown = self.endpoint(path)
        if self.check_mode and not (read or login):
            raise CheckModeRefused("refusing to send a write request in check mode", method, shown)

        for attempt in range(self.retries + 1):
            self._hold()
            try:
                answer = self.session.request(
                    method, self.url(path), params=params, json=json_body, data=form,
                    headers=headers, timeout=self.timeout, verify=self.verify,
                )
            except requests.exceptions.RequestException as exc:
                # A certificate that failed verification will fail the same way again.
                if read and attempt < self.retries and not isinstance(exc, requests.exceptions.SSLError):
                    self._wait(attempt)
                    continue
                not_sent = self._not_sent(exc)
                # A login changes no account: whether it was applied does not matter.
                note = None if (read or login) else (NOT_APPLIED if not_sent else MAYBE_APPLIED)
                raise ApiError(self._transport_message(exc, attempt), method, shown, secrets=self.secrets, note=note,
                               hint=self._transport_hint(exc, not_sent))

            response = self._response(answer)
            status = response.status
            if status in RETRY_STATUSES and (read or status == 429) and attempt < self.retries:
                self._wait(attempt, self._server_delay(response))
                continue
            if status >= 400 and status not in (ok_statuses or ()):
                # Secrets go before a parser reshapes the text (JSON-escaping or cutting it would hide them from scrub()).
                message = self.error_message(redact(response.body, self.secrets), scrub(response.text or "", self.secrets))
                if attempt:
                    message += " (after %d retries)" % attempt
                hint = None
                if status == 404 and response.body is None:
                    hint = "the answer is not from the expected API; check api_url (the module adds the API path itself)."
                note = MAYBE_APPLIED if (status in MAYBE_APPLIED_STATUSES and not (read or login)) else None
                raise ApiError(message, method, shown, status, response.body, hint=hint, secrets=self.secrets, note=note)
            return response

    @staticmethod
    def _not_sent(exc):
        """Whether a transport error came before the request left (so nothing can have been applied)."""
        if isinstance(exc, (requests.exceptions.ConnectTimeout, requests.exceptions.SSLError, requests.exceptions.ProxyError,
                            requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                            requests.exceptions.InvalidSchema)):
            return True
        # Refused, or the host name did not resolve: urllib3 wraps these in MaxRetryError.
        reason = getattr(exc.args[0], "reason", None) if exc.args else None
        return isinstance(reason, requests.packages.urllib3.exceptions.ConnectTimeoutError)

    def _transport_message(self, exc, attempt):
        if isinstance(exc, requests.exceptions.SSLError):
            if isinstance(self.verify, str) and "NO_CERTIFICATE_OR_CRL_FOUND" in str(exc):
                text = "TLS error: %s. %s" % (exc, not_pem_message(self.verify))
            elif isinstance(self.verify, str) and "CERTIFICATE_VERIFY_FAILED" in str(exc):
                # ca_path is set already: its content is the question, not its absence.
                text = ("TLS error: %s. The CA certificate(s) in ca_path (%s) do not verify the server's certificate: "
                        "give the CA that issued it, or validate_certs=false for a test system." % (exc, self.verify))
            else:
                text = "TLS error: %s. Set ca_path to the server's CA bundle, or validate_certs=false for a test system." % exc
        elif isinstance(exc, requests.exceptions.ConnectTimeout):
            text = "no connection within %s seconds" % self.timeout
        elif isinstance(exc, requests.exceptions.Timeout):
            text = "no answer within %s seconds" % self.timeout
        else:
            text = "connection failed: %s" % exc
        if attempt:
            text += " (after %d retries)" % attempt
        return text

    def _transport_hint(self, exc, not_sent):
        if isinstance(exc, (requests.exceptions.SSLError, requests.exceptions.ReadTimeout)):
            return None
        if self.base_url.lower().startswith("http://"):
            # An HTTPS port asked in plain HTTP refuses or drops the connection.
            return "check api_url: is the server reachable, and does it expect https:// rather than http://?"
        if not_sent:
            return "check api_url (host and port) and that the server is reachable from where the module runs."
        return None  # the server was reached: api_url is not the question

    @staticmethod
    def _response(answer):
        text = answer.text
        try:
            body = answer.json() if text.strip() else None
        except ValueError:
            body = None
        return Response(answer.status_code, answer.headers, body, text)

    @staticmethod
    def _server_delay(response):
        """Seconds the server asked us to wait: Retry-After header or a retryAfter JSON value."""
        header = response.headers.get("Retry-After")
        if header:
            try:
                return float(header)
            except ValueError:
                parsed = email.utils.parsedate_tz(header)
                if parsed:
                    return max(0.0, email.utils.mktime_tz(parsed) - time.time())
        if isinstance(response.body, dict):
            for key in ("retryAfter", "retry_after"):
                value = response.body.get(key)
                if value is None and isinstance(response.body.get("errors"), list):
                    value = next((e.get(key) for e in response.body["errors"] if isinstance(e, dict) and e.get(key)), None)
                if value is not None:
                    try:
                        return float(value)
                    except (TypeError, ValueError):
                        pass
        return None

    def _hold(self):
        """Wait while a server's retry hint, seen by any thread, asks every request to pause."""
        resume_at, owner = self.hold
        pause = resume_at - time.time()
        if pause > 0 and owner != threading.get_ident():
            self.sleep(pause)

    def _wait(self, attempt, server_delay=None):
        """Sleep before the next attempt: as long as the server asked, and every other thread holds until then;
        else an exponential backoff with full jitter, which keeps many clients from retrying in step."""
        if server_delay is None:
            delay = random.uniform(0, self.backoff * (2 ** attempt))
        else:
            delay = server_delay
            self.hold = (max(self.hold[0], time.time() + min(MAX_RETRY_WAIT, delay)), threading.get_ident())
        self.sleep(min(MAX_RETRY_WAIT, max(0.0, delay)))
