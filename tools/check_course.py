"""Course checks, run by `make test`: every notebook <= 1.2 MB and all of them <= 8 MB; every file of this repository that the
prose names (a .md or .ipynb name, or a path under one of the repository's folders) exists; no talk of the project's own
development status; no code cell over 60 lines in the core notebooks 05-10 (pacing). Names of files outside the repository (a model you bring,
the authors' released code) are not checked."""
import json, re, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_NB, MAX_TOTAL = 1.2e6, 8.0e6          # bytes per notebook, all notebooks together
MAX_LINES, PACED = 60, re.compile(r"^(0[5-9]|10)[a-z]?_")   # code cell lines; the notebooks held to it (05_iim ... 10_export)
STATUS = [r"\bthe issue (asks|says|wants)", r"\ba later issue\b", r"\buntil\b[^.\n]{0,60}\bships?\b", r"\bnot merged yet\b",
          r"\bin this session\b", r"\bis not merged\b", r"\bwill land\b", r"\bonce [^.\n]{0,40} lands\b"]
EXT = r"(?:md|py|ipynb|json|jsonl|png|jpg|jpeg|onnx|pt|yaml|yml|toml|ini|txt|dat|svm|mp4|csv|html)"
NAME = re.compile(rf"(?<![\w/.<{{*-])((?:[\w.-]+/)*[\w-]+(?:\.[\w-]+)*\.{EXT})(?![\w/])")

def tracked(root: Path) -> set:
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=root, capture_output=True, text=True).stdout
    return {l for l in out.splitlines() if l}

def main(root=ROOT) -> int:
    root = Path(root); files = tracked(root); names = {Path(f).name for f in files}
    tops = {f.split("/")[0] for f in files if "/" in f} | {"experiments", "evaluation"}
    problems, total = [], 0
    nbs = sorted((root / "nbs").glob("*.ipynb"))
    for nb in nbs:
        size = nb.stat().st_size; total += size
        if size > MAX_NB: problems.append(f"{nb.name}: {size / 1e6:.2f} MB > {MAX_NB / 1e6:.1f} MB")
        for i, c in enumerate(json.loads(nb.read_text())["cells"]):
            if c["cell_type"] == "code" and PACED.match(nb.name):
                n = len("".join(c["source"]).splitlines())
                if n > MAX_LINES: problems.append(f"{nb.name} cell {i}: a code cell of {n} lines > {MAX_LINES}")
            if c["cell_type"] != "markdown": continue
            text = "".join(c["source"])
            for pat in STATUS:
                for m in re.finditer(pat, text, re.I): problems.append(f"{nb.name} cell {i}: development-status talk {m.group(0)!r}")
            for m in NAME.finditer(text):
                name = m.group(1)
                ours = name.endswith((".md", ".ipynb")) or name.split("/")[0] in tops   # a name that points into this repository
                if not ours or name in files or f"nbs/{name}" in files or (name.endswith((".md", ".ipynb")) and Path(name).name in names): continue
                problems.append(f"{nb.name} cell {i}: names {name!r}, which is not in the repository")
    if total > MAX_TOTAL: problems.append(f"all notebooks: {total / 1e6:.2f} MB > {MAX_TOTAL / 1e6:.0f} MB")
    for p in problems: print("course:", p)
    print(f"course: {'FAILED' if problems else 'ok'} ({len(nbs)} notebooks, {total / 1e6:.2f} MB, {len(problems)} problems)")
    return 1 if problems else 0

if __name__ == "__main__": sys.exit(main(*sys.argv[1:]))
