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

.PHONY: help venv book serve test lint execute record-quick-times bench clean test-compat colab-cell bundle test-bundle
.PHONY: student nbgrader

help:
	@echo "make book     build the site into _build/html"
	@echo "make serve    serve the built site on http://127.0.0.1:8000 (as a classroom would, offline)"
	@echo "make test     lint, unit tests, every notebook through nbval, the site build and the site in Chromium"
	@echo "make execute  re-run notebooks in full mode and store their outputs (NOTEBOOKS=chapters/x.ipynb for one)"
	@echo "              and record each one's wall time in src/cnn_course/resources/run_times.json"
	@echo "make record-quick-times  copy the last test run's quick-mode times into that file"
	@echo "make bench    print measured figures (benchmarks/)"
	@echo "make slides  a reveal.js deck per chapter in _build/slides, served offline (make serve-slides)"
	@echo "make slide-metadata  write where each chapter's slides begin into its cells (NOTEBOOKS=... for some)"
	@echo "make handout  the homework and quizzes students receive, without answers, in $(HANDOUT_DIR)"
	@echo "make grade-homework HOMEWORK=05_pooling SUBMISSIONS=folder  grade a class into $(GRADES), with the"
	@echo "              reason of each failed test and a feedback file per student (TIME_LIMIT=300 s a test, JOBS=cores)"
	@echo "make nbgrader-homework  add every homework to the nbgrader course folder, as assignments homework_<chapter>"
	@echo "make test-compat  every notebook on Colab's stack and on the oldest declared one (STACKS=...)"
	@echo "make colab-cell   write the Colab install cell (classroom/colab_cell.py) into every notebook"
	@echo "make bundle   the offline classroom bundle in _build/bundle and a zip (PLATFORMS=, PYTHON_VERSION=)"
	@echo "make test-bundle  build a Linux bundle, install from it with no package index, run chapter 1 from it"
	@echo "make student  the student release: every chapter without its solutions, in $(STUDENT_DIR)"
	@echo "make nbgrader the nbgrader course folder and the answer keys (instructors only), in $(NBGRADER_DIR);"
	@echo "              files you changed there are kept (OVERWRITE=1 replaces them)"
	@echo "make clean    remove the built site"

venv: $(INSTALLED)

$(INSTALLED): requirements.txt pyproject.toml src/cnn_course/stacks/pinned.txt
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
	$(BIN)/ruff check src tests chapters benchmarks _ext conftest.py classroom

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
	$(BIN)/python -m cnn_course.run_times copy $(QUICK_TIMES) --setting quick --refresh $(NOTEBOOKS)

# The other stacks the notebooks must run on: Colab's and the oldest the package declares, each pinned by a
# constraints file in src/cnn_course/stacks/ (`STACKS=newest`, the weekly job's, pins nothing). Each stack
# gets an environment under .compat/ with the learner install and the test tools, rebuilt when its pins or
# pyproject.toml change; there every notebook runs in quick mode through nbval, outputs not compared
# (they come from the pinned stack), with the Keras cache that conftest.py seeds.
STACKS ?= colab oldest
COMPAT := .compat
STACK_PINS := src/cnn_course/stacks
COMPAT_TOOLS := "pytest>=8" "nbval>=0.11" pyyaml

$(COMPAT)/%/.installed: $(STACK_PINS)/%.txt pyproject.toml
	rm -rf $(COMPAT)/$*
	$(PYTHON) -m venv $(COMPAT)/$*
	$(COMPAT)/$*/bin/python -m pip install --quiet --upgrade pip
	$(COMPAT)/$*/bin/python -m pip install --quiet -c $< -e ".[learner]" $(COMPAT_TOOLS)
	touch $@

# newest: whatever pip finds today, so the environment is made anew on every run
$(COMPAT)/newest/.installed: pyproject.toml FORCE
	rm -rf $(COMPAT)/newest
	$(PYTHON) -m venv $(COMPAT)/newest
	$(COMPAT)/newest/bin/python -m pip install --quiet --upgrade pip
	$(COMPAT)/newest/bin/python -m pip install --quiet --upgrade -e ".[learner]" $(COMPAT_TOOLS)
	touch $@

# The environments are built side by side (their downloads overlap), the notebooks one stack at a time.
test-compat:
	$(if $(strip $(STACKS)),$(MAKE) --no-print-directory -j2 $(foreach stack,$(STACKS),$(COMPAT)/$(stack)/.installed),\
	  @echo "test-compat: no stack to test (STACKS is empty)")
	failed=""; for stack in $(STACKS); do \
	  $(COMPAT)/$$stack/bin/python -c "from importlib.metadata import version as v; \
	    print('== the notebooks on the $$stack stack: TensorFlow', v('tensorflow'), 'Keras', v('keras'))"; \
	  $(COMPAT)/$$stack/bin/python -m pytest chapters --nbval-lax -p no:cnn-course-notebook-times \
	    -p no:cacheprovider -q || failed="$$failed $$stack"; \
	done; \
	if [ -n "$$failed" ]; then echo "test-compat: notebooks failed on the stack(s):$$failed"; exit 1; fi

