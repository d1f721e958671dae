"""One place for each thing: the package's modules import each other without a circle (lazy imports inside functions
count too), the small shared helpers are defined once, and every registered name is declared as an entry point."""
import ast, configparser, re
from pathlib import Path
from conftest import ROOT

PKG = ROOT / "faceswaplite"

def import_graph() -> dict:
    "module -> set of faceswaplite modules it imports anywhere in its source (top level or inside functions)."
    mods = {p.stem for p in PKG.glob("*.py") if not p.stem.startswith("_")}
    g = {}
    for m in mods:
        deps = set()
        for n in ast.walk(ast.parse((PKG / f"{m}.py").read_text())):
            if isinstance(n, ast.ImportFrom):
                parts = (n.module or "").split(".")
                if n.level == 1: names = [parts[0]] if n.module else [a.name for a in n.names]
                elif parts[0] == "faceswaplite": names = parts[1:2] or [a.name for a in n.names]
                else: names = []
            elif isinstance(n, ast.Import):
                names = [a.name.split(".")[1] for a in n.names if a.name.startswith("faceswaplite.")]
            else: continue
            deps |= {d for d in names if d in mods and d != m}
        g[m] = deps
    return g

def find_cycle(g: dict):
    "A list of modules forming a cycle, or None (depth-first search with colours)."
    state, stack = {}, []
    def visit(m):
        state[m] = 1; stack.append(m)
        for d in sorted(g[m]):
            if state.get(d) == 1: return stack[stack.index(d):] + [d]
            if d not in state and (c := visit(d)): return c
        state[m] = 2; stack.pop()
    for m in sorted(g):
        if m not in state and (c := visit(m)): return c

def test_find_cycle_finds_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None

def test_no_import_cycle():
    g = import_graph()
    assert {"core", "registry", "swap", "distill", "export", "identity", "synthfaces"} <= set(g)
    assert not g["core"] and g["registry"] == {"core"}
    assert not g["swap"] & {"distill", "export", "train"}, g["swap"]       # the swapper registry needs no training code
    assert "synthfaces" not in g["identity"], g["identity"]
    assert find_cycle(g) is None, " -> ".join(find_cycle(g))

def test_shared_helpers_defined_once():
    src = {p.name: p.read_text() for p in PKG.glob("*.py") if not p.name.startswith("_")}
    for pattern, home in [(r"^\s*def psnr\(", "core.py"), (r"^\s*def ssim\(", "core.py"), (r"^\s*def sha256_file\(", "core.py"),
                          (r"^\s*def _?(atomic_write|save_atomic)\(", "core.py|train.py"), (r"mkstemp\(", "core.py|swap.py")]:
        where = sorted(f for f, s in src.items() if re.search(pattern, s, re.M))
        assert where == home.split("|"), f"{pattern}: in {where}, want only {home}"
    # train.save_atomic is torch.save through core.atomic_write; swap's mkstemp is the video writer's streamed temporary file
    assert re.search(r"def save_atomic\(.*\n(?:.*\n){1,4}\s*return atomic_write\(", src["train.py"])
    cli = src["cli.py"]
    assert cli.count('help="swapper: classical, a learned model name (idn-synth-onnx starts fastest: no torch), or a local .onnx path"') == 1

def test_every_registered_swapper_is_declared():
    "A swapper registered in code but missing from settings.ini's entry points would vanish from `swap` until imported."
    import faceswaplite.distill, faceswaplite.export   # noqa: F401  (they register their swappers)
    from faceswaplite.registry import SWAPPERS, ENCODERS
    cfg = configparser.ConfigParser(delimiters=["="]); cfg.read(ROOT / "settings.ini")
    declared = lambda key: {e.split("=")[0] for e in cfg["DEFAULT"][key].split()}
    assert set(SWAPPERS._lib) == declared("swappers"), (sorted(SWAPPERS._lib), declared("swappers"))
    import faceswaplite.synthfaces  # noqa: F401
    assert set(ENCODERS._lib) - {"dlib", "arcface-onnx"} == declared("encoders")
