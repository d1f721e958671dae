import os, shutil, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

@pytest.fixture(scope="session")
def cli():
    "Run the installed `faceswaplite` console script; returns CompletedProcess."
    exe = shutil.which("faceswaplite", path=str(BIN)) or str(BIN / "faceswaplite")
    def run(*args, timeout=600):
        return subprocess.run([exe, *map(str, args)], capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL, env={**os.environ, "MPLBACKEND": "Agg"})
    return run

def snapshot(folder):
    "{name: bytes} of every file in `folder` (to prove inputs are untouched)."
    return {p.name: p.read_bytes() for p in Path(folder).iterdir() if p.is_file()}

def clean_copy(dest: Path) -> Path:
    "Copy the checkout as a fresh clone plus uncommitted work would have it (tracked and untracked-not-ignored files)."
    import shutil
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True)
    files = [f for f in out.stdout.decode().split("\0") if f and (ROOT / f).is_file()]
    if out.returncode or not files:   # not a git checkout: everything but build litter
        shutil.copytree(ROOT, dest, ignore=shutil.ignore_patterns(".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", "demo_out"))
        return dest
    for f in files:
        (dest / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / f, dest / f)
    return dest

@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory):
    "The package's wheel, built once per test session from a clean copy of the checkout (the checkout gets no litter)."
    d = tmp_path_factory.mktemp("wheel")
    src = clean_copy(d / "src")
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--no-build-isolation", "-q", "-w", str(d / "dist")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    (whl,) = (d / "dist").glob("faceswaplite-*.whl")
    return whl
