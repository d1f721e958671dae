"""Run tests/ as two pytest processes side by side (one per core) and end with one pytest-style summary line over both.

Most tests wait on one thread (a subprocess, a venv install, a browser, one torch thread), so two at a time use the
machine's two cores. Test files go to the two halves by the seconds they took in a measured run (`SECONDS`; a file not
listed counts `DEFAULT` s), longest first, each to the half with less work so far. Files that share a session fixture
(the built wheel) stay together, so it is built once. `--serial` runs one plain pytest instead."""
import os, re, subprocess, sys, tempfile, time
from pathlib import Path

root = Path(__file__).resolve().parent.parent
SECONDS = {   # from `--durations` of a full run as two halves on a 2-core machine, rounded up
    "test_clean_venv.py": 430, "test_realfaces.py": 360, "test_cli_export.py": 120, "test_widgets_browser.py": 110,
    "test_cli_train.py": 60, "test_train_multiprocess.py": 50, "test_cli_identity.py": 45, "test_cli.py": 45,
    "test_cli_swap.py": 45, "test_photo.py": 40, "test_cli_evaluate.py": 45, "test_experiments.py": 60,
}
DEFAULT = 15
TOGETHER = ("test_clean_venv.py", "test_wheel.py", "test_layout.py")   # they share the session-scoped built wheel
ARGS = ["-q", "-p", "no:cacheprovider", "--durations=10"]
# one compute thread per process (torch, OpenMP, BLAS; inherited by the subprocesses tests start): two halves with two
# threads each would fight over two cores
ENV = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}

def halves(files: list) -> list:
    units = [[f for f in files if f.name in TOGETHER]] + [[f] for f in files if f.name not in TOGETHER]
    units = sorted((u for u in units if u), key=lambda u: -sum(SECONDS.get(f.name, DEFAULT) for f in u))
    out, load = [[], []], [0, 0]
    for u in units:
        k = load.index(min(load)); out[k] += u; load[k] += sum(SECONDS.get(f.name, DEFAULT) for f in u)
    return out

def counts(text: str) -> dict:
    "Outcome counts from pytest's last summary line."
    last = [l for l in text.strip().splitlines() if re.search(r"\d+ (passed|failed|error|skipped)", l)]
    return {k.rstrip("s") if k in ("errors", "warnings") else k: int(n) for n, k in re.findall(r"(\d+) (\w+)", last[-1])} if last else {}

def main(argv) -> int:
    files = sorted((root / "tests").glob("test_*.py"))
    if "--serial" in argv: return subprocess.call([sys.executable, "-m", "pytest", "tests/", *ARGS], cwd=root)
    t0, groups = time.time(), [g for g in halves(files) if g]
    tmp = Path(tempfile.mkdtemp(prefix="fsl-pytest-"))      # outside the checkout: tests check that it stays clean
    logs = [tmp / f"half{k}.log" for k in range(len(groups))]
    procs = [subprocess.Popen([sys.executable, "-m", "pytest", *map(str, g), *ARGS], cwd=root, stdout=open(l, "w"),
                              stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=ENV) for g, l in zip(groups, logs)]
    rcs = [p.wait() for p in procs]
    total = {}
    for k, (g, l, rc) in enumerate(zip(groups, logs, rcs)):
        text = l.read_text(); l.unlink()
        print(f"---- half {k + 1} of {len(groups)} ({len(g)} files: {' '.join(f.name for f in g)}), exit {rc}")
        print(text.rstrip())
        c = counts(text)
        if not c and rc: c = {"error": 1}       # pytest died before its summary
        for key, n in c.items(): total[key] = total.get(key, 0) + n
    order = ["failed", "passed", "skipped", "deselected", "xfailed", "xpassed", "warning", "error"]
    parts = [f"{total[k]} {k + ('s' if k in ('warning', 'error') and total[k] != 1 else '')}" for k in order if total.get(k)]
    print(f"{'=' * 20} {', '.join(parts) or 'no tests ran'} in {time.time() - t0:.2f}s (2 pytest processes) {'=' * 20}")
    tmp.rmdir()
    return max(rcs)

if __name__ == "__main__": sys.exit(main(sys.argv[1:]))
