/*
 * hostexec - runs a command on a host of the lab network (netns backend).
 *
 *   hostexec [-r RESOLV_CONF] NAMESPACE CMD [ARG...]
 *
 * Does what `ip netns exec NAMESPACE CMD` does, in one process instead of
 * the three a shell script and ip take: joins the network namespace
 * /run/netns/NAMESPACE, and in a mount namespace of its own shows each
 * /etc/netns/NAMESPACE/FILE as /etc/FILE (the host's resolv.conf and
 * hosts).  -r: RESOLV_CONF then stands in for /etc/resolv.conf (a resolver
 * of grader/net's `exec --dns`).  $LABNET_ETC, when set, is the folder that
 * stands for /etc/netns (an ordinary user's grade cannot make /etc/netns;
 * see lib/userns.bash).
 *
 * Unlike ip, it leaves /sys as it is: a fresh sysfs for the namespace
 * would hide /sys/fs/cgroup, where the sandbox puts a student's program in
 * a cgroup with its limits.  Nothing the grader runs on a host reads /sys.
 *
 * Exit status 126 when the namespace cannot be entered, 127 when CMD is
 * not found, otherwise CMD's.
 */
#define _GNU_SOURCE

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "die.h"

static void bind(const char *from, const char *to)
{
	if (mount(from, to, NULL, MS_BIND, NULL) < 0)
		die("bind %s on %s", from, to);
}

/* Each file of /etc/netns/NAMESPACE over its namesake in /etc. */
static void bind_etc(const char *ns)
{
	char dir[PATH_MAX], from[PATH_MAX * 2], to[PATH_MAX];
	const char *etc = getenv("LABNET_ETC");
	struct dirent *e;
	DIR *d;

	if (snprintf(dir, sizeof dir, "%s/%s", etc ? etc : "/etc/netns", ns) >= (int)sizeof dir) {
		errno = ENAMETOOLONG;
		die("%s", ns);
	}
	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(from, sizeof from, "%s/%s", dir, e->d_name);
		snprintf(to, sizeof to, "/etc/%s", e->d_name);
		bind(from, to);
	}
	closedir(d);
}

int main(int argc, char **argv)
{
	const char *resolv = NULL, *ns;
	char path[PATH_MAX];
	int fd;

	if (argc > 2 && strcmp(argv[1], "-r") == 0) {
		resolv = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: hostexec [-r RESOLV_CONF] NAMESPACE CMD [ARG...]\n");
		return 2;
	}
	ns = argv[1];
	if (strchr(ns, '/') != NULL || snprintf(path, sizeof path, "/run/netns/%s", ns) >= (int)sizeof path) {
		errno = EINVAL;
		die("%s", ns);
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		die("%s", path);
	if (setns(fd, CLONE_NEWNET) < 0)
		die("enter %s", path);
	close(fd);

	if (unshare(CLONE_NEWNS) < 0)
		die("unshare");
	if (mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		die("mount /");
	bind_etc(ns);
	if (resolv != NULL)
		bind(resolv, "/etc/resolv.conf");

	execvp(argv[2], argv + 2);
	fprintf(stderr, "hostexec: %s: %s\n", argv[2], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
