"""FSTriplets labels: about 40% of a training stream is labelled, and no training loss ever reads the exact result of an
unlabelled pair (it may only be used by evaluation)."""
import copy
import pytest
import torch
from torch.utils.data import default_collate

from faceswaplite.triplets import SynthTriplets, MIX
from faceswaplite.train import TrainConfig
from faceswaplite.distill import build_teacher, build_mobilefsgan, build_idn, SYNTH_SIZE


def test_labelled_fraction():
    ds = SynthTriplets(length=4000, size=64, seed=3)
    frac = sum(ds.labelled(ds.recipe(i).kind) for i in range(4000)) / 4000
    assert abs(frac - (1 - MIX["vanilla"])) <= 0.02 and abs(frac - 0.40) <= 0.02, frac
    b = ds.sample(range(60))
    for r in b:
        assert r["has_gt"] == (r["kind"] != "vanilla")
        if not r["has_gt"]: assert r["gt"].abs().sum() == 0 and r["exact"].abs().sum() > 0


def _batch(seed=0, n=6):
    "A training batch with both labelled and unlabelled triplets."
    ds = SynthTriplets(length=200, size=SYNTH_SIZE, seed=seed)
    idx = [i for i in range(200) if ds.recipe(i).kind == "vanilla"][:n // 2] + [i for i in range(200) if ds.recipe(i).kind != "vanilla"][:n // 2]
    return default_collate(ds.sample(idx))


def _poison(batch):
    "The same batch with the exact results, and the label slots of unlabelled samples, replaced by noise."
    b = copy.copy(batch)
    g = torch.Generator().manual_seed(1)
    noise = torch.rand(b["exact"].shape, generator=g)
    keep = b["has_gt"].view(-1, 1, 1, 1)
    b["exact"] = noise
    b["gt"] = torch.where(keep, b["gt"], torch.rand(b["gt"].shape, generator=g))
    return b


TRAINERS = {
    "teacher": (build_teacher, {}),
    "mobilefsgan": (build_mobilefsgan, {}),
    "idn-supervised": (build_idn, {"mode": "supervised"}),
    "idn-distill": (build_idn, {"mode": "distill"}),
}


@pytest.mark.parametrize("name", list(TRAINERS))
def test_no_loss_reads_unlabelled_exact(name, tmp_path):
    build, extra = TRAINERS[name]
    cfg = TrainConfig(steps=1, batch_size=6, seed=0, log_every=1, eval_every=0, out_dir=str(tmp_path), cpu=True, extra=extra)
    tr = build(cfg)
    batch = _batch()
    assert batch["has_gt"].any() and (~batch["has_gt"]).any()
    for phase, fn in tr.phases.items():
        outs = []
        for b in (batch, _poison(batch)):
            torch.manual_seed(0)
            models = copy.deepcopy(tr.models)
            out = fn(models, b, {})
            outs.append({k: float(v.detach()) for k, v in out.items()})
        assert outs[0] == outs[1], f"{name}/{phase}: a loss changed when only unlabelled labels / exact results changed"
        # and the check can fail: poisoning a *labelled* ground truth changes the loss
    if name in ("teacher", "idn-supervised", "mobilefsgan"):
        b = copy.copy(batch); b["gt"] = torch.where(batch["has_gt"].view(-1, 1, 1, 1), torch.rand(batch["gt"].shape), batch["gt"])
        fn = next(iter(tr.phases.values()))
        torch.manual_seed(0); l0 = float(fn(copy.deepcopy(tr.models), batch, {})["loss"].detach())
        torch.manual_seed(0); l1 = float(fn(copy.deepcopy(tr.models), b, {})["loss"].detach())
        assert l0 != l1
