#!/usr/bin/env bash
# Run one stage of `make test` and say how long it took: timed_stage.sh "label" command [args...]
# The stage's exit status is kept, so a failing stage still stops `make`.
label="$1"
shift
echo "== ${label} =="
started=$(date +%s)
"$@"
status=$?
elapsed=$(( $(date +%s) - started ))
printf '== %s: %dm %02ds (exit %d) ==\n' "${label}" $((elapsed / 60)) $((elapsed % 60)) "${status}"
if [ -n "${TEST_TIMINGS_FILE:-}" ]; then
  printf '%s\t%d\t%d\n' "${label}" "${elapsed}" "${status}" >> "${TEST_TIMINGS_FILE}"
fi
exit "${status}"
