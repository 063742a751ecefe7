# -*- coding: utf-8 -*-
# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The access review report as JSON, CSV and one self-contained HTML page (private: not a public API).

The page needs nothing from the network: its style and script are inline, and its Content-Security-Policy
forbids loading anything. The table is rendered here, so the page reads (and prints) without JavaScript;
the script only filters and sorts the rows.
"""

import csv
import html
import io
import json
import re

from ansible.release import __version__ as ANSIBLE_VERSION
from ansible.utils.unsafe_proxy import wrap_var

PLATFORMS = (("ahsay", "AhsayCBS"), ("veeam", "VSPC"), ("aaa", "Unified Assurance"))
KIND_LABELS = {"backup_user": "backup user", "system_user": "system user", "portal_user": "portal user", "user": "user"}
SOURCE_LABELS = {"listed": "listed", "departed": "departed", "unlisted": "not listed", "service": "service account"}

# Texts built from what the platforms answer (login names, e-mail addresses) are data, never templates. ansible-core
# 2.19 and later never template a filter's result again; before, it must be marked unsafe so that a login name such as
# "{{ lookup('pipe', ...) }}" is not run where the role uses the result. (Marking is a deep copy: only where needed.)
MARK_UNSAFE = tuple(int(part) for part in re.findall(r"\d+", ANSIBLE_VERSION)[:2]) < (2, 19)


def as_data(value):
    """A filter's result, marked unsafe where ansible-core would template it again."""
    return wrap_var(value) if MARK_UNSAFE else value


CSV_COLUMNS = ("platform", "kind", "login", "email", "status", "role", "organization", "person", "person_source",
               "matched_by", "last_activity", "disabled_since", "mfa", "password_expires", "findings", "finding_reasons")


def to_json(report):
    """The report as JSON: the small parts indented, then one line per account, person and finding (json's C encoder
    only works without indentation, and a file of tens of thousands of accounts is read line by line anyway)."""
    lines = ["{"]
    keys = list(report)
    for position, key in enumerate(keys):
        value = report[key]
        comma = "," if position < len(keys) - 1 else ""
        if isinstance(value, list):
            if not value:
                lines.append("  %s: []%s" % (json.dumps(key), comma))
                continue
            lines.append("  %s: [" % json.dumps(key))
            last = len(value) - 1
            lines.extend("    %s%s" % (json.dumps(item, ensure_ascii=False, separators=(", ", ": ")), "," if i < last else "")
                         for i, item in enumerate(value))
            lines.append("  ]" + comma)
        else:
            text = json.dumps(value, indent=2, ensure_ascii=False)
            lines.append("  %s: %s%s" % (json.dumps(key), text.replace("\n", "\n  "), comma))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _cell(value):
    """A CSV cell; text that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = "; ".join(str(item) for item in value)
    value = str(value)
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        value = "'" + value
    return value


def to_csv(report):
    """One row per account; its findings joined in one column (kinds) and their reasons in another."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for account in report["accounts"]:
        writer.writerow([_cell(account.get(column)) for column in CSV_COLUMNS])
    return out.getvalue()


def _e(value):
    return html.escape("" if value is None else str(value), quote=True)


