# Two commands do all set-up: `make run` (the app on a demo store) and `make test` (the whole suite, headless).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB := .demo/demo.sqlite

.PHONY: run test bench test-lowest update-visual demo clean

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

# The PostgreSQL half's outcome (ran against which server, or skipped and how to install it) comes last, after
# pytest's own summary line, from the status file tests/conftest.py writes; pytest's exit code is kept.
PG_STATUS := .pytest-pg-status

test: $(VENV)/.installed-test
	@rm -f $(PG_STATUS)
	NAMNDTOOL_PG_STATUS=$(PG_STATUS) QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q; status=$$?; \
		if [ -s $(PG_STATUS) ]; then echo; cat $(PG_STATUS); fi; exit $$status

# The quick benchmarks of issue 15 (a few minutes, a fresh ten-year store under /tmp): one table, figure, target, met.
bench: $(VENV)/.installed-app
	$(BIN)/python benchmarks/bench.py

# After an intended layout change: new reference pages for tests/test_visual_regression.py (look at them first).
update-visual: $(VENV)/.installed-test
	NAMNDTOOL_UPDATE_VISUAL=1 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/test_visual_regression.py

# The store tests against the lowest versions pyproject.toml allows (pins from .ci/lowest_pins.py), in a venv of
# their own, so a lower bound the code has outgrown fails here rather than on a user's machine.
LOWEST := $(VENV)/lowest
STORE_TESTS := tests/test_store_schema.py tests/test_diarienummer.py tests/test_concurrent_numbers.py \
	tests/test_migrations.py tests/test_normalisation.py tests/test_check_repair.py

test-lowest:
	rm -rf $(LOWEST)
	$(PYTHON) -m venv $(LOWEST)
	$(PYTHON) .ci/lowest_pins.py > $(LOWEST)/pins.txt
	$(LOWEST)/bin/python -m pip install --quiet -r $(LOWEST)/pins.txt pytest hypothesis pypdf
	$(LOWEST)/bin/python -m pip install --quiet --no-deps -e .
	QT_QPA_PLATFORM=offscreen $(LOWEST)/bin/python -m pytest -q -p no:cacheprovider $(STORE_TESTS)

clean:
	rm -rf $(VENV) .demo build dist *.egg-info
