# Two commands do everything on a fresh machine: `make book` and `make test`.
# Both create .venv from requirements.txt when it is missing or out of date.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
NOTEBOOKS ?= $(sort $(wildcard chapters/*.ipynb))
# Dataset files laid out as Keras's cache; `make execute` copies them into a private cache first.
DATASETS ?= ../shared/datasets
EXECUTE_CACHE := .cache/keras
# Where the test run writes each notebook's quick-mode wall time (conftest.py); `make record-quick-times` reads it.
QUICK_TIMES := _build/run_times/quick.json

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec

.PHONY: help venv book serve test lint execute record-quick-times bench clean

help:
	@echo "make book     build the site into _build/html"
	@echo "make serve    serve the built site on http://127.0.0.1:8000 (as a classroom would, offline)"
	@echo "make test     lint, unit tests, every notebook through nbval, the site build and the site in Chromium"
	@echo "make execute  re-run notebooks in full mode and store their outputs (NOTEBOOKS=chapters/x.ipynb for one)"
	@echo "              and record each one's wall time in src/cnn_course/resources/run_times.json"
	@echo "make record-quick-times  copy the last test run's quick-mode times into that file"
	@echo "make bench    print measured figures (benchmarks/)"
	@echo "make clean    remove the built site"

venv: $(INSTALLED)

$(INSTALLED): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

# --all: an incremental build leaves an edited _static/course.css uncopied; rebuilding every page takes under a minute.
book: venv
	$(BIN)/jupyter-book build --all . -W -n --keep-going
	@echo "Open _build/html/index.html, or serve it with: make serve"

serve:
	test -f _build/html/index.html || $(MAKE) book
	$(PYTHON) -m http.server --bind 127.0.0.1 --directory _build/html 8000

lint: venv
	$(BIN)/ruff check src tests chapters benchmarks _ext conftest.py

test: venv lint
	$(BIN)/python -m pytest

execute: venv
	if [ -d "$(DATASETS)" ]; then \
	  $(BIN)/python -c "from cnn_course.data import seed_keras_cache; seed_keras_cache('$(DATASETS)', '$(EXECUTE_CACHE)/datasets')"; \
	  export KERAS_HOME=$(CURDIR)/$(EXECUTE_CACHE); \
	fi; \
	for notebook in $(NOTEBOOKS); do \
	  started=$$(date +%s.%N); \
	  CNN_COURSE_MODE=full CNN_COURSE_PROGRESS=off $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.timeout=-1 --ExecutePreprocessor.kernel_name=python3 \
	    --ExecutePreprocessor.record_timing=False "$$notebook"; \
	  $(BIN)/python -m cnn_course.run_times record "$$notebook" --setting full --started $$started \
	    --ended $$(date +%s.%N) --how "make execute, whole notebook"; \
	done

# The test run writes each notebook's quick-mode time under _build/; this copies them into the committed file.
record-quick-times: venv
	test -f $(QUICK_TIMES) || { echo "No $(QUICK_TIMES): run the notebooks' tests first (make test)"; exit 1; }
	$(BIN)/python -m cnn_course.run_times copy $(QUICK_TIMES) --setting quick

clean:
	rm -rf _build

bench: venv
	for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script; done
