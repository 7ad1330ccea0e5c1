# The evidence book, end to end. `make book` builds everything from a fresh
# checkout; `make test` runs every check. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
JOBS ?= 2
# One BLAS thread per process: parallelism comes from processes (JOBS), two cores here.
export OMP_NUM_THREADS := 1
export OPENBLAS_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
export PYTHONDONTWRITEBYTECODE := 1
# Values given on the command line reach the shell as single-quoted words, never as shell code:
# q quotes one value (FILE='lfst r (1).csv' stays one argument), qs each word of a list.
q = '$(subst ','\'',$(1))'
qs = $(foreach w,$(1),$(call q,$(w)))
TEX_PACKAGES := texlive-xetex texlive-latex-extra texlive-fonts-recommended latexmk fonts-freefont-otf poppler-utils
BROWSER_PACKAGES := chromium nodejs npm

.PHONY: book env tex browser data fetch process run html pdf test test-unit test-notebooks test-book status add-data refresh bench clean lock

# The PDF is built before the HTML: the HTML's header and front page link it.
book: env tex fetch run pdf html ## everything: environment, data, notebooks, PDF, HTML
	@echo "HTML: book/_build/html/index.html"
	@echo "PDF:  book/_build/latex/inclusion-of-migrants-evidence-book.pdf"

env: $(VENV)/.installed ## virtual environment from the lock file

$(VENV)/.installed: requirements-lock.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-lock.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

tex: ## the Debian TeX packages for the PDF (installed when root, else the command is shown)
	@if command -v xelatex >/dev/null && command -v latexmk >/dev/null && command -v pdftotext >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(TEX_PACKAGES) >/dev/null; \
	else echo "The PDF needs TeX. Run: sudo apt-get install -y --no-install-recommends $(TEX_PACKAGES)"; exit 1; fi

browser: ## Debian chromium and node (installed when root, else the command is shown), then axe-core and playwright-core from the npm lock
	@if command -v chromium >/dev/null && command -v npm >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(BROWSER_PACKAGES) >/dev/null; \
	else echo "The browser checks need Chromium and Node. Run: sudo apt-get install -y --no-install-recommends $(BROWSER_PACKAGES)"; exit 1; fi
	@[ -f tests/browser/node_modules/.package-lock.json ] && [ tests/browser/node_modules/.package-lock.json -nt tests/browser/package-lock.json ] \
	  || (cd tests/browser && npm ci --silent --no-audit --no-fund)

data: fetch process

fetch: env ## raw files from the mirror (or the publishers), verified by sha256
	$(PY) -m inclusion_evidence fetch $(if $(MIRROR),--mirror $(call q,$(MIRROR)))

process: env ## data/processed/ from data/raw/ (only changed steps run)
	$(PY) -m inclusion_evidence process --jobs $(call q,$(JOBS))

run: env ## process stale tables, execute the notebooks whose inputs changed (NOTEBOOKS="a b" to pick)
	$(PY) -m inclusion_evidence run --jobs $(call q,$(JOBS)) $(call qs,$(NOTEBOOKS))

html: env
	$(PY) -m inclusion_evidence html

pdf: env tex
	$(PY) -m inclusion_evidence pdf

status: env
	$(PY) -m inclusion_evidence status

add-data: env ## make add-data SOURCE=<catalogue id> FILE=<path> [ARGS=--allow-shrink]
	$(PY) -m inclusion_evidence add-data $(call q,$(SOURCE)) $(call q,$(FILE)) $(call qs,$(ARGS))

refresh: env ## make refresh SOURCE="<catalogue id> ..." (online: the publisher's latest file)
	$(PY) -m inclusion_evidence refresh $(call qs,$(SOURCE)) $(call qs,$(ARGS))

test: env tex browser data pdf html ## lint, unit tests, notebook validation, PDF and HTML checks (axe-core in Chromium)
	$(PY) -m ruff check src tests chapters bench scripts
	$(PY) -m pytest -q -n $(JOBS) --dist loadfile tests

bench: env fetch ## timings in a scratch copy (see bench/README.md); RUNS=3, ONLY=floors,cold,..., JSON=file
	$(PY) bench/bench.py --runs $(or $(RUNS),3) $(if $(ONLY),--only $(ONLY)) $(if $(JSON),--json $(JSON))

lock: ## re-resolve the pinned set (needs the registry)
	$(PYTHON) -m venv /tmp/lock-venv && /tmp/lock-venv/bin/pip install --quiet -e '.[test]' \
	  && /tmp/lock-venv/bin/pip freeze --exclude-editable | grep -v '^inclusion-evidence' > requirements-lock.txt

clean:
	rm -rf book/_build data/processed
