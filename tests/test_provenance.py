"""Provenance as a user meets it: `faceswaplite verify` on marked, re-encoded and unmarked files."""
import json
import numpy as np
from PIL import Image
from faceswaplite.core import sample_image, save_image
from faceswaplite.provenance import save_marked

def test_verify_cli_marked_jpeg_and_original(cli, tmp_path):
    img = sample_image("astronaut")
    marked = save_marked(img, tmp_path / "swap.png", model="test")
    orig = save_image(img, tmp_path / "orig.png")
    q75 = tmp_path / "swap_q75.jpg"; Image.open(marked).convert("RGB").save(q75, quality=75)  # strips the PNG tag
    res = {p.name: json.loads(cli("verify", p, "--json").stdout) for p in (marked, orig, q75)}
    assert res["swap.png"]["watermark"] and res["swap.png"]["tag"]
    assert res["swap_q75.jpg"]["watermark"] and not res["swap_q75.jpg"]["tag"]
    assert not res["orig.png"]["watermark"] and not res["orig.png"]["synthetic"]

def test_verify_cli_bad_file(cli, tmp_path):
    p = tmp_path / "x.png"; p.write_bytes(b"nope")
    r = cli("verify", p)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "not an image" in r.stderr

def test_verify_exit_status(cli, tmp_path):
    "0: marked as synthetic, 1: no provenance found, 2: error; and --help says so."
    import numpy as np
    from faceswaplite.core import sample_image, save_image
    from faceswaplite.provenance import save_marked
    marked = save_marked(sample_image("grace_hopper"), tmp_path / "m.png", model="test")
    plain = save_image(sample_image("grace_hopper"), tmp_path / "p.png")
    assert cli("verify", marked).returncode == 0
    r = cli("verify", plain, "--json")
    assert r.returncode == 1 and json.loads(r.stdout)["synthetic"] is False
    assert cli("verify", tmp_path / "missing.png").returncode == 2
    assert "exit status 0: marked" in " ".join(cli("verify", "--help").stdout.split())
