"""The guides in docs/*.md, for GitHub, Galaxy and Automation Hub (Markdown) and for the docs site (RST).

The Markdown files are the source. Galaxy and Automation Hub show docs/*.md as they are; the Sphinx site
that antsibull-docs builds (make docs-site) only takes RST from docs/docsite/rst/, listed in
docs/docsite/extra-docs.yml. This script writes that RST from the Markdown, and checks the links of both.

  python tests/utils/guides.py write   write docs/docsite/rst/<guide>.rst for every guide in extra-docs.yml
  python tests/utils/guides.py check   fail when an RST file is stale, missing or left over, or when a link
                                       in README.md or docs/*.md points to a file or heading that does not exist

In the RST, a link to another guide becomes a :ref: to its label (ansible_collections.msp.accounts.docsite.<guide>,
<guide>.<heading anchor> for a heading), a link to any other file of the repository becomes an absolute link to
it on GitHub (the site has no such files), and code blocks keep their language. Heading anchors are GitHub's:
lower case, punctuation dropped, spaces as hyphens. README.md is shown on Galaxy, where relative links break:
its links must be absolute (or anchors of its own headings).
"""

import functools
import os
import re
import sys
import unicodedata

import yaml
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOCS = os.path.join(ROOT, "docs")
RST_DIR = os.path.join(DOCS, "docsite", "rst")
LABEL_PREFIX = "ansible_collections.msp.accounts.docsite."
HEADING_CHARS = {1: "=", 2: "-", 3: "~", 4: "^"}
LANGUAGES = {"yaml": "yaml+jinja", "yml": "yaml+jinja", "bash": "shell", "sh": "shell", "shell": "shell",
             "console": "console", "text": "text", "": "text", "json": "json", "python": "python", "ini": "ini"}
# Around inline markup RST wants whitespace or one of these (else the markup is not recognised).
BEFORE_MARKUP = set(" \n-:/'\"<([{")
AFTER_MARKUP = set(" \n-.,:;!?\\/'\")]}>")


def markdown():
    return MarkdownIt("commonmark").enable("table")


