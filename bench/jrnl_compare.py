"""Afterglow and jrnl 4.x side by side on the same entries, as whole processes.

    .venv/bin/python bench/jrnl_compare.py --sizes 1k,100k --repeat 10

For each journal size (made by generate.py: bench/out/j<size>/ and its jrnl
twin bench/out/j<size>.txt) it times, interleaved run by run so drift hits
both alike: writing an entry, listing the last five, and searching a word;
then in-process search latency (search_latency.py) and each CLI's peak RSS.
jrnl is installed into its own venv under bench/out/ on first use.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    AFTERGLOW,
    BENCH,
    OUT,
    PYTHON,
    SIZES,
    afterglow_env,
    home_for,
    jrnl_file_for,
    ms,
    run_once,
    save_results,
    summary,
)

JRNL_VENV = OUT / "jrnl-venv"
JRNL = JRNL_VENV / "bin" / "jrnl"
JRNL_SPEC = "jrnl>=4,<5"
# A place that turns up in a few percent of entries: a typical thing to look for.
DEFAULT_WORD = "lighthouse"
JRNL_CONFIG = """\
colors: {{body: none, date: none, tags: none, title: none}}
default_hour: 9
default_minute: 0
editor: ''
encrypt: false
highlight: false
indent_character: '|'
journals:
  default:
    journal: {journal}
