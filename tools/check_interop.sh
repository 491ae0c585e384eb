#!/usr/bin/env bash
# Regenerates the interop fixtures in tests/SeqLens.Tests/Fixtures/Interop:
#   1. our writers' golden files (ours_*.bw, ours_*.npz), written by the test suite with UPDATE_GOLDEN=1;
#   2. what pyBigWig and numpy read from them (python_read_ours.json);
#   3. files written by pyBigWig/numpy for our readers (py_written*), with their contents (py_written_expected.json).
# Re-run from the repository root:  bash tools/check_interop.sh    (then run the tests and read the git diff)
set -euo pipefail
/usr/bin/python3 -c "import numpy, pyBigWig" 2>/dev/null || { apt-get update && apt-get install -y python3-numpy python3-pybigwig; }
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/tests/SeqLens.Tests/Fixtures/Interop"
mkdir -p "$out"
cd "$root"
UPDATE_GOLDEN=1 dotnet test tests/SeqLens.Tests -c Release --filter "FullyQualifiedName~InteropGoldenTests&FullyQualifiedName~EqualsGolden" -nologo -v q
/usr/bin/python3 tools/check_interop.py "$out"
echo "interop fixtures written to $out"
