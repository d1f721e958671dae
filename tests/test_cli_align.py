"""`faceswaplite detect`, run as a user runs it: a subprocess."""
import json
from faceswaplite.core import sample_path

def test_detect_json_t1(cli):
    r = cli("detect", sample_path("t1"), "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert (out["width"], out["height"]) == (1280, 886) and len(out["faces"]) == 6
    areas = [(f["box"][2] - f["box"][0]) * (f["box"][3] - f["box"][1]) for f in out["faces"]]
    assert areas == sorted(areas, reverse=True)                          # largest first
    for f in out["faces"]:
        x0, y0, x1, y1 = f["box"]
        assert len(f["kps"]) == 5 and f["score"] > 0.3
        assert all(x0 <= x <= x1 and y0 <= y <= y1 + 0.3 * (y1 - y0) for x, y in f["kps"])   # landmarks on the face
        assert f["kps"][0][0] < f["kps"][1][0]                          # image-left eye first

def test_detect_text_and_68(cli):
    r = cli("detect", sample_path("tom_hanks"), "--landmarks", "68")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert "1 face(s)" in lines[0] and lines[1].lstrip().startswith("#0 box") and len(lines) == 2

def test_detect_not_an_image(cli, tmp_path):
    bad = tmp_path / "notes.jpg"; bad.write_text("hello, I am text")
    r = cli("detect", bad, "--json")
    assert r.returncode == 2 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "not an image" in lines[0] and "notes.jpg" in lines[0]
    assert bad.read_text() == "hello, I am text"                        # input untouched

def test_detect_missing_scrfd_model(cli):
    r = cli("detect", sample_path("tom_hanks"), "--detector", "scrfd")
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "needs a model path" in r.stderr
