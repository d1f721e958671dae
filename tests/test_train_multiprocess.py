"""`accelerate launch --multi_gpu --num_processes 2` + `--cpu` in the script (gloo): both ranks end with identical weights, and a resumed run matches."""
import json, os, socket, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); return s.getsockname()[1]

def launch(tmp_path, out, *args, n=2):
    "Run `python -m faceswaplite.train` under `accelerate launch` with every option on the command line (no config file)."
    env = {**os.environ, "HF_HOME": str(tmp_path / "hf"), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "CI": "1", "OMP_NUM_THREADS": "1", "MPLBACKEND": "Agg", "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "accelerate.commands.launch", "--num_processes", str(n), "--num_machines", "1", "--multi_gpu" if n > 1 else "--cpu",
           "--mixed_precision", "no", "--dynamo_backend", "no", "--main_process_ip", "127.0.0.1",
           "--main_process_port", str(_free_port()),
           "-m", "faceswaplite.train", "--task", "toy-gan", "--cpu", "--batch-size", "8", "--seed", "3",
           "--out", str(out), "--hash-file", str(out / "hash-{rank}.json"), *args]
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300, stdin=subprocess.DEVNULL)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    ranks = [json.loads((out / f"hash-{i}.json").read_text()) for i in range(n)]
    return ranks, json.loads(r.stdout.strip().splitlines()[-1])

def test_two_processes_identical_weights_and_resume(tmp_path):
    straight, summary = launch(tmp_path, tmp_path / "straight", "--steps", "6", "--ckpt-every", "3")
    assert summary["processes"] == 2 and summary["step"] == 6
    assert [r["world"] for r in straight] == [2, 2] and [r["rank"] for r in straight] == [0, 1]
    assert straight[0]["hashes"] == straight[1]["hashes"]                 # DDP kept the ranks in lock step
    assert set(straight[0]["hashes"]) == {"g", "d"}
    # 3 steps, stop, then a second launch resumes from the checkpoint: same weights as 6 steps straight
    launch(tmp_path, tmp_path / "resumed", "--steps", "3")
    resumed, _ = launch(tmp_path, tmp_path / "resumed", "--steps", "6", "--resume")
    assert resumed[0]["hashes"] == resumed[1]["hashes"] == straight[0]["hashes"]

