"""Judge training runs on the SynthFaces test set: the last checkpoint of each run folder (or a checkpoint file), scored by
the independent judges of `faceswaplite evaluate` (ID top-1 and cosine with `EvalIDNet`, PSNR against the exact result,
sharpness, error outside the face, pose error). It is how a choice between runs is made by measurement, for example the
weight of the teacher's adversarial phase:

    faceswaplite train --config teacher-synth-phase3 --out runs/teacher-synth-phase3            # adv 0.1, as shipped
    (copy the config, change `extra.adv` or `seed`, train each arm into its own folder from the same `extra.init`)
    PYTHONPATH=. python benchmarks/bench_runs.py runs/teacher-synth-phase3 runs/teacher-p2-adv0.05-s0 ... \\
        --json evaluation/teacher_adv.json --label "teacher: adversarial weight"

Each row records the run's own config (task, init, adversarial weight, loss weights, seed, steps, weight average; for a student its mode,
teacher and quality regressor; for MobileFSGAN its perceptual network), so the JSON says what was compared, the weights hash of what was judged
(`train.weights_hash`; with `ema`, the averaged weights, which a checkpoint ships, and `live_hash`, the optimizer's own), and how many swaps the model's registered swapper refused (an overflowed output, scored as the
target).
A run trained with a weight average (`TrainConfig.ema`) is judged by its average; `--live` judges the same checkpoints'
optimizer weights instead, which are the weights the run would have had without averaging (the average never feeds back),
so one run gives both arms of that comparison. Each row also records the convergence rule (`distill.convergence`: the
rise of the held-out identity cosine and PSNR over the last 20% of the steps) over the whole run (with the phases its
`extra.init` chain started from, where they are found) and over its last phase alone.
Teacher, MobileFSGAN and IDN runs are recognised by their `extra.task`. About 15 s per run on one core.
"""
import argparse, json, math, sys, time
from pathlib import Path

KEYS = ("id_top1", "id_cos", "psnr", "sharpness", "outside_err", "pose_err")

TASKS = dict(teacher="teacher", mobilefsgan="g", idn="student")   # task -> the model's key in its checkpoint

def run_swapper(ckpt: dict, workdir):
    "The registered SynthFaces swapper of the run's task, loaded with the run's trained weights (a state-dict file in `workdir`)."
    import torch
    from faceswaplite import distill as D
    task = ckpt["config"]["extra"]["task"]
    cls = dict(teacher=D.TeacherSynthSwapper, mobilefsgan=D.MobileFSGANSynthSwapper, idn=D.IDNSynthSwapper)[task]
    sd = Path(workdir) / f"{task}.pt"; torch.save(ckpt["models"][TASKS[task]], sd)
    return cls(weights=str(sd))   # its `run` refuses an overflowed output, which the judge scores as the target

def _name(init):
    "The folder (or file) name a run started from; a renamed run folder left behind a link is followed to its name."
    if not init: return None
    p = Path(init)
    return (p.resolve() if p.exists() else p).name

def what_ran(task: str, ex: dict) -> dict:
    "The settings a comparison varies, with the defaults the task builders use where the config leaves one out."
    row = dict(adv=ex.get("adv", dict(teacher=0.0, mobilefsgan=True).get(task)), init=_name(ex.get("init")), weights=ex.get("weights", {}))
    if task == "idn":
        mode = ex.get("mode", "distill")
        row.update(mode=mode, teacher=None if mode == "supervised" else _name(ex.get("teacher", "teacher-synth")), quality=_name(ex.get("quality")))
    if task == "mobilefsgan": row["features"] = ex.get("features", "synth")   # the perceptual network
    return row

