#!/bin/sh
# fuzz_http_route.sh — replay the URL parser fuzzer's corpus through the
# real http_route_parse; in the sanitizer build this runs under ASan/UBSan.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
exec "$top_builddir/tests/fuzz/replay_http" "$top_srcdir"/tests/fuzz/corpus/http_route/*
