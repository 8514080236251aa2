#!/bin/sh
# tests/run-suite.sh — run `make check` in the current build directory and
# end with one line "N passed, N failed, N skipped", counting every TAP test
# case of every test program (from automake's .trs files).  Exit status is
# make check's.
set -u
make -s check "$@"
rc=$?
pass=0 fail=0 skip=0
for trs in $(find . -name '*.trs'); do
	p=$(grep -c '^:test-result: PASS' "$trs")
	f=$(grep -Ec '^:test-result: (FAIL|ERROR|XPASS)' "$trs")
	s=$(grep -c '^:test-result: SKIP' "$trs")
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
done
[ "$rc" -ne 0 ] && [ "$fail" -eq 0 ] && fail=1   # make failed outside a test
echo "$pass passed, $fail failed, $skip skipped"
exit $rc
