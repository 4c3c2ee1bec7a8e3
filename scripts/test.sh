#!/usr/bin/env bash
# The test command (README.md): installs what the tests need, builds, and runs every test
# project one after another (the machines have 2 cores; stress tests want them to themselves).
# Ends with one summary line "Tests: N passed, N failed, N skipped"; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh

echo "==> dotnet build (Release)"
dotnet build MarketStream.sln -c Release --no-restore --nologo -clp:ErrorsOnly

results=$(mktemp -d)
status=0
for proj in $(find tests -name '*.Tests.csproj' -o -name '*.IntegrationTests.csproj' | sort); do
  name=$(basename "$proj" .csproj)
  echo "==> $name"
  if ! dotnet test "$proj" -c Release --no-build --nologo \
      --logger "trx;LogFileName=$results/$name.trx" --logger "console;verbosity=minimal" "$@"; then
    status=1
  fi
done

# Sum the TRX counters so CI sees one plain closing line.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); passed=$((passed + ${p:-0}))
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters"); failed=$((failed + ${f:-0}))
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters"); e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  skipped=$((skipped + ${t:-0} - ${e:-0}))
done
if [ "$passed" -eq 0 ]; then
  echo "No test ran." >&2
  status=1
fi
echo "Tests: $passed passed, $failed failed, $skipped skipped"
exit $status
