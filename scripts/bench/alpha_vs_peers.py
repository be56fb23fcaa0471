"""Side-by-side timing of the 101 formulaic alphas (Kakushadze 2016) on ONE seeded synthetic panel:
af-alpha through the CLI (`alphafactory alpha eval --library alpha101`), KunQuant 0.1.12's
predefined Alpha101 (82 alphas, JIT-compiled C++), and the pandas reference
(scripts/fixtures/alpha101_reference.py), with ratios peer / ours.

Run:
  CARGO_TARGET_DIR=/root/.cache/af-target-cli cargo build --release -p alphafactory
  .venv/bin/python scripts/bench/alpha_vs_peers.py --assets 500 --dates 2520 [--threads 2]
      [--repeat 3] [--peers ours,kunquant,pandas] [--only 1,2,3] [--bin PATH] [--json FILE]
  .venv/bin/python scripts/bench/alpha_vs_peers.py --assets 4000 --dates 261

The panel (`alpha101_reference.make_panel`, seed 42, no holes) is written once as a long Parquet
file (exact float64) that the CLI reads; KunQuant and pandas get the same numbers as
(dates x assets) arrays. On a shared, loaded machine wall times swell with the load, so every
tool is timed in CPU seconds (the work it does) as well as wall seconds:
- ours: the CLI's own `evaluate` wall time (parse + check + evaluate, printed on stderr), and its
  CPU time = the command's CPU (/proc/PID/stat, all threads) when the first byte of its output
  arrives, minus the same for a baseline command that reads the panel and evaluates nothing
  (`--expr close` x 101): the CPU of parsing, checking and evaluating. (The CLI writes its long
  CSV into a named pipe drained here, so no disk is needed; that write is not timed.)
  RAYON_NUM_THREADS = --threads. Also on KunQuant's 82 alphas only. Best of --repeat.
- KunQuant: `runGraph` on the compiled module (float64, its default streaming window statistics;
  the compile, ~30-60 s, is reported apart), best of --repeat, with 1 and --threads threads;
  CPU = process CPU time around the call.
- pandas: the reference interpreter, one run (it takes minutes), single-threaded; CPU = process
  CPU time.
polars_ta 0.5.18 and py-alpha-lib 0.3.1 are not timed: neither wheel ships the 101 alphas
(only operators), and py-alpha-lib 0.3.1 does not import on Python 3.11.
"""
import argparse
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

HERE = pathlib.Path(__file__).resolve()
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT / "scripts/fixtures"))
import alpha101_peers as peers  # noqa: E402
import alpha101_reference as ref  # noqa: E402

DEFAULT_BIN = pathlib.Path("/root/.cache/af-target-cli/release/alphafactory")


