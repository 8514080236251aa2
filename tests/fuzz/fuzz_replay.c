/*
 * fuzz_replay.c — run a fuzz target over files (a seed corpus, a crash
 * reproducer) without libFuzzer, so any compiler can regression-test the
 * corpus.  Prints TAP: one test per file.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	printf("1..%d\n", argc - 1);
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (f == NULL) {
			printf("not ok %d - cannot open %s\n", i, argv[i]);
			continue;
		}
		static uint8_t buf[1 << 20];
		size_t n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);   /* a crash fails the test */
		printf("ok %d - %s\n", i, argv[i]);
	}
	return 0;
}
