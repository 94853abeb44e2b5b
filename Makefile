# Two commands do all the set-up: `make report` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: report test lab bench sample docs whatif-app clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "fact_toolkit needs Python >= 3.11 (found %s)" % sys.version.split()[0])'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

## report: the main job: every report in reports/runs.toml rendered on the bundled sample brand
report: $(STAMP)
	$(VENV)/bin/fact-toolkit summary data/sample --by fact_channel
	$(VENV)/bin/fact-toolkit report --config reports/runs.toml
	@echo "open reports/index.html"

## test: the whole test suite, then every notebook under nbval
test: $(STAMP)
	$(PY) -m pytest
	$(PY) -m pytest --nbval-lax -p no:cacheprovider notebooks/

## lab: JupyterLab on the notebooks
lab: $(STAMP)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks --ServerApp.ip=127.0.0.1

## bench: the benchmarks, printing a table (BENCH_ARGS=--quick for a smoke run)
bench: $(STAMP)
	$(PY) -m bench $(BENCH_ARGS)

## whatif-app: the what-if notebook as an app without code (Voila on 127.0.0.1)
whatif-app: $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[app]'
	$(VENV)/bin/voila notebooks/03_what_if.ipynb --no-browser --Voila.ip=127.0.0.1 --port=8866

## sample: regenerate the bundled sample (byte-identical for the same seed)
sample: $(STAMP)
	$(VENV)/bin/fact-toolkit sample --out data/sample

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info

## docs: regenerate the data dictionary (schema.py) and the metric table of docs/platform_metrics.md (metrics.py)
docs: $(STAMP)
	$(PY) -c 'from fact_toolkit.schema import data_dictionary; print(data_dictionary(), end="")' > docs/data_dictionary.md
	$(PY) -c 'import pathlib; from fact_toolkit.metrics import definitions_markdown as d; p = pathlib.Path("docs/platform_metrics.md"); t = p.read_text(encoding="utf-8"); a, b = "<!-- registry: begin -->\n", "<!-- registry: end -->"; i = t.index(a) + len(a); p.write_text(t[:i] + d() + t[t.index(b):], encoding="utf-8")'