linewrap: 79
tagsymbols: '#@'
template: false
timeformat: '%Y-%m-%d %H:%M'
version: v4.6
"""


def ensure_jrnl() -> str:
    if not JRNL.exists():
        print(f"installing {JRNL_SPEC} into {JRNL_VENV} …", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(JRNL_VENV)], check=True)
        pip = [str(JRNL_VENV / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check", JRNL_SPEC]
        subprocess.run(pip, check=True)
    version = subprocess.run([str(JRNL), "--version"], capture_output=True, text=True, check=True).stdout
    return version.splitlines()[0].strip()


def jrnl_env(size: str) -> tuple[dict[str, str], Path]:
    """A config of its own per journal, and XDG dirs under bench/out so a real jrnl setup is never touched."""
    config = OUT / f"jrnl-{size}.yaml"
    config.write_text(JRNL_CONFIG.format(journal=jrnl_file_for(size)))
    xdg = OUT / "xdg"
    xdg.mkdir(parents=True, exist_ok=True)
    env = afterglow_env(home_for(size))
    env.update(XDG_CONFIG_HOME=str(xdg), XDG_DATA_HOME=str(xdg), NO_COLOR="1", COLUMNS="100")
    return env, config


def jrnl_count(env: dict[str, str], config: Path) -> int:
    """How many entries jrnl parses from its file (it says so on stderr)."""
    run = run_once([str(JRNL), "--config-file", str(config), "--short"], env)
    found = re.search(rb"(\d+) entr(?:y|ies) found", run.stderr)
    return int(found.group(1)) if found else -1


def commands(size: str, word: str, config: Path) -> dict[str, tuple[list[str], list[str]]]:
    """Each task as (afterglow command, jrnl command); {n} in a write is replaced by the run number."""
    ag, jr = [str(AFTERGLOW)], [str(JRNL), "--config-file", str(config)]
    text = "Benchmark note {n}: a calm walk by the water after the session, breathing slowly."
    return {
        "write": ([*ag, "write", text], [*jr, text]),
        "list -n 5": ([*ag, "list", "-n", "5"], [*jr, "-n", "5"]),
        f"search {word}": ([*ag, "search", word], [*jr, "-contains", word]),
        # jrnl prints every match; with -n 20 it prints as many as afterglow's default limit.
        f"search {word} (jrnl -n 20)": ([*ag, "search", word], [*jr, "-contains", word, "-n", "20"]),
    }


def time_pair(task: tuple[list[str], list[str]], envs: tuple[dict[str, str], dict[str, str]], repeat: int) -> dict[str, Any]:
    result: dict[str, Any] = {}
    samples: dict[str, list[float]] = {"afterglow": [], "jrnl": []}
    rss: dict[str, int] = {"afterglow": 0, "jrnl": 0}
    for n in range(repeat + 1):  # run 0 warms the page cache and is not counted
        for name, cmd, env in (("afterglow", task[0], envs[0]), ("jrnl", task[1], envs[1])):
            run = run_once([arg.replace("{n}", str(n)) for arg in cmd], env, stdin=b"")
            if run.returncode != 0:
                line = (run.stderr.decode(errors="replace").strip().splitlines() or ["(no message)"])[-1]
                result[f"{name}_error"] = f"exit {run.returncode}: {line}"
                return result
            if n:
                samples[name].append(run.seconds)
                rss[name] = max(rss[name], run.max_rss_kb)
    for name in samples:
        result[name] = summary(samples[name]) | {"peak_rss_mb": rss[name] / 1024}
    result["speedup"] = result["jrnl"]["median"] / result["afterglow"]["median"]
    return result


def in_process_search(size: str, env: dict[str, str]) -> dict[str, Any]:
    cmd = [str(PYTHON), str(BENCH / "search_latency.py"), "--home", str(home_for(size))]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(done.stdout)


def compare_size(size: str, word: str, repeat: int) -> dict[str, Any]:
    jenv, config = jrnl_env(size)
    aenv = afterglow_env(home_for(size))
    out: dict[str, Any] = {"entries": SIZES[size], "jrnl_entries_parsed": jrnl_count(jenv, config), "tasks": {}}
    out["load_average_before"] = os.getloadavg()[0]
    for label, task in commands(size, word, config).items():
        print(f"  [{size}] {label} …", file=sys.stderr, flush=True)
        out["tasks"][label] = time_pair(task, (aenv, jenv), repeat)
    print(f"  [{size}] in-process search …", file=sys.stderr, flush=True)
    out["in_process_search"] = in_process_search(size, aenv)
    return out


def list_scaling(small: str, big: str, repeat: int) -> dict[str, Any]:
    """`afterglow list -n 5` on two journal sizes, alternating run by run so machine load hits both alike."""
    cmd = [str(AFTERGLOW), "list", "-n", "5"]
    samples: dict[str, list[float]] = {small: [], big: []}
    for n in range(repeat + 1):
        for size in (small, big):
            run = run_once(cmd, afterglow_env(home_for(size)), stdin=b"")
            if run.returncode != 0:
                return {"error": run.stderr.decode(errors="replace").strip()}
            if n:
                samples[size].append(run.seconds)
    result = {size: summary(times) for size, times in samples.items()}
    return result | {"ratio": result[big]["median"] / result[small]["median"], "small": small, "big": big}


def print_size(size: str, data: dict[str, Any]) -> None:
    print(f"\n{size} entries (jrnl parsed {data['jrnl_entries_parsed']:,})")
    print(f"  {'task':34} {'afterglow median / p95':>26} {'jrnl median / p95':>26} {'jrnl/afterglow':>15}")
    for label, r in data["tasks"].items():
        if "afterglow" not in r:
            print(f"  {label:34} {r.get('afterglow_error') or r.get('jrnl_error')}")
            continue
        a, j = r["afterglow"], r["jrnl"]
        print(
            f"  {label:34} {ms(a['median']):>12} / {ms(a['p95']):>11} {ms(j['median']):>12} / {ms(j['p95']):>11}"
            f" {r['speedup']:>14.1f}×"
        )
    rss = {k: max((r[k]["peak_rss_mb"] for r in data["tasks"].values() if k in r), default=0) for k in ("afterglow", "jrnl")}
    print(f"  peak RSS: afterglow {rss['afterglow']:.1f} MB, jrnl {rss['jrnl']:.1f} MB")
    s = data["in_process_search"]
    if "error" in s:
        print(f"  in-process search: {s['error']}")
    else:
        print(f"  in-process search ({s['queries']} queries): median {ms(s['median'])}, p95 {ms(s['p95'])}, max {ms(s['max'])}")


def main(argv: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1k,100k", help="comma-separated, from " + ",".join(SIZES))
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--word", default=DEFAULT_WORD)
    args = parser.parse_args(argv)
    results: dict[str, Any] = {"jrnl_version": ensure_jrnl(), "word": args.word, "repeat": args.repeat, "sizes": {}}
    sizes = args.sizes.split(",")
    for size in sizes:
        if not (home_for(size) / "journal.db").exists() or not jrnl_file_for(size).exists():
            sys.exit(f"jrnl_compare: no {size} journal yet; run bench/run.py (or generate.py) first")
        results["sizes"][size] = compare_size(size, args.word, args.repeat)
        print_size(size, results["sizes"][size])
    if "1k" in sizes and "100k" in sizes:
        print("  list -n 5 at 1k and 100k, alternating …", file=sys.stderr, flush=True)
        scaling = results["list_scaling"] = list_scaling("1k", "100k", 2 * args.repeat)
        if "error" not in scaling:
            print(
                f"\nafterglow list -n 5, alternating: 1k median {ms(scaling['1k']['median'])}, "
                f"100k median {ms(scaling['100k']['median'])}, ratio {scaling['ratio']:.2f}×"
            )
    save_results("jrnl_compare", results)
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
