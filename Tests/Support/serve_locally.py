"""How the tests' local servers (feed_server.py, smtp_sink.py) run: standard library only.

serve(server, watch_stdin) prints exactly one line "PORT <n>" to stdout once the server listens,
sends anything else printed to stderr, and serves until SIGTERM/SIGINT or, with watch_stdin,
until stdin reaches end of file (so a server never outlives a test process that crashed).
"""
import os
import signal
import sys
import threading


def serve(server, watch_stdin=True):
    # A parent's blocked signals survive fork and exec: children of a Dispatch worker thread (as
    # Foundation's Process launches them from Swift tests) start with SIGTERM and SIGINT blocked.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])

    # Leave at once, whatever the threads are doing: a SystemExit raised during start-up or
    # while daemon threads hold stdin's lock makes interpreter finalization hang, then abort.
    def terminate(signum, frame):
        os._exit(0)

    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGINT, terminate)

    sys.stdout.write("PORT %d\n" % server.server_address[1])
    sys.stdout.flush()
    sys.stdout = sys.stderr  # nothing else may reach stdout

    if watch_stdin:
        def watch():
            try:
                while os.read(0, 4096):
                    pass
            except OSError:
                pass
            os._exit(0)

        threading.Thread(target=watch, daemon=True).start()

    server.serve_forever(poll_interval=0.5)
