#!/usr/bin/env python3
"""Local HTTP(S) feed server for Vigía's fetcher and daemon tests.

Standard library only. Started by Tests/Support/LocalFeedServer.swift:

    python3 feed_server.py [--port 0] [--tls-cert CERT --tls-key KEY] [--root DIR]
                           [--watch-stdin] [--verbose]

Binds 127.0.0.1 only, prints exactly one line "PORT <n>" to stdout once listening, then
serves until SIGTERM/SIGINT (or, with --watch-stdin, until stdin reaches end of file, so the
server does not outlive a test process that crashed). Nothing else is ever written to stdout.

Control endpoints (not counted in the statistics):
    GET  /_stats        {"counts": {path: n}, "last_headers": {path: {name: value}}}
    POST /_reset        clears counters, remembered headers and /version/ numbers
    POST /_bump/NAME    increments the version of /version/NAME.xml

With TLS, a connection whose first byte is not a TLS handshake is served as plain HTTP, but
only for the control endpoints (everything else answers 400), so the Swift launcher can read
the statistics without a TLS client.
"""

import argparse
import email.utils
import gzip
import json
import mimetypes
import os
import re
import socket
import ssl
import sys
import threading
import time
import uuid
from datetime import timezone
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit
from xml.sax.saxutils import escape

from serve_locally import serve

# Fixed timestamps, so bodies and validators are deterministic across runs.
BASE_TIME = 1704067200  # 2024-01-01T00:00:00Z
FEED_LAST_MODIFIED = BASE_TIME
MAX_ITEMS = 100_000
RSS_TYPE = "application/rss+xml; charset=utf-8"
CHUNK = 64 * 1024


def http_date(ts):
    return email.utils.formatdate(ts, usegmt=True)


# ---------------------------------------------------------------------------------------------
# Bodies


