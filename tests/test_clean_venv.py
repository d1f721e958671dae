"""`pip install faceswaplite` works: the built wheel, installed with only its declared dependencies into a fresh venv,
runs the README's commands from a folder outside the checkout, and imports nothing it does not declare.

How this test was shown to fail: with `from fastcore.basics import AttrDict` put back into `nbs/08_train.ipynb`
(exported to `faceswaplite/train.py`), `faceswaplite demo` and the module walk stop with
`ModuleNotFoundError: No module named 'fastcore'`, and the static check names `faceswaplite/train.py: fastcore`."""
import json, os, re, subprocess, sys, textwrap, time
from pathlib import Path
import pytest
from conftest import ROOT

# Runs inside the clean venv: import every module, then check every import statement of the installed package
# against the distributions the wheel declares (extras excluded), so an undeclared import fails even where its
# package happens to be installed.
CHECK_IMPORTS = textwrap.dedent('''
    import ast, importlib, importlib.metadata as md, json, pkgutil, re, sys
    from pathlib import Path
    import faceswaplite
    mods = ["faceswaplite"] + [m.name for m in pkgutil.walk_packages(faceswaplite.__path__, "faceswaplite.")]
    failed = {}
    for m in mods:
        try: importlib.import_module(m)
        except Exception as e: failed[m] = f"{type(e).__name__}: {e}"
    canon = lambda n: re.sub(r"[-_.]+", "-", n).lower()
    declared = {canon(re.split(r"[ ;<>=!~\\\\[(]", r, maxsplit=1)[0]) for r in md.requires("faceswaplite") or [] if "extra ==" not in r}
    owners = {}   # import name -> distributions whose installed files hold it (top_level.txt can be wrong: dlib-bin's is)
    for d in md.distributions():
        for f in d.files or []:
            top = f.parts[0].split(".")[0] if f.parts else ""
            if top and not top.endswith("-info"): owners.setdefault(top, set()).add(canon(d.metadata["Name"]))
    undeclared = []
    for f in sorted(Path(faceswaplite.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(f.read_text())):
            if isinstance(node, ast.Import): tops = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0: tops = [node.module.split(".")[0]]
            else: continue
            for t in tops:
                if t in sys.stdlib_module_names or t == "faceswaplite": continue
                if not owners.get(t, set()) & declared: undeclared.append(f"faceswaplite/{f.name}: {t}")
    print(json.dumps(dict(modules=len(mods), failed=failed, undeclared=sorted(set(undeclared)), declared=sorted(declared))))
''')

# Runs inside the clean venv: one swap with every registered swapper name, each output checked for provenance.
SWAP_EACH = textwrap.dedent('''
    import json, sys
    from faceswaplite.core import sample_image, save_image
    from faceswaplite.swap import SWAPPERS, swap_file
    from faceswaplite.provenance import verify
    import faceswaplite.distill, faceswaplite.export     # the learned swappers register here
    src, tgt = save_image(sample_image("grace_hopper"), "src.png"), save_image(sample_image("tom_hanks"), "tgt.png")
    res = {}
    for name in sorted(SWAPPERS):
        out, rep = swap_file(src, tgt, f"swap_{name}.png", model=name, measure=False)
        res[name] = dict(output=str(out), swapped=len(rep.swapped), synthetic=verify(out)["synthetic"])
    print(json.dumps(res))
''')

def _torch_spec() -> str:
    "The torch the Makefile installs (one source: its TORCH_SPEC line), unless TORCH_SPEC is set."
    m = re.search(r"^TORCH_SPEC\s*\?=\s*(\S+)", (ROOT / "Makefile").read_text(), re.M)
    return os.environ.get("TORCH_SPEC") or (m.group(1) if m else "torch")

@pytest.fixture(scope="module")
def venv(built_wheel, tmp_path_factory):
    "A fresh venv holding torch (as the Makefile installs it) and the wheel with its runtime dependencies only."
    d = tmp_path_factory.mktemp("cleanvenv")
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", str(d / "venv")], check=True, timeout=300)
    py = d / "venv" / "bin" / "python"
    r = subprocess.run([str(py), "-m", "pip", "install", "-q", _torch_spec(), str(built_wheel)],
                       capture_output=True, text=True, timeout=900, cwd=d)
    assert r.returncode == 0, r.stderr[-3000:]
    print(f"\nclean venv: created and installed in {time.perf_counter() - t0:.0f} s")
    work = d / "work"; work.mkdir()
    return dict(dir=d, py=py, bin=py.parent, wheel=built_wheel, work=work,
                env={"PATH": f"{py.parent}:/usr/bin:/bin", "HOME": str(d / "home"), "MPLBACKEND": "Agg", "CI": "true",
                     "FACESWAPLITE_CACHE": str(d / "cache"), "LANG": "C.UTF-8"})

