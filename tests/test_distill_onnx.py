"""OnnxTeacher on a stand-in with inswapper_128's signature exported by torch.onnx.export(dynamo=True): parity with the torch module."""
import numpy as np, pytest, torch, torch.nn as nn, torch.nn.functional as F
from faceswaplite.distill import OnnxTeacher, TorchTeacher, DistillError, distill_step
from faceswaplite.train import ToySwaps, ToyGenerator, toy_embed, Trainer, TrainConfig

class Standin(nn.Module):
    "A conv-net swapper: target (1,3,128,128) in [0,1] + source (1,512) -> (1,3,128,128) in [0,1]."
    def __init__(self):
        super().__init__()
        self.style = nn.Linear(512, 8); self.c1 = nn.Conv2d(3, 8, 3, padding=1); self.c2 = nn.Conv2d(8, 3, 3, padding=1)
    def forward(self, target, source):
        h = F.relu(self.c1(target * 2 - 1) * (1 + self.style(source)[..., None, None]))
        return torch.sigmoid(self.c2(h))

@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    torch.manual_seed(0)
    m = Standin().eval()
    path = tmp_path_factory.mktemp("onnx") / "inswapper_standin.onnx"
    torch.onnx.export(m, (torch.rand(1, 3, 128, 128), torch.randn(1, 512)), str(path), input_names=["target", "source"],
                      output_names=["output"], dynamo=True, external_data=False)
    return m, path

def test_parity_with_torch(exported):
    m, path = exported
    ot = OnnxTeacher(path)
    assert (ot.size, ot.latent_dim, ot.emap is None) == (128, 512, True)     # no 512x512 initializer: no emap step
    x, z = torch.rand(3, 3, 128, 128), F.normalize(torch.randn(3, 512), dim=1)
    tt = TorchTeacher(m, 128, 512)
    d = (ot(x, z) - tt(x, z)).abs().max().item()
    assert d < 1e-5, d
    assert ot(torch.rand(2, 3, 64, 64), z[:2]).shape == (2, 3, 64, 64)

def test_drives_a_distillation_step(exported):
    _, path = exported
    ot = OnnxTeacher(path)
    proj = torch.randn(3, 512, generator=torch.Generator().manual_seed(0))
    step = distill_step(ot, toy_embed, teacher_embed=lambda im: F.normalize(toy_embed(im) @ proj, dim=1))
    dl = torch.utils.data.DataLoader(ToySwaps(32, size=32), batch_size=8)
    h = Trainer(dict(student=ToyGenerator(ch=8)), dl, step, TrainConfig.baby(steps=3, out_dir=str(path.parent / "run"))).fit()
    assert h["step"] == [1, 2, 3] and all(np.isfinite(v) for v in h["losses"]["loss"])

def test_wrong_latent(exported):
    with pytest.raises(DistillError, match="latent must be"): OnnxTeacher(exported[1])(torch.rand(1, 3, 128, 128), torch.randn(1, 128))
