"""The console script, run as a user runs it: a subprocess."""
import json
from pathlib import Path
import numpy as np
from PIL import Image

def test_help_lists_commands(cli):
    r = cli("--help")
    assert r.returncode == 0
    for c in ("demo", "detect", "embed", "swap", "video", "verify"): assert c in r.stdout

def test_demo_writes_results(cli, tmp_path):
    r = cli("demo", "-o", tmp_path / "out", "--frames", "8")
    assert r.returncode == 0, r.stderr
    paths = [Path(l) for l in r.stdout.strip().splitlines()]
    assert sorted(p.name for p in paths) == ["classical_swaps.png", "sample_faces.png", "swapped_video.mp4", "synthfaces_swaps.png"]
    for p in paths: assert p.exists() and p.parent == (tmp_path / "out").resolve()
    im = np.asarray(Image.open(paths[0]))
    assert im.shape[0] > 200 and im.shape[1] > 600 and im.std() > 20  # a real picture, not a blank canvas
    for p in paths[1:]: assert json.loads(cli("verify", p, "--json").stdout)["synthetic"]  # every swap is marked

def test_no_command_is_an_error(cli):
    assert cli().returncode == 2