def repository_url():
    with open(os.path.join(ROOT, "galaxy.yml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)["repository"].rstrip("/")


def guide_names():
    """The guides of the site, in the order of docs/docsite/extra-docs.yml."""
    with open(os.path.join(DOCS, "docsite", "extra-docs.yml"), encoding="utf-8") as handle:
        index = yaml.safe_load(handle)
    names = []
    for section in index["sections"]:
        for entry in section["toctree"]:
            names.append(entry if isinstance(entry, str) else entry["ref"])
    return names


def plain(node):
    """The text of an inline node without its markup."""
    if node.type in ("text", "code_inline"):
        return node.content
    if node.type in ("softbreak", "hardbreak"):
        return " "
    return "".join(plain(child) for child in node.children)


def slug(text, seen):
    """GitHub's anchor for a heading (a repeated heading gets -1, -2, ...)."""
    anchor = re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")
    base, count = anchor, 0
    while anchor in seen:
        count += 1
        anchor = "%s-%d" % (base, count)
    seen.add(anchor)
    return anchor


@functools.lru_cache(maxsize=None)
def headings(path):
    """Anchors of the headings of a Markdown file."""
    with open(path, encoding="utf-8") as handle:
        tree = SyntaxTreeNode(markdown().parse(handle.read()))
    seen = set()
    return [slug(plain(node.children[0]), seen) for node in tree.walk() if node.type == "heading"]


def links(path):
    """(line, href) of every link of a Markdown file."""
    with open(path, encoding="utf-8") as handle:
        tokens = markdown().parse(handle.read())
    found = []
    for token in tokens:
        for child in token.children or []:
            if child.type == "link_open":
                found.append((token.map[0] + 1 if token.map else 0, child.attrs["href"]))
    return found


def width(text):
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def escape(text):
    return re.sub(r"([\\`*_|])", r"\\\1", text)


class Converter(object):
    """One guide from Markdown to RST."""

    def __init__(self, name, guides, repository):
        self.name = name
        self.guides = guides
        self.repository = repository
        self.path = os.path.join(DOCS, name + ".md")
        self.anchors = {}

    def label(self, guide, anchor=None):
        return LABEL_PREFIX + guide + ("." + anchor if anchor else "")

    def fail(self, node, message):
        line = node.map[0] + 1 if node.map else "?"
        raise ValueError("docs/%s.md:%s: %s" % (self.name, line, message))

    def convert(self):
        with open(self.path, encoding="utf-8") as handle:
            tree = SyntaxTreeNode(markdown().parse(handle.read()))
        lines = [
            "..",
            "  Generated from docs/%s.md by tests/utils/guides.py (make docs-rst): edit the Markdown file." % self.name,
            "",
        ]
        seen = set()
        for node in tree.children:
            if node.type == "heading":
                level = int(node.tag[1])
                anchor = slug(plain(node.children[0]), seen)
                label = self.label(self.name) if level == 1 else self.label(self.name, anchor)
                title = self.inline(node.children[0])
                lines += [".. _%s:" % label, "", title, HEADING_CHARS[level] * width(title), ""]
            else:
                lines += self.block(node) + [""]
        while lines[-1] == "":
            lines.pop()
        return "\n".join(lines) + "\n"

    # -- blocks: each returns its lines ------------------------------------------------------------

    def block(self, node):
        kind = node.type
        if kind == "paragraph":
            return self.inline(node.children[0]).split("\n")
        if kind in ("bullet_list", "ordered_list"):
            return self.listing(node)
        if kind in ("fence", "code_block"):
            info = (node.info or "").strip().split(" ")[0] if kind == "fence" else ""
            if info not in LANGUAGES:
                self.fail(node, "code block language %r has no RST counterpart in guides.py" % info)
            body = node.content.rstrip("\n").split("\n")
            return [".. code-block:: %s" % LANGUAGES[info], ""] + [("   " + line).rstrip() for line in body]
        if kind == "table":
            return self.table(node)
        if kind == "blockquote":
            return ["   " + line if line else "" for line in self.blocks(node.children)]
        if kind == "html_block" and node.content.strip().startswith("<!--"):
            return [".."] + ["  " + line for line in node.content.strip().split("\n")]
        if kind == "hr":
            return ["----"]
        self.fail(node, "%s is not supported by guides.py" % kind)

    def blocks(self, nodes):
        lines = []
        for child in nodes:
            if lines:
                lines.append("")
            lines += self.block(child)
        return lines

    def listing(self, node):
        lines = []
        number = int(node.attrs.get("start", 1)) if node.type == "ordered_list" else None
        for item in node.children:
            marker = "- " if number is None else "%d. " % number
            body = self.blocks(item.children) or [""]
            lines.append((marker + body[0]).rstrip())
            lines += [(" " * len(marker) + line).rstrip() if line else "" for line in body[1:]]
            if number is not None:
                number += 1
        return lines

    def table(self, node):
        lines = [".. list-table::", "   :header-rows: 1", ""]
        for row in (r for section in node.children for r in section.children):
            for index, cell in enumerate(row.children):
                text = self.inline(cell.children[0]) if cell.children else ""
                if "\n" in text:
                    self.fail(cell, "a table cell must be one line")
                lines.append(("   %s - %s" % ("*" if index == 0 else " ", text)).rstrip())
        return lines

    # -- inline: one string (with newlines where the Markdown had them) ---------------------------

    def inline(self, node):
        out = []  # pieces: (text, is_markup)
        self.pieces(node.children, out)
        text = ""
        after_markup = False
        for piece, is_markup in out:
            if not piece:
                continue
            if is_markup and text and text[-1] not in BEFORE_MARKUP:
                text += "\\ "
            elif after_markup and piece[0] not in AFTER_MARKUP:
                text += "\\ "
            text += piece
            after_markup = is_markup
        return text

    def pieces(self, nodes, out):
        for node in nodes:
            kind = node.type
            if kind == "text":
                out.append((escape(node.content), False))
            elif kind in ("softbreak", "hardbreak"):
                out.append(("\n", False))
            elif kind == "code_inline":
                code = node.content.strip()
                if "``" in code:
                    self.fail(node, "inline code with two backticks in a row")
                out.append(("``%s``" % code, True))
            elif kind in ("strong", "em"):
                mark = "**" if kind == "strong" else "*"
                out.append(("%s%s%s" % (mark, escape(plain(node)).strip(), mark), True))
            elif kind == "link":
                out.append((self.link(node), True))
            elif kind == "html_inline" and node.content.startswith("<!--"):
                continue
            else:
                self.fail(node, "inline %s is not supported by guides.py" % kind)

    def link(self, node):
        href = node.attrs["href"]
        text = escape(plain(node)).replace("<", "\\<")
        if re.match(r"^[a-z]+:", href):
            return "`%s <%s>`__" % (text, href)
        target, _sep, anchor = href.partition("#")
        if not target:
            return ":ref:`%s <%s>`" % (text, self.label(self.name, anchor))
        path = os.path.normpath(os.path.join(os.path.dirname(self.path), target))
        guide = os.path.relpath(path, DOCS)[:-3] if path.endswith(".md") else None
        if guide in self.guides:
            return ":ref:`%s <%s>`" % (text, self.label(guide, anchor or None))
        # Any other file of the repository: on GitHub.
        kind = "tree" if target.endswith("/") or os.path.isdir(path) else "blob"
        url = "%s/%s/main/%s%s" % (self.repository, kind, os.path.relpath(path, ROOT), "#" + anchor if anchor else "")
        return "`%s <%s>`__" % (text, url)


def rst_path(name):
    return os.path.join(RST_DIR, name + ".rst")


def write():
    names = guide_names()
    os.makedirs(RST_DIR, exist_ok=True)
    for name in names:
        with open(rst_path(name), "w", encoding="utf-8") as handle:
            handle.write(Converter(name, names, repository_url()).convert())
    for leftover in sorted(set(os.listdir(RST_DIR)) - set(name + ".rst" for name in names)):
        os.remove(os.path.join(RST_DIR, leftover))
    print("wrote %d guides to docs/docsite/rst/" % len(names))


def check_links(path, repository, errors):
    """Links to files of the repository and to headings must resolve; README.md's must be absolute."""
    rel = os.path.relpath(path, ROOT)
    own = headings(path)
    for line, href in links(path):
        where = "%s:%d: %s" % (rel, line, href)
        target, _sep, anchor = href.partition("#")
        if target.startswith(repository + "/"):
            match = re.match(r"^/(blob|tree)/main/(.*)$", target[len(repository):])
            if not match:
                if not re.match(r"^/(issues|pulls|releases)(/|$)", target[len(repository):]):
                    errors.append("%s: neither a file (/blob/main/, /tree/main/) nor the issues, pull requests "
                                  "or releases of the repository" % where)
                continue
            target_path = os.path.join(ROOT, match.group(2))
        elif re.match(r"^[a-z]+:", href):
            continue  # other sites: not checked here (no network)
        elif not target:
            if anchor not in own:
                errors.append("%s: no such heading in %s" % (where, rel))
            continue
        else:
            if rel == "README.md":
                errors.append("%s: README.md is shown on Galaxy, where a relative link breaks; use %s/blob/main/%s"
                              % (where, repository, target))
            target_path = os.path.normpath(os.path.join(os.path.dirname(path), target))
        if not os.path.exists(target_path):
            errors.append("%s: %s does not exist" % (where, os.path.relpath(target_path, ROOT)))
        elif anchor and target_path.endswith(".md") and anchor not in headings(target_path):
            errors.append("%s: no such heading in %s" % (where, os.path.relpath(target_path, ROOT)))


def check():
    errors = []
    names = guide_names()
    repository = repository_url()
    for name in names:
        if not os.path.isfile(os.path.join(DOCS, name + ".md")):
            errors.append("docs/docsite/extra-docs.yml names %s, but docs/%s.md does not exist" % (name, name))
            continue
        expected = Converter(name, names, repository).convert()
        try:
            with open(rst_path(name), encoding="utf-8") as handle:
                current = handle.read()
        except OSError:
            current = None
        if current != expected:
            errors.append("docs/docsite/rst/%s.rst is not what docs/%s.md gives: run `make docs-rst`" % (name, name))
    for leftover in sorted(set(os.listdir(RST_DIR)) - set(name + ".rst" for name in names)):
        errors.append("docs/docsite/rst/%s is no guide of docs/docsite/extra-docs.yml" % leftover)
    guides = sorted(name[:-3] for name in os.listdir(DOCS) if name.endswith(".md") and name != "README.md")
    for name in sorted(set(guides) - set(names)):
        errors.append("docs/%s.md is not in docs/docsite/extra-docs.yml, so the docs site leaves it out" % name)
    for path in [os.path.join(ROOT, "README.md")] + sorted(
            os.path.join(DOCS, name) for name in os.listdir(DOCS) if name.endswith(".md")):
        check_links(path, repository, errors)
    for error in errors:
        print(error)
    if errors:
        return 1
    print("%d guides: RST up to date; links of README.md and docs/*.md resolve" % len(names))
    return 0


def main(argv):
    if argv[1:] == ["write"]:
        write()
        return 0
    if argv[1:] == ["check"]:
        return check()
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
