# The course's commands. `make lab` and `make test` are the two a learner needs.
# Every target calls course.py, which does the same on Windows and macOS without make
# (`py course.py lab`, `python3 course.py test`); tests/test_environment.py keeps the two in step.
PYTHON ?= python3

.PHONY: setup lab test test-portable test-colab notebooks bench slides clean

# Create .venv with the locked packages (requirements/lock.txt) plus lessons_lib (editable).
setup:
	$(PYTHON) course.py setup

# Open the course: JupyterLab on notebooks/, localhost only, token authentication kept.
lab:
	$(PYTHON) course.py lab

# Every test: unit tests, the claims of each lesson, and nbval over every notebook.
test:
	$(PYTHON) course.py test

# nbval again as another machine would run it: numpy's SIMD paths off, other BLAS kernels, inputs nudged by 1e-12.
test-portable:
	$(PYTHON) course.py test-portable

# Every lesson on Colab's own, older packages (library installed --no-deps); every explorer redrawn.
test-colab:
	$(PYTHON) course.py test-colab

# Re-run every notebook top to bottom in a fresh kernel and store its outputs.
notebooks:
	$(PYTHON) course.py notebooks

# Speed benchmarks (prints measured ratios; compares with PyTorch when it is installed).
bench:
	$(PYTHON) course.py bench

# Build one lecture deck per lesson into slides/build/ (open slides/build/NN_name.slides.html; works offline).
slides:
	$(PYTHON) course.py slides

clean:
	$(PYTHON) course.py clean
