#!/usr/bin/env bash
# The test command (README.md): installs what the tests need, builds in Release, and runs every
# test project one after another (the machines have 2 cores; stress and integration tests want
# them to themselves). Ends with one line "Tests: N passed, N failed, N skipped"; exits non-zero
# on any failure. Extra arguments go to `dotnet test` (e.g. --filter-class '*RingBufferTests').
#
# --fast (first argument): leaves out the tests marked [Trait("Category", "Slow")] — browser, load
# tool, cluster, load/soak/memory, process shutdown, stress and the longest fuzz runs — for a run of
# about a minute (README.md, Tests). A module whose tests are all slow then runs none: exit code 8
# ("zero tests ran") is accepted for that reason only.
set -euo pipefail
cd "$(dirname "$0")/.."

selection=()
if [ "${1:-}" = "--fast" ]; then
  shift
  selection=(--filter-not-trait "Category=Slow" --ignore-exit-code 8)
fi

./scripts/install-deps.sh

echo "==> dotnet build (Release)"
dotnet build MarketStream.sln -c Release --no-restore --nologo -clp:ErrorsOnly

log=$(mktemp)
status=0
dotnet test --solution MarketStream.sln -c Release --no-build --max-parallel-test-modules 1 "${selection[@]}" "$@" 2>&1 | tee "$log" || status=$?

# xunit v3 on Microsoft.Testing.Platform ends with a summary block (total/failed/succeeded/skipped).
count() { sed -n "s/^ *$1: *\([0-9]*\).*/\1/p" "$log" | tail -1; }
passed=$(count succeeded); failed=$(count failed); skipped=$(count skipped)
passed=${passed:-0}; failed=${failed:-0}; skipped=${skipped:-0}
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "No test ran." >&2
  status=1
fi
echo "Tests: $passed passed, $failed failed, $skipped skipped"
exit $status
