# Two commands do all set-up on a fresh machine:
#   make demo   builds the demo workspace in this repo and prints the gaps (writes graphs/)
#   make test   runs the test suite
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed

.PHONY: demo test lint bench install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/verlicht build
	$(BIN)/verlicht gaps --format csv > graphs/gaps.csv
	$(BIN)/verlicht gaps
	$(BIN)/verlicht report
	$(BIN)/verlicht viz
	@echo "gap report: graphs/gaps.csv   graph page: graphs/graph.html   dashboard: graphs/report/index.html"

# pytest exits 5 when it collects no tests; that is not a failure of the code.
test: $(STAMP)
	$(BIN)/pytest -q || [ $$? -eq 5 ]

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf graphs/verlicht.json graphs/manifest.json graphs/provenance graphs/.cache graphs/gaps.csv bench/out
