"""Run every notebook's tests with nbdev_test (2 workers) and print `notebooks: N passed, N failed`."""
import re, subprocess, sys, time
from pathlib import Path

root = Path(__file__).resolve().parent.parent
nbs = sorted(p.name for p in (root / "nbs").glob("*.ipynb") if not p.name.startswith(("_", ".")))
args = sys.argv[1:]
times_file = None
if "--times" in args:   # --times FILE: also write each notebook's seconds there (nbs/notebook_times.json feeds the README's reading guide)
    i = args.index("--times"); times_file = args[i + 1]; del args[i:i + 2]
flags = args  # e.g. --flags slow
t0 = time.time()
r = subprocess.run([str(Path(sys.executable).parent / "nbdev_test"), "--n_workers", "2", "--timing", *flags],
                   cwd=root, capture_output=True, text=True)
sys.stdout.write(r.stdout); sys.stderr.write(r.stderr)
failed = set()
if r.returncode:
    tail = r.stderr.split("Following Notebooks:")[-1]
    failed = {n for n in nbs if re.search(rf"\b{re.escape(n)}\b", tail)} or set(nbs)
if times_file and not failed:
    import json
    secs = {m.group(1): int(m.group(2)) for m in re.finditer(r"^(\S+)\.ipynb: (\d+) secs$", r.stdout, re.M)}
    Path(times_file).write_text(json.dumps(dict(how="nbdev_test --n_workers 2 --timing (the notebook phase of `make test`), two notebooks at a time "
                                                    "on a 2-core machine, slow cells skipped", date=time.strftime("%Y-%m-%d"),
                                                seconds=dict(sorted(secs.items()))), indent=1) + "\n")
print(f"notebooks: {len(nbs) - len(failed)} passed, {len(failed)} failed  ({time.time() - t0:.0f} s)")
sys.exit(1 if failed or r.returncode else 0)
