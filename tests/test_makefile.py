"""`make demo` (and install, lab, app) change nothing outside the project: no system package, only .venv.
Checked on the Makefile's dependency graph: `make -n -B` prints every recipe a target would run, dependencies included."""
import subprocess
import pytest
from conftest import ROOT

SYSTEM = ("apt-get", "apt ", "dpkg ", "yum ", "dnf ", "brew ", "sudo ")

def dry_run(target: str) -> str:
    r = subprocess.run(["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout

@pytest.mark.parametrize("target", ["demo", "install", "lab", "app"])
def test_user_targets_touch_only_the_venv(target):
    out = dry_run(target)
    assert "pip install" in out                              # it does install faceswaplite ...
    assert not [w for w in SYSTEM if w in out], out          # ... but no system package

def test_test_target_installs_the_browser():
    out = dry_run("test")
    assert "apt-get install -y -q chromium" in out and "pytest" in out