def proc_cpu(pid):
    """CPU seconds (user + system, all threads) used so far by a running process."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_ours(binary, panel_path, only, threads, tmp, exprs=None):
    """One CLI run: dict of evaluate (wall s), read (wall s), wall, cpu (whole command), cpu_first
    (CPU when the first output byte arrives = read + parse + evaluate) and rows written."""
    fifo = pathlib.Path(tmp) / "alphas.csv"
    if not fifo.exists():
        os.mkfifo(fifo)
    cmd = [str(binary), "alpha", "eval", "--panel", str(panel_path), "--out", str(fifo)]
    if exprs:
        for e in exprs:
            cmd += ["--expr", e]
    else:
        cmd += ["--library", "alpha101"]
        if only:
            cmd += ["--only", ",".join(str(n) for n in only)]
    env = dict(os.environ, RAYON_NUM_THREADS=str(threads))
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env=env)
    with open(fifo, "rb") as pipe:  # opens when the CLI opens its output, after evaluating
        first = pipe.read(1)
        cpu_first = proc_cpu(proc.pid) if first else float("nan")
        while pipe.read(1 << 20):
            pass
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    err = proc.stderr.read()
    if status != 0:
        sys.exit(f"alphafactory failed: {err}")
    m = re.search(r"read ([0-9.]+)s, evaluate ([0-9.]+)s; wrote (\d+) rows", err)
    return {"evaluate": float(m.group(2)), "read": float(m.group(1)), "wall": wall,
            "cpu": usage.ru_utime + usage.ru_stime, "cpu_first": cpu_first,
            "rows": int(m.group(3))}


def ours_timed(args, panel_path, only, tmp, baseline):
    """Best of --repeat runs. cpu_eval = CPU up to the first output byte minus the baseline's
    (reading the panel the same way): the CPU of parsing, checking and evaluating. cpu_rows =
    whole-command CPU minus the baseline's scaled to the rows written (a cross-check)."""
    runs = [run_ours(args.bin, panel_path, only, args.threads, tmp) for _ in range(args.repeat)]
    for r in runs:
        r["cpu_eval"] = r["cpu_first"] - baseline["cpu_first"]
        r["cpu_rows"] = r["cpu"] - baseline["cpu"] * r["rows"] / baseline["rows"]
    return min(runs, key=lambda r: r["cpu_eval"]), runs


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--assets", type=int, default=500)
    ap.add_argument("--dates", type=int, default=2520)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--peers", default="ours,kunquant,pandas")
    ap.add_argument("--only", default="", help="alpha numbers (ours and pandas), e.g. 1,2,3")
    ap.add_argument("--bin", default=str(DEFAULT_BIN))
    ap.add_argument("--json", default="", help="also write the results here")
    args = ap.parse_args()
    which = set(args.peers.split(","))
    only = [int(x) for x in args.only.split(",") if x]
    shape = f"{args.assets} assets x {args.dates} dates"
    res = {"assets": args.assets, "dates": args.dates, "seed": args.seed, "threads": args.threads,
           "versions": {"numpy": np.__version__, "pandas": pd.__version__}}

    t = time.perf_counter()
    long = ref.make_panel(args.dates, args.assets, seed=args.seed, holes=False)
    print(f"panel {shape}, seed {args.seed}: built in {time.perf_counter() - t:.1f} s", flush=True)
    tmp = tempfile.mkdtemp(prefix="alpha_vs_peers_")
    panel_path = pathlib.Path(tmp) / "panel.parquet"
    long.to_parquet(panel_path, index=False)
    wide = {f: np.ascontiguousarray(long.pivot(index="date", columns="asset", values=f)
                                    .to_numpy(np.float64)) for f in peers.FIELDS}

    kq_names = None
    if "kunquant" in which or "ours" in which:
        from KunQuant.predefined.Alpha101 import all_alpha
        kq_names = [int(f.__name__[5:]) for f in all_alpha]

    if "ours" in which:
        base_runs = [run_ours(args.bin, panel_path, [], args.threads, tmp,
                              exprs=["close"] * (len(only) or 101)) for _ in range(args.repeat)]
        base = min(base_runs, key=lambda r: r["cpu_first"])
        res["ours_write_baseline"] = base
        print(f"ours, baseline (read the panel, write {base['rows']} rows of `close`): cpu to "
              f"first byte {base['cpu_first']:.2f} s, whole {base['cpu']:.1f} s, wall "
              f"{base['wall']:.1f} s", flush=True)
        b, runs = ours_timed(args, panel_path, only, tmp, base)
        res["ours"] = dict(b, alphas=len(only) or 101, runs=runs)
        print(f"ours (alphafactory, {args.threads} threads): {len(only) or 101} alphas: cpu "
              f"{b['cpu_eval']:.2f} s (by rows {b['cpu_rows']:.2f} s), evaluate wall {b['evaluate']:.2f} s (read {b['read']:.2f} s; "
              f"command wall incl. writing {b['rows']} rows {b['wall']:.1f} s)", flush=True)
        if not only:
            b82, runs = ours_timed(args, panel_path, kq_names, tmp, base)
            res["ours_kunquant_set"] = dict(b82, alphas=len(kq_names), runs=runs)
            print(f"ours on KunQuant's {len(kq_names)} alphas: cpu {b82['cpu_eval']:.2f} s, "
                  f"evaluate wall {b82['evaluate']:.2f} s", flush=True)

    if "kunquant" in which:
        t = time.perf_counter()
        _lib, module = peers.kunquant_module(dtype="double", fast_stat=True)
        compile_s = time.perf_counter() - t
        res["kunquant"] = {"version": peers.kunquant_version(), "alphas": len(kq_names),
                           "compile_s": compile_s}
        for th in sorted({1, args.threads}):
            runs = []
            for _ in range(args.repeat):
                t, c = time.perf_counter(), time.process_time()
                out = peers.run_kunquant(module, wide, threads=th)
                runs.append((time.process_time() - c, time.perf_counter() - t))
                del out
            cpu, wall = min(runs)
            res["kunquant"][f"{th}t"] = {"cpu_s": cpu, "wall_s": wall}
            print(f"KunQuant {peers.kunquant_version()} ({th} thread{'s' if th > 1 else ''}): "
                  f"{len(kq_names)} alphas: cpu {cpu:.2f} s, wall {wall:.2f} s "
                  f"(compile {compile_s:.0f} s apart)", flush=True)

    if "pandas" in which:
        t = time.perf_counter()
        ctx = ref.Ctx(long)
        prep = time.perf_counter() - t
        texts = ref.formulas()
        cpu = wall = 0.0
        for n in only or range(1, 102):
            t, c = time.perf_counter(), time.process_time()
            ref.evaluate(ctx, texts[n - 1])
            cpu += time.process_time() - c
            wall += time.perf_counter() - t
        res["pandas"] = {"alphas": len(only) or 101, "cpu_s": cpu, "wall_s": wall, "pivot_s": prep}
        print(f"pandas reference (pandas {pd.__version__}): {len(only) or 101} alphas: cpu "
              f"{cpu:.1f} s, wall {wall:.1f} s (+ {prep:.1f} s pivoting)", flush=True)

    print(f"\nratios on {shape}, CPU (wall) seconds, peer / ours; > 1 means ours is faster:")
    if "ours" in res:
        o = res["ours"]
        if "pandas" in res:
            p = res["pandas"]
            print(f"  pandas reference, {p['alphas']} alphas: {p['cpu_s'] / o['cpu_eval']:.0f}x "
                  f"({p['wall_s'] / o['evaluate']:.0f}x)")
        if "kunquant" in res and "ours_kunquant_set" in res:
            o82 = res["ours_kunquant_set"]
            for th in sorted({1, args.threads}):
                k = res["kunquant"][f"{th}t"]
                print(f"  KunQuant {th}t, its 82 alphas vs ours on the same 82: "
                      f"{k['cpu_s'] / o82['cpu_eval']:.2f}x ({k['wall_s'] / o82['evaluate']:.2f}x)")
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(res, indent=2))
    panel_path.unlink()


if __name__ == "__main__":
    main()
