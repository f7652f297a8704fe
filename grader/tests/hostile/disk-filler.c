/*
 * Hostile: fills every place it may write with 1 MiB files until the
 * writes fail, when it reads standard input, then does its job.  The
 * sandbox's own 64 MiB places fill up; the disk and the real /tmp never
 * see a byte, and the files go when the run ends.
 * Into: addrclass.c
 * Base: solutions
 * Expect-score: 36
 */
#include <stdio.h>
#include <string.h>

__attribute__((constructor)) static void hostile(int argc)
{
	static const char *const places[] = {".", "/tmp", "/var/tmp", "/dev/shm", "/run/lock"};
	static char block[1 << 20];
	char path[64];

	if (argc != 1)
		return;
	memset(block, 'x', sizeof block);
	for (size_t p = 0; p < sizeof places / sizeof places[0]; p++) {
		for (int n = 0;; n++) {
			snprintf(path, sizeof path, "%s/fill%d", places[p], n);
			FILE *f = fopen(path, "w");

			if (f == NULL)
				break;
			size_t wrote = fwrite(block, 1, sizeof block, f);

			if (fclose(f) != 0 || wrote != sizeof block)
				break;
		}
	}
}