STYLE = """
:root { --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --head: #f6f8fa; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); margin: 0 auto; padding: 24px; max-width: 1600px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; }
p.meta { color: var(--muted); margin: 0 0 12px; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: var(--head); font-weight: 600; }
th.sortable { cursor: pointer; user-select: none; white-space: nowrap; }
th.sortable::after { content: " \\2195"; color: var(--muted); }
th[aria-sort="ascending"]::after { content: " \\25B2"; } th[aria-sort="descending"]::after { content: " \\25BC"; }
td.num, th.num { text-align: right; }
.badge { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 12px; font-weight: 600;
         border: 1px solid transparent; white-space: nowrap; }
.st-enabled { background: #dafbe1; color: #116329; border-color: #8ce0a0; }
.st-disabled, .st-suspended, .st-expired { background: #eaeef2; color: #424a53; border-color: #afb8c1; }
.st-unknown { background: #fff8c5; color: #7d4e00; border-color: #e3c565; }
.sev-high { background: #ffebe9; color: #a40e26; border-color: #ff8182; }
.sev-medium { background: #fff1e5; color: #953800; border-color: #ffb77c; }
.sev-low { background: #ddf4ff; color: #0a3069; border-color: #80ccff; }
.src-departed { background: #ffebe9; color: #a40e26; } .src-unlisted { background: #fff1e5; color: #953800; }
.src-service { background: #eaeef2; color: #424a53; } .src-listed { background: #dafbe1; color: #116329; }
.plat-read { background: #dafbe1; color: #116329; } .plat-skipped { background: #eaeef2; color: #424a53; }
.plat-failed { background: #ffebe9; color: #a40e26; }
.acct { margin: 0 0 6px; } .acct:last-child { margin-bottom: 0; }
.login { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-weight: 600; }
.detail { color: var(--muted); font-size: 12px; }
ul.why { margin: 2px 0 0; padding-left: 16px; font-size: 12px; }
.none { color: var(--muted); }
.controls { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin: 8px 0 12px; }
.controls input[type=search] { font: inherit; padding: 4px 8px; min-width: 320px; border: 1px solid var(--line); border-radius: 6px; }
.controls select { font: inherit; padding: 3px 6px; }
#shown { color: var(--muted); }
.print-only { display: none; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { padding: 0; max-width: none; font-size: 9pt; }
  .controls { display: none; }
  .print-only { display: block; }
  th.sortable::after { content: ""; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  .badge { background: none !important; color: #000 !important; border-color: #000 !important; }
  h2 { break-after: avoid; }
}
"""

SCRIPT = """
(function () {
  "use strict";
  var table = document.getElementById("people-table");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var search = document.getElementById("filter");
  var kind = document.getElementById("kind");
  var shown = document.getElementById("shown");
  var note = document.getElementById("print-filter");
  function apply() {
    var terms = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var wanted = kind.value;
    var count = 0;
    rows.forEach(function (row) {
      var text = row.getAttribute("data-search");
      var kinds = " " + row.getAttribute("data-kinds") + " ";
      var ok = terms.every(function (t) { return text.indexOf(t) !== -1; }) &&
               (!wanted || kinds.indexOf(" " + wanted + " ") !== -1);
      row.hidden = !ok;
      if (ok) { count += 1; }
    });
    shown.textContent = count + " of " + rows.length + " people shown";
    note.textContent = (terms.length || wanted) ? "Filtered: " + (search.value ? "\\u201c" + search.value + "\\u201d " : "") +
      (wanted ? "finding " + wanted + " " : "") + "(" + count + " of " + rows.length + " people)" : "";
  }
  var timer = null;
  search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(apply, rows.length > 2000 ? 150 : 0); });
  kind.addEventListener("change", apply);
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
    if (!th.classList.contains("sortable")) { return; }
    th.tabIndex = 0;
    function sort() {
      var descending = th.getAttribute("aria-sort") === "ascending";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      var numeric = th.classList.contains("num");
      function key(row) {
        var cell = row.cells[index];
        var value = cell.getAttribute("data-sort");
        if (value === null) { value = cell.textContent.trim().toLowerCase(); }
        return numeric ? parseFloat(value) || 0 : value;
      }
      var keyed = rows.map(function (row, i) { return [key(row), i, row]; });
      keyed.sort(function (a, b) {
        var r = a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1];
        return descending ? -r : r;
      });
      var fragment = document.createDocumentFragment();
      keyed.forEach(function (item) { fragment.appendChild(item[2]); });
      body.appendChild(fragment);
      rows = keyed.map(function (item) { return item[2]; });
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (event) { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); } });
  });
  apply();
}());
"""


def _badge(text, css):
    return '<span class="badge %s">%s</span>' % (_e(css), _e(text))


def _status_badge(status):
    css = "st-" + (status if status in ("enabled", "disabled", "suspended", "expired") else "unknown")
    return _badge(status or "unknown", css)


