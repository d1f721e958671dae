"""`faceswaplite export` and `faceswaplite bench`, run as a user runs them: subprocesses."""
import json
import numpy as np
import pytest
import torch
from PIL import Image
from conftest import snapshot

@pytest.fixture(scope="module")
def cache(tmp_path_factory): return tmp_path_factory.mktemp("cache")

@pytest.fixture
def run(cli, cache, monkeypatch):
    monkeypatch.setenv("FACESWAPLITE_CACHE", str(cache))
    return cli

def test_export_idn_onnx_and_int8(run, tmp_path):
    from faceswaplite.core import sample_image
    from faceswaplite.export import get_model, source_identity, onnx_session
    import faceswaplite
    Image.fromarray(sample_image("grace_hopper")).save(tmp_path / "hopper.png")
    before = snapshot(tmp_path)
    r = run("export", "--source", tmp_path / "hopper.png", "--model", "idn", "-o", tmp_path / "out" / "hopper.onnx", "--int8", "--json")
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    f32, f8 = tmp_path / "out" / "hopper.onnx", tmp_path / "out" / "hopper.int8.onnx"
    assert info["path"] == str(f32) and f32.stat().st_size == info["bytes"] <= 2.1e6
    assert info["int8"]["path"] == str(f8) and f8.stat().st_size <= 0.8e6
    assert info["inputs"] == [["target", ["batch", 3, 224, 224]]]
    assert [o[0] for o in info["outputs"]] == ["result", "mask"]
    m = info["metadata"]
    assert (m["value_range"], m["crop_size"], m["identity_source"], m["faceswaplite_version"], m["model"]) == \
           ("01", "224", "hopper.png", faceswaplite.__version__, "idn")
    # the file holds the same identity this process folds from the same photo
    ident = source_identity(tmp_path / "hopper.png")
    static = get_model("idn").fold(ident["feat"], ident["z"])
    x = torch.rand(2, 3, 224, 224)
    with torch.no_grad(): ref = static(x)
    outs = onnx_session(f32).run(None, {"target": x.numpy()})
    assert max(np.abs(o - t.numpy()).max() for o, t in zip(outs, ref)) <= 1e-4
    q = onnx_session(f8).run(None, {"target": x.numpy()})
    assert q[0].shape == (2, 3, 224, 224) and 0 < np.abs(q[0] - outs[0]).max() < 0.1   # quantized, and close
    assert {k: v for k, v in snapshot(tmp_path).items()} == before   # the source is untouched
    # the swap pipeline takes both files as they are (OnnxSwapper's contract: one image input, result then mask)
    Image.fromarray(sample_image("astronaut")).save(tmp_path / "out" / "astronaut.png")
    for f in (f32, f8):
        r = run("swap", tmp_path / "hopper.png", tmp_path / "out" / "astronaut.png", "-o", tmp_path / "out" / f"{f.stem}.png",
                "--model", f, "--json")
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout)["output"] == str(tmp_path / "out" / f"{f.stem}.png")

def test_export_text_output(run, tmp_path):
    from faceswaplite.core import sample_path
    r = run("export", "--source", sample_path("t1"), "--face", "2", "-o", tmp_path / "t1_face2.onnx", "--dynamic-size", "--untrained")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0].startswith(str(tmp_path / "t1_face2.onnx") + ": 2.0")
    assert "'32*s'" in r.stdout and "result" in r.stdout and "mask" in r.stdout

def test_export_defaults_to_the_shipped_student(run, tmp_path):
    "No --model: the trained idn-synth student (128 px, synth encoder), whose file swaps like the idn-synth swapper does."
    from faceswaplite.core import sample_path
    r = run("export", "--source", sample_path("grace_hopper"), "-o", tmp_path / "student.onnx", "--int8", "--json")
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert info["inputs"] == [["target", ["batch", 3, 128, 128]]] and info["int8"]["bytes"] > 0
    assert (info["metadata"]["model"], info["metadata"]["encoder"], info["metadata"]["crop_size"]) == ("idn-synth", "synth", "128")
    assert "idn-synth (default" in " ".join(run("export", "--help").stdout.split())
    assert "random weights" in " ".join(run("bench", "--help").stdout.split())

@pytest.mark.parametrize("make,args,msg", [
    ("blank", ("--model", "idn"), "no face found"),
    ("text", ("--model", "idn"), "not an image"),
    ("face", ("--model", "nope"), "unknown model 'nope'"),
    ("face", ("--face", "3"), "face 3 asked for, but the source has 1"),
    ("face", ("--untrained", "--size", "200"), "multiple of 32"),
    ("face", ("--size", "224"), "idn-synth takes 128-px crops, not 224"),
])
def test_export_errors(run, tmp_path, make, args, msg):
    from faceswaplite.core import sample_image
    src = tmp_path / f"{make}.png"
    if make == "blank": Image.new("RGB", (96, 96), "gray").save(src)
    elif make == "text": src.write_text("hello")
    else: Image.fromarray(sample_image("grace_hopper")).save(src)
    r = run("export", "--source", src, "-o", tmp_path / "o.onnx", *args)
    assert r.returncode == 2 and msg in r.stderr and r.stderr.count("\n") == 1, r.stderr
    assert not (tmp_path / "o.onnx").exists()

def test_export_refuses_to_overwrite_source(run, tmp_path):
    from faceswaplite.core import sample_image
    src = tmp_path / "hopper.png"; Image.fromarray(sample_image("grace_hopper")).save(src)
    data = src.read_bytes()
    r = run("export", "--source", src, "-o", src)
    assert r.returncode == 2 and "refusing to overwrite" in r.stderr and src.read_bytes() == data

def test_bench_baby_json(run, tmp_path):
    r = run("bench", "--baby", "--seconds", "2", "--json", "-o", tmp_path / "BENCH.md")
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    rows = {(x["model"], x["runtime"]): x for x in res["rows"]}
    assert set(rows) == {("IDN folded, fp32", "onnxruntime"), ("IDN folded, int8", "onnxruntime"), ("IDN folded, fp32", "torch"),
                         ("IDN dynamic (+IIM)", "torch"), ("MobileFSGAN", "onnxruntime"), ("Teacher (AdaIN U-Net)", "onnxruntime"),
                         ("SimSwap-architecture", "onnxruntime")}
    ref = rows[("IDN folded, fp32", "onnxruntime")]
    assert ref["latency_x"] == ref["params_x"] == ref["macs_x"] == 1.0
    ss = rows[("SimSwap-architecture", "onnxruntime")]
    assert ss["params_x"] == ss["params"] / ref["params"] and ss["macs"] > ref["macs"]
    assert all(x["runs"] >= 5 and x["median_ms"] > 0 for x in res["rows"])
    assert res["machine"]["cores"] >= 1 and res["settings"]["baby"] is True
    md = (tmp_path / "BENCH.md").read_text()
    assert md.startswith("# Benchmarks") and "| SimSwap-architecture | onnxruntime | 128 |" in md
