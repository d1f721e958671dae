"""`faceswaplite experiment`: bad names and seeds, results and checkpoints of another version, resuming a stopped run."""
import json
import pytest
import torch
from faceswaplite import experiments as X
from faceswaplite.train import Trainer, checkpoints

def test_cli_refuses_unknown_names_and_other_versions(cli, tmp_path):
    r = cli("experiment", "nope", "--out", tmp_path)
    assert r.returncode == 2 and "unknown experiment 'nope'" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = cli("experiment", "labels/0.5", "--out", tmp_path)
    assert r.returncode == 2 and "no arm '0.5'" in r.stderr and "0.4" in r.stderr
    with pytest.raises(X.ExperimentError, match="no seeds"): X.run_experiment("labels", seeds=[], out=tmp_path)
    # a result written by another version is refused, named, and left as it was
    p = X.result_path(tmp_path, "idn-iim", 0); p.parent.mkdir(parents=True)
    old = X.run_version("idn-iim") - 1
    p.write_text(json.dumps(dict(version=old, run="idn-iim", seed=0)))
    before = p.read_bytes()
    r = cli("experiment", "distill/supervised", "--seed", "0", "--out", tmp_path, "--steps", "2")
    assert r.returncode == 2 and str(p) in r.stderr and f"version {old}" in r.stderr
    assert p.read_bytes() == before

def test_stopped_run_resumes_and_other_settings_are_refused(tmp_path, monkeypatch):
    torch.set_num_threads(1)
    real_step = Trainer.train_step
    def stop_at_3(self, batch):
        if self.step == 2: raise KeyboardInterrupt   # after the checkpoint at step 2 (ckpt_every = steps // 2)
        return real_step(self, batch)
    monkeypatch.setattr(Trainer, "train_step", stop_at_3)
    with pytest.raises(KeyboardInterrupt): X.run_arm("idn-teacher-rw-both", 0, out=tmp_path, steps=4)
    cfg = X.run_config("idn-teacher-rw-both", 0, tmp_path, steps=4)
    assert [p.name for p in checkpoints(cfg.out_dir)] == ["ckpt-0000002.pt"]
    assert not X.result_path(tmp_path, "idn-teacher-rw-both", 0).exists()
    # the same run with other settings may not continue from that checkpoint
    ck = torch.load(checkpoints(cfg.out_dir)[0], weights_only=True)
    ck2 = {**ck, "config": {**ck["config"], "extra": {**ck["config"]["extra"], "version": X.EXP_VERSION + 1}}}
    other = tmp_path / "other"   # the same run in another folder, its checkpoint from another version
    cfg2 = X.run_config("idn-teacher-rw-both", 0, other, steps=4)
    from pathlib import Path; Path(cfg2.out_dir).mkdir(parents=True); torch.save(ck2, Path(cfg2.out_dir) / "ckpt-0000002.pt")
    with pytest.raises(X.ExperimentError, match="other settings"): X.run_arm("idn-teacher-rw-both", 0, out=other, steps=4)
    # resumed: steps 3 and 4 only, one continuous history
    monkeypatch.setattr(Trainer, "train_step", real_step)
    r = X.run_arm("idn-teacher-rw-both", 0, out=tmp_path, steps=4)
    assert r["status"] == "finished" and r["steps"] == 4 and r["version"] == X.run_version("idn-teacher-rw-both") == X.CHANGED_IN["idn-teacher"]
    ck = torch.load(checkpoints(cfg.out_dir)[-1], weights_only=True)
    assert ck["history"]["step"] == [1, 2, 3, 4]
    assert {"id_top1", "id_cos", "psnr", "pose_err", "collapsed"} <= set(r["metrics"])
    assert X.load_results(tmp_path, seeds=[0])["idn-teacher-rw-both"][0]["wall_s"] == r["wall_s"]
