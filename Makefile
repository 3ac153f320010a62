# Two commands do all set-up: `make run` (the app on a demo store) and `make test` (the whole suite, headless).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB := .demo/demo.sqlite

.PHONY: run test demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-app

$(DEMO_DB): | $(VENV)/.installed-app
	mkdir -p $(dir $(DEMO_DB))
	$(BIN)/namndtool --db $(DEMO_DB) demo

demo: $(DEMO_DB)

run: $(VENV)/.installed-app $(DEMO_DB)
	$(BIN)/namndtool --db $(DEMO_DB) gui

test: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) .demo build dist *.egg-info
