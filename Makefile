# Yaosu — two commands on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: setup serve test test-sqlite test-postgres check lint typecheck bench demo clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@bash tools/make-venv.sh "$(PYTHON)" "$(VENV)"
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

serve: setup
	$(VENV)/bin/yaosu serve --host $(HOST) --port $(PORT) --demo

demo: setup
	$(VENV)/bin/yaosu demo --data-dir "$$(mktemp -d)"

test: setup
	@$(PY) tools/run_tests.py --postgres-url "$(PG_TEST_URL)"

test-sqlite: setup
	$(PY) -m pytest -q

test-postgres: setup
	YAOSU_TEST_DATABASE_URL="$(PG_TEST_URL)" $(PY) -m pytest -q -m "not browser"

lint: setup
	$(VENV)/bin/ruff check src tests benchmarks tools

typecheck: setup
	$(VENV)/bin/mypy

check: lint typecheck test

bench: setup
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	$(PY) benchmarks/catalog_search.py --sqlite --postgres-url "$(PG_TEST_URL)"
	$(PY) benchmarks/scan_kernels.py
	$(PY) benchmarks/scan.py --out docs/privacy-scan.json
	$(PY) benchmarks/scan_detectors.py > docs/privacy-scan-detectors.json
	$(PY) benchmarks/scan_accuracy.py > docs/privacy-scan-accuracy.json
	$(PY) benchmarks/vault_ingest.py --out docs/vault-ingest-bench.json
	$(PY) benchmarks/ledger.py --pg "$(subst /test,/bench_ledger,$(PG_TEST_URL))" > docs/ledger-bench.json
	$(PY) benchmarks/deid.py --out docs/privacy-masking-bench.json
	$(PY) benchmarks/anonymize.py --out docs/privacy-anonymization-bench.json
	$(PY) benchmarks/settlement.py --pg "$(subst /test,/bench_settlement,$(PG_TEST_URL))" > docs/settlement-bench.json
	$(PY) benchmarks/statements.py > docs/statements-bench-sqlite.json
	$(PY) benchmarks/statements.py --url "$(subst /test,/bench_statements,$(PG_TEST_URL))" > docs/statements-bench-postgres.json
	$(PY) benchmarks/watermark.py --out docs/watermark-bench.json
	$(PY) benchmarks/sandbox.py --out docs/sandbox-bench.json

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
