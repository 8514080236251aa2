#!/bin/sh
# fuzz_pkt_corpus.sh — replay the packet decoder fuzzer's corpus (seeds:
# damaged and good frames from tests/probe_gen.py broken, and anything a
# fuzzing run kept) through the real probe engine with fuzz_replay.c's
# driver; in the sanitizer build this runs under ASan/UBSan.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
exec "$top_builddir/tests/fuzz/replay_pkt" "$top_srcdir"/tests/fuzz/corpus_pkt/*
