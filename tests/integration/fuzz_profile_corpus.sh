#!/bin/sh
# fuzz_profile_corpus.sh — replay the profile reply fuzzer's corpus (real
# replies of the lab recordings to profile requests, and whatever fuzzing
# runs kept) through Net-SNMP's parser and profile_walk; under ASan/UBSan in
# the sanitizer build.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
exec "$top_builddir/tests/fuzz/replay_profile" "$top_srcdir"/tests/fuzz/corpus/profile_reply/*