def load_runs(runs) -> list:
    "(checkpoint path, checkpoint) of every run, all read and checked before the first (slow) judgement."
    from faceswaplite.train import load_checkpoint, checkpoints
    out = []
    for r in runs:
        path = Path(r)
        if not path.exists(): raise SystemExit(f"{path}: no such run folder or checkpoint")
        if path.is_dir():
            cks = checkpoints(path)
            if not cks: raise SystemExit(f"{path}: no checkpoints")
            path = cks[-1]
        try: ck = load_checkpoint(path)
        except Exception as e: raise SystemExit(str(e) if str(path) in str(e) else f"{path}: {e}")
        task = ck.get("config", {}).get("extra", {}).get("task")
        if task not in TASKS: raise SystemExit(f"{path}: a run of task {task!r}; only {', '.join(TASKS)} runs can be judged")
        out.append((path, ck))
    return out

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("runs", nargs="+", help="run folders (their last checkpoint) or checkpoint files")
    p.add_argument("--json", required=True, help="JSON file to write (rows in the order given)")
    p.add_argument("--label", default="", help="what the runs compare (stored in the JSON)")
    p.add_argument("--live", action="store_true", help="judge the optimizer's own weights of runs with a weight average (`ema`), "
                   "not the average: the same run without averaging")
    p.add_argument("--pairs-seed", type=int, default=0, help="which SynthFaces test set (0: the one `faceswaplite evaluate` reports; "
                   "another seed draws other identities and pictures: a validation set to choose a recipe on)")
    a = p.parse_args(argv)
    import shlex, tempfile, torch; torch.set_num_threads(1)
    from faceswaplite.train import weights_hash
    from faceswaplite.evaluate import evaluate, get_eval_model
    from faceswaplite.core import atomic_write
    from faceswaplite.distill import run_history, convergence, DistillError
    import warnings
    fin = lambda v: v if math.isfinite(v) else None   # the exact result's PSNR is infinite: null in the JSON
    rows = []
    runs = load_runs(a.runs)
    for path, ck in runs if a.live else ():   # every run checked before the first (slow) judgement
        if TASKS[ck["config"]["extra"]["task"]] not in ck.get("live", {}):
            raise SystemExit(f"{path}: --live, but this run keeps no weight average of its model (its config has no ema)")
    for path, ck in runs:
        cfg = ck["config"]; ex = cfg["extra"]; task = ex["task"]
        if a.live: ck = dict(ck, models={**ck["models"], **ck["live"]})
        t0 = time.perf_counter()
        with tempfile.TemporaryDirectory() as d:
            m = get_eval_model(run_swapper(ck, d), name=task)
            res = evaluate(models=[m], real=False, log=None, strict=True, seed=a.pairs_seed)
        if task not in res["synth"]: raise SystemExit(f"{path}: the judges could not score it ({res.get('skipped')})")
        s = res["synth"][task]
        wh, live = weights_hash(m.swapper.model), {}
        if "live" in ck and not a.live:   # a run with a weight average: the optimizer's own weights too, to show the same path as a run without it
            m.swapper.model.load_state_dict(ck["live"][TASKS[task]]); live = dict(live_hash=weights_hash(m.swapper.model))
        settled = {}
        if path.parent.is_dir() and len(ck["history"]["eval"]["step"]) >= 2:   # the convergence rule, over the whole run and over this phase alone
            try:
                with warnings.catch_warnings(): warnings.simplefilter("ignore"); steps_all, hist, phases = run_history(path.parent, ck)
                settled = dict(settled=dict(run=convergence(hist), phase=convergence(ck["history"]), run_steps=steps_all, phases=len(phases)))
            except DistillError as e:   # an earlier phase's history that does not fit: the row says so, the judgement stands
                settled = dict(settled=dict(error=str(e)))
        rows.append(dict(run=path.parent.name, checkpoint=path.name, step=ck["step"], task=task, seed=cfg["seed"],
                         steps=cfg["steps"], lr=cfg["lr"], ema=cfg.get("ema", 0.0), averaged="live" in ck and not a.live, **what_ran(task, ex), refused=m.refused,
                         weights_hash=wh, **live, **settled, **{k: fin(s[k]) for k in KEYS if k in s}))
        print(json.dumps({k: (round(v, 4) if isinstance(v, float) else v) for k, v in rows[-1].items()}),
              f"({time.perf_counter() - t0:.0f} s)", file=sys.stderr, flush=True)
    refs = {k: {m: fin(v[m]) for m in KEYS if m in v} for k, v in res["synth"].items() if "reference" in k}
    cmd = ["python", "benchmarks/bench_runs.py", *map(str, a.runs), "--json", str(a.json)] + (["--label", a.label] if a.label else []) \
          + (["--pairs-seed", str(a.pairs_seed)] if a.pairs_seed else []) + (["--live"] if a.live else [])
    doc = dict(label=a.label, n_pairs=res["config"]["n_pairs"], pairs_seed=a.pairs_seed, live=a.live, references=refs, rows=rows, command="PYTHONPATH=. " + shlex.join(cmd))
    atomic_write(a.json, (json.dumps(doc, indent=1) + "\n").encode())
    print(f"wrote {a.json}: {len(rows)} runs")

if __name__ == "__main__":
    main()