def run(v, *args, timeout=600, check=True):
    "Run a command of the clean venv from a folder outside the checkout."
    t0 = time.perf_counter()
    exe = str(v["bin"] / args[0]) if (v["bin"] / args[0]).exists() else args[0]
    r = subprocess.run([exe, *map(str, args[1:])], capture_output=True, text=True, timeout=timeout, cwd=v["work"],
                       env=v["env"], stdin=subprocess.DEVNULL)
    print(f"clean venv: {' '.join(map(str, args))[:90]}: {time.perf_counter() - t0:.1f} s")
    if check: assert r.returncode == 0, f"{args}: exit {r.returncode}\n{r.stdout[-1500:]}\n{r.stderr[-3000:]}"
    return r

def test_installed_from_the_wheel_not_the_checkout(venv):
    r = run(venv, "python", "-c", "import faceswaplite, json, sys; print(json.dumps([faceswaplite.__file__, sys.prefix]))")
    where, prefix = json.loads(r.stdout)
    assert Path(where).is_relative_to(venv["dir"]) and not Path(where).is_relative_to(ROOT), where
    r = run(venv, "python", "-m", "pip", "list", "--format=json")
    installed = {p["name"].lower() for p in json.loads(r.stdout)}
    assert "faceswaplite" in installed and not installed & {"nbdev", "fastcore", "execnb", "pytest", "jupyterlab"}, installed

def test_every_module_imports_and_declares_its_imports(venv):
    r = run(venv, "python", "-c", CHECK_IMPORTS)
    res = json.loads(r.stdout.strip().splitlines()[-1])
    assert res["modules"] >= 15, res
    assert not res["failed"], res["failed"]
    assert not res["undeclared"], f"imports of packages the wheel does not declare: {res['undeclared']}"

def test_demo(venv):
    r = run(venv, "faceswaplite", "demo", "-o", "demo", "--frames", "5")
    written = [Path(l) for l in r.stdout.split()]
    assert len(written) >= 4 and all(p.is_file() and p.stat().st_size > 0 for p in written), r.stdout
    assert any(p.suffix == ".mp4" for p in written)

def test_every_swapper_name(venv):
    r = run(venv, "python", "-c", SWAP_EACH)
    res = json.loads(r.stdout.strip().splitlines()[-1])
    assert {"classical", "idn-synth", "idn-synth-int8", "mobilefsgan-synth", "teacher-synth"} <= set(res), sorted(res)
    bad = {k: v for k, v in res.items() if not (v["swapped"] >= 1 and v["synthetic"] and (venv["work"] / v["output"]).is_file())}
    assert not bad, bad

def test_cli_commands(venv):
    w = venv["work"]
    run(venv, "python", "-c", "from faceswaplite.core import sample_image, save_image; "
        "save_image(sample_image('grace_hopper'), 'grace.png'); save_image(sample_image('astronaut'), 'astro.png')")
    run(venv, "faceswaplite", "swap", "grace.png", "astro.png", "-o", "swapped.png", "--model", "idn-synth")
    r = run(venv, "faceswaplite", "verify", "swapped.png", "--json")
    assert json.loads(r.stdout)["synthetic"] is True
    r = run(venv, "faceswaplite", "export", "--source", "grace.png", "-o", "grace.onnx", "--json")
    assert json.loads(r.stdout)["bytes"] > 0 and (w / "grace.onnx").is_file()
    r = run(venv, "faceswaplite", "video", "grace.png", "sample.mp4", "-o", "clip.mp4", "--max-frames", "4", "--json", check=False)
    assert r.returncode == 2 and "sample.mp4" in r.stderr          # no such clip yet: a clear error, nothing written
    assert not (w / "clip.mp4").exists()
    run(venv, "python", "-c", "import shutil; from faceswaplite.swap import sample_video; shutil.copy(sample_video(), 'sample.mp4')")
    r = run(venv, "faceswaplite", "video", "grace.png", "sample.mp4", "-o", "clip.mp4", "--max-frames", "4", "--json")
    assert json.loads(r.stdout)["frames"] == 4 and (w / "clip.mp4").stat().st_size > 0
    r = run(venv, "faceswaplite", "evaluate", "--help")
    assert "--models" in r.stdout
    run(venv, "python", "-c", "import faceswaplite.widgets")

def test_app_extra(venv):
    "`pip install faceswaplite[app]`: voila runs and the SwapStudio app notebook's code runs."
    r = subprocess.run([str(venv["py"]), "-m", "pip", "install", "-q", f"faceswaplite[app] @ {venv['wheel'].as_uri()}"],
                       capture_output=True, text=True, timeout=900, cwd=venv["dir"])
    assert r.returncode == 0, r.stderr[-3000:]
    assert "voila" in run(venv, "voila", "--help").stdout.lower()
    nb = json.loads((ROOT / "tools" / "swapstudio_app.ipynb").read_text())
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert "faceswaplite" in code
    run(venv, "python", "-c", code)