def rss(title, items, channel_extra=""):
    """An RSS 2.0 document; items are (guid, title, link, description, pub_ts) tuples."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n<channel>\n',
        "<title>%s</title>\n" % escape(title),
        "<link>http://127.0.0.1/</link>\n",
        "<description>Vigía local test feed</description>\n",
        channel_extra,
    ]
    for guid, item_title, link, description, pub_ts in items:
        parts.append(
            "<item>\n<guid isPermaLink=\"false\">%s</guid>\n<title>%s</title>\n<link>%s</link>\n"
            "<description>%s</description>\n<pubDate>%s</pubDate>\n</item>\n"
            % (escape(guid), escape(item_title), escape(link), escape(description), http_date(pub_ts))
        )
    parts.append("</channel>\n</rss>\n")
    return "".join(parts).encode("utf-8")


def simple_items(prefix, count):
    return [
        (
            "%s-%d" % (prefix, i),
            "Acme news %d from %s" % (i, prefix),
            "http://127.0.0.1/%s/%d" % (prefix, i),
            "Item %d of %s: people are talking about Acme widgets & gadgets." % (i, prefix),
            BASE_TIME + i * 60,
        )
        for i in range(count)
    ]


@lru_cache(maxsize=64)
def standard_feed(title):
    return rss(title, simple_items("feed", 3))


@lru_cache(maxsize=8)
def items_feed(n):
    return rss("Acme items (%d)" % n, simple_items("item", n))


def version_feed(name, version):
    # Newest first, as real feeds are; version k holds NAME-0 .. NAME-(3k+2).
    items = simple_items(name, version * 3 + 3)
    items.reverse()
    return rss("Acme versioned feed %s v%d" % (name, version), items)


def changing_guid_feed():
    items = [
        (
            str(uuid.uuid4()),
            "Acme story %d" % i,
            "http://127.0.0.1/changing/%d" % i,
            "The same Acme story %d, republished under a new guid." % i,
            BASE_TIME + i * 60,
        )
        for i in range(3)
    ]
    return rss("Acme feed with unstable guids", items)


HTML_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Acme home</title></head>\n"
    b"<body><h1>Welcome to Acme</h1><p>This is a web page, not a feed.</p></body></html>\n"
)

BROKEN_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n<channel>\n'
    b"<title>Broken Acme feed</title>\n<item>\n<guid>broken-0</guid>\n"
    b"<title>Acme &amp; friends <b>unclosed</title>\n<description>Acme desc"
)

DISCOURSE_LATEST = json.dumps(
    {
        "users": [{"id": 1, "username": "alice", "name": "Alice"}],
        "topic_list": {
            "can_create_topic": False,
            "per_page": 30,
            "topics": [
                {
                    "id": 101,
                    "title": "Acme widget stopped working after the update",
                    "fancy_title": "Acme widget stopped working after the update",
                    "slug": "acme-widget-stopped-working-after-the-update",
                    "posts_count": 4,
                    "created_at": "2024-01-02T10:00:00.000Z",
                    "last_posted_at": "2024-01-02T12:30:00.000Z",
                    "excerpt": "Since yesterday my Acme widget refuses to start. Anyone else?",
                    "category_id": 5,
                },
                {
                    "id": 102,
                    "title": "Comparing Acme and its competitors",
                    "fancy_title": "Comparing Acme and its competitors",
                    "slug": "comparing-acme-and-its-competitors",
                    "posts_count": 2,
                    "created_at": "2024-01-03T09:15:00.000Z",
                    "last_posted_at": "2024-01-03T09:45:00.000Z",
                    "excerpt": "I love how fast the new Acme gadget is.",
                    "category_id": 5,
                },
            ],
        },
    },
    indent=1,
).encode("utf-8")

BIG_PREFIX = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n<channel>\n'
    b"<title>Big Acme feed</title>\n"
)
FILLER = (b" " * 79 + b"\n") * (CHUNK // 80)


# ---------------------------------------------------------------------------------------------
# Shared state


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}
        self.last_headers = {}
        self.last_bodies = {}
        self.versions = {}

    def record_body(self, path, body):
        with self.lock:
            self.last_bodies[path] = body.decode("utf-8", "replace")

    def record(self, path, headers):
        captured = {}
        for name, value in headers.items():
            key = name.lower()
            captured[key] = captured[key] + ", " + value if key in captured else value
        with self.lock:
            self.counts[path] = self.counts.get(path, 0) + 1
            self.last_headers[path] = captured

    def snapshot(self):
        with self.lock:
            return {"counts": dict(self.counts), "last_headers": dict(self.last_headers),
                    "last_bodies": dict(self.last_bodies)}

    def reset(self):
        with self.lock:
            self.counts.clear()
            self.last_headers.clear()
            self.last_bodies.clear()
            self.versions.clear()

    def version(self, name):
        with self.lock:
            return self.versions.get(name, 0)

    def bump(self, name):
        with self.lock:
            self.versions[name] = self.versions.get(name, 0) + 1
            return self.versions[name]


# ---------------------------------------------------------------------------------------------
# Request handling

NAME_RE = re.compile(r"^[A-Za-z0-9_.-]+$")
DISCONNECTED = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, socket.timeout, ssl.SSLError)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "VigiaFeedServer/1"
    timeout = 120  # idle keep-alive connections and stuck writers give up eventually
    disable_nagle_algorithm = True  # headers and body leave at once on kept-alive connections

    # -- plumbing --------------------------------------------------------------------------

    def version_string(self):
        return self.server_version

    def log_message(self, format, *args):
        if self.server.verbose:
            sys.stderr.write("feed_server: %s %s\n" % (self.address_string(), format % args))

    def do_GET(self):
        self.dispatch()

    def do_HEAD(self):
        self.dispatch()

    def do_POST(self):
        self.dispatch()

    def drain_request_body(self):
        """Reads the request body; keeps up to 1 MB of it in self.request_body."""
        self.request_body = b""
        length = self.headers.get("Content-Length")
        if length:
            try:
                remaining = int(length)
            except ValueError:
                self.close_connection = True
                return
            while remaining > 0:
                data = self.rfile.read(min(remaining, CHUNK))
                if not data:
                    break
                if len(self.request_body) < (1 << 20):
                    self.request_body += data
                remaining -= len(data)
        elif "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True  # not worth decoding; just do not reuse the connection

    def respond(self, status, body=b"", content_type="text/plain; charset=utf-8", headers=()):
        self.send_response(status)
        bodyless = status in (204, 304)
        if content_type and not bodyless:
            self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        if not bodyless:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and not bodyless and self.command != "HEAD":
            self.wfile.write(body)

    def text(self, status, message):
        self.respond(status, (message + "\n").encode("utf-8"))

    def not_found(self):
        self.text(404, "not found: %s" % self.path)

    def not_modified(self, etag=None, last_modified=None):
        """RFC 9110 §13.2.2: If-None-Match decides when present, otherwise If-Modified-Since."""
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            if etag is None:
                return False
            if inm.strip() == "*":
                return True
            weakless = lambda tag: tag[2:] if tag.startswith("W/") else tag
            return any(weakless(t.strip()) == weakless(etag) for t in inm.split(","))
        ims = self.headers.get("If-Modified-Since")
        if ims is not None and last_modified is not None:
            try:
                when = email.utils.parsedate_to_datetime(ims)
            except (TypeError, ValueError, IndexError):
                return False
            if when is None:
                return False
            if when.tzinfo is None:
                when = when.replace(tzinfo=timezone.utc)
            return when.timestamp() >= last_modified
        return False

    def conditional(self, body, etag=None, last_modified=None, content_type=RSS_TYPE, extra=()):
        headers = list(extra)
        if etag is not None:
            headers.append(("ETag", etag))
        if last_modified is not None:
            headers.append(("Last-Modified", http_date(last_modified)))
        if self.not_modified(etag, last_modified):
            self.respond(304, headers=headers)
        else:
            self.respond(200, body, content_type, headers)

    # -- routing ---------------------------------------------------------------------------

    def dispatch(self):
        self.drain_request_body()
        path = urlsplit(self.path).path or "/"
        control = path.startswith("/_")
        plain_on_tls = self.server.tls_context is not None and not isinstance(self.connection, ssl.SSLSocket)
        if plain_on_tls and not control:
            self.close_connection = True
            self.text(400, "plain HTTP sent to the HTTPS port")
            return
        if control:
            self.control(path)
            return
        self.server.state.record(path, self.headers)
        if self.command == "POST" and path.startswith("/hook/"):
            self.server.state.record_body(path, self.request_body)
            try:
                self.hook(path)
            except DISCONNECTED:
                self.close_connection = True
            return
        if self.command == "POST":
            self.text(405, "method not allowed")
            return
        try:
            self.route(path)
        except DISCONNECTED:
            self.close_connection = True

    def hook(self, path):
        """A webhook receiver that can fail on purpose:
        /hook/ok (204), /hook/status/CODE, /hook/retry-after/SECONDS (429 + Retry-After),
        /hook/discord-retry/SECONDS (429 with Discord's JSON retry_after), /hook/hang (no answer
        for 60 s), /hook/close (the connection closes without an answer)."""
        parts = path.split("/")[2:]
        if parts == ["ok"]:
            self.respond(204)
        elif len(parts) == 2 and parts[0] == "status" and parts[1].isdigit():
            self.text(int(parts[1]), "status %s on purpose" % parts[1])
        elif len(parts) == 2 and parts[0] == "retry-after":
            self.respond(429, b"slow down", headers=[("Retry-After", parts[1])])
        elif len(parts) == 2 and parts[0] == "discord-retry":
            body = json.dumps({"message": "You are being rate limited.", "retry_after": float(parts[1]), "global": False})
            self.respond(429, body.encode("utf-8"), "application/json")
        elif parts == ["hang"]:
            time.sleep(60)
            self.close_connection = True
        elif parts == ["close"]:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
        else:
            self.text(404, "no such hook")

    def control(self, path):
        state = self.server.state
        if path == "/_stats" and self.command in ("GET", "HEAD"):
            body = json.dumps(state.snapshot(), sort_keys=True).encode("utf-8")
            self.respond(200, body, "application/json")
        elif path == "/_reset" and self.command == "POST":
            state.reset()
            self.respond(200, b'{"ok": true}', "application/json")
        elif path.startswith("/_bump/") and self.command == "POST":
            name = path[len("/_bump/"):]
            if not NAME_RE.match(name):
                self.text(400, "bad name")
                return
            version = state.bump(name)
            self.respond(200, json.dumps({"name": name, "version": version}).encode("utf-8"), "application/json")
        else:
            self.not_found()

    def route(self, path):
        parts = path.strip("/").split("/")
        head = parts[0]

        if path == "/feed.xml":
            self.conditional(standard_feed("Acme feed"), '"v1"', FEED_LAST_MODIFIED)
        elif path == "/etag-only.xml":
            self.conditional(standard_feed("Acme feed (ETag only)"), '"etag-only-v1"')
        elif path == "/lastmod-only.xml":
            self.conditional(standard_feed("Acme feed (Last-Modified only)"), None, FEED_LAST_MODIFIED)
        elif path == "/no-validators.xml":
            self.respond(200, standard_feed("Acme feed (no validators)"), RSS_TYPE)
        elif path == "/gzip.xml":
            body = standard_feed("Acme feed (gzip)")
            headers = [("Vary", "Accept-Encoding")]
            if accepts_gzip(self.headers.get("Accept-Encoding", "")):
                body = gzip.compress(body, mtime=0)
                headers.append(("Content-Encoding", "gzip"))
            self.respond(200, body, RSS_TYPE, headers)
        elif (m := re.fullmatch(r"/items/(\d+)\.xml", path)):
            n = int(m.group(1))
            if n > MAX_ITEMS:
                self.text(400, "at most %d items" % MAX_ITEMS)
            else:
                self.respond(200, items_feed(n), RSS_TYPE)
        elif (m := re.fullmatch(r"/version/([A-Za-z0-9_.-]+)\.xml", path)):
            name = m.group(1)
            k = self.server.state.version(name)
            self.conditional(version_feed(name, k), '"%s-v%d"' % (name, k))
        elif path == "/changing-guids.xml":
            self.respond(200, changing_guid_feed(), RSS_TYPE)
        elif head == "redirect" and len(parts) >= 3:
            self.redirect(parts[1], "/" + "/".join(parts[2:]))
        elif path == "/loop":
            self.redirect("302", "/loop")
        elif path == "/loop-a":
            self.redirect("302", "/loop-b")
        elif path == "/loop-b":
            self.redirect("302", "/loop-a")
        elif (m := re.fullmatch(r"/status/(\d{3})", path)):
            code = int(m.group(1))
            if 200 <= code <= 599:
                self.text(code, "status %d" % code)
            else:
                self.text(400, "status must be 200...599")
        elif (m := re.fullmatch(r"/retry-after/([^/]+)", path)):
            self.respond(429, b"slow down\n", headers=[("Retry-After", m.group(1))])
        elif (m := re.fullmatch(r"/unavailable/([^/]+)", path)):
            self.respond(503, b"unavailable\n", headers=[("Retry-After", m.group(1))])
        elif path == "/retry-after-date":
            self.respond(429, b"slow down\n", headers=[("Retry-After", http_date(time.time() + 120))])
        elif (m := re.fullmatch(r"/cache/(\d+)\.xml", path)):
            self.respond(200, standard_feed("Acme feed (cached)"), RSS_TYPE,
                         [("Cache-Control", "max-age=%s" % m.group(1))])
        elif (m := re.fullmatch(r"/ttl/(\d+)\.xml", path)):
            body = rss("Acme feed (ttl %s)" % m.group(1), simple_items("ttl", 3),
                       "<ttl>%s</ttl>\n" % m.group(1))
            self.respond(200, body, RSS_TYPE)
        elif (m := re.fullmatch(r"/slow/(\d+(?:\.\d*)?|\.\d+)\.xml", path)):
            time.sleep(min(float(m.group(1)), 600.0))
            self.respond(200, standard_feed("Acme feed (slow)"), RSS_TYPE)
        elif (m := re.fullmatch(r"/stall(?:/(\d+(?:\.\d*)?))?", path)):
            self.stall(float(m.group(1)) if m.group(1) else 60.0)
        elif path == "/endless":
            self.endless()
        elif (m := re.fullmatch(r"/big/(\d+)", path)):
            self.big(int(m.group(1)))
        elif path == "/not-a-feed":
            self.respond(200, HTML_PAGE, "text/html; charset=utf-8")
        elif path == "/broken.xml":
            self.respond(200, BROKEN_XML, RSS_TYPE)
        elif path == "/discourse/latest.json":
            self.respond(200, DISCOURSE_LATEST, "application/json; charset=utf-8")
        elif head == "files" and len(parts) >= 2 and self.server.root is not None:
            self.serve_file("/".join(parts[1:]))
        else:
            self.not_found()

    # -- endpoints -------------------------------------------------------------------------

    def redirect(self, code, target):
        if code not in ("301", "302", "303", "307", "308"):
            self.text(400, "unsupported redirect status %s" % code)
            return
        query = urlsplit(self.path).query
        location = target + ("?" + query if query else "")
        self.respond(int(code), ("redirecting to %s\n" % location).encode("utf-8"),
                     headers=[("Location", location)])

    def stall(self, seconds):
        self.send_response(200)
        self.send_header("Content-Type", RSS_TYPE)
        self.send_header("Content-Length", "10000000")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n<chan')
            self.wfile.flush()
            time.sleep(min(seconds, 600.0))
        self.close_connection = True  # the promised body never comes

    def endless(self):
        self.send_response(200)
        self.send_header("Content-Type", RSS_TYPE)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if self.command == "HEAD":
            return
        self.close_connection = True
        first = BIG_PREFIX + b"<!-- endless -->\n"
        self.wfile.write(b"%x\r\n%s\r\n" % (len(first), first))
        frame = b"%x\r\n%s\r\n" % (len(FILLER), FILLER)
        while True:
            self.wfile.write(frame)  # raises once the client goes away

    def big(self, size):
        self.send_response(200)
        self.send_header("Content-Type", RSS_TYPE)
        self.send_header("Content-Length", str(size))
        self.end_headers()
        if self.command == "HEAD":
            return
        head = BIG_PREFIX[:size]
        self.wfile.write(head)
        remaining = size - len(head)
        while remaining > 0:
            piece = FILLER[:remaining]
            self.wfile.write(piece)
            remaining -= len(piece)

    def serve_file(self, relative):
        root = self.server.root
        full = os.path.realpath(os.path.join(root, unquote(relative)))
        if os.path.commonpath([root, full]) != root or not os.path.isfile(full):
            self.not_found()
            return
        st = os.stat(full)
        with open(full, "rb") as f:
            body = f.read()
        etag = '"%x-%x"' % (st.st_size, st.st_mtime_ns)
        content_type = mimetypes.guess_type(full)[0] or "application/octet-stream"
        if content_type in ("application/xml", "text/xml", "application/rss+xml", "application/atom+xml"):
            content_type += "; charset=utf-8"
        self.conditional(body, etag, int(st.st_mtime), content_type)


def accepts_gzip(header):
    for token in header.split(","):
        fields = [f.strip() for f in token.split(";")]
        if fields[0].lower() in ("gzip", "x-gzip", "*"):
            q = 1.0
            for param in fields[1:]:
                if param.lower().startswith("q="):
                    try:
                        q = float(param[2:])
                    except ValueError:
                        q = 0.0
            return q > 0
    return False


# ---------------------------------------------------------------------------------------------
# Server


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, port, state, tls_context, root, verbose):
        self.state = state
        self.tls_context = tls_context
        self.root = root
        self.verbose = verbose
        super().__init__(("127.0.0.1", port), Handler)

    def finish_request(self, request, client_address):
        # The TLS handshake happens here, in the connection's own thread, so a client that
        # stalls or rejects the certificate cannot hold up the accept loop.
        if self.tls_context is None:
            super().finish_request(request, client_address)
            return
        try:
            request.settimeout(10)
            first = request.recv(1, socket.MSG_PEEK)
            if not first:
                return
            if first == b"\x16":
                request = self.tls_context.wrap_socket(request, server_side=True)
            request.settimeout(None)
        except (OSError, ssl.SSLError) as error:
            if self.verbose:
                sys.stderr.write("feed_server: TLS handshake failed: %s\n" % error)
            return
        try:
            super().finish_request(request, client_address)
        finally:
            if isinstance(request, ssl.SSLSocket):
                try:
                    request.close()
                except OSError:
                    pass

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if isinstance(error, DISCONNECTED) or isinstance(error, OSError):
            return
        super().handle_error(request, client_address)  # traceback to stderr


def main():
    parser = argparse.ArgumentParser(description="Local feed server for Vigía tests")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--root")
    parser.add_argument("--watch-stdin", action="store_true",
                        help="exit when stdin reaches end of file (the launching process died)")
    parser.add_argument("--verbose", action="store_true", help="log requests to stderr")
    args = parser.parse_args()
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")

    tls_context = None
    if args.tls_cert:
        tls_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls_context.load_cert_chain(args.tls_cert, args.tls_key)
    root = os.path.realpath(args.root) if args.root else None

    server = FeedServer(args.port, State(), tls_context, root, args.verbose)
    serve(server, watch_stdin=args.watch_stdin)


if __name__ == "__main__":
    main()
