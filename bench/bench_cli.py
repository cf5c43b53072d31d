"""The CLI at 1k entries, whole processes, A-B alternated: Afterglow cold and thin against jrnl plain and encrypted.

    .venv/bin/python bench/bench_cli.py [--repeat 15] [--word lighthouse] [--base REF]

Four contenders run one after another in every round, so machine load hits them alike:
- afterglow (cold): no server; unlocks with AFTERGLOW_PASSPHRASE at the full Argon2id cost
  (the product settings, never the tests' fast KDF);
- afterglow (thin): `afterglow serve` runs unlocked on a copy of the same journal and the
  client, with no passphrase at all, is answered over the private socket;
- jrnl 4.x plain, and jrnl encrypted (its own format, the password from a keyring backend
  that returns it, as a person's desktop keychain would; installed with jrnl into its own venv).
With `--base REF` (e.g. main), the cold path of that commit's `afterglow/` (git archive, run from
PYTHONPATH with the same venv) joins the rounds too, for a before/after of work on the cold path.
Each task's median / p95 wall time and peak RSS, with the load average beside them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import AFTERGLOW, BENCH, BENCH_PASSPHRASE, OUT, PYTHON, ROOT, afterglow_env, save_results, summary
from jrnl_compare import JRNL, JRNL_CONFIG, JRNL_VENV, ensure_jrnl

# The last commit before this work on the CLI: its entry point is the "before" contender.
BEFORE_COMMIT = "ce010da"
SIZE = "1k"
ENTRIES = 1_000
COLD = OUT / "cli-1k-cold"
SERVED = OUT / "cli-1k-served"
PLAIN = OUT / "cli-1k.txt"
ENCRYPTED = OUT / "cli-1k-encrypted.txt"
KEYRING_DIR = OUT / "jrnl-keyring"
JRNL_PASSWORD = "benchmark password, not a secret"
KEYRING_MODULE = '''\
import os
from keyring.backend import KeyringBackend


class BenchKeyring(KeyringBackend):
    """Answers jrnl's keychain question with the benchmark's password (a desktop keychain would)."""

    priority = 1

    def get_password(self, service, username):
        return os.environ.get("JRNL_BENCH_PASSWORD")

    def set_password(self, service, username, password):
        raise NotImplementedError

    def delete_password(self, service, username):
        raise NotImplementedError
'''
ENCRYPT_SCRIPT = """\
import sys
from jrnl.encryption.Jrnlv3Encryption import Jrnlv3Encryption
e = Jrnlv3Encryption("default", {})
e.password = sys.argv[3]
open(sys.argv[2], "wb").write(e.encrypt(open(sys.argv[1], encoding="utf-8").read()))
"""


@dataclass
class Run:
    seconds: float
    cpu_seconds: float
    max_rss_kb: int
    returncode: int
    stderr: bytes


def run_once(cmd: list[str], env: dict[str, str]) -> Run:
    """Wall time, CPU time (user + system, every thread) and peak RSS of one whole process."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, env=clean_env(env), stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return Run(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, proc.returncode, err.read())


def before_entry_point() -> Path:
    """main's `afterglow/__main__.py` before issue 21 (git show), to run as "afterglow before" for comparison."""
    path = OUT / "afterglow_before_i21.py"
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{BEFORE_COMMIT}:afterglow/__main__.py"], capture_output=True, text=True, check=True
    ).stdout
    path.write_text(source)
    return path


def base_tree(ref: str) -> Path:
    """`afterglow/` as it is at `ref`, unpacked and byte-compiled under bench/out (its PYTHONPATH)."""
    tree = OUT / f"base-{ref.replace('/', '-')}"
    shutil.rmtree(tree, ignore_errors=True)
    tree.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "afterglow"], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    subprocess.run([str(PYTHON), "-m", "compileall", "-q", str(tree / "afterglow")], check=True, stdout=subprocess.DEVNULL)
    return tree


