"""`faceswaplite embed`, run as a user runs it: a subprocess, checked against dlib's own descriptors."""
import json
import numpy as np
import pytest
from PIL import Image
from conftest import snapshot

@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    "One converted-weights cache for every subprocess of this module."
    return tmp_path_factory.mktemp("cache")

@pytest.fixture
def run(cli, cache, monkeypatch):
    monkeypatch.setenv("FACESWAPLITE_CACHE", str(cache))
    return cli

def test_embed_json_matches_dlib(run, tmp_path):
    import dlib
    from faceswaplite.core import sample_image
    from faceswaplite.identity import dlib_model_path
    img = sample_image("t1"); Image.fromarray(img).save(tmp_path / "t1.png")
    before = snapshot(tmp_path)
    r = run("embed", tmp_path / "t1.png", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["backend"] == "dlib" and out["dim"] == 128 and len(out["faces"]) == 6
    assert (out["metric"], out["threshold"]) == ("euclidean", 0.6)
    boxes = [f["box"] for f in out["faces"]]
    areas = [(b[2] - b[0]) * (b[3] - b[1]) for b in boxes]
    assert areas == sorted(areas, reverse=True)  # largest first
    det, sp = dlib.get_frontal_face_detector(), dlib.shape_predictor(str(dlib_model_path("shape_predictor_5_face_landmarks.dat")))
    rec = dlib.face_recognition_model_v1(str(dlib_model_path()))
    # the same 6 people dlib's own detector finds: each face's centre lies in exactly one of its boxes, one to one
    own = [(q.left(), q.top(), q.right() + 1, q.bottom() + 1) for q in det(img, 0)]
    inside = lambda b, o: o[0] <= (b[0] + b[2]) / 2 <= o[2] and o[1] <= (b[1] + b[3]) / 2 <= o[3]
    hits = [[j for j, o in enumerate(own) if inside(b, o)] for b in boxes]
    assert all(len(h) == 1 for h in hits) and sorted(h[0] for h in hits) == list(range(6)), hits
    best = [h[0] for h in hits]
    assert sum(tuple(b) == own[j] for b, j in zip(boxes, best)) >= 2  # found unrotated: dlib's very box
    # parity: dlib's own landmarks, chip and descriptor on the same box
    for face in out["faces"]:
        x0, y0, x1, y1 = (int(round(v)) for v in face["box"])
        rect = dlib.rectangle(x0, y0, x1 - 1, y1 - 1)
        ref = np.array(rec.compute_face_descriptor(dlib.get_face_chip(img, sp(img, rect), size=150, padding=0.25)))
        assert np.abs(np.array(face["embedding"]) - ref).max() < 1e-4      # dlib's raw descriptor, the vector its 0.6 rule is for
    assert snapshot(tmp_path) == before  # the input is untouched

def test_embed_text_one_line_per_face(run):
    from faceswaplite.core import sample_path
    r = run("embed", sample_path("grace_hopper"))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("face 0 box") and len(lines[0].split(":")[1].split()) == 128

def test_embed_arcface_onnx_standin(run, tmp_path):
    from faceswaplite.core import sample_path
    from faceswaplite.identity import make_standin_arcface
    make_standin_arcface(tmp_path / "w600k_standin.onnx")
    r = run("embed", sample_path("t1"), "--backend", "arcface-onnx", "--model", tmp_path / "w600k_standin.onnx", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["dim"] == 512 and len(out["faces"]) == 6 and out["metric"] == "cosine" and 0 < out["threshold"] < 1
    E = np.array([f["embedding"] for f in out["faces"]])
    assert np.allclose(np.linalg.norm(E, axis=1), 1, atol=1e-5) and np.abs(E[0] - E[1]).max() > 1e-3

@pytest.mark.parametrize("args,msg", [
    (("--backend", "nope"), "unknown identity encoder"),
    (("--backend", "arcface-onnx"), "needs path="),
    (("--backend", "arcface-onnx", "--model", "/no/such.onnx"), "not found"),
])
def test_embed_bad_backend(run, args, msg):
    from faceswaplite.core import sample_path
    r = run("embed", sample_path("grace_hopper"), *args)
    assert r.returncode == 2 and msg in r.stderr and r.stderr.count("\n") == 1, r.stderr

def test_embed_no_face_and_bad_image(run, tmp_path):
    Image.new("RGB", (80, 80), "gray").save(tmp_path / "blank.png")
    r = run("embed", tmp_path / "blank.png")
    assert r.returncode == 2 and "no face found" in r.stderr
    (tmp_path / "text.jpg").write_text("hello")
    r = run("embed", tmp_path / "text.jpg")
    assert r.returncode == 2 and "not an image" in r.stderr

def test_embed_numbers_are_the_swap_reports(run, tmp_path):
    "The distance computed from two `embed --json` outputs with dlib's rule is what `swap` reports and `compare` prints."
    from faceswaplite.core import sample_path
    a, b = sample_path("grace_hopper"), sample_path("tom_hanks")
    va, vb = (np.array(json.loads(run("embed", p, "--json").stdout)["faces"][0]["embedding"]) for p in (a, b))
    d = float(np.linalg.norm(va - vb))
    assert d > 0.6                                                    # two different people under dlib's own rule
    r = run("compare", a, b, "--json")
    assert r.returncode == 0, r.stderr
    c = json.loads(r.stdout)
    assert c["metric"] == "euclidean" and abs(c["distance"] - d) < 1e-3 and c["same_person"] is False and c["threshold"] == 0.6
    rep = json.loads(run("swap", a, b, "-o", tmp_path / "s.png", "--json").stdout)
    assert abs(rep["distance_before"][0] - d) < 1e-3                  # swap's "before": target face to source identity
    same = json.loads(run("compare", a, a, "--json").stdout)
    assert same["distance"] < 1e-4 and same["same_person"] is True
    assert "different people" in run("compare", a, b).stdout
    assert json.loads(run("compare", a, b, "--threshold", "0.8", "--json").stdout)["same_person"] is True

def test_compare_no_face(run, tmp_path):
    from faceswaplite.core import sample_path
    Image.new("RGB", (80, 80), "gray").save(tmp_path / "blank.png")
    r = run("compare", sample_path("grace_hopper"), tmp_path / "blank.png")
    assert r.returncode == 2 and "no face found" in r.stderr and r.stderr.count("\n") == 1
