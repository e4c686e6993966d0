# The two commands of README.md. Both create .venv (Python >= 3.11) with the pinned versions
# from pyproject.toml on first use; later runs reuse it.
#
# The local environment does not hold the SLURM executor plugin: Snakemake imports every
# installed executor plugin at start-up, and plugin 2.8.0 then runs `scontrol show config`
# (when SLURM's client tools are on PATH), so a local run would talk to a cluster.
# `make setup EXTRAS=workflow,test,slurm` (docs/cluster.md, CI) adds it where a cluster is wanted.
PYTHON ?= python3
EXTRAS ?= workflow,test
VENV := .venv
BIN := $(VENV)/bin
SNAKEMAKE := $(BIN)/snakemake --workflow-profile workflow/profiles/default
# The folder of the study to run: its config/config.yaml names the manifest and parameters, and
# its results/ receives the outputs and the report. "." is the Kollontai study of this repository.
PROJECT ?= .

.PHONY: analysis test setup

## make analysis: set up, run the whole workflow and write results/report.html
analysis: setup
	cd $(PROJECT) && $(CURDIR)/$(BIN)/snakemake --snakefile $(CURDIR)/Snakefile \
	  --workflow-profile $(CURDIR)/workflow/profiles/default \
	  --report results/report.html --report-after-run

## make test: set up, then lint and run the test suite (unit tests and real workflow runs),
## one line per test as it finishes, the skipped tests' reasons and the slowest tests at the end
## On TEST_WORKERS pytest-xdist workers; each group of tests that shares a workflow run (and the
## SLURM tests) stays on one worker, the longest groups first (tests/conftest.py, docs/testing.md).
TEST_WORKERS ?= 2
test: setup node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/snakefmt --check Snakefile workflow
	$(SNAKEMAKE) --lint
	$(BIN)/python -m pytest -v -ra --durations=30 \
	  -n $(TEST_WORKERS) --dist loadgroup --no-loadscope-reorder

setup: $(VENV)/.installed-$(EXTRAS)

# axe-core for the explorer's accessibility test (test-only, never inside the page), from
# package-lock.json. Without npm the test is skipped locally (CI installs npm and fails it).
node_modules/.installed: package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the axe-core accessibility test will be skipped (apt-get install npm)"; fi

$(VENV)/.installed-$(EXTRAS): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "corpusflow needs Python >= 3.11; run with PYTHON=/path/to/python3.11 make ..."; exit 1; }
	@echo "Setting up $(VENV) with the pinned packages of pyproject.toml [$(EXTRAS)] (first time only, a few minutes)..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --progress-bar off --editable ".[$(EXTRAS)]"
	touch $@
