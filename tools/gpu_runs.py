"""Continue the shipped SynthFaces runs for one more phase each, side by side on one machine with a GPU.

Each run is an ordinary `faceswaplite train` run (the `idn` / `mobilefsgan` tasks); this script only picks the step
count from a measured rendering rate (SynthFaces triplets are rendered on the CPU, which bounds every run), starts the
runs together, stops them at a wall-clock deadline (a stopped run keeps its checkpoints and resumes with `--resume`),
and packs each run folder into `<out>/<name>.tar`.

    PYTHONPATH=. python tools/gpu_runs.py --out OUT --budget 400
    PYTHONPATH=. python tools/gpu_runs.py --out /tmp/g --budget 30 --cpu --only idn-synth-phase4   # a CPU smoke test

Run folders go to `runs/` under the working folder (the students' shipped fourth-phase configs' `extra.init` names `runs/<name>-phase3`; these
runs start from copies of the shipped weights in `runs/from-shipped`, whose `.history.json` carries the earlier phases).
"""
import argparse, json, multiprocessing as mp, os, shutil, subprocess, sys, tarfile, time
from pathlib import Path

W = Path(__file__).resolve().parents[1] / "faceswaplite" / "weights"
FROM = Path("runs/from-shipped")   # the weights every run below starts from (`extra.init`), with their histories, under the working folder
START = {   # the weights the phases below continue, by sha256: the students' third phase, MobileFSGAN's thirteenth (the shipped one)
    "idn-synth": "9861530c47f97911c5bfdf8a57855f6bff1964b2428a246edf4607cdf02bdd4d",
    "idn-distill": "373ee73ef03d0eb30b55aa7b28bcb9453230ab5ff0fb6a32bb363de5c3c79fd7",
    "mobilefsgan-synth": "6da6a84a62f41497eca607d79cfe639ffe471b9d408c37e11f4a7113ebc364d2",
}

def stage_start(name: str) -> Path:
    "Put the starting weights of `name` (and their history) in FROM: from the package while it still ships them, else they must be there."
    import hashlib
    sha = lambda f: hashlib.sha256(f.read_bytes()).hexdigest()
    dst = FROM / f"{name}.pt"
    if not dst.is_file() and (W / f"{name}.pt").is_file() and sha(W / f"{name}.pt") == START[name]:
        for suf in (".pt", ".history.json"): shutil.copy(W / f"{name}{suf}", FROM / f"{name}{suf}")
    if not dst.is_file() or sha(dst) != START[name] or not (FROM / f"{name}.history.json").is_file():
        raise SystemExit(f"{dst}: need the weights with sha256 {START[name][:16]}... and their .history.json beside them "
                         f"(the package now ships later ones: take both files from the git history of faceswaplite/weights)")
    return dst

def from_shipped(config: str, name: str, **extra):
    "Shipped config `config` (its rate, schedule, weight average and `extra`, less `workers`), started from FROM's copy of `name`, with `extra` changed."
    cfg = json.loads((W / f"{config}.json").read_text())
    ex = {k: v for k, v in cfg["extra"].items() if k != "workers"} | dict(init=str(FROM / f"{name}.pt")) | extra
    return {k: cfg[k] for k in ("lr", "betas", "clip", "warmup", "decay", "lr_min", "ema") if k in cfg} | dict(extra=ex)

def idn(name, adv=0.0, id_w=None):
    "The shipped fourth-phase config of student `name`, started from FROM, with the adversarial and identity weights."
    return from_shipped(f"{name}-phase4", name, **({"adv": adv} if adv else {}), **({"weights": dict(identity=id_w)} if id_w else {}))

# The run `mobilefsgan-synth-phase3` of `evaluation/idn_adv.json` continued the MobileFSGAN shipped before (the identity
# network's recipe, sha256 9a35be2049548a6f...: lr 2.5e-4 with warm-up and cosine decay, the released loss weights);
# its entry here was replaced by a continuation of the RandomVGG run when that run shipped.
RUNS = {   # name -> (shipped model it continues, config without steps / out_dir)
    "idn-synth-phase4": ("idn-synth", idn("idn-synth")),
    "idn-synth-phase4-adv": ("idn-synth", idn("idn-synth", adv=0.1)),
    "idn-distill-phase4": ("idn-distill", idn("idn-distill")),
    "idn-distill-phase4-adv": ("idn-distill", idn("idn-distill", adv=0.1)),
    **{f"idn-synth-phase4-adv{a}": ("idn-synth", idn("idn-synth", adv=a)) for a in (0.02, 0.03, 0.05)},
    **{f"idn-synth-phase4-adv{a}-id3": ("idn-synth", idn("idn-synth", adv=a, id_w=3.0)) for a in (0.05, 0.1)},
    "idn-distill-phase4-adv0.03": ("idn-distill", idn("idn-distill", adv=0.03)),
    "mobilefsgan-synth-phase14": ("mobilefsgan-synth", from_shipped("mobilefsgan-synth-phase13", "mobilefsgan-synth")),   # the shipped last phase again
}

def _render(n):
    import torch; torch.set_num_threads(1)
    from faceswaplite.triplets import SynthTriplets
    ds = SynthTriplets(length=10_000, size=128, seed=123)
    t = time.perf_counter(); ds.sample(range(n)); return n, time.perf_counter() - t