def _account_html(account):
    details = [KIND_LABELS.get(account["kind"], account["kind"])]
    if account.get("role"):
        details.append(("group " if account["platform"] == "aaa" else "role ") + account["role"])
    if account.get("email"):
        details.append(account["email"])
    if account.get("mfa"):
        details.append("MFA " + account["mfa"])
    if account.get("last_activity_kind"):
        details.append("last %s %s" % (account["last_activity_kind"], (account.get("last_activity") or "never")[:10]))
    if account.get("disabled_since"):
        details.append("disabled since " + account["disabled_since"][:10])
    expires = account.get("password_expires")
    if expires and expires != "never":
        details.append("password expires " + (expires[:10] if expires[:4].isdigit() else expires))
    findings = ""
    reasons = account.get("finding_reasons") or []
    if reasons:
        severities = account.get("_severities") or []
        items = []
        for index, reason in enumerate(reasons):
            kind, _sep, text = reason.partition(": ")
            severity = severities[index] if index < len(severities) else "low"
            items.append("<li>%s %s</li>" % (_badge(kind, "sev-" + severity), _e(text)))
        findings = '<ul class="why">%s</ul>' % "".join(items)
    return ('<div class="acct"><span class="login">%s</span> %s <span class="detail">%s</span>%s</div>'
            % (_e(account["login"]), _status_badge(account.get("status")), _e(" \u00b7 ".join(details)), findings))


def _people_rows(report):
    accounts = dict(((a["platform"], a["kind"], a["login"], a.get("person"), a.get("person_source")), a)
                    for a in report["accounts"])
    severity = {}
    for finding in report["findings"]:
        key = (finding["platform"], finding["account_kind"], finding["login"])
        severity.setdefault(key, []).append(finding["severity"])
    rows = []
    for person in report["people"]:
        cells = []
        kinds = set()
        worst = 3
        texts = [person["name"], SOURCE_LABELS.get(person["source"], person["source"])] + list(person["emails"])
        count = 0
        for platform, _label in PLATFORMS:
            parts = []
            for ref in person["accounts"]:
                if ref["platform"] != platform:
                    continue
                account = dict(accounts.get((ref["platform"], ref["kind"], ref["login"], person["name"], person["source"]), ref))
                account["_severities"] = severity.get((ref["platform"], ref["kind"], ref["login"]), [])
                parts.append(_account_html(account))
                kinds.update(account.get("findings") or [])
                count += len(account.get("findings") or [])
                for s in account["_severities"]:
                    worst = min(worst, ("high", "medium", "low").index(s))
                texts.extend([account["login"], account.get("status") or "", account.get("email") or "",
                              account.get("role") or ""] + list(account.get("finding_reasons") or []))
            cells.append('<td data-sort="%s">%s</td>' % (_e(" ".join(sorted(p.lower() for p in [
                r["login"] for r in person["accounts"] if r["platform"] == platform]))),
                "".join(parts) or '<span class="none">no account</span>'))
        source = person["source"]
        if person.get("departed") and source == "listed":
            source_html = _badge("departed", "src-departed") + " " + _badge("listed", "src-listed")
            texts.append("departed")
        else:
            source_html = _badge(SOURCE_LABELS.get(source, source), "src-" + source)
        emails = "".join('<div class="detail">%s</div>' % _e(email) for email in person["emails"])
        rows.append(
            '<tr data-kinds="%s" data-search="%s"><td data-sort="%s"><strong>%s</strong>%s</td><td>%s</td>%s'
            '<td class="num" data-sort="%d">%d</td></tr>'
            % (_e(" ".join(sorted(kinds))), _e(" ".join(texts).lower()), _e(person["name"].lower()), _e(person["name"]),
               emails, source_html, "".join(cells), (3 - worst) * 100000 + count, count))
    return rows


