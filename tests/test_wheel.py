"""The built wheel is the product: it must hold every module and every package file the library reads at run time."""
import subprocess, sys, zipfile
from pathlib import Path
import pytest
from conftest import ROOT

def _tracked_package_files():
    out = subprocess.run(["git", "ls-files", "faceswaplite"], cwd=ROOT, capture_output=True, text=True)
    files = [l for l in out.stdout.splitlines() if l and "__pycache__" not in l]
    if out.returncode or not files:  # not a git checkout: every file on disk
        files = [str(p.relative_to(ROOT)) for p in (ROOT / "faceswaplite").rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return sorted(files)

@pytest.fixture(scope="module")
def wheel(built_wheel): return built_wheel

def test_wheel_holds_every_package_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = _tracked_package_files()
    assert any(f.endswith("core.py") for f in wanted)
    missing = [f for f in wanted if f not in names]
    assert not missing, f"missing from the wheel: {missing}"

def test_wheel_declares_console_script(wheel):
    z = zipfile.ZipFile(wheel)
    ep = next(n for n in z.namelist() if n.endswith("entry_points.txt"))
    assert "faceswaplite = faceswaplite.cli:main" in z.read(ep).decode()
