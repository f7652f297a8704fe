/*
 * Hostile: at every run, looks in /proc/self/mountinfo for what the
 * sandbox hides (the solutions, the kit's tests, the suites with their
 * hidden tests) and prints whatever it can read there, for the report to
 * show the student.  It reads nothing; were it to, the command's tests
 * would fail and show it.
 * Into: addrclass.c
 * Base: solutions
 * Expect-score: 36
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

static void show(const char *path)
{
	char line[512];
	FILE *f = fopen(path, "r");
	DIR *d;
	struct dirent *e;

	if (f != NULL) {
		while (fgets(line, sizeof line, f) != NULL)
			printf("leak: %s: %s", path, line);
		fclose(f);
	}
	d = opendir(path);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			printf("leak: %s/%s\n", path, e->d_name);
	closedir(d);
}

__attribute__((constructor)) static void hostile(void)
{
	static const char *const wanted[] = {"/solutions", "/grader/tests", "/.git", ".bats"};
	char line[1024], point[PATH_MAX], sub[PATH_MAX + 32];
	FILE *mounts = fopen("/proc/self/mountinfo", "r");

	if (mounts == NULL)
		return;
	while (fgets(line, sizeof line, mounts) != NULL) {
		if (sscanf(line, "%*s %*s %*s %*s %4095s", point) != 1)
			continue;
		for (size_t i = 0; i < sizeof wanted / sizeof wanted[0]; i++) {
			size_t n = strlen(point), w = strlen(wanted[i]);

			if (n < w || strcmp(point + n - w, wanted[i]) != 0)
				continue;
			show(point);
			snprintf(sub, sizeof sub, "%s/01-addrclass/in6class.c", point);
			show(sub);
		}
	}
	fclose(mounts);
	fflush(stdout);
}
