#!/bin/sh
# fuzz_corpus.sh — replay the SNMP reply fuzzer's corpus (seeds and every
# input a fuzzing run found worth keeping) through the real parser and
# if_walk; in the sanitizer build this runs under ASan/UBSan.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
exec "$top_builddir/tests/fuzz/replay" "$top_srcdir"/tests/fuzz/corpus/snmp_reply/*
