"""`faceswaplite train` / `distill` as a user runs them: subprocesses on tiny configs, checkpoints loadable with weights_only."""
import json
import torch

def tiny_config(path, task, **extra):
    cfg = dict(steps=2, lr=1e-3, batch_size=2, seed=0, log_every=1, eval_every=0, ckpt_every=1, cpu=True, progress=False,
               out_dir=str(path.parent / "unused"), extra=dict(task=task, **({} if task == "quality" else dict(eval_n=4)), **extra))
    path.write_text(json.dumps(cfg)); return path

def test_train_teacher_two_steps(cli, tmp_path):
    cfg = tiny_config(tmp_path / "t.json", "teacher")
    before = cfg.read_bytes()
    r = cli("train", "--config", cfg, "--out", tmp_path / "run")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout.strip().splitlines()[-1])
    assert summary["task"] == "teacher" and summary["step"] == 2 and set(summary["eval"]) >= {"psnr", "id_cos"}
    cks = sorted((tmp_path / "run").glob("ckpt-*.pt"))
    assert [p.name for p in cks] == ["ckpt-0000001.pt", "ckpt-0000002.pt"]
    ck = torch.load(cks[-1], weights_only=True)
    assert ck["step"] == 2 and "teacher" in ck["models"] and (tmp_path / "run" / "loss.png").is_file()
    assert cfg.read_bytes() == before
    # the two checkpoints are snapshots for the quality regressor, trained by `distill`
    q = tiny_config(tmp_path / "q.json", "quality", snapshots=str(tmp_path / "run"))
    r = cli("distill", "--config", q, "--out", tmp_path / "q")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout.strip().splitlines()[-1])["task"] == "quality"

def test_train_shipped_config_by_name_and_errors(cli, tmp_path):
    r = cli("distill", "--config", "idn-synth", "--steps", "2", "--batch-size", "2", "--out", tmp_path / "idn")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout.strip().splitlines()[-1])
    assert s["task"] == "idn" and s["step"] == 2 and "alpha_max" in s["last"]
    r = cli("distill", "--config", "idn-supervised", "--steps", "1")
    assert r.returncode == 2 and "not a distillation" in r.stderr
    r = cli("train", "--config", tmp_path / "missing.json")
    assert r.returncode == 2 and "config not found" in r.stderr
    bad = tmp_path / "bad.json"; bad.write_text(json.dumps(dict(steps=2, nonsense=1)))
    r = cli("train", "--config", bad)
    assert r.returncode == 2 and "unknown TrainConfig keys" in r.stderr

def test_bad_configs_and_resumes_name_the_file(cli, tmp_path):
    "An unknown key or task names the config; a resume from another architecture names the checkpoint; nothing is written."
    bad = tmp_path / "bad.json"; bad.write_text(json.dumps(dict(steps=2, nonsense=1)))
    r = cli("train", "--config", bad)
    assert r.returncode == 2 and str(bad) in r.stderr and "nonsense" in r.stderr
    task = tmp_path / "task.json"; task.write_text(json.dumps(dict(steps=2, extra=dict(task="nope"))))
    r = cli("train", "--config", task)
    assert r.returncode == 2 and str(task) in r.stderr and "unknown task 'nope'" in r.stderr and "teacher" in r.stderr
    typo = tiny_config(tmp_path / "typo.json", "idn", mdoe="distill")   # a key the task does not read: refused before anything runs
    r = cli("distill", "--config", typo, "--out", tmp_path / "typo")
    assert r.returncode == 2 and str(typo) in r.stderr and "['mdoe']" in r.stderr and "'mode'" in r.stderr and not (tmp_path / "typo").exists()
    r = cli("train", "--config", tiny_config(tmp_path / "t2.json", "teacher"), "--data", tmp_path, "--out", tmp_path / "t2")
    assert r.returncode == 2 and "--data: task 'teacher' does not train on a face cache" in r.stderr and not (tmp_path / "t2").exists()
    broken = tmp_path / "broken.json"; broken.write_text("{steps: 2")
    r = cli("train", "--config", broken)
    assert r.returncode == 2 and str(broken) in r.stderr and "not a readable JSON config" in r.stderr
    # a teacher checkpoint of another width in the output folder: refused by name, the folder left as it was
    run = tmp_path / "teacher"
    r = cli("train", "--config", "teacher-synth", "--steps", "1", "--batch-size", "2", "--out", run)
    assert r.returncode == 0, r.stderr
    ck_path = sorted(run.glob("ckpt-*.pt"))[-1]
    ck = torch.load(ck_path, weights_only=True)
    k = next(k for k, v in ck["models"]["teacher"].items() if v.ndim == 4)
    ck["models"]["teacher"][k] = torch.zeros(1, *ck["models"]["teacher"][k].shape[1:]); torch.save(ck, ck_path)
    before = {p.name: p.read_bytes() for p in run.iterdir() if p.is_file()}
    r = cli("train", "--config", "teacher-synth", "--steps", "2", "--batch-size", "2", "--out", run, "--resume")
    assert r.returncode == 2 and str(ck_path) in r.stderr and "another architecture" in r.stderr and k in r.stderr
    assert {p.name: p.read_bytes() for p in run.iterdir() if p.is_file()} == before

