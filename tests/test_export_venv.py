"""An exported identity model runs in a clean virtual environment that has only onnxruntime and numpy (no torch, no faceswaplite)."""
import json, subprocess, sys, textwrap
from pathlib import Path
import numpy as np
import torch

RUNNER = textwrap.dedent('''
    import json, sys, importlib.util
    import numpy as np, onnxruntime as ort
    model, x, want = sys.argv[1:4]
    s = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
    outs = s.run(None, {s.get_inputs()[0].name: np.load(x)})
    ref = np.load(want)
    print(json.dumps(dict(diff=float(np.abs(outs[0] - ref).max()), shapes=[list(o.shape) for o in outs],
                          value_range=s.get_modelmeta().custom_metadata_map.get("value_range"),
                          torch=importlib.util.find_spec("torch") is not None,
                          faceswaplite=importlib.util.find_spec("faceswaplite") is not None)))
''')

def test_identity_onnx_runs_in_clean_venv(tmp_path):
    from faceswaplite.export import get_model, to_onnx
    torch.manual_seed(0)
    static = get_model("idn").fold(torch.randn(1, 256, 4, 4), torch.nn.functional.normalize(torch.randn(1, 128), dim=1))
    model = to_onnx(static, tmp_path / "identity.onnx", metadata=dict(identity_source="random"))
    x = torch.rand(2, 3, 224, 224)
    with torch.no_grad(): ref = static(x)[0]
    np.save(tmp_path / "x.npy", x.numpy()); np.save(tmp_path / "ref.npy", ref.numpy())
    (tmp_path / "run.py").write_text(RUNNER)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)   # a plain venv: no site-packages
    py = venv / "bin" / "python"
    r = subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "-q", "--disable-pip-version-check",
                        "onnxruntime", "numpy"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    r = subprocess.run([str(py), "-I", str(tmp_path / "run.py"), str(model), str(tmp_path / "x.npy"), str(tmp_path / "ref.npy")],
                       capture_output=True, text=True, timeout=120, cwd=tmp_path, env={"PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, r.stderr[-2000:]
    out = json.loads(r.stdout)
    assert out["torch"] is False and out["faceswaplite"] is False       # really clean
    assert out["shapes"] == [[2, 3, 224, 224], [2, 1, 224, 224]] and out["value_range"] == "01"
    assert out["diff"] <= 1e-4, out
