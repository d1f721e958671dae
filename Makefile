# faceswaplite: every command a person or CI needs. `make demo` and `make test` work on a fresh machine with Python 3.11.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
# torch first, alone: 2.13.0 is the CPU build where one lies on disk (these machines); any torch >=2.4 works.
TORCH_SPEC ?= torch==2.13.0
STAMP  := $(VENV)/.installed
# jupyter servers refuse to run as root unless told
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: install browser demo test lab app readme export clean-nbs check-sync test-nbs test-py experiments

$(STAMP): settings.ini setup.py pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	@$(BIN)/python -c "import torch" 2>/dev/null || $(BIN)/python -m pip install -q "$(TORCH_SPEC)"
	$(BIN)/python -m pip install -q -e ".[dev]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $(STAMP)

# Debian's chromium for tests/test_widgets_browser.py (playwright drives it); installed only when missing and we are root.
# Only `make test` asks for it: demo, install, lab and app install into .venv and nothing else.
browser:
	@test -x /usr/bin/chromium || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  (apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null) || true; }

install: $(STAMP)

demo: install
	$(BIN)/faceswaplite demo -o demo_out

# Render README.md from nbs/index.ipynb (cells marked `#| hide` are left out).
readme: install
	$(BIN)/python tools/render_readme.py

export: install
	$(BIN)/nbdev_clean && $(BIN)/nbdev_export && $(BIN)/python tools/render_readme.py

check-sync: install
	$(BIN)/python tools/check_sync.py

test-nbs: install
	$(BIN)/python tools/test_notebooks.py

test-py: install browser
	$(BIN)/python -m pytest tests/ -q -p no:cacheprovider

# Sync check, course check (notebook weight, file names, no development-status talk), every notebook, then the tests as two pytest processes side by side; the last line sums their summaries.
test: install browser
	@rc=0; \
	$(BIN)/python tools/check_sync.py || rc=1; \
	$(BIN)/python tools/check_course.py || rc=1; \
	$(BIN)/python tools/test_notebooks.py || rc=1; \
	$(BIN)/python tools/pytest_halves.py || rc=1; \
	exit $$rc

# Retrain every arm of 09a_experiments (5 experiments, 11 runs x 3 seeds) and replace experiments/results/*.json.
# One process per seed, one torch thread each. The committed results took 85 min of wall time on a 2-core machine
# (two runs at a time, 146 min of run time in all, printed by 09a_experiments). `faceswaplite experiment all` without
# --force keeps stored results and resumes half-finished runs.
experiments: install
	@seeds="0 1 2"; for s in $$seeds; do OMP_NUM_THREADS=1 $(BIN)/faceswaplite experiment all --seed $$s --force & done; wait

lab: install
	$(BIN)/jupyter lab --notebook-dir=nbs $(ROOT_FLAG)

# SwapStudio alone, served by Voila (the optional `app` extra).
app: install
	@$(BIN)/python -c "import voila" 2>/dev/null || $(BIN)/python -m pip install -q -e ".[app]"
	$(BIN)/voila tools/swapstudio_app.ipynb --no-browser
