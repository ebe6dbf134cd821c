#!/usr/bin/env python3
"""Run a command with throw-away test peers on 127.0.0.1 (a CTest wrapper).

    python3 tests/peers/with_peers.py [--s3] [--sqs] [--postgres] -- COMMAND ARGS...

Starts the requested peers (see peers.py), waits until each answers, runs COMMAND with

    --s3:       KINORA_TEST_S3_ENDPOINT, KINORA_TEST_S3_BUCKET (already created),
                AWS_ACCESS_KEY_ID=S3RVER, AWS_SECRET_ACCESS_KEY=S3RVER, AWS_REGION=us-east-1
    --sqs:      KINORA_TEST_SQS_ENDPOINT (+ the AWS_* variables above where not set)
    --postgres: KINORA_TEST_PG_URL=postgresql://kinora@127.0.0.1:PORT/kinora_test (trust auth)

and exits with COMMAND's status (128+N if a signal N killed it). The peers are stopped and their
temp dirs removed afterwards, also on Ctrl-C or SIGTERM. A peer that cannot start is an error
(status 125 with the reason and its log tail), never a skip. KINORA_PEERS_KEEP=1 keeps the temp
dirs (their logs) for debugging.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import peers  # noqa: E402

EXIT_PEER_FAILED = 125


class _Terminated(BaseException):
    def __init__(self, signum: int):
        self.signum = signum


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(
        prog="with_peers.py", usage="%(prog)s [--s3] [--sqs] [--postgres] -- COMMAND [ARGS...]",
        description="Run COMMAND with throw-away S3/SQS/PostgreSQL peers on 127.0.0.1.")
    ap.add_argument("--s3", action="store_true", help="start s3rver (bucket kinora-test)")
    ap.add_argument("--sqs", action="store_true", help="start fauxqs (SQS JSON protocol)")
    ap.add_argument("--postgres", action="store_true", help="start PostgreSQL (database kinora_test)")
    ap.add_argument("-q", "--quiet", action="store_true", help="do not report the peers' addresses")
    if "--" in argv:
        split = argv.index("--")
        opts, command = argv[:split], argv[split + 1:]
    else:
        opts, command = argv, []
    args = ap.parse_args(opts)
    if not command:
        ap.error("no COMMAND given after --")
    names = [n for n, on in (("s3", args.s3), ("sqs", args.sqs), ("postgres", args.postgres)) if on]

    # SIGTERM/SIGHUP while starting or stopping peers: unwind through the `finally`s.
    def terminate(signum, _frame):
        for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(s, signal.SIG_IGN)  # let the cleanup run to its end
        raise _Terminated(signum)

    for s in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, terminate)

    try:
        with peers.running(names) as found:
            env = dict(os.environ)
            for peer in found.values():
                env.update(peer.env)
                if not args.quiet:
                    where = getattr(peer, "url", None) or getattr(peer, "endpoint", "")
                    print(f"with_peers: {peer.name} ready in {peer.startup_seconds:.2f} s at {where}",
                          file=sys.stderr, flush=True)
            no_proxy = ",".join(filter(None, [env.get("NO_PROXY") or env.get("no_proxy"),
                                              "127.0.0.1", "localhost"]))
            env["NO_PROXY"] = env["no_proxy"] = no_proxy
            rc = run_command(command, env)
            if rc != 0 and found:
                for peer in found.values():
                    print(f"with_peers: command failed; last lines of the {peer.name} peer's log:\n"
                          f"{peer.log_tail(15)}", file=sys.stderr, flush=True)
            return rc
    except peers.PeerError as e:
        print(f"with_peers: {e}", file=sys.stderr, flush=True)
        return EXIT_PEER_FAILED
    except KeyboardInterrupt:
        print("with_peers: interrupted; peers stopped", file=sys.stderr, flush=True)
        return 128 + signal.SIGINT
    except _Terminated as t:
        print(f"with_peers: got signal {t.signum}; peers stopped", file=sys.stderr, flush=True)
        return 128 + t.signum


def run_command(command: list[str], env: dict[str, str]) -> int:
    # While the command runs: Ctrl-C reaches it directly from the terminal (same process group),
    # so we only wait for it; SIGTERM/SIGHUP sent to us are passed on to it. The handlers are in
    # place before it starts, so no signal can leave it running without us.
    child: subprocess.Popen | None = None
    pending: list[int] = []

    def forward(signum, _frame):
        if child is None:
            pending.append(signum)
        elif child.poll() is None:
            child.send_signal(signum)

    def ignore(_signum, _frame):  # a Python handler, not SIG_IGN: that would be inherited
        pass

    old = {s: signal.signal(s, forward) for s in (signal.SIGTERM, signal.SIGHUP)}
    inherited_ign = signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    old[signal.SIGINT] = signal.signal(signal.SIGINT, signal.SIG_IGN if inherited_ign else ignore)
    try:
        try:
            child = subprocess.Popen(command, env=env)
        except OSError as e:
            print(f"with_peers: cannot run {command[0]}: {e}", file=sys.stderr, flush=True)
            return 127
        for signum in pending:
            child.send_signal(signum)
        rc = child.wait()
    finally:
        for s, h in old.items():
            signal.signal(s, h)
    return 128 - rc if rc < 0 else rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
