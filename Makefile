# camlo: two commands do everything on a fresh machine with Python 3.11, pip and make.
#   make reports   set up, then bring reports/ up to date (only what changed;
#                  make reports FORCE=1 rebuilds everything)
#   make test      set up, then run every test (unit tests, doctests, nbval on the notebooks)
#   make lab       set up, then open the notebooks in JupyterLab (LAB_ARGS="--ip=0.0.0.0" to
#                  reach it from another machine; see the README)

PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup browser reports test lab audit notebooks figures benchmark lock clean

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (camlo)" >/dev/null
	touch $(STAMP)

# Reports need Debian's chromium for their PDFs (installed where apt-get is usable as root).
reports: setup browser
	$(BIN)/python -m camlo build $(if $(FORCE),--force,)

# The PDFs and the browser test need Debian's chromium and DejaVu fonts; without them the build
# says it skips the PDFs, and those tests skip and say why.
browser:
	bash scripts/install_browser.sh

test: setup browser
	$(BIN)/python -m pytest tests camlo notebooks --nbval --nbval-current-env \
	  --nbval-sanitize-with tests/nbval_sanitize.cfg

# JupyterLab refuses to run as root unless told; containers usually run as root.
LAB_ARGS ?=
lab: setup
	$(BIN)/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root,) $(LAB_ARGS)

audit: setup
	$(BIN)/python -m camlo audit

# After changing code or data: re-execute the notebooks in place so their stored outputs
# (what nbval checks) are current; no timing metadata is stored.
notebooks: setup
	for nb in notebooks/[0-9][0-9]_*.ipynb; do \
	  $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.record_timing=False --ExecutePreprocessor.extra_arguments="['--IPKernelApp.log_level=ERROR']" "$$nb" || exit 1; \
	done

# The committed figures/ (en and vi, PNG and SVG), from the notebooks' answers on the shipped data.
figures: setup
	$(BIN)/python -m camlo figures

benchmark: setup
	$(BIN)/python benchmarks/bench_projection.py
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_records.py
	$(BIN)/python benchmarks/bench_af_records.py
	$(BIN)/python benchmarks/bench_refusal.py

lock:
	rm -rf $(VENV)-lock && $(PYTHON) -m venv $(VENV)-lock
	$(VENV)-lock/bin/pip install --quiet -e ".[test]"
	$(VENV)-lock/bin/pip freeze --exclude-editable | grep -v '^camlo' > requirements.lock.new
	mv requirements.lock.new requirements.lock && rm -rf $(VENV)-lock

clean:
	rm -rf $(VENV) reports
