"""Reading a named file: only regular files and pipes, never more than the limit held in memory."""

from __future__ import annotations

import os
import threading
import tracemalloc
from pathlib import Path

import pytest

from afterglow.lib.files import CHUNK, FileRefused, read_bounded

LIMIT = 8 * CHUNK


def too_big(size: int) -> str:
    return f"too big ({size})"


def feed_pipe(path: Path, total: int | None) -> threading.Thread:
    """A writer that sends `total` bytes (None: until the reader goes away) into the FIFO at `path`."""

    def write() -> None:
        block = b"\0" * CHUNK
        sent = 0
        try:
            with open(path, "wb") as pipe:
                while total is None or sent < total:
                    piece = block if total is None else block[: total - sent]
                    pipe.write(piece)
                    sent += len(piece)
        except BrokenPipeError:
            pass

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


def test_it_reads_a_regular_file_whole(tmp_path):
    path = tmp_path / "a.bin"
    path.write_bytes(b"abc" * 1000)
    assert bytes(read_bounded(path, LIMIT, too_big)) == b"abc" * 1000


def test_it_refuses_a_regular_file_over_the_limit_before_reading_it(tmp_path):
    path = tmp_path / "big.bin"
    with open(path, "wb") as f:
        f.truncate(LIMIT + 1)  # sparse: nothing to read, only the size says no
    with pytest.raises(FileRefused, match=r"too big \(8388609\)"):
        read_bounded(path, LIMIT, too_big)


def test_it_refuses_devices_at_once():
    with pytest.raises(FileRefused, match="device or other special file"):
        read_bounded(Path("/dev/zero"), LIMIT, too_big)


def test_it_refuses_folders_and_missing_files_in_words(tmp_path):
    with pytest.raises(FileRefused, match="a folder, not a recording"):
        read_bounded(tmp_path, LIMIT, too_big, what="recording")
    with pytest.raises(FileRefused, match="no such file"):
        read_bounded(tmp_path / "missing", LIMIT, too_big)


def test_it_reads_a_pipe_within_the_limit(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    writer = feed_pipe(fifo, LIMIT)
    assert len(read_bounded(fifo, LIMIT, too_big)) == LIMIT
    writer.join(5)


def test_an_endless_pipe_is_refused_without_holding_more_than_the_limit(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    writer = feed_pipe(fifo, None)
    tracemalloc.start()
    try:
        with pytest.raises(FileRefused, match="too big"):
            read_bounded(fifo, LIMIT, too_big)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    writer.join(5)
    assert peak < LIMIT + 2 * CHUNK


def test_preferences_in_a_device_or_pipe_are_read_as_none(tmp_path):
    from afterglow.lib import config

    zero = tmp_path / "config.toml"
    zero.symlink_to("/dev/zero")  # used to be read without end by every page that shows crisis lines
    assert config.read(zero) == {}
    fifo = tmp_path / "other.toml"
    os.mkfifo(fifo)  # used to wait for a writer forever
    assert config.read(fifo) == {}
