#!/usr/bin/env python3
"""Local SMTP sink for Vigía's mailer tests.

Standard library only. Started by Tests/Support/LocalSMTPSink.swift:

    python3 smtp_sink.py --port 0 --out DIR [--tls-cert CERT --tls-key KEY] [--implicit-tls]
                         [--no-starttls] [--user U --password P] [--reject-rcpt ADDR]...
                         [--fail-mode greeting-421|data-451|drop-in-data] [--verbose]

Binds 127.0.0.1 only, prints exactly one line "PORT <n>" to stdout once listening, then serves
(one thread per connection) until SIGTERM/SIGINT or until stdin reaches end of file, so the sink
does not outlive the test process. Nothing else is ever written to stdout; --verbose writes the
conversation (without message contents) to stderr.

ESMTP as far as the tests need: EHLO/HELO, STARTTLS (offered when a certificate is given, unless
--implicit-tls or --no-starttls), AUTH PLAIN and LOGIN (offered when --user is given; only over
TLS when TLS is available), MAIL FROM, RCPT TO, DATA, RSET, NOOP, QUIT.

Every accepted message becomes DIR/N.eml (the bytes received, dot-stuffing undone) and then
DIR/N.json (N = 1, 2, ...), each written to a temporary name and renamed, so a reader that sees
N.json sees the whole message. The JSON holds the envelope (mail_from, rcpt_to, tls, auth_user)
and Python's own reading of the message (email.policy.default): subject, from, to, date,
message_id, content_type, from_addresses, to_addresses, parts (content_type, charset,
transfer_encoding and decoded text of each leaf part), defects, parse_error.
"""

import argparse
import base64
import binascii
import email
import email.policy
import json
import os
import re
import socket
import socketserver
import ssl
import sys
import threading

from serve_locally import serve

MAX_COMMAND = 4096
MAX_DATA_LINE = 1 << 20
MAX_MESSAGE = 64 << 20
HOST = "127.0.0.1"
PATH_ARGUMENT = re.compile(r"^(FROM|TO):\s*<([^<>]*)>(.*)$", re.IGNORECASE)


class Closed(Exception):
    """The client went away (or the session ended on purpose)."""


