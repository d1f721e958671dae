"""Render README.md (and README_files/) from nbs/index.ipynb with nbconvert's markdown exporter.

Cells starting with `#| hide` are left out; cells marked `#| echo: false` show their output only.
Usage: python tools/render_readme.py [OUT_DIR]   (default: the repo root)
"""
import re, shutil, sys
from pathlib import Path
import nbformat
from nbconvert import MarkdownExporter
from nbconvert.writers import FilesWriter

root = Path(__file__).resolve().parent.parent
out = Path(sys.argv[1]) if len(sys.argv) > 1 else root
nb = nbformat.read(root / "nbs" / "index.ipynb", as_version=4)
nb.cells = [c for c in nb.cells if not (c.cell_type == "code" and re.match(r"\s*#\|\s*hide", c.source))]
body, res = MarkdownExporter().from_notebook_node(nb, resources={"output_files_dir": "README_files", "unique_key": "README"})
body = re.sub(r"```\w*\n#\| echo: false\n.*?```\n", "", body, flags=re.S)
if (out / "README_files").exists(): shutil.rmtree(out / "README_files")
FilesWriter(build_directory=str(out)).write(body, res, notebook_name="README")
print(f"wrote {out / 'README.md'}")
