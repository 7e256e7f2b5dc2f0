# The course's commands. `make lab` and `make test` are the two a learner needs.
# Every target calls course.py, which does the same on Windows and macOS without make
# (`py course.py lab`, `python3 course.py test`); tests/test_environment.py keeps the two in step.
PYTHON ?= python3

.PHONY: setup lab reset test test-portable test-colab notebooks korean bench slides learner-edition clean

# Create .venv with the locked packages (requirements/lock.txt) plus lessons_lib (editable).
setup:
	$(PYTHON) course.py setup

# Open the course: your own copies of the lessons in my-work/ (made once, never overwritten) in JupyterLab,
# localhost only, token authentication kept. It names the lessons the course updated since you copied them.
lab:
	$(PYTHON) course.py lab

# Start lesson NN again from the course's version; your copy is kept in my-work/old/: make reset LESSON=03
reset:
	$(PYTHON) course.py reset

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

# Build the Korean lessons (notebooks/ko/) from the English ones and translations/ko/, then run them.
korean:
	$(PYTHON) course.py korean

# Speed benchmarks (prints measured ratios; compares with PyTorch when it is installed).
bench:
	$(PYTHON) course.py bench

# Build one lecture deck per lesson into slides/build/ (open slides/build/NN_name.slides.html; works offline).
slides:
	$(PYTHON) course.py slides

# The lessons without their folded solutions and teacher's notes, for graded use: build/learner-edition/.
learner-edition:
	$(PYTHON) course.py learner-edition

# Remove .venv, .venv-colab and build products (never my-work/, your work).
clean:
	$(PYTHON) course.py clean
