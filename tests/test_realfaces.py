"""Training on your own photos: `prepare-faces` (exact skip counts, resumable, inputs untouched, clear errors), the
real-photo tasks (20 steps each, the loss falls, resume) and the shipped multi-GPU command run with 2 CPU processes."""
import json, os, subprocess, sys
from pathlib import Path
import numpy as np
import pytest
from conftest import ROOT

from faceswaplite.realfaces import (prepare_faces, demo_folder, FaceCache, FacesError, REASONS, cache_triplets,
                                    accelerate_command, accelerate_config, evaluate_cache)

CLI = [sys.executable, "-m", "faceswaplite.cli"]
ENV = {**os.environ, "CI": "1", "OMP_NUM_THREADS": "1", "MPLBACKEND": "Agg", "HF_HUB_OFFLINE": "1"}

def cli(*args, timeout=600):
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, env=ENV, timeout=timeout, stdin=subprocess.DEVNULL)

@pytest.fixture(scope="module")
def faces(tmp_path_factory):
    "A demo photo folder and its cache, made once through the CLI with 2 worker processes."
    d = tmp_path_factory.mktemp("realfaces")
    want = demo_folder(d / "photos")
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (d / "photos").rglob("*") if p.is_file()}
    r = cli("prepare-faces", d / "photos", "-o", d / "cache", "--workers", 2, "--json")
    assert r.returncode == 0, r.stderr[-3000:]
    return d, want, before, json.loads(r.stdout)

def test_prepare_counts_resume_and_inputs_untouched(faces):
    d, want, before, s = faces
    assert s["counts"] == {k: want.get(k, 0) for k in REASONS}        # every skip reason, exactly
    assert s["processed"] == s["files"] == sum(want.values()) and s["faces"] == want["ok"]
    crops = sorted((d / "cache" / "crops").rglob("*.png"))
    assert len(crops) == want["ok"]
    stamps = {p: p.stat().st_mtime_ns for p in crops}
    again = prepare_faces(d / "photos", d / "cache", workers=2)         # the second run does no work
    assert again["processed"] == 0 and again["counts"] == s["counts"]
    assert {p: p.stat().st_mtime_ns for p in crops} == stamps
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (d / "photos").rglob("*") if p.is_file()} == before
    cache = FaceCache(d / "cache")
    f = cache.faces[0]
    assert cache.image(0).shape == (128, 128, 3) and f.descriptor.shape == (128,) and f.landmarks.shape == (68, 2)
    assert {"grace_hopper", "astronaut"} <= set(cache.people)
    recs = [json.loads(l) for l in (d / "cache" / "manifest.jsonl").read_text().splitlines()]
    assert {r["status"] for r in recs} == set(REASONS)
    # a run cut short: drop two finished records (one truncated mid-line) and run again: only those two are redone
    lines = (d / "cache" / "manifest.jsonl").read_text().splitlines()
    ok = [i for i, l in enumerate(lines) if json.loads(l)["status"] == "ok"]
    keep = [l for i, l in enumerate(lines) if i not in ok[-2:]]
    (d / "cache" / "manifest.jsonl").write_text("\n".join(keep) + "\n" + lines[ok[-1]][:40])
    r = prepare_faces(d / "photos", d / "cache", workers=1)
    assert r["processed"] == 2 and r["counts"] == s["counts"]
    assert len(FaceCache(d / "cache")) == want["ok"]

def test_bad_folders_and_caches(faces, tmp_path):
    d = faces[0]
    (tmp_path / "empty").mkdir()
    r = cli("prepare-faces", tmp_path / "empty", "-o", tmp_path / "c1")
    assert r.returncode == 2 and "no files" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    (tmp_path / "nofaces").mkdir()
    from PIL import Image
    for i in range(2): Image.new("RGB", (120, 90), (40 * i, 90, 200)).save(tmp_path / "nofaces" / f"{i}.png")
    (tmp_path / "nofaces" / "x.jpg").write_bytes(b"garbage")
    r = cli("prepare-faces", tmp_path / "nofaces", "-o", tmp_path / "c2", "--workers", 1)
    assert r.returncode == 2 and "no usable face" in r.stderr, r.stderr
    assert "no_face 2" in r.stdout and "unreadable 1" in r.stdout
    with pytest.raises(FacesError, match="sizes"): prepare_faces(d / "photos", d / "cache", sizes=(256,))
    with pytest.raises(FacesError, match="not 256 px"): FaceCache(d / "cache", size=256)
    with pytest.raises(FacesError, match="not a face cache"): FaceCache(tmp_path / "nofaces")
    (tmp_path / "file").write_text("x")
    with pytest.raises(FacesError, match="not writable"): prepare_faces(d / "photos", tmp_path / "file" / "cache")
    with pytest.raises(FacesError, match="at least 2 faces"): cache_triplets(FaceCache(d / "cache").faces[:1], 128)
    r = cli("train", "--config", "real-teacher", "--steps", 2, "--out", tmp_path / "run")
    assert r.returncode == 2 and "--data" in r.stderr

def _run(task, d, out, steps=20, resume=False, **extra):
    from faceswaplite.train import TASKS, TrainConfig
    lr = {"idn-real": 1e-2}.get(task, 2e-3)
    cfg = TrainConfig(steps=steps, lr=lr, betas=(0.5, 0.999), batch_size=4, log_every=1, cpu=True, progress=False,
                      out_dir=str(out), extra={"data": str(d / "cache"), **extra})
    tr = TASKS[task](cfg); h = tr.fit(resume=resume)
    return tr, h

