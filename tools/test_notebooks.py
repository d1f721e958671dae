"""Run every notebook's tests with nbdev_test (2 workers) and print `notebooks: N passed, N failed`."""
import re, subprocess, sys, time
from pathlib import Path

root = Path(__file__).resolve().parent.parent
nbs = sorted(p.name for p in (root / "nbs").glob("*.ipynb") if not p.name.startswith(("_", ".")))
flags = sys.argv[1:]  # e.g. --flags slow
t0 = time.time()
r = subprocess.run([str(Path(sys.executable).parent / "nbdev_test"), "--n_workers", "2", "--timing", *flags],
                   cwd=root, capture_output=True, text=True)
sys.stdout.write(r.stdout); sys.stderr.write(r.stderr)
failed = set()
if r.returncode:
    tail = r.stderr.split("Following Notebooks:")[-1]
    failed = {n for n in nbs if re.search(rf"\b{re.escape(n)}\b", tail)} or set(nbs)
print(f"notebooks: {len(nbs) - len(failed)} passed, {len(failed)} failed  ({time.time() - t0:.0f} s)")
sys.exit(1 if failed or r.returncode else 0)