def test_bench_runs_judges_a_run_and_records_its_config(cli, tmp_path):
    "benchmarks/bench_runs.py on a two-step teacher run: one row with the run's config and the judges' metrics, the run untouched."
    import os, subprocess, sys
    from conftest import ROOT, snapshot
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cfg = tiny_config(tmp_path / "t.json", "teacher", adv=0.05)
    cfg.write_text(json.dumps({**json.loads(cfg.read_text()), "ema": 0.5}))   # with a weight average: the average is judged
    assert cli("train", "--config", cfg, "--out", tmp_path / "run").returncode == 0
    before = snapshot(tmp_path / "run")
    out = tmp_path / "judged.json"
    r = subprocess.run([sys.executable, ROOT / "benchmarks" / "bench_runs.py", tmp_path / "run", "--json", out, "--label", "tiny"],
                       capture_output=True, text=True, timeout=900, cwd=tmp_path, env=env)
    assert r.returncode == 0, r.stderr
    doc = json.loads(out.read_text())
    (row,) = doc["rows"]
    assert (row["run"], row["checkpoint"], row["step"], row["task"], row["adv"], row["seed"], row["ema"]) == ("run", "ckpt-0000002.pt", 2, "teacher", 0.05, 0, 0.5)
    assert doc["label"] == "tiny" and doc["n_pairs"] == 100 and row["psnr"] > 5 and row["refused"] == 0
    assert row["id_top1"] < 0.5   # two steps of training: far from the exact result's 1.0, so the run's own weights were judged
    assert doc["references"]["exact result (reference)"]["id_top1"] > 0.9 and doc["references"]["exact result (reference)"]["psnr"] is None
    from faceswaplite.distill import teacher_net
    from faceswaplite.train import weights_hash
    ck = torch.load(tmp_path / "run" / "ckpt-0000002.pt", weights_only=True)
    net = teacher_net(); net.load_state_dict(ck["models"]["teacher"])
    assert row["weights_hash"] == weights_hash(net)   # the run's last checkpoint (its averaged weights) is what was judged
    net.load_state_dict(ck["live"]["teacher"]); assert row["live_hash"] == weights_hash(net) != row["weights_hash"]
    assert snapshot(tmp_path / "run") == before
    out1 = tmp_path / "judged_val.json"   # another set of pairs (a validation set): other pictures, so other scores
    r = subprocess.run([sys.executable, ROOT / "benchmarks" / "bench_runs.py", tmp_path / "run", "--json", out1, "--pairs-seed", "1"],
                       capture_output=True, text=True, timeout=900, cwd=tmp_path, env=env)
    assert r.returncode == 0, r.stderr
    val = json.loads(out1.read_text())
    assert (doc["pairs_seed"], val["pairs_seed"]) == (0, 1) and "--pairs-seed 1" in val["command"] and "--pairs-seed" not in doc["command"]
    ref = lambda d: d["references"]["copy target (reference)"]["outside_err"]
    assert ref(val) != ref(doc) and val["rows"][0]["weights_hash"] == row["weights_hash"]
    out2 = tmp_path / "judged_live.json"   # --live: the same run's own weights, not their average
    r = subprocess.run([sys.executable, ROOT / "benchmarks" / "bench_runs.py", tmp_path / "run", "--json", out2, "--live"],
                       capture_output=True, text=True, timeout=900, cwd=tmp_path, env=env)
    assert r.returncode == 0, r.stderr
    (lv,) = json.loads(out2.read_text())["rows"]
    assert lv["weights_hash"] == row["live_hash"] and (lv["averaged"], row["averaged"]) == (False, True) and "live_hash" not in lv
    plain = tiny_config(tmp_path / "p.json", "teacher")   # --live with a run without an average: refused, naming it, before any judging
    assert cli("train", "--config", plain, "--out", tmp_path / "plain").returncode == 0
    r = subprocess.run([sys.executable, ROOT / "benchmarks" / "bench_runs.py", tmp_path / "run", tmp_path / "plain", "--json", tmp_path / "x.json", "--live"],
                       capture_output=True, text=True, timeout=900, cwd=tmp_path, env=env)
    assert r.returncode != 0 and "no weight average" in r.stderr and "plain" in r.stderr and not (tmp_path / "x.json").exists()
    assert '"run": "run"' not in r.stderr   # the averaged run listed first was not judged either
    r = subprocess.run([sys.executable, ROOT / "benchmarks" / "bench_runs.py", tmp_path / "nothing", "--json", out],
                       capture_output=True, text=True, timeout=300, cwd=tmp_path, env=env)
    assert r.returncode != 0 and "nothing" in r.stderr and json.loads(out.read_text()) == doc   # nothing judged, the record kept

