#!/usr/bin/env python3
"""Differential check of `vigia parse --json` against Python's feedparser.

For every file given (or every file under the given folders), runs feedparser and vigia on the
same bytes, maps feedparser's result to vigia's JSON contract, and compares field by field.
Text fields are compared as visible text (tags dropped, entities decoded, whitespace collapsed).

usage: compare_feedparser.py VIGIA_BINARY PATH... [--verbose] [--show N]
Needs feedparser (the bench scripts install it into bench/.venv).
"""
import html
import html.parser
import json
import os
import subprocess
import sys
import time

import feedparser


class _Text(html.parser.HTMLParser):
    hidden = {"script", "style", "applet", "template", "head", "title"}
    blocks = {"p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
              "table", "tr", "td", "th", "blockquote", "pre", "hr", "section", "article", "header",
              "footer", "aside", "nav", "figure", "figcaption", "address", "img", "iframe", "video"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.hidden:
            self.skip += 1
        elif tag in self.blocks:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self.hidden:
            self.skip = max(0, self.skip - 1)
        elif tag in self.blocks:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible(value, kind):
    if value is None:
        return None
    if kind in ("text/html", "application/xhtml+xml"):
        parser = _Text()
        parser.feed(value)
        parser.close()
        value = "".join(parser.parts)
    value = " ".join(value.split())
    return value or None


def iso(parsed):
    if not parsed:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed)


def reference(path):
    d = feedparser.parse(path)
    feed = d.get("feed", {})
    items = []
    for e in d.get("entries", []):
        title_kind = (e.get("title_detail") or {}).get("type", "text/plain")
        summary_kind = (e.get("summary_detail") or {}).get("type", "text/html")
        content = (e.get("content") or [None])[0]
        items.append({
            "id": e.get("id") or None,
            "title": visible(e.get("title"), title_kind),
            "link": e.get("link") or None,
            "published": iso(e.get("published_parsed") or e.get("updated_parsed")),
            "author": e.get("author") or None,
            "summary_text": visible(e.get("summary"), summary_kind),
            "content_text": visible(content.get("value"), content.get("type")) if content else None,
            "categories": [t.get("term") for t in e.get("tags", []) if t.get("term")],
        })
    feed_title_kind = (feed.get("title_detail") or {}).get("type", "text/plain")
    return {
        "bozo": bool(d.get("bozo")),
        "feed": {
            "title": visible(feed.get("title"), feed_title_kind),
            "link": feed.get("link") or None,
            "language": feed.get("language") or None,
            "updated": iso(feed.get("updated_parsed") or feed.get("published_parsed")),
        },
        "items": items,
    }


def normalise(result):
    def text(v):
        return " ".join(v.split()) or None if isinstance(v, str) else v
    for item in result.get("items", []):
        for key in ("title", "summary_text", "content_text", "author", "id", "link"):
            item[key] = text(item.get(key))
    for key in ("title", "link", "language"):
        result["feed"][key] = text(result["feed"].get(key))
    return result


def differences(ours, theirs):
    diffs = []
    if ours["bozo"] != theirs["bozo"]:
        diffs.append(("bozo", ours["bozo"], theirs["bozo"]))
    for key in ("title", "link", "language", "updated"):
        if ours["feed"].get(key) != theirs["feed"].get(key):
            diffs.append(("feed." + key, ours["feed"].get(key), theirs["feed"].get(key)))
    if len(ours["items"]) != len(theirs["items"]):
        diffs.append(("items.count", len(ours["items"]), len(theirs["items"])))
    for index, (a, b) in enumerate(zip(ours["items"], theirs["items"])):
        for key in ("id", "title", "link", "published", "author", "summary_text", "content_text", "categories"):
            if a.get(key) != b.get(key):
                diffs.append(("items[%d].%s" % (index, key), a.get(key), b.get(key)))
    return diffs


def files(paths):
    for path in paths:
        if os.path.isdir(path):
            for root, _, names in sorted(os.walk(path)):
                for name in sorted(names):
                    if name.endswith((".md", ".json", ".txt")) or name.startswith("."):
                        continue
                    yield os.path.join(root, name)
        else:
            yield path


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    verbose = "--verbose" in sys.argv
    binary, paths = args[0], args[1:]
    total = agree = 0
    field_diffs = {}
    for path in files(paths):
        if "stackexchange" in path or "Posts.xml" in path:
            continue
        total += 1
        run = subprocess.run([binary, "parse", path, "--json"], capture_output=True)
        theirs = normalise(reference(path))
        if run.returncode != 0:
            ours = None
            diffs = [("exit", run.returncode, run.stderr.decode("utf-8", "replace").strip())]
        else:
            ours = normalise(json.loads(run.stdout))
            diffs = differences(ours, theirs)
        if not diffs:
            agree += 1
        for field, _, _ in diffs:
            key = field.split("]")[-1].lstrip(".") if "]" in field else field
            field_diffs[key] = field_diffs.get(key, 0) + 1
        if diffs and verbose:
            print("DIFF %s (%d)" % (path, len(diffs)))
            for field, a, b in diffs[:6]:
                print("   %-22s vigia=%r\n   %-22s feedparser=%r" % (field, str(a)[:160], "", str(b)[:160]))
    print("documents fully agreeing with feedparser: %d/%d (%.1f%%)" % (agree, total, 100.0 * agree / max(1, total)))
    for key, count in sorted(field_diffs.items(), key=lambda kv: -kv[1]):
        print("   %-16s differs in %d documents" % (key, count))


if __name__ == "__main__":
    main()
