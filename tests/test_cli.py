"""The console script, run as a user runs it: a subprocess."""
from pathlib import Path
import numpy as np
from PIL import Image

def test_help_lists_commands(cli):
    r = cli("--help")
    assert r.returncode == 0 and "demo" in r.stdout

def test_demo_writes_sheet(cli, tmp_path):
    r = cli("demo", "-o", tmp_path / "out")
    assert r.returncode == 0, r.stderr
    path = Path(r.stdout.strip().splitlines()[-1])
    assert path.exists() and path.parent == (tmp_path / "out").resolve()
    im = np.asarray(Image.open(path))
    assert im.shape[0] > 200 and im.shape[1] > 600 and im.std() > 20  # a real picture, not a blank canvas

def test_no_command_is_an_error(cli):
    assert cli().returncode == 2