class Session:
    """One SMTP connection, on its own thread."""

    def __init__(self, server, sock, tls):
        self.server = server
        self.options = server.options
        self.sock = sock
        self.reader = sock.makefile("rb")
        self.tls = tls
        self.greeted = False
        self.auth_user = None
        self.reset_envelope()

    # -- plumbing

    def log(self, text):
        if self.options.verbose:
            sys.stderr.write("smtp_sink[%d]: %s\n" % (threading.get_ident() % 10000, text))
            sys.stderr.flush()

    def reply(self, *lines):
        """One reply; several lines make a multi-line reply with the same code."""
        code = lines[0][:3]
        out = []
        for index, line in enumerate(lines):
            separator = " " if index == len(lines) - 1 else "-"
            out.append("%s%s%s\r\n" % (code, separator, line[4:]))
        data = "".join(out)
        self.log("< " + data.rstrip("\r\n").replace("\r\n", " | "))
        self.sock.sendall(data.encode("ascii"))

    def readline(self, limit):
        line = self.reader.readline(limit + 1)
        if not line:
            raise Closed()
        return line

    def close(self):
        for thing in (self.reader, self.sock):
            try:
                thing.close()
            except OSError:
                pass

    def reset_envelope(self):
        self.mail_from = None
        self.rcpt_to = []

    # -- what this session offers

    def tls_available(self):
        return self.options.tls_context is not None and (self.options.implicit_tls or not self.options.no_starttls)

    def starttls_offered(self):
        return self.tls_available() and not self.options.implicit_tls and not self.tls

    def auth_offered(self):
        return self.options.user is not None and (self.tls or not self.tls_available())

    # -- the conversation

    def run(self):
        if self.options.fail_mode == "greeting-421":
            self.reply("421 4.3.2 %s Service not available, closing transmission channel" % HOST)
            return
        self.reply("220 %s ESMTP Vigia test sink" % HOST)
        while True:
            line = self.readline(MAX_COMMAND)
            if not line.endswith(b"\n"):
                self.reply("500 5.5.2 Line too long")
                return
            text = line.rstrip(b"\r\n").decode("utf-8", "replace")
            verb, _, argument = text.partition(" ")
            verb = verb.upper()
            self.log("> " + (verb + " ..." if verb == "AUTH" else text))
            handler = getattr(self, "command_" + verb.lower(), None) if verb.isalpha() else None
            if handler is None:
                if verb in ("VRFY", "EXPN", "TURN", "ETRN", "BDAT", "HELP", "SEND", "SOML", "SAML"):
                    self.reply("502 5.5.1 Command not implemented")
                else:
                    self.reply("500 5.5.2 Command not recognized")
                continue
            if handler(argument.strip()) is False:
                return

    def command_ehlo(self, argument):
        if not argument:
            self.reply("501 5.5.4 EHLO needs a domain")
            return
        self.greeted = True
        self.reset_envelope()
        lines = ["250 %s greets %s" % (HOST, argument), "250 SIZE %d" % MAX_MESSAGE, "250 8BITMIME"]
        if self.starttls_offered():
            lines.append("250 STARTTLS")
        if self.auth_offered():
            lines.append("250 AUTH PLAIN LOGIN")
        self.reply(*lines)

    def command_helo(self, argument):
        if not argument:
            self.reply("501 5.5.4 HELO needs a domain")
            return
        self.greeted = True
        self.reset_envelope()
        self.reply("250 %s" % HOST)

    def command_starttls(self, argument):
        if self.tls:
            self.reply("503 5.5.1 TLS already active")
            return
        if not self.starttls_offered():
            self.reply("502 5.5.1 STARTTLS not available")
            return
        self.reply("220 2.0.0 Ready to start TLS")
        # Anything the client sent after STARTTLS and before the handshake is dropped with the
        # old reader, as RFC 3207 requires.
        self.sock = self.options.tls_context.wrap_socket(self.sock, server_side=True)
        self.reader = self.sock.makefile("rb")
        self.tls = True
        self.greeted = False
        self.auth_user = None
        self.reset_envelope()

    def command_auth(self, argument):
        if not self.greeted:
            self.reply("503 5.5.1 Send EHLO first")
            return
        if self.auth_user is not None:
            self.reply("503 5.5.1 Already authenticated")
            return
        if not self.auth_offered():
            if self.options.user is not None:
                self.reply("538 5.7.11 Encryption required for requested authentication mechanism")
            else:
                self.reply("502 5.5.1 AUTH not available")
            return
        mechanism, _, initial = argument.partition(" ")
        mechanism = mechanism.upper()
        try:
            if mechanism == "PLAIN":
                response = initial or self.challenge("")
                if response is None:
                    return
                fields = base64.b64decode(response, validate=True).split(b"\0")
                if len(fields) != 3:
                    self.reply("501 5.5.2 Malformed PLAIN response")
                    return
                user, password = fields[1], fields[2]
            elif mechanism == "LOGIN":
                user_response = initial or self.challenge("VXNlcm5hbWU6")  # "Username:"
                if user_response is None:
                    return
                user = base64.b64decode(user_response, validate=True)
                password_response = self.challenge("UGFzc3dvcmQ6")  # "Password:"
                if password_response is None:
                    return
                password = base64.b64decode(password_response, validate=True)
            else:
                self.reply("504 5.5.4 Unrecognized authentication type")
                return
        except (binascii.Error, ValueError):
            self.reply("501 5.5.2 Cannot decode response")
            return
        user = user.decode("utf-8", "replace")
        password = password.decode("utf-8", "replace")
        if user == self.options.user and password == self.options.password:
            self.auth_user = user
            self.reply("235 2.7.0 Authentication successful")
        else:
            self.reply("535 5.7.8 Authentication credentials invalid")

    def challenge(self, text):
        """Sends a 334 challenge; the client's answer, or None when it cancelled with '*'."""
        self.reply("334 " + text)
        answer = self.readline(MAX_COMMAND).strip().decode("ascii", "replace")
        if answer == "*":
            self.reply("501 5.0.0 Authentication cancelled")
            return None
        return answer

    def path(self, argument, keyword):
        match = PATH_ARGUMENT.match(argument)
        if not match or match.group(1).upper() != keyword:
            self.reply("501 5.5.4 Syntax: %s:<address>" % ("MAIL FROM" if keyword == "FROM" else "RCPT TO"))
            return None
        return match.group(2)

    def command_mail(self, argument):
        if not self.greeted:
            self.reply("503 5.5.1 Send EHLO first")
            return
        if self.options.user is not None and self.auth_user is None:
            self.reply("530 5.7.0 Authentication required")
            return
        if self.mail_from is not None:
            self.reply("503 5.5.1 Nested MAIL command")
            return
        address = self.path(argument, "FROM")
        if address is None:
            return
        self.mail_from = address
        self.rcpt_to = []
        self.reply("250 2.1.0 Ok")

    def command_rcpt(self, argument):
        if self.mail_from is None:
            self.reply("503 5.5.1 Need MAIL before RCPT")
            return
        address = self.path(argument, "TO")
        if address is None:
            return
        if address.lower() in self.options.rejected:
            self.reply("550 5.1.1 <%s>: Recipient address rejected: User unknown" % address)
            return
        self.rcpt_to.append(address)
        self.reply("250 2.1.5 Ok")

    def command_data(self, argument):
        if self.mail_from is None:
            self.reply("503 5.5.1 Need MAIL command")
            return
        if not self.rcpt_to:
            self.reply("554 5.5.1 No valid recipients")
            return
        self.reply("354 End data with <CR><LF>.<CR><LF>")
        raw = bytearray()
        lines = 0
        while True:
            line = self.readline(MAX_DATA_LINE)
            lines += 1
            if self.options.fail_mode == "drop-in-data" and lines > 1:
                self.log("dropping the connection in the middle of DATA")
                try:
                    self.sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                raise Closed()
            if line in (b".\r\n", b".\n"):
                break
            if line.startswith(b"."):
                line = line[1:]
            raw += line
            if len(raw) > MAX_MESSAGE:
                self.reply("552 5.3.4 Message too big")
                return False
        self.log("[DATA: %d bytes]" % len(raw))
        if self.options.fail_mode == "data-451":
            self.reset_envelope()
            self.reply("451 4.3.0 Temporary failure, try again later")
            return
        number = self.server.store(bytes(raw), {
            "mail_from": self.mail_from,
            "rcpt_to": list(self.rcpt_to),
            "tls": self.tls,
            "auth_user": self.auth_user,
        })
        self.reset_envelope()
        self.reply("250 2.0.0 Ok: queued as %d" % number)

    def command_rset(self, argument):
        self.reset_envelope()
        self.reply("250 2.0.0 Ok")

    def command_noop(self, argument):
        self.reply("250 2.0.0 Ok")

    def command_quit(self, argument):
        self.reply("221 2.0.0 Bye")
        return False


