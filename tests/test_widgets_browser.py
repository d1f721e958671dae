"""SwapStudio in a real browser: JupyterLab + Debian's chromium driven by playwright.

Starts JupyterLab on a free localhost port with a random token and every Jupyter folder in a temp dir (nothing in ~ is
touched), opens a copy of nbs/12_widgets.ipynb, runs all cells from the Run menu, picks a source in SwapStudio, clicks
Swap and waits for a new result image, which must be a real picture (pixel std > 10). The second test disables the Swap
button's handler in its copy of the notebook and checks that the same wait then fails: the first test can fail.

Set FSL_WIDGET_SHOTS=<folder> to also save a screenshot of every widget there (how nbs/images/ is made).
"""
import json, os, secrets, shutil, socket, subprocess, sys, time, urllib.request
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]

pw = pytest.importorskip("playwright.sync_api", reason="pip install playwright (dev extra)")
if not Path(CHROMIUM).exists(): pytest.skip(f"{CHROMIUM} missing (apt-get install chromium; `make install` does it as root)", allow_module_level=True)

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); return s.getsockname()[1]

@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    "A JupyterLab server on a free port with a random token, rooted in a temp dir: (base url, token, root)."
    tmp = tmp_path_factory.mktemp("lab")
    root, cfg = tmp / "root", tmp / "jupyter"
    root.mkdir()
    settings = cfg / "lab-user-settings"
    for rel, val in [("@jupyterlab/notebook-extension/tracker.jupyterlab-settings", {"windowingMode": "none"}),
                     ("@jupyterlab/apputils-extension/notification.jupyterlab-settings", {"fetchNews": "false", "checkForUpdates": False})]:
        (settings / rel).parent.mkdir(parents=True, exist_ok=True); (settings / rel).write_text(json.dumps(val))
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(cfg / "config"), "JUPYTER_DATA_DIR": str(cfg / "data"),
           "JUPYTER_RUNTIME_DIR": str(cfg / "runtime"), "IPYTHONDIR": str(cfg / "ipython"),
           "JUPYTERLAB_SETTINGS_DIR": str(settings), "JUPYTERLAB_WORKSPACES_DIR": str(cfg / "workspaces"),
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
           "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    log = open(tmp / "lab.log", "w")
    proc = subprocess.Popen([str(BIN / "jupyter"), "lab", "--no-browser", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
                             "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
                             "--LabApp.news_url=", "--LabApp.extension_manager=readonly", "--ServerApp.open_browser=False"]
                            + (["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
                            cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            if proc.poll() is not None: raise RuntimeError(f"jupyter lab exited: {(tmp / 'lab.log').read_text()[-2000:]}")
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2); break
            except Exception: time.sleep(0.5)
        else: raise RuntimeError("jupyter lab did not start in 60 s")
        yield base, token, root
    finally:
        proc.terminate()
        try: proc.wait(20)
        except subprocess.TimeoutExpired: proc.kill()
        log.close()

JS_PIXELS = """async (img) => {
  await img.decode().catch(() => {});
  const c = document.createElement('canvas'); c.width = img.naturalWidth; c.height = img.naturalHeight;
  if (!c.width) return {w: 0, h: 0, mean: 0, std: 0, src: img.src};
  const g = c.getContext('2d'); g.drawImage(img, 0, 0);
  const d = g.getImageData(0, 0, c.width, c.height).data;
  let s = 0, s2 = 0, n = 0;
  for (let i = 0; i < d.length; i += 4) for (let k = 0; k < 3; k++) { const v = d[i + k]; s += v; s2 += v * v; n++; }
  const m = s / n; return {w: c.width, h: c.height, mean: m, std: Math.sqrt(Math.max(0, s2 / n - m * m)), src: img.src};
}"""

def open_and_run_all(page, base, token, name, timeout_s=170):
    "Open notebook `name` in JupyterLab, Run > Run All Cells, wait until every code cell has an execution count."
    page.goto(f"{base}/lab/tree/{name}?reset&token={token}")   # reset: a fresh workspace, only this notebook open
    nb = page.locator(".jp-NotebookPanel:visible")
    nb.locator(".jp-CodeCell").first.wait_for(timeout=60_000)
    page.wait_for_function("() => /\\| Idle/.test(document.body.innerText)", timeout=60_000)   # status bar: kernel up
    page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-item[data-command='runmenu:run-all']").click()
    t0 = time.time()
    while time.time() - t0 < timeout_s:
        prompts = nb.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()
        if prompts and all(p.strip().startswith("[") and p.strip()[1:-2].isdigit() for p in prompts): break
        errors = nb.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']", has_text="Traceback")
        if errors.count(): raise AssertionError(f"a cell failed: {errors.first.inner_text()[-1500:]}")
        time.sleep(1)
    else: raise TimeoutError(f"cells did not finish in {timeout_s} s: {prompts}")
    return time.time() - t0

def swap_in_browser(page, shots: Path, wait_s: float=60):
    "Choose a source in the first SwapStudio, click Swap, wait for a new result image; returns its pixel statistics."
    studio = page.locator(".fsl-swapstudio").first
    studio.scroll_into_view_if_needed()
    result = studio.locator("img.fsl-result")
    before = result.evaluate(JS_PIXELS)
    studio.locator(".fsl-source select").select_option("astronaut")
    studio.locator(".fsl-measure input").check()   # identity distances in the report
    page.wait_for_function("() => !document.querySelector('.fsl-swapstudio .fsl-swap').disabled")
    time.sleep(2)   # the picker finds the new source's faces
    studio.locator("button.fsl-swap").click()
    t0 = time.time()
    while time.time() - t0 < wait_s:
        after = result.evaluate(JS_PIXELS)
        if after["src"] != before["src"] and after["w"] > 0: break
        err = studio.locator(".widget-html-content", has_text="⚠")
        if err.count(): raise AssertionError(f"SwapStudio showed an error: {err.first.inner_text()}")
        time.sleep(0.5)
    else:
        studio.screenshot(path=str(shots / "swapstudio_timeout.png"))
        raise TimeoutError(f"no new result image within {wait_s} s of clicking Swap")
    page.wait_for_timeout(500)
    studio.screenshot(path=str(shots / "swapstudio.png"))
    return after, time.time() - t0

def notebook_copy(root: Path, name: str, extra_cell: str|None=None, upto: str|None=None) -> str:
    "Copy 12_widgets.ipynb into the lab root (optionally cut after the cell whose source is `upto`, plus `extra_cell`)."
    nb = json.loads((ROOT / "nbs" / "12_widgets.ipynb").read_text())
    if upto:
        src = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in nb["cells"]]
        nb["cells"] = nb["cells"][:src.index(upto) + 1]
    nb["metadata"]["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    if extra_cell:
        nb["cells"].append({"cell_type": "code", "execution_count": None, "id": "browsertest", "metadata": {}, "outputs": [], "source": extra_cell})
    (root / name).write_text(json.dumps(nb))
    if not (root / "images").exists(): shutil.copytree(ROOT / "nbs" / "images", root / "images")
    return name

@pytest.fixture(scope="module")
def browser():
    with pw.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()

def test_swapstudio_in_browser(lab, browser, tmp_path):
    base, token, root = lab
    t0 = time.time()
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    ran = open_and_run_all(page, base, token, notebook_copy(root, "widgets_copy.ipynb"))
    stats, waited = swap_in_browser(page, tmp_path)
    page.screenshot(path=str(tmp_path / "page.png"), full_page=False)
    print(f"run all {ran:.0f} s; result after {waited:.1f} s: {stats['w']}x{stats['h']}, mean {stats['mean']:.1f}, "
          f"std {stats['std']:.1f}; total {time.time() - t0:.0f} s; screenshots in {tmp_path}")
    assert stats["w"] >= 100 and stats["h"] >= 100
    assert stats["std"] > 10, f"the result image looks blank: {stats}"
    report = page.locator(".fsl-swapstudio .fsl-report").first.inner_text()
    print(report)
    assert "ms" in report and "distance before" in report
    assert (tmp_path / "swapstudio.png").stat().st_size > 10_000
    if os.environ.get("FSL_WIDGET_SHOTS"):
        out = Path(os.environ["FSL_WIDGET_SHOTS"]); out.mkdir(parents=True, exist_ok=True)
        for cls, fn in [("fsl-swapstudio", "swapstudio"), ("fsl-alignment", "alignment_explorer"), ("fsl-iim", "iim_explorer"),
                        ("fsl-triplets", "triplet_browser"), ("fsl-synthfaces", "synthfaces_sliders")]:
            loc = page.locator(f".{cls}").first
            if loc.count():
                loc.scroll_into_view_if_needed(); page.wait_for_timeout(300)
                loc.screenshot(path=str(out / f"{fn}.jpg"), type="jpeg", quality=80)
    page.close()

def test_fails_when_swap_does_nothing(lab, browser, tmp_path):
    "The same check with the Swap button's handler removed must time out: the test above can fail."
    base, token, root = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    open_and_run_all(page, base, token, notebook_copy(root, "widgets_nohandler.ipynb", upto="studio = SwapStudio()\nstudio",
                     extra_cell="studio.swap_button._click_handlers.callbacks.clear()  # the browser test's negative control"))
    with pytest.raises(TimeoutError, match="no new result image"):
        swap_in_browser(page, tmp_path, wait_s=15)
    page.close()

def test_voila_app(tmp_path, browser):
    "`make app`: Voila serves tools/swapstudio_app.ipynb; SwapStudio renders and swaps there too."
    pytest.importorskip("voila", reason="the optional `app` extra (pip install -e '.[app]')")
    cfg, port = tmp_path / "jupyter", free_port()
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(cfg / "config"), "JUPYTER_DATA_DIR": str(cfg / "data"),
           "JUPYTER_RUNTIME_DIR": str(cfg / "runtime"), "IPYTHONDIR": str(cfg / "ipython"),
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    log = open(tmp_path / "voila.log", "w")
    proc = subprocess.Popen([str(BIN / "voila"), str(ROOT / "tools" / "swapstudio_app.ipynb"), "--no-browser", f"--port={port}",
                             "--Voila.ip=127.0.0.1"], cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        for _ in range(60):
            try: urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=60); break
            except Exception: time.sleep(0.5)
        page.goto(f"http://127.0.0.1:{port}/", timeout=120_000)
        page.locator(".fsl-swapstudio").wait_for(timeout=120_000)
        stats, _ = swap_in_browser(page, tmp_path)
        assert stats["std"] > 10, stats
        page.close()
    finally:
        proc.terminate()
        try: proc.wait(20)
        except subprocess.TimeoutExpired: proc.kill()
        log.close()