def test_gpu_runs_tool_packs_a_finished_run(tmp_path, monkeypatch):
    "tools/gpu_runs.py on the CPU, a fourteenth phase of the shipped MobileFSGAN for two steps: its tar holds a checkpoint without optimizer states (a finished run), the config and metrics; the run's history continues the shipped model's; a start that is no longer shipped is refused."
    import os, subprocess, sys, tarfile
    from conftest import ROOT
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    tool = lambda *a: subprocess.run([sys.executable, ROOT / "tools" / "gpu_runs.py", "--out", tmp_path / "out", "--cpu", *map(str, a)],
                                     capture_output=True, text=True, timeout=900, cwd=tmp_path, env=env)
    r = tool("--only", "idn-synth-phase4")   # the package now ships the fourth phase, not the third it continues
    assert r.returncode != 0 and "need the weights with sha256 9861530c47f97911" in r.stderr and not (tmp_path / "runs" / "idn-synth-phase4").exists()
    r = tool("--only", "no-such-run")
    assert r.returncode != 0 and "unknown runs ['no-such-run']" in r.stderr
    name = "mobilefsgan-synth-phase14"
    r = tool("--only", name, "--steps", "2", "--batch", "2", "--workers", "1", "--budget", "600")
    assert r.returncode == 0, r.stderr
    out = tmp_path / "out"
    s = json.loads((out / "summary.json").read_text()); run = s["runs"][name]
    assert (run["rc"], run["finished"], run["step"], s["device"]) == (0, True, 2, "cpu") and s["render_rate"] > 0
    with tarfile.open(out / f"{name}.tar") as tf:
        assert sorted(tf.getnames()) == sorted(f"{name}/{f}" for f in ("ckpt-0000002.pt", "metrics.jsonl", "loss.png", f"{name}.json"))
        tf.extractall(tmp_path / "x", filter="data")
    ck = torch.load(tmp_path / "x" / name / "ckpt-0000002.pt", weights_only=True)
    assert "optimizers" not in ck and set(ck["models"]) == {"g", "d"}
    assert ck["config"]["extra"]["workers"] == 1 and ck["config"]["steps"] == 2
    monkeypatch.chdir(tmp_path)   # extra.init is relative to the folder the runs were made in
    from faceswaplite.distill import run_history, synth_history
    step, hist, phases = run_history(tmp_path / "runs" / name)
    shipped = synth_history("mobilefsgan-synth")
    assert step == shipped["step"] + 2 and len(phases) == len(shipped["phases"]) + 1 and hist["eval"]["step"][-1] == step
