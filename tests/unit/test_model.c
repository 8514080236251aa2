/*
 * test_model.c — the runtime model reconciled by name: devices and
 * interfaces that remain keep their state, history and address; removed
 * ones go; new ones start empty; sites and parent/children follow the new
 * config.
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "collector/model.h"
#include "common/config.h"

static char test_dir[64];

static struct serat_config *load(const char *devices)
{
	char path[128], err[4096];
	snprintf(path, sizeof(path), "%s/t.yaml", test_dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "data_dir: %s\nsnmp: {version: 2c, community: public}\n"
		"sites:\n  - name: core site\n    kind: core\n    devices:\n%s", test_dir, devices);
	fclose(f);
	struct serat_config *c = config_load(path, err, sizeof(err));
	if (c == NULL)
		fail_msg("%s", err);
	return c;
}

static const char *conf_a =
	"      - {name: core, address: 127.0.0.1}\n"
	"      - {name: kec, address: 127.0.0.2, parent: core}\n"
	"      - {name: ngr1, address: 127.0.0.3, parent: kec}\n"
	"      - {name: ngr2, address: 127.0.0.4, parent: kec}\n";
static const char *conf_b =
	"      - {name: kec, address: 127.0.0.2}\n"
	"      - {name: new, address: 127.0.0.5, parent: kec}\n"
	"      - {name: ngr2, address: 127.0.0.4, parent: kec}\n";

static void test_reconcile_by_name(void **state)
{
	(void)state;
	struct serat_config *a = load(conf_a), *b = load(conf_b);
	struct model *m = model_new();
	assert_int_equal(model_reconcile(m, a), 0);
	assert_int_equal(m->n_devices, 4);
	assert_int_equal(m->n_sites, 1);
	assert_int_equal(m->sites[0].n_devices, 4);
	struct model_device *kec = model_find_device(m, "kec");
	assert_non_null(kec);
	assert_int_equal(kec->reach, DEV_UNKNOWN);
	assert_ptr_equal(kec->parent, model_find_device(m, "core"));
	assert_int_equal(kec->n_children, 2);
	assert_null(model_find_device(m, "core")->parent);

	/* State and history on kec: an interface with a previous sample. */
	kec->reach = DEV_UP;
	kec->since = 1000;
	kec->polls = 7;
	size_t cursor = 0;
	struct model_if *i = model_device_if(kec, "Gi0/1", &cursor);
	assert_non_null(i);
	assert_true(isnan(i->last[0]));
	i->hist.prev_valid = 0xff;
	i->hist.prev[0] = 12345;
	i->seen = kec->generation;

	assert_int_equal(model_reconcile(m, b), 0);
	assert_int_equal(m->n_devices, 3);
	assert_ptr_equal(m->devices[0], kec);           /* same object, config order */
	assert_int_equal(kec->reach, DEV_UP);
	assert_int_equal(kec->polls, 7);
	assert_ptr_equal(kec->conf, &b->devices[0]);    /* points into the new config */
	struct model_if *j = model_device_find_if(kec, "Gi0/1");
	assert_non_null(j);
	assert_int_equal(j->hist.prev_valid, 0xff);
	assert_int_equal(j->hist.prev[0], 12345);
	assert_null(kec->parent);                       /* became a root */
	assert_int_equal(kec->n_children, 2);
	assert_null(model_find_device(m, "core"));
	assert_null(model_find_device(m, "ngr1"));
	struct model_device *nw = model_find_device(m, "new");
	assert_non_null(nw);
	assert_int_equal(nw->reach, DEV_UNKNOWN);
	assert_int_equal(nw->n_ifs, 0);
	assert_ptr_equal(nw->parent, kec);
	assert_ptr_equal(nw->site, &m->sites[0]);
	assert_string_equal(nw->site->name, "core site");

	/* Interfaces not seen by the last poll are pruned, the others kept. */
	kec->generation++;
	cursor = 0;
	model_device_if(kec, "Gi0/2", &cursor)->seen = kec->generation;
	model_device_prune_ifs(kec, NULL, NULL);
	assert_int_equal(kec->n_ifs, 1);
	assert_string_equal(kec->ifs[0].name, "Gi0/2");

	model_free(m);
	config_free(a);
	config_free(b);
}

static void test_reconcile_empty(void **state)
{
	(void)state;
	struct serat_config *a = load(conf_a);
	struct model *m = model_new();
	assert_int_equal(model_reconcile(m, a), 0);
	/* The same config again: nothing moves. */
	struct model_device *first = m->devices[0];
	assert_int_equal(model_reconcile(m, a), 0);
	assert_ptr_equal(m->devices[0], first);
	model_free(m);
	model_free(NULL);
	config_free(a);
}

static int setup(void **state)
{
	(void)state;
	snprintf(test_dir, sizeof(test_dir), "/tmp/serat-test-model.XXXXXX");
	return mkdtemp(test_dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", test_dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reconcile_by_name),
		cmocka_unit_test(test_reconcile_empty),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
