#!/bin/sh
# icmp_fuzz_corpus.sh — replay the ICMP reply fuzzer's corpus through the
# real parser (tests/fuzz/fuzz_icmp_reply.c); under ASan/UBSan in the
# sanitizer build.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
exec "$top_builddir/tests/fuzz/replay_icmp" "$top_srcdir"/tests/fuzz/corpus/icmp_reply/*