def clean_env(env: dict[str, str]) -> dict[str, str]:
    """A person's shell, not this machine's job runner: bytecode is read, and stdout is buffered."""
    return {k: v for k, v in env.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED")}


def prepare() -> None:
    """The 1k journal (generate.py) twice — one to open cold, one for the server — and jrnl's two files.

    Afterglow's modules are byte-compiled first, as pip does when it installs a wheel (jrnl's were,
    in its venv); an editable install under PYTHONDONTWRITEBYTECODE would otherwise compile ~100
    modules from source on every run (~0.1 s of CPU).
    """
    subprocess.run([str(PYTHON), "-m", "compileall", "-q", str(ROOT / "afterglow")], check=True, stdout=subprocess.DEVNULL)
    env = dict(os.environ, AFTERGLOW_PASSPHRASE=BENCH_PASSPHRASE)
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the product settings: full-strength Argon2id
    if not (COLD / "journal.db").exists():
        shutil.rmtree(COLD, ignore_errors=True)
        gen = [str(PYTHON), str(BENCH / "generate.py"), "--home", str(COLD), "--entries", str(ENTRIES), "--jrnl", str(PLAIN)]
        subprocess.run(gen, env=env, check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(SERVED, ignore_errors=True)
    shutil.copytree(COLD, SERVED, ignore=shutil.ignore_patterns("cli", "backups"))
    if not ENCRYPTED.exists():
        script = [str(JRNL_VENV / "bin" / "python"), "-c", ENCRYPT_SCRIPT, str(PLAIN), str(ENCRYPTED), JRNL_PASSWORD]
        subprocess.run(script, check=True)
    KEYRING_DIR.mkdir(parents=True, exist_ok=True)
    (KEYRING_DIR / "bench_keyring.py").write_text(KEYRING_MODULE)


def jrnl_setup(name: str, journal: Path, encrypted: bool) -> tuple[list[str], dict[str, str]]:
    config = OUT / f"cli-jrnl-{name}.yaml"
    text = JRNL_CONFIG.format(journal=journal)
    config.write_text(text.replace("encrypt: false", "encrypt: true") if encrypted else text)
    xdg = OUT / "xdg"
    xdg.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, XDG_CONFIG_HOME=str(xdg), XDG_DATA_HOME=str(xdg), NO_COLOR="1", COLUMNS="100")
    if encrypted:
        env.update(
            PYTHONPATH=str(KEYRING_DIR), PYTHON_KEYRING_BACKEND="bench_keyring.BenchKeyring", JRNL_BENCH_PASSWORD=JRNL_PASSWORD
        )
    return [str(JRNL), "--config-file", str(config)], env


def afterglow_setup(home: Path, *, passphrase: bool) -> tuple[list[str], dict[str, str]]:
    env = afterglow_env(home)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("AFTERGLOW_PASSPHRASE", None)
    if passphrase:
        env["AFTERGLOW_PASSPHRASE"] = BENCH_PASSPHRASE
    return [str(AFTERGLOW)], env


def start_server() -> subprocess.Popen:
    env = afterglow_env(SERVED)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["AFTERGLOW_PASSPHRASE"] = BENCH_PASSPHRASE
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    cmd = [str(AFTERGLOW), "serve", "--no-browser", "--port", str(port)]
    server = subprocess.Popen(cmd, env=clean_env(env), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    path = SERVED / "cli" / "afterglow.sock"
    for _ in range(600):
        with socket.socket(socket.AF_UNIX) as probe:
            try:
                probe.connect(str(path))
                return server
            except OSError:
                time.sleep(0.1)
    server.kill()
    sys.exit("bench_cli: the server never opened its CLI socket")


def tasks(word: str) -> dict[str, tuple[list[str], list[str]]]:
    """(afterglow arguments, jrnl arguments); {n} becomes the run number."""
    text = "Benchmark note {n}: a calm walk by the water after the session, breathing slowly."
    return {
        "write": (["write", text], [text]),
        "list -n 5": (["list", "-n", "5"], ["-n", "5"]),
        f"search {word}": (["search", word], ["-contains", word, "-n", "20"]),
    }


Contender = tuple[list[str], dict[str, str]]


def measure(contenders: dict[str, Contender], task: tuple[list[str], list[str]], repeat: int) -> dict[str, Any]:
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    cpu: dict[str, list[float]] = {name: [] for name in contenders}
    rss: dict[str, int] = dict.fromkeys(contenders, 0)
    errors: dict[str, str] = {}
    loads = [os.getloadavg()[0]]
    for n in range(repeat + 1):  # run 0 warms the page cache and is not counted
        for name, (prefix, env) in contenders.items():
            args = task[1] if name.startswith("jrnl") else task[0]
            run = run_once([*prefix, *(a.replace("{n}", str(n)) for a in args)], env)
            if run.returncode != 0:
                errors[name] = (run.stderr.decode(errors="replace").strip().splitlines() or ["?"])[-1]
            elif n:
                samples[name].append(run.seconds)
                cpu[name].append(run.cpu_seconds)
                rss[name] = max(rss[name], run.max_rss_kb)
    loads.append(os.getloadavg()[0])
    out: dict[str, Any] = {"load_average": loads, "errors": errors}
    for name, values in samples.items():
        if values:
            out[name] = summary(values) | {"cpu_median": summary(cpu[name])["median"], "peak_rss_mib": rss[name] / 1024}
    return out


def main(argv: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--word", default="lighthouse")
    parser.add_argument("--base", metavar="REF", help="also run the cold path of this commit (e.g. main)")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {"jrnl_version": ensure_jrnl(), "entries": ENTRIES, "repeat": args.repeat, "tasks": {}}
    results["base"] = args.base
    prepare()
    server = start_server()
    try:
        before = afterglow_setup(COLD, passphrase=True)
        contenders = {
            "afterglow before": ([str(PYTHON), str(before_entry_point())], before[1]),
            "afterglow cold": afterglow_setup(COLD, passphrase=True),
            **({f"cold {args.base}": _at(args.base, afterglow_setup(COLD, passphrase=True))} if args.base else {}),
            "afterglow thin": afterglow_setup(SERVED, passphrase=False),
            "jrnl plain": jrnl_setup("plain", PLAIN, encrypted=False),
            "jrnl encrypted": jrnl_setup("encrypted", ENCRYPTED, encrypted=True),
        }
        for label, task in tasks(args.word).items():
            print(f"  {label} …", file=sys.stderr, flush=True)
            results["tasks"][label] = measure(contenders, task, args.repeat)
    finally:
        server.terminate()
        server.wait(10)
    print_results(results)
    save_results("cli", results)
    return results


def _at(ref: str, contender: Contender) -> Contender:
    """The same command on `ref`'s code: its tree first on the path, ahead of the editable install."""
    prefix, env = contender
    return prefix, {**env, "PYTHONPATH": str(base_tree(ref))}


def print_results(results: dict[str, Any]) -> None:
    print(f"\nCLI at {results['entries']:,} entries, {results['repeat']} runs each, alternated ({results['jrnl_version']})")
    base = [f"cold {results['base']}"] if results.get("base") else []
    names = ["afterglow before", *base, "afterglow cold", "afterglow thin", "jrnl plain", "jrnl encrypted"]
    print("  wall median / p95 (CPU median)")
    print(f"  {'task':18}" + "".join(f"{name:>31}" for name in names) + "   load before→after")
    for label, r in results["tasks"].items():
        cells = [_cell(r[n]) if n in r else r["errors"].get(n, "—")[:29] for n in names]
        print(f"  {label:18}" + "".join(f"{c:>31}" for c in cells) + f"   {r['load_average'][0]:.2f}→{r['load_average'][1]:.2f}")
    rss = {n: max((r[n]["peak_rss_mib"] for r in results["tasks"].values() if n in r), default=0.0) for n in names}
    print("  peak RSS (MiB): " + ", ".join(f"{n} {v:.1f}" for n, v in rss.items()))
    for label, r in results["tasks"].items():
        for name, error in r["errors"].items():
            print(f"  error: {label} / {name}: {error}")


def _cell(r: dict[str, float]) -> str:
    return f"{r['median'] * 1000:,.0f} / {r['p95'] * 1000:,.0f} ms ({r['cpu_median'] * 1000:,.0f})"


if __name__ == "__main__":
    main(sys.argv[1:])
