"""`faceswaplite evaluate` as a user runs it: a tiny comparison (classical + a bring-your-own ONNX stand-in) writes the
report and its pictures; bad input -> exit 2 and one line."""
import json
from pathlib import Path
import pytest
from PIL import Image
from faceswaplite.swap import make_standin_swapper

def test_evaluate_tiny(cli, tmp_path):
    onnx = make_standin_swapper(tmp_path / "standin.onnx", size=128)
    out = tmp_path / "report" / "EVALUATION.md"; out.parent.mkdir()
    r = cli("evaluate", "--models", "classical", "--onnx", onnx, "--pairs", "6", "--ids", "4", "--real-pairs", "2",
            "--out", out, "--json")
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    assert {"classical", "onnx:standin.onnx", "exact result (reference)", "copy target (reference)"} <= set(res["synth"])
    ex = res["synth"]["exact result (reference)"]
    assert ex["psnr"] is None and ex["ssim"] == 1.0          # inf PSNR is written as null
    assert res["synth"]["copy target (reference)"]["id_top1"] <= ex["id_top1"]
    assert set(res["real"]) == {"classical", "onnx:standin.onnx"} and res["config"]["real_pairs"] == 2
    assert res["models"]["onnx:standin.onnx"]["params"] == 1 and res["models"]["onnx:standin.onnx"]["size"] == 128
    text = out.read_text()
    assert "| classical |" in text and "| onnx:standin.onnx |" in text
    pics = sorted(p.name for p in (out.parent / "evaluation").iterdir())
    assert pics == ["real_examples.png", "real_metrics.png", "synth_examples.png", "synth_metrics.png"]
    v = json.loads(cli("verify", out.parent / "evaluation" / "real_examples.png", "--json").stdout)
    assert v["tag"]

def _bad_folder(tmp_path):
    d = tmp_path / "empty"; d.mkdir(); (d / "notes.txt").write_text("no pictures here"); return d

BAD = {
    "unknown model": (["--models", "nope"], "unknown model"),
    "missing onnx": (["--onnx", "{tmp}/missing.onnx"], "not found"),
    "not an onnx": (["--onnx", "{tmp}/fake.onnx"], "not a loadable ONNX model"),
    "missing data folder": (["--data", "{tmp}/nowhere"], "not a folder"),
    "output folder missing": (["--out", "{tmp}/no/such/EVALUATION.md"], "does not exist"),
}

@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_exit_2(cli, tmp_path, case):
    (tmp_path / "fake.onnx").write_bytes(b"not a model")
    args, words = BAD[case]
    r = cli("evaluate", "--pairs", "2", "--ids", "2", "--no-real", *[a.format(tmp=tmp_path) for a in args])
    assert r.returncode == 2, (r.returncode, r.stdout[-500:], r.stderr)
    assert r.stderr.count("\n") == 1 and words in r.stderr, r.stderr

def test_empty_data_folder(cli, tmp_path):
    d = _bad_folder(tmp_path)
    r = cli("evaluate", "--models", "classical", "--pairs", "2", "--ids", "2", "--data", d, "--out", "-")
    assert r.returncode == 2 and "no images" in r.stderr, r.stderr
