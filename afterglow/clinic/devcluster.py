"""A throwaway PostgreSQL cluster in a temporary folder, for the clinic tests and `make clinic-demo`.

Not for a real clinic (that runs its own PostgreSQL): this one trusts every local connection,
listens only on a Unix socket inside its own folder (no TCP port, so nothing else on the machine
or network can reach it), and skips fsync for speed. It is gone when stopped.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

USER = "afterglow"
DATABASE = "afterglow"


class ClusterUnavailable(RuntimeError):
    """PostgreSQL's server programs are not installed here."""


def server_bin() -> Path | None:
    """The folder holding initdb and pg_ctl: on PATH, or Debian's /usr/lib/postgresql/N/bin (newest)."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    debian = os.environ.get("AFTERGLOW_PG_LIB", "/usr/lib/postgresql")  # where Debian puts each version
    for folder in sorted(glob.glob(f"{debian}/*/bin"), key=lambda p: Path(p).parent.name.zfill(4), reverse=True):
        if (Path(folder) / "initdb").exists():
            return Path(folder)
    return None


def _as_server_user() -> list[str]:
    # initdb and postgres refuse to run as root; Debian's package makes a `postgres` user for them.
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError as e:
        raise ClusterUnavailable("running as root, and there is no 'postgres' user to run PostgreSQL as") from e
    return ["runuser", "-u", "postgres", "--"]


@dataclass
class DevCluster:
    folder: Path
    bin: Path
    started: bool = False

    @property
    def socket_dir(self) -> str:
        return str(self.folder)

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str = DATABASE) -> str:
        """A DATABASE_URL for this cluster (the socket folder as `host`)."""
        from urllib.parse import quote

        return f"postgres://{USER}@{quote(self.socket_dir, safe='')}/{database}"

    @classmethod
    def create(cls, parent: str | None = None) -> DevCluster:
        folder = server_bin()
        if folder is None:
            raise ClusterUnavailable("PostgreSQL is not installed (no initdb): apt-get install postgresql")
        prefix = _as_server_user()
        home = Path(tempfile.mkdtemp(prefix="afterglow-pg-", dir=parent))
        if prefix:
            shutil.chown(home, "postgres", "postgres")
        cluster = cls(home, folder)
        cluster._run(
            prefix,
            "initdb",
            "-D",
            str(cluster.data),
            "-U",
            USER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        return cluster

    @classmethod
    def kept_in(cls, folder: Path) -> DevCluster:
        """A cluster that stays in `folder` between runs (the load bench's built clinic): made there once, then reused.

        Start it with `start(create_database=not reused)` and end it with `stop(keep=True)`.
        """
        bin_folder = server_bin()
        if bin_folder is None:
            raise ClusterUnavailable("PostgreSQL is not installed (no initdb): apt-get install postgresql")
        cluster = cls(folder, bin_folder)
        if cluster.reused:
            return cluster
        shutil.rmtree(folder, ignore_errors=True)  # half made by an interrupted run
        folder.mkdir(parents=True)
        prefix = _as_server_user()
        if prefix:
            shutil.chown(folder, "postgres", "postgres")
        cluster._run(prefix, "initdb", "-D", str(cluster.data), "-U", USER, "--auth=trust", "--encoding=UTF8",
                     "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        return cluster

    @property
    def reused(self) -> bool:
        return (self.data / "PG_VERSION").exists() and (self.folder / "database-made").exists()

    def start(self, create_database: bool = True, settings: tuple[str, ...] = ()) -> None:
        """Start the server; `settings` are extra `name=value` PostgreSQL settings (shared_buffers=256MB, say)."""
        extra = "".join(f" -c {s}" for s in settings)
        options = f"-k {self.socket_dir} -c listen_addresses='' -F -c full_page_writes=off -c synchronous_commit=off{extra}"
        log = str(self.folder / "server.log")
        self._run(_as_server_user(), "pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start")
        self.started = True
        (self.folder / "owner.pid").write_text(str(os.getpid()))
        if create_database:
            self._run([], "createdb", "-h", self.socket_dir, "-U", USER, DATABASE)
            (self.folder / "database-made").touch()

    def stop(self, keep: bool = False) -> None:
        """Stop the server and delete the folder (`keep`: stop it cleanly and leave the data for the next run)."""
        if self.started:
            # Already stopped (its owner's machine rebooted, say): the folder goes all the same.
            with contextlib.suppress(ClusterUnavailable):
                mode = "fast" if keep else "immediate"
                self._run(_as_server_user(), "pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")
            self.started = False
        if not keep:
            shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, prefix: list[str], program: str, *args: str) -> None:
        done = subprocess.run([*prefix, str(self.bin / program), *args], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            lines = (done.stderr or done.stdout).strip().splitlines()
            raise ClusterUnavailable(f"{program} failed: {lines[-1] if lines else f'status {done.returncode}'}")


def reap_orphans(parent: str | None = None) -> int:
    """Stop and delete clusters whose owning process is gone (a test run killed before it could stop its own)."""
    reaped = 0
    bin_folder = server_bin()
    for folder in glob.glob(os.path.join(parent or tempfile.gettempdir(), "afterglow-pg-*")):
        owner = Path(folder) / "owner.pid"
        try:
            pid = int(owner.read_text())
        except (OSError, ValueError):
            continue  # still being made, or not ours
        if _alive(pid) or bin_folder is None:
            continue
        DevCluster(Path(folder), bin_folder, started=(Path(folder) / "data" / "postmaster.pid").exists()).stop()
        reaped += 1
    return reaped


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def start_cluster(parent: str | None = None) -> DevCluster:
    reap_orphans(parent)
    cluster = DevCluster.create(parent)
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        raise
    return cluster
