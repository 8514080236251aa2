#!/bin/sh
# alert_fuzz_corpus.sh — replay the alert-text fuzzer's corpus (spool files
# and Telegram texts) through the real code (tests/fuzz/fuzz_alert_text.c);
# under ASan/UBSan in the sanitizer build.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
exec "$top_builddir/tests/fuzz/replay_alert" "$top_srcdir"/tests/fuzz/corpus/alert_text/*
