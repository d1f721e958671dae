"""nbdev 2's layout: settings.ini is the one source of the package's metadata and version, setup.py builds from it,
pyproject.toml holds only the build system, and the nbdev 2 toolchain stays on versions that work together."""
import configparser, importlib.metadata as md, re, zipfile
from pathlib import Path
from conftest import ROOT

def settings() -> dict:
    c = configparser.ConfigParser(delimiters=["="]); c.read(ROOT / "settings.ini")
    return dict(c["DEFAULT"])

def test_top_level():
    for name in ("nbs", "faceswaplite", "data_samples", "settings.ini", "setup.py", "README.md", "Makefile", "tests"):
        assert (ROOT / name).exists(), name
    assert not list((ROOT / "nbs").glob("llms.txt"))                 # an nbdev 3 artefact

def test_pyproject_is_build_system_only():
    import tomllib
    t = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert set(t) == {"build-system"}, set(t)

def test_nbdev2_toolchain_pinned_and_installed():
    from packaging.version import Version
    dev = settings()["dev_requirements"].split()
    for pin in ("nbdev==2.4.14", "fastcore>=1.12.3,<2", "execnb>=0.1.12,<0.2", "ghapi<2"): assert pin in dev, pin
    assert md.version("nbdev") == "2.4.14"
    assert Version("1.12.3") <= Version(md.version("fastcore")) < Version("2")     # fastcore 2 removed Param
    assert Version("0.1.12") <= Version(md.version("execnb")) < Version("0.2")     # execnb 0.2 removed execnb.nbio
    assert Version(md.version("ghapi")) < Version("2")

def test_version_has_one_source(built_wheel):
    import faceswaplite
    v = settings()["version"]
    assert faceswaplite.__version__ == v == md.version("faceswaplite")
    assert built_wheel.name.startswith(f"faceswaplite-{v}-")
    meta = next(n for n in zipfile.ZipFile(built_wheel).namelist() if n.endswith("METADATA"))
    text = zipfile.ZipFile(built_wheel).read(meta).decode()
    assert re.search(rf"^Version: {re.escape(v)}$", text, re.M)
    assert "Provides-Extra: app" in text and "Provides-Extra: dev" in text
    for req in settings()["requirements"].split(): assert f"Requires-Dist: {req.split('>')[0].split('<')[0].split('=')[0]}" in text, req