def to_html(report):
    platforms = report["platforms"]
    plat_rows = []
    for platform, label in PLATFORMS:
        entry = platforms.get(platform) or {}
        counts = entry.get("counts") or {}
        status = entry.get("status") or "skipped"
        kinds = ", ".join("%d %ss" % (counts.get(kind, 0), KIND_LABELS[kind]) for kind in (entry.get("kinds") or {})
                          if (entry["kinds"][kind].get("count") is not None))
        plat_rows.append(
            "<tr><td>%s</td><td>%s</td><td>%s%s</td><td class=\"num\">%d</td><td class=\"num\">%d</td><td class=\"num\">%d</td>"
            "<td>%s</td><td>%s</td></tr>"
            % (_e(label), _e(entry.get("url") or "\u2014"), _badge(status, "plat-" + status),
               ('<div class="detail">%s</div>' % _e(entry["reason"])) if entry.get("reason") else "",
               counts.get("accounts", 0), counts.get("enabled", 0), counts.get("disabled", 0), _e(kinds or "\u2014"),
               _e(entry.get("service_account") or "\u2014")))
    by_kind = report["summary"]["by_kind"]
    summary_rows = []
    for kind, entry in by_kind.items():
        summary_rows.append(
            '<tr><td><span class="login">%s</span></td><td>%s</td><td class="num">%d</td><td class="num">%d</td>'
            '<td class="num">%d</td><td class="num"><strong>%d</strong></td></tr>'
            % (_e(kind), _e(entry["meaning"]), entry["high"], entry["medium"], entry["low"], entry["count"]))
    options = "".join('<option value="%s">%s (%d)</option>' % (_e(kind), _e(kind), entry["count"])
                      for kind, entry in by_kind.items())
    rows = _people_rows(report)
    read = [label for platform, label in PLATFORMS if (platforms.get(platform) or {}).get("status") == "read"]
    title = "Access review %s" % report["generated_at"][:10]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; '
        'script-src \'unsafe-inline\'">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="msp.accounts.access_review">',
        "<title>%s</title><style>%s</style></head><body>" % (_e(title), STYLE),
        "<header><h1>Access review</h1>",
        '<p class="meta">Generated <time datetime="%s">%s</time> \u00b7 platforms read: %s \u00b7 %d accounts, %d people, '
        '%d findings \u00b7 stale after %d days \u00b7 %s</p>'
        % (_e(report["generated_at"]), _e(report["generated_at"].replace("T", " ").replace("Z", " UTC")),
           _e(", ".join(read) or "none"), report["summary"]["accounts"], report["summary"]["people"],
           report["summary"]["findings"], report["stale_days"],
           "source of truth given" if report.get("source_of_truth") else "no source of truth (no orphan findings)"),
        '<table id="platforms"><thead><tr><th>Platform</th><th>URL</th><th>Read</th><th class="num">Accounts</th>'
        '<th class="num">Enabled</th><th class="num">Disabled</th><th>Kinds</th><th>Service account (API login)</th></tr>'
        "</thead><tbody>%s</tbody></table></header>" % "".join(plat_rows),
        '<section><h2>Findings by kind</h2><table id="summary"><thead><tr><th>Kind</th><th>Meaning</th><th class="num">High</th>'
        '<th class="num">Medium</th><th class="num">Low</th><th class="num">Total</th></tr></thead><tbody>%s</tbody></table>'
        "</section>" % "".join(summary_rows),
        '<section><h2>People and their accounts</h2>',
        '<div class="controls"><label>Filter <input id="filter" type="search" autocomplete="off" '
        'placeholder="name, login, e-mail, role, finding \u2026"></label>',
        '<label>Finding <select id="kind"><option value="">any</option>%s</select></label>' % options,
        '<span id="shown">%d of %d people shown</span></div>' % (len(rows), len(rows)),
        '<p class="print-only detail" id="print-filter"></p>',
        '<table id="people-table"><thead><tr><th class="sortable">Person</th><th class="sortable">Source</th>%s'
        '<th class="sortable num">Findings</th></tr></thead><tbody>'
        % "".join('<th class="sortable">%s</th>' % _e(label) for _platform, label in PLATFORMS),
        "\n".join(rows),
        "</tbody></table></section>",
        "<script>%s</script></body></html>" % SCRIPT,
    ]
    return "\n".join(parts) + "\n"


RENDERERS = {"json": to_json, "csv": to_csv, "html": to_html}
