#!/usr/bin/env bash
# The Python binding's tests on a fresh machine: a venv at .venv (reused if present), the
# build and test tools from PyPI, the binding built and installed with maturin, then pytest
# over bindings/python/tests (conformance and scoring corpora, CLI parity, pyarrow / polars /
# pandas tables, errors, pickling, a Dask LocalCluster and Spark in local mode, for which Java
# comes from Debian's registry when missing). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
VENV=.venv

echo "== venv ($VENV)"
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
PY="$VENV/bin/python"
"$PY" -m pip install --quiet --upgrade pip
"$PY" -m pip install --quiet \
    "maturin>=1.9,<2" \
    "pytest>=7" \
    "pyarrow>=14" \
    "polars>=1.0" \
    "pandas>=2.0" \
    "dask[distributed,dataframe]>=2024.1" \
    "pyspark>=3.5" \
    "jsonschema>=4.18"

echo "== java (for the Spark local-mode test)"
if ! command -v java >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq default-jre-headless >/dev/null
fi
java -version 2>&1 | head -1

echo "== the jianfu command (the CLI-parity tests compare with it)"
cargo build --locked -p jianfu-cli
export JIANFU_CLI="$PWD/target/debug/jianfu"

echo "== build and install the binding (maturin develop --release)"
(
    cd bindings/python
    VIRTUAL_ENV="$PWD/../../$VENV" PATH="$PWD/../../$VENV/bin:$PATH" \
        maturin develop --release --locked
)
"$PY" -c "import jianfu; print('jianfu', jianfu.__version__, jianfu.Engine())"

echo "== pytest"
status=0
"$PY" -m pytest bindings/python/tests -q -p no:cacheprovider || status=$?
if [ "$status" -eq 5 ]; then
    echo "pytest collected no tests: that is a failure here" >&2
    exit 1
fi
exit "$status"
