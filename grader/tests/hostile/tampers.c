/*
 * Hostile: at every run, tries to overwrite every file it can reach under
 * /tmp (the grader's build, the drivers, other runs' folders) and under
 * the folder of its own program, and to put links named like the
 * grader's results in the latter.  It may write none of them: were one
 * overwritten, the programs and drivers of the later tests would be gone,
 * and this code says so on stdout.
 * Into: addrclass.c
 * Base: solutions
 * Expect-score: 36
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void spoil(const char *dir, int depth, int links)
{
	static const char *const results[] = {"results.json", "passed.txt", "report.txt"};
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[PATH_MAX];

	if (d == NULL)
		return;
	for (size_t i = 0; links && i < sizeof results / sizeof results[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, results[i]);
		if (symlink("/dev/null", path) == 0)
			printf("hostile: made %s\n", path);
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		struct stat st;

		if (lstat(path, &st) < 0 || S_ISLNK(st.st_mode) || st.st_uid == getuid())
			continue; /* its own files (valgrind's in /tmp) are not the grader's */
		if (S_ISDIR(st.st_mode)) {
			if (depth < 6)
				spoil(path, depth + 1, links);
			continue;
		}
		int fd = open(path, O_WRONLY | O_APPEND | O_NONBLOCK);

		if (fd >= 0) {
			printf("hostile: could write %s\n", path);
			close(fd);
		}
	}
	closedir(d);
}

__attribute__((constructor)) static void hostile(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);

	spoil("/tmp", 0, 0); /* the sandbox's own /tmp takes links: no use */
	if (n > 0) {
		self[n] = '\0';
		*strrchr(self, '/') = '\0';
		spoil(self, 0, 1);
	}
	fflush(stdout);
}
