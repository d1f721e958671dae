"""Fail if nbdev_clean, nbdev_export or the README render would change any file: notebooks are the source of truth."""
import hashlib, subprocess, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
bin_ = Path(sys.executable).parent

def snapshot():
    files = [*root.glob("nbs/**/*.ipynb"), *root.glob("faceswaplite/**/*.py"), root / "README.md", *root.glob("README_files/*"),
             root / "pyproject.toml", root / "settings.ini"]
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files if p.is_file() and ".ipynb_checkpoints" not in str(p)}

before = snapshot()
for cmd in ([str(bin_ / "nbdev_clean")], [str(bin_ / "nbdev_export")], [sys.executable, str(root / "tools" / "render_readme.py")]):
    subprocess.run(cmd, cwd=root, check=True, stdout=subprocess.DEVNULL)
after = snapshot()
changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
if changed:
    print("sync: FAILED: nbdev_clean / nbdev_export / make readme changed:", *changed, sep="\n  ")
    print("run `make export` and commit the result")
    sys.exit(1)
print(f"sync: ok ({len(after)} files: notebooks clean, library and README in sync)")
