"""The private socket between `afterglow serve` and the thin CLI client: where it is, who may use it, framing.

Framework-free on purpose: the client imports this and nothing of Django.

Who may connect is decided twice. The file system: the socket is 0600 inside a 0700 folder
of the data directory, both owned by this user. The kernel: each side asks for the other
end's uid (`SO_PEERCRED`) and talks only to its own uid. A process of another user can
neither open the socket nor, if the folder were somehow opened to it, be answered.

A message is a 4-byte header length, a JSON header, an 8-byte body length and the body
(raw bytes: the stdin the client read, or nothing). Requests and answers have the same shape.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import struct
from pathlib import Path
from typing import Any

FOLDER = "cli"
NAME = "afterglow.sock"
PROTOCOL = 1
# AF_UNIX paths are at most 108 bytes on Linux (including the final NUL).
MAX_PATH = 107
MAX_HEADER = 1 << 20
# A generous bound on the body: stdin is at most four bytes a character of the longest entry.
MAX_BODY = 64 << 20
_HEADER = struct.Struct(">I")
_BODY = struct.Struct(">Q")
_UCRED = struct.Struct("3i")  # pid, uid, gid


class Unusable(Exception):
    """The socket cannot be used safely or at all; the client goes the direct way."""


def supported() -> bool:
    """Peer credentials are how the server knows who is asking; without them there is no socket."""
    return hasattr(socket, "AF_UNIX") and hasattr(socket, "SO_PEERCRED")


def folder_for(home: Path) -> Path:
    return home / FOLDER


def path_for(home: Path) -> Path:
    return folder_for(home) / NAME


def peer_uid(sock: socket.socket) -> int:
    raw = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _UCRED.size)
    return int(_UCRED.unpack(raw)[1])


def peer_allowed(uid: int) -> bool:
    """Only this user's own processes: not another account, and not root acting for one."""
    return uid == os.getuid()


def check_private_folder(folder: Path) -> None:
    """The folder must be a real directory (not a link), ours, and closed to everyone else."""
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        raise Unusable("no socket folder") from None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise Unusable(f"{folder} is not a private folder of this user")


def check_private_socket(path: Path) -> None:
    check_private_folder(path.parent)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise Unusable("no socket") from None
    if not stat.S_ISSOCK(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise Unusable(f"{path} is not a private socket of this user")


def send(sock: socket.socket, header: dict[str, Any], body: bytes = b"") -> None:
    encoded = json.dumps(header, ensure_ascii=False).encode("utf-8")
    sock.sendall(_HEADER.pack(len(encoded)) + encoded + _BODY.pack(len(body)))
    if body:
        sock.sendall(body)


def receive(sock: socket.socket, max_body: int = MAX_BODY) -> tuple[dict[str, Any], bytes]:
    (size,) = _HEADER.unpack(_exactly(sock, _HEADER.size))
    if size > MAX_HEADER:
        raise Unusable("header too large")
    header = json.loads(_exactly(sock, size).decode("utf-8"))
    if not isinstance(header, dict):
        raise Unusable("header is not an object")
    (length,) = _BODY.unpack(_exactly(sock, _BODY.size))
    if length > max_body:
        raise Unusable("body too large")
    return header, _exactly(sock, length)


def _exactly(sock: socket.socket, count: int) -> bytes:
    chunks: list[bytes] = []
    left = count
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            raise Unusable("the other end closed the socket mid-message")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
