# Everything a fresh machine needs: Python >= 3.10 with venv and pip.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test test-slow bench lint clean report browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# The main job: train a small network on scikit-learn's digits and print the test accuracy.
run: $(STAMP)
	$(BIN)/whiteboard train mlp --dataset digits

# The default test suite (slow tests excluded); exit code 5 ("no tests collected") is not a failure.
test: $(STAMP)
	OMP_NUM_THREADS=1 $(BIN)/python -m pytest -q -n 2 tests; rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 5 ]

test-slow: $(STAMP)
	OMP_NUM_THREADS=1 $(BIN)/python -m pytest -q -m slow tests; rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 5 ]

bench: $(STAMP)
	PYTHONPATH=$(CURDIR) $(BIN)/python -m benchmarks

# The quick report of every experiment: report/index.html (trials cached in ~/.cache/whiteboard).
report: $(STAMP)
	OMP_NUM_THREADS=1 $(BIN)/python -m whiteboard report --quick --out report --jobs 2

# Debian's Chromium for the report's browser test (never a downloaded browser build).
browser:
	[ -x /usr/bin/chromium ] || (apt-get update && apt-get install -y chromium chromium-driver)

lint: $(STAMP)
	$(BIN)/ruff check whiteboard tests benchmarks

clean:
	rm -rf $(VENV) build *.egg-info
