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
