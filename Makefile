# Two commands do all the set-up: `make report` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: report test lab bench sample docs clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "fact_toolkit needs Python >= 3.11 (found %s)" % sys.version.split()[0])'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

## report: the main job on the bundled sample brand
report: $(STAMP)
	$(VENV)/bin/fact-toolkit summary data/sample --by fact_channel

## test: the whole test suite
test: $(STAMP)
	$(PY) -m pytest

## lab: JupyterLab on the notebooks
lab: $(STAMP)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks --ServerApp.ip=127.0.0.1

## bench: the benchmarks, printing a table
bench: $(STAMP)
	$(PY) -m bench

## sample: regenerate the bundled sample (byte-identical for the same seed)
sample: $(STAMP)
	$(VENV)/bin/fact-toolkit sample --out data/sample

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info

## docs: regenerate the data dictionary from fact_toolkit/schema.py
docs: $(STAMP)
	$(PY) -c 'from fact_toolkit.schema import data_dictionary; print(data_dictionary(), end="")' > docs/data_dictionary.md