colab-cell: venv
	$(BIN)/python -m classroom.colab_cell

# The offline classroom bundle (classroom/bundle/): the site, the datasets laid out as Keras's cache, the
# student release of the notebooks (make student) and a wheelhouse of the learner install, in one folder and a
# zip of it. PLATFORMS: any of linux
# (x86-64, the default), macos (arm64), windows (x86-64); PYTHON_VERSION: the learners' Python, one or more
# (default: this machine's).
BUNDLE_DIR ?= _build/bundle
PLATFORMS ?= linux
PYTHON_VERSION ?=
bundle: book student
	$(BIN)/python -m classroom.bundle --output $(BUNDLE_DIR) --site _build/html --datasets $(DATASETS) \
	  --notebooks $(STUDENT_DIR) --platforms $(PLATFORMS) $(if $(PYTHON_VERSION),--python-versions $(PYTHON_VERSION))

# Slow (the TensorFlow wheel is 600 MB), so `make test` skips it and .ci/run runs it as a step of its own.
test-bundle: book
	CNN_COURSE_BUNDLE_TEST=1 CNN_COURSE_SITE=$(CURDIR)/_build/html \
	  $(BIN)/python -m pytest tests/classroom/test_bundle.py -p no:cacheprovider -q -s

# What an instructor hands out and grades (classroom/student_release, classroom/nbgrader_export); both folders
# are under _build/, which neither the site nor the other holds.
STUDENT_DIR ?= _build/classroom/student
NBGRADER_DIR ?= _build/classroom/nbgrader
student: venv
	$(BIN)/python -m classroom.student_release $(STUDENT_DIR) $(sort $(wildcard chapters/*.ipynb))

# A file of the course folder that an instructor changed (hidden tests, points, the config) is kept and reported,
# and the command fails; OVERWRITE=1 replaces it with the chapter's current version.
OVERWRITE ?=
nbgrader: venv
	$(BIN)/python -m classroom.nbgrader_export $(NBGRADER_DIR) $(sort $(wildcard chapters/*.ipynb)) \
	  $(if $(OVERWRITE),--overwrite)

clean:
	rm -rf _build

FORCE:

bench: venv
	for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script; done

# Teaching material (classroom/slides, classroom/homework, classroom/quizzes). The decks load reveal.js, MathJax 2,
# require.js, jQuery, mermaid, the widget manager and Font Awesome from _build/slides/assets, copied from pinned
# npm packages (fetched once with `npm pack` into .cache/slides); `make slide-metadata` writes the cell metadata
# they follow.
HANDOUT_DIR ?= _build/classroom/handout
GRADES ?= _build/classroom/grades-$(HOMEWORK).csv
# Seconds each test may run on one submission (the homework's conftest.py stops a test that runs longer), and how
# many submissions are graded side by side (empty: one per core).
TIME_LIMIT ?= 300
JOBS ?=
.PHONY: slides serve-slides slide-metadata handout grade-homework nbgrader-homework
slides: venv
	$(BIN)/python -m classroom.slides.build --output _build/slides

serve-slides:
	test -f _build/slides/index.html || $(MAKE) slides
	$(PYTHON) -m http.server --bind 127.0.0.1 --directory _build/slides 8001

slide-metadata: venv
	$(BIN)/python -m classroom.slides.metadata $(NOTEBOOKS)

handout: venv
	$(BIN)/python -m classroom.homework.handout --output $(HANDOUT_DIR)

grade-homework: venv
	test -n "$(HOMEWORK)" -a -n "$(SUBMISSIONS)" || { echo "usage: make grade-homework HOMEWORK=05_pooling SUBMISSIONS=folder"; exit 1; }
	mkdir -p $(dir $(GRADES))
	$(BIN)/python -m classroom.homework.grading $(HOMEWORK) $(SUBMISSIONS) --output $(GRADES) \
	  --time-limit $(TIME_LIMIT) $(if $(JOBS),--jobs $(JOBS))

# The homework as nbgrader assignments, beside the chapters of `make nbgrader` in $(NBGRADER_DIR).
nbgrader-homework: venv
	$(BIN)/python -m classroom.homework.nbgrader_assignments $(NBGRADER_DIR) $(if $(OVERWRITE),--overwrite)