def render_rate(procs: int, n: int = 16, rounds: int = 2) -> float:
    "Triplets per second rendered by `procs` processes at once (the machine's whole rendering rate)."
    with mp.get_context("spawn").Pool(procs) as pool:
        pool.map(_render, [2] * procs)                       # imports and warm-up
        t = time.perf_counter(); pool.map(_render, [n] * procs * rounds); wall = time.perf_counter() - t
    return n * procs * rounds / wall

def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", required=True); p.add_argument("--budget", type=float, default=400, help="seconds of training")
    p.add_argument("--batch", type=int, default=16); p.add_argument("--safety", type=float, default=0.6)
    p.add_argument("--cpu", action="store_true"); p.add_argument("--only", nargs="*")
    p.add_argument("--split-mb", type=int, default=15, help="split a packed run larger than this into parts")
    p.add_argument("--max-steps", type=int, default=8000); p.add_argument("--workers", type=int, help="rendering processes per run (default: the cores shared out)")
    p.add_argument("--steps", type=int, help="every run's steps (default: from the rendering rate)")
    a = p.parse_args()
    t0 = time.time(); out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    unknown = set(a.only or []) - set(RUNS)
    if unknown: raise SystemExit(f"unknown runs {sorted(unknown)}; choose from {sorted(RUNS)}")
    runs = {k: v for k, v in RUNS.items() if not a.only or k in a.only}
    FROM.mkdir(parents=True, exist_ok=True)
    for shipped in {v[0] for v in runs.values()}: stage_start(shipped)   # before anything slow
    ncpu = os.cpu_count() or 1
    workers = a.workers or max(1, (ncpu - 1) // len(runs))
    rate = render_rate(max(1, ncpu - 1))                  # all cores but one rendering at once
    per_run = rate * a.safety / len(runs)
    info = dict(ncpu=ncpu, workers_per_run=workers, render_rate=round(rate, 1), budget_s=a.budget, batch=a.batch, runs={})
    try:
        import torch; info["device"] = torch.cuda.get_device_name(0) if torch.cuda.is_available() and not a.cpu else "cpu"
        info["torch"] = torch.__version__
    except Exception as e: info["device"] = repr(e)
    procs = {}
    for name, (shipped, base) in runs.items():
        steps = min(a.max_steps, max(100, int(a.budget * per_run / a.batch) // 50 * 50))
        if a.steps: steps = a.steps
        cp = Path("runs") / f"{name}.json"
        if cp.is_file() and (Path("runs") / name).is_dir():   # a run to resume keeps its step count (and so its schedule)
            steps = json.loads(cp.read_text())["steps"]
        every = max(1, steps // 10 // 50 * 50) if steps >= 500 else max(1, steps // 2)
        cfg = dict(base, steps=steps, batch_size=a.batch, seed=0, log_every=10, eval_every=every, ckpt_every=every, keep=2,
                   cpu=a.cpu, progress=False, out_dir=f"runs/{name}", extra=dict(base["extra"], workers=workers))
        cp.write_text(json.dumps(cfg, indent=1))
        log = open(out / f"{name}.log", "w")
        cmd = [sys.executable, "-m", "faceswaplite.cli", "train", "--config", str(cp), "--out", cfg["out_dir"], "--resume"]
        procs[name] = (subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, OMP_NUM_THREADS="1")), time.time())
        info["runs"][name] = dict(config=cfg)
    deadline = t0 + a.budget + 60
    while any(pr.poll() is None for pr, _ in procs.values()) and time.time() < deadline: time.sleep(2)
    for name, (pr, ts) in procs.items():
        r = info["runs"][name]
        if pr.poll() is None: pr.terminate(); r["stopped_at_deadline"] = True
        try: pr.wait(20)
        except subprocess.TimeoutExpired: pr.kill(); pr.wait()
        r["rc"], r["wall_s"] = pr.returncode, round(time.time() - ts, 1)
        run = Path(f"runs/{name}")
        cks = sorted(run.glob("ckpt-*.pt"))
        r["last_checkpoint"] = cks[-1].name if cks else None
        files = [run / "metrics.jsonl", run / "loss.png", Path("runs") / f"{name}.json"]
        if cks:
            import torch
            ck = torch.load(cks[-1], map_location="cpu", weights_only=True)
            r["step"] = ck["step"]; r["finished"] = ck["step"] == r["config"]["steps"]
            if r["finished"]:   # weights, history and config are all a later phase needs: drop the optimizer states
                slim = run / "slim" / cks[-1].name; slim.parent.mkdir(exist_ok=True)
                torch.save({k: v for k, v in ck.items() if k != "optimizers"}, slim); files.insert(0, slim)
            else: files.insert(0, cks[-1])
        with tarfile.open(out / f"{name}.tar", "w") as tf:
            for f in files:
                if f.is_file(): tf.add(f, arcname=f"{name}/{f.name}")
        tar = out / f"{name}.tar"
        if tar.stat().st_size > a.split_mb * 2**20:   # split a large tar for transfers that limit file size (cat the parts to rebuild it)
            data = tar.read_bytes(); tar.unlink(); k = a.split_mb * 2**20
            for i in range(0, len(data), k): (out / f"{name}.tar.part{i // k}").write_bytes(data[i:i + k])
        lg = out / f"{name}.log"; r["log_tail"] = lg.read_text()[-1500:]; lg.unlink()
    info["total_s"] = round(time.time() - t0, 1)
    (out / "summary.json").write_text(json.dumps(info, indent=1))
    print(json.dumps({k: (v if k != "runs" else {n: {kk: vv for kk, vv in r.items() if kk != "config"} for n, r in v.items()}) for k, v in info.items()}, indent=1))

if __name__ == "__main__": main()
