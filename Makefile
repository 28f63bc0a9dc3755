# Two commands do everything on a fresh Debian machine with Python 3.11:
#   make book   -> installs what is missing, builds the website into _build/html
#   make test   -> installs test-only needs (Debian chromium, test packages), builds the
#                  book from scratch and runs every test (library, nbval, site, assignments,
#                  the chapters in a real JupyterLab)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CHROMIUM ?= /usr/bin/chromium
# pytest workers (the machine has 2 cores); override with `make test JOBS=1`
JOBS ?= 2
# one BLAS thread per process: the kernels are small and the workers already use both cores
export OPENBLAS_NUM_THREADS := 1
export OMP_NUM_THREADS := 1

.PHONY: book test env test-env assets clean lib-test

# ---------------------------------------------------------------- environments
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.book-env: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test-env: requirements-test.txt $(VENV)/.book-env
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@

env: $(VENV)/.book-env
test-env: $(VENV)/.test-env
	@command -v $(CHROMIUM) >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }
	@$(CHROMIUM) --version

# ---------------------------------------------------------------- browser assets
# MathJax and the ipywidgets HTML manager come from the npm registry
# (versions fixed in package.json / package-lock.json) and are served by the book.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# Only what a browser fetches: the manager's icon font as woff2 (every browser the
# book supports picks it before eot/ttf/svg), MathJax's single-file TeX build
# (all TeX extensions inside, so no input/ folder), its menu, accessibility
# modules and CHTML fonts, and the speech rules in English (+ Nemeth braille).
_assets/.done: node_modules/.package-lock.json
	rm -rf _assets && mkdir -p _assets/mathjax/es5/output _assets/mathjax/es5/sre/mathmaps \
	  _assets/html-manager
	cp node_modules/@jupyter-widgets/html-manager/dist/embed.js _assets/html-manager/
	cp node_modules/@jupyter-widgets/html-manager/dist/*.woff2 _assets/html-manager/
	cp node_modules/mathjax/es5/tex-chtml-full.js _assets/mathjax/es5/
	cp -r node_modules/mathjax/es5/{ui,a11y,adaptors} _assets/mathjax/es5/
	cp node_modules/mathjax/es5/sre/mathmaps/{base,en,nemeth}.json _assets/mathjax/es5/sre/mathmaps/
	cp -r node_modules/mathjax/es5/output/chtml _assets/mathjax/es5/output/
	cp node_modules/mathjax/es5/output/chtml.js _assets/mathjax/es5/output/
	touch $@

assets: _assets/.done

# axe-core, the accessibility engine of tests/test_site_a11y.py (a devDependency in
# package.json): the test injects node_modules/axe-core/axe.min.js into every page
# of the locally served site; it is not part of the website and never comes from a CDN.
AXE := node_modules/axe-core/axe.min.js
$(AXE): node_modules/.package-lock.json
	@test -f $@ || { echo "$@ missing after npm ci"; exit 1; }

# ---------------------------------------------------------------- the book
# Built from scratch every time: notebooks are executed (execute_notebooks: force),
# explorers precompute their frames (PAIRING_LIB_WIDGETS=static).
book: env assets
	rm -rf _build/html _build/jupyter_execute _build/.doctrees _build/.frames
	PAIRING_LIB_WIDGETS=static $(BIN)/jupyter-book build . -W -n --keep-going
	@echo "Book built: open _build/html/index.html"

# ---------------------------------------------------------------- tests
test: test-env book $(AXE)
	$(BIN)/python -m pytest -n $(JOBS) --dist loadfile --nbval-lax -p no:cacheprovider \
	  tests chapters

lib-test: $(VENV)/.test-env
	$(BIN)/python -m pytest tests -m "not site and not notebooks and not assignments and not jupyterlab" -q

clean:
	rm -rf _build _assets