def describe(raw):
    """Python's reading of the message, for the tests to compare with what was sent."""
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)

        def text(name):
            value = message[name]
            return None if value is None else str(value)

        def addresses(name):
            value = message[name]
            if value is None:
                return []
            return [{"name": a.display_name, "address": a.addr_spec} for a in value.addresses]

        date = message["date"]
        parts = []
        defects = []
        for name, value in message.items():
            defects += ["%s: %s" % (name, defect) for defect in getattr(value, "defects", ())]
        for part in message.walk():
            defects += ["%s: %s" % (type(defect).__name__, defect) for defect in part.defects]
            if part.is_multipart():
                continue
            content = part.get_content()
            encoding = part.get("content-transfer-encoding")
            parts.append({
                "content_type": part.get_content_type(),
                "charset": part.get_content_charset(),
                "transfer_encoding": None if encoding is None else str(encoding).lower(),
                "text": content if isinstance(content, str) else None,
            })
        return {
            "subject": text("subject"),
            "from": text("from"),
            "to": text("to"),
            "date": text("date"),
            "date_timestamp": date.datetime.timestamp() if date is not None and date.datetime else None,
            "message_id": text("message-id"),
            "content_type": message.get_content_type(),
            "from_addresses": addresses("from"),
            "to_addresses": addresses("to"),
            "parts": parts,
            "defects": defects,
            "parse_error": None,
        }
    except Exception as error:  # the test reports it
        return {"parts": [], "defects": [], "parse_error": repr(error)}


class SinkServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, port, options):
        self.options = options
        self.lock = threading.Lock()
        self.count = 0
        super().__init__((HOST, port), Handler)

    def store(self, raw, envelope):
        with self.lock:
            self.count += 1
            number = self.count
        write_atomically(os.path.join(self.options.out, "%d.eml" % number), raw)
        record = {"number": number}
        record.update(envelope)
        record.update(describe(raw))
        write_atomically(os.path.join(self.options.out, "%d.json" % number),
                         json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"))
        return number

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], (OSError, ssl.SSLError, Closed)):
            return
        super().handle_error(request, client_address)  # traceback to stderr


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        sock = self.request
        sock.settimeout(30)
        options = self.server.options
        session = None
        try:
            if options.implicit_tls:
                sock = options.tls_context.wrap_socket(sock, server_side=True)
            session = Session(self.server, sock, tls=options.implicit_tls)
            session.run()
        except (OSError, ssl.SSLError, Closed) as error:
            if options.verbose:
                sys.stderr.write("smtp_sink: session ended: %r\n" % (error,))
        finally:
            if session is not None:
                session.close()
            else:
                try:
                    sock.close()
                except OSError:
                    pass


def write_atomically(path, data):
    temporary = path + ".tmp"
    with open(temporary, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)


def main():
    parser = argparse.ArgumentParser(description="Local SMTP sink for Vigía tests")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--out", required=True, help="directory for N.eml and N.json")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--implicit-tls", action="store_true", help="TLS from the first byte (smtps)")
    parser.add_argument("--no-starttls", action="store_true", help="do not offer STARTTLS")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--reject-rcpt", action="append", default=[], metavar="ADDR")
    parser.add_argument("--fail-mode", choices=["greeting-421", "data-451", "drop-in-data"])
    parser.add_argument("--verbose", action="store_true", help="log the conversation to stderr")
    options = parser.parse_args()
    if bool(options.tls_cert) != bool(options.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    if options.implicit_tls and not options.tls_cert:
        parser.error("--implicit-tls needs --tls-cert and --tls-key")
    if (options.user is None) != (options.password is None):
        parser.error("--user and --password go together")
    options.rejected = {address.lower() for address in options.reject_rcpt}
    options.tls_context = None
    if options.tls_cert:
        options.tls_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        options.tls_context.load_cert_chain(options.tls_cert, options.tls_key)
    os.makedirs(options.out, exist_ok=True)

    serve(SinkServer(options.port, options), watch_stdin=True)


if __name__ == "__main__":
    main()
