/*
 * test_metric.c — the metric registry: lookups, and docs/metrics.md kept in
 * step with it (every registry row is documented with the same unit,
 * object, file and DS, and the documentation names no metric that does
 * not exist).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/metric.h"

static void test_lookup(void **state)
{
	(void)state;
	for (int i = 0; i < METRIC_COUNT; i++) {
		const struct metric_def *m = metric_get((enum metric_id)i);
		assert_non_null(m);
		assert_int_equal(m->id, i);
		assert_ptr_equal(metric_find(m->name), m);
	}
	assert_null(metric_get(METRIC_COUNT));
	assert_null(metric_find("if.in_bits"));
	assert_null(metric_find(""));
	assert_string_equal(metric_object_name(METRIC_OBJ_INTERFACE), "interface");
	assert_null(metric_object_name(METRIC_OBJ_COUNT));
	/* DS order of the stored kinds is the enum order. */
	assert_string_equal(metric_get(METRIC_IF_FIRST)->rrd_ds, "in");
	assert_string_equal(metric_get(METRIC_IF_FIRST + METRIC_IF_N - 1)->rrd_ds, "oper");
	assert_string_equal(metric_get(METRIC_DEVICE_FIRST)->rrd_ds, "reachable");
}

/* "| `a` | b | c |" → cells without backquotes and padding. */
static size_t split_row(char *line, char **cells, size_t max)
{
	size_t n = 0;
	char *p = strchr(line, '|');
	while (p != NULL && n < max) {
		char *end = strchr(p + 1, '|');
		if (end == NULL)
			break;
		*end = '\0';
		char *c = p + 1;
		while (*c == ' ' || *c == '`')
			c++;
		char *e = c + strlen(c);
		while (e > c && (e[-1] == ' ' || e[-1] == '`'))
			*--e = '\0';
		cells[n++] = c;
		p = end;
	}
	return n;
}

static void test_docs_match(void **state)
{
	(void)state;
	const char *top = getenv("top_srcdir");
	char path[4096], line[1024];
	snprintf(path, sizeof(path), "%s/docs/metrics.md", top ? top : ".");
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	int seen[METRIC_COUNT] = { 0 };
	while (fgets(line, sizeof(line), f)) {
		char *cells[8];
		if (strncmp(line, "| `", 3) != 0)
			continue;
		size_t n = split_row(line, cells, 8);
		assert_int_equal(n, 6);
		const struct metric_def *m = metric_find(cells[0]);
		if (m == NULL)
			fail_msg("docs/metrics.md names an unknown metric %s", cells[0]);
		seen[m->id]++;
		assert_string_equal(cells[1], m->unit);
		assert_string_equal(cells[2], metric_object_name(m->object));
		assert_string_equal(cells[3], metric_rrd_file_name(m->rrd_file));
		assert_string_equal(cells[4], m->rrd_ds ? m->rrd_ds : "-");
	}
	fclose(f);
	for (int i = 0; i < METRIC_COUNT; i++)
		if (seen[i] != 1)
			fail_msg("%s is documented %d times in docs/metrics.md",
				 metric_get((enum metric_id)i)->name, seen[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_docs_match),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
