"""Crash-test driver: fork writers that save entries one by one, SIGKILL them at random moments.

Run as a program (with AFTERGLOW_HOME / AFTERGLOW_PASSPHRASE set). Each round
forks a child that writes entries and prints each id once its transaction has
committed; the parent kills it with SIGKILL after a random delay and passes
every printed id through to its own stdout. Forking keeps the start-up cost
to once for all rounds.
"""

from __future__ import annotations

import os
import random
import select
import signal
import sys
import time


def child(write_fd: int) -> None:
    from django.db import connections

    from afterglow.access import local_patient
    from afterglow.journal.entries import create_entry

    connections.close_all()
    owner = local_patient()
    n = 0
    while True:
        n += 1
        entry = create_entry(owner, f"crash test line {n} " + "x" * random.randint(10, 4000))
        os.write(write_fd, f"{entry.pk}\n".encode())


def main(rounds: int, seed: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "afterglow.settings")
    django.setup()
    from django.db import connections

    from afterglow.vault.session import unlock_for_cli

    unlock_for_cli(migrate=True)
    rng = random.Random(seed)
    for _ in range(rounds):
        connections.close_all()  # never share a SQLite handle across fork
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            try:
                child(write_fd)
            finally:
                os._exit(1)
        os.close(write_fd)
        deadline = time.monotonic() + 0.05 + rng.random() * 0.25
        buffer = b""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([read_fd], [], [], max(0.0, deadline - time.monotonic()))
            if ready:
                buffer += os.read(read_fd, 65536)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        while chunk := os.read(read_fd, 65536):  # ids written just before the kill
            buffer += chunk
        os.close(read_fd)
        sys.stdout.write(buffer.decode())
        sys.stdout.flush()


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