def _falls(h, key):
    y = np.array(h["losses"][key], float)
    return np.nanmean(y[:5]), np.nanmean(y[-5:])

@pytest.mark.parametrize("task,extra,key", [("teacher-real", {}, "loss"), ("mobilefsgan-real", {}, "g/loss"),
                                            ("idn-real", {"mode": "supervised"}, "loss")])
def test_real_task_20_steps_loss_falls(faces, tmp_path, task, extra, key):
    d = faces[0]
    tr, h = _run(task, d, tmp_path / "run", **extra)
    a, b = _falls(h, key)
    assert tr.step == 20 and b < a, (task, a, b)
    assert h["eval"]["step"][-1] == 20 and all(np.isfinite(h["eval"][k][-1]) for k in ("psnr_self", "id_cos"))

def test_resume_and_distill_from_the_teacher_run(faces, tmp_path):
    from faceswaplite.train import weights_hash
    d = faces[0]
    straight, _ = _run("teacher-real", d, tmp_path / "straight")
    _run("teacher-real", d, tmp_path / "resumed", steps=10)
    resumed, h = _run("teacher-real", d, tmp_path / "resumed", resume=True)
    assert resumed.step == 20 and len(h["step"]) == 20
    assert weights_hash(resumed.unwrapped("teacher")) == weights_hash(straight.unwrapped("teacher"))
    tr, h = _run("idn-real", d, tmp_path / "idn", mode="distill", teacher=str(tmp_path / "straight"))
    a, b = _falls(h, "loss")
    assert b < a, (a, b)
    ev = evaluate_cache(tmp_path / "idn", d / "cache", heldout=0.5)
    base = evaluate_cache("copy-target", d / "cache", heldout=0.5)
    assert ev["pairs"] == base["pairs"] > 0 and np.allclose(base["dist_target"], 0, atol=1e-4)
    assert set(ev) >= {"dist_source", "dist_target", "id_top1", "landmark_nme", "face_found"}
    from faceswaplite.identity import make_standin_arcface
    make_standin_arcface(tmp_path / "arcface.onnx")
    r = cli("evaluate-faces", tmp_path / "idn", tmp_path / "straight", "--data", d / "cache", "--heldout", 0.5, "--arcface", tmp_path / "arcface.onnx", "--json")
    assert r.returncode == 0, r.stderr[-2000:]
    res = json.loads(r.stdout)
    assert set(res) == {"copy-target", "idn", "straight"} and res["copy-target"]["arcface_cos_target"] > 0.999
    assert abs(res["idn"]["dist_source"] - float(np.mean(ev["dist_source"]))) < 1e-4    # the CLI reports what evaluate_cache measures
    r = cli("evaluate-faces", tmp_path / "nothing", "--data", d / "cache")
    assert r.returncode == 2 and "no checkpoint" in r.stderr and len(r.stderr.strip().splitlines()) == 1

def test_onnx_teacher_needs_its_arcface(faces, tmp_path):
    from faceswaplite.swap import make_standin_swapper
    from faceswaplite.identity import make_standin_arcface
    from faceswaplite.train import TrainError
    d = faces[0]
    make_standin_swapper(tmp_path / "t.onnx", kind="latent", size=128, dim=512); make_standin_arcface(tmp_path / "a.onnx")
    with pytest.raises(TrainError, match="teacher_arcface"): _run("idn-real", d, tmp_path / "x", steps=2, mode="distill", teacher=str(tmp_path / "t.onnx"))
    tr, h = _run("idn-real", d, tmp_path / "y", steps=3, mode="distill", teacher=str(tmp_path / "t.onnx"), teacher_arcface=str(tmp_path / "a.onnx"))
    assert tr.step == 3 and np.isfinite(h["losses"]["loss"]).all()

def test_documented_multi_gpu_command_on_two_cpu_processes(faces, tmp_path):
    "The command the notebook documents for 8 GPUs, with --num_processes 2: gloo on the CPU, bf16 config, resume."
    d = faces[0]
    doc = accelerate_command("real-teacher", d / "cache", 8, tmp_path / "run")
    cmd = accelerate_command("real-teacher", d / "cache", 2, tmp_path / "run")
    assert [a for a in doc if a not in cmd] == ["8"] and [a for a in cmd if a not in doc] == ["2"]
    assert "mixed_precision: bf16" in accelerate_config().read_text()
    exe = [str(Path(sys.executable).parent / "accelerate")] + cmd[1:]
    env = {**ENV, "HF_HOME": str(tmp_path / "hf")}
    run = lambda *more: subprocess.run(exe + list(more), capture_output=True, text=True, env=env, timeout=600, stdin=subprocess.DEVNULL)
    r = run("--steps", "10", "--batch-size", "4")
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-3000:]
    first = json.loads(r.stdout.strip().splitlines()[-1])
    assert first["processes"] == 2 and first["step"] == 10
    r = run("--steps", "20", "--batch-size", "4", "--resume")
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-3000:]
    last = json.loads(r.stdout.strip().splitlines()[-1])
    assert last["processes"] == 2 and last["step"] == 20
    from faceswaplite.train import load_checkpoint, checkpoints
    ck = load_checkpoint(checkpoints(tmp_path / "run")[-1])
    assert ck["step"] == 20 and ck["num_processes"] == 2 and len(ck["history"]["step"]) == 20
