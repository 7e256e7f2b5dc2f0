# The course's commands. `make lab` and `make test` are the two a learner needs.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup lab test notebooks bench slides clean

# Create .venv and install the pinned dependencies plus lessons_lib (editable).
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[lab,test]"
	touch $(STAMP)

setup: $(STAMP)

# Open the course: JupyterLab on notebooks/, localhost only, token authentication kept.
lab: setup
	$(VENV)/bin/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=notebooks

# Every test: unit tests, the claims of each lesson, and nbval over every notebook.
test: setup
	$(PY) -m pytest

# Re-run every notebook top to bottom in a fresh kernel and store its outputs.
notebooks: setup
	$(PY) tools/run_notebooks.py notebooks/*.ipynb

# Speed benchmarks (prints measured ratios; compares with PyTorch when it is installed).
bench: setup
	$(PY) bench/run.py

# Build one lecture deck per lesson into slides/build/ (open slides/build/NN_name.slides.html; works offline).
slides: setup
	$(PY) slides/build.py

clean:
	rm -rf $(VENV) .pytest_cache slides/build build
