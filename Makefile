# The two commands of README.md. Both create .venv (Python >= 3.11) with the pinned versions
# from pyproject.toml on first use; later runs reuse it.
PYTHON ?= python3
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

## make test: set up, then lint and run the test suite (unit tests and real workflow runs)
test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/snakefmt --check Snakefile workflow
	$(SNAKEMAKE) --lint
	$(BIN)/python -m pytest

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "corpusflow needs Python >= 3.11; run with PYTHON=/path/to/python3.11 make ..."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --editable ".[workflow,test,slurm]"
	touch $@
