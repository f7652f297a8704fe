/*
 * pidinit - the first process of a sandbox's PID namespace (lib/sandbox).
 *
 *   pidinit [-r FD] CMD [ARG...]
 *
 * Runs CMD as its child, passes on the signals that stop a program (TERM,
 * INT, HUP, QUIT), reaps the orphans the namespace hands it, and exits
 * with CMD's status: its exit code, or 128 + N when signal N ended it.
 * When pidinit exits, the kernel kills everything left in the namespace,
 * so nothing CMD started outlives it, daemons included.
 *
 * -r FD: writes on descriptor FD, which CMD never holds, one line saying
 * how CMD ended and how many processes it left running, for the grader to
 * believe over anything CMD may have written in its own logs:
 *   status 0 left 2
 *
 * CMD is not process 1 itself, because process 1 ignores every signal it
 * has no handler for: a program that counts on SIGTERM's default action
 * would not stop.
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const int passed_on[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT };
enum { NPASSED = sizeof passed_on / sizeof passed_on[0] };

static volatile pid_t child;

static void pass_on(int sig)
{
	if (child > 0)
		kill(child, sig);
}

/* The processes of the namespace still running, but this one. */
static int running(void)
{
	DIR *proc = opendir("/proc");
	struct dirent *e;
	char path[300], line[512];
	int n = 0;

	if (proc == NULL)
		return -1;
	while ((e = readdir(proc)) != NULL) {
		if (!isdigit((unsigned char)e->d_name[0]) || atoi(e->d_name) == getpid())
			continue;
		snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
		FILE *f = fopen(path, "r");

		if (f == NULL)
			continue;
		/* "PID (NAME) STATE ...": NAME may hold anything, ')' too. */
		char *end = fgets(line, sizeof line, f) ? strrchr(line, ')') : NULL;

		if (end == NULL || end[1] == '\0' || end[2] != 'Z')
			n++;
		fclose(f);
	}
	closedir(proc);
	return n;
}

static int exit_code(int status)
{
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	sigset_t stopping, before;
	struct sigaction sa;
	int status, report = -1;
	pid_t pid;

	if (argc > 2 && strcmp(argv[1], "-r") == 0) {
		report = atoi(argv[2]);
		fcntl(report, F_SETFD, FD_CLOEXEC);
		argv += 2;
		argc -= 2;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: pidinit [-r FD] CMD [ARG...]\n");
		return 2;
	}

	/* Signals wait until the child's pid is known. */
	sigemptyset(&stopping);
	for (int i = 0; i < NPASSED; i++)
		sigaddset(&stopping, passed_on[i]);
	sigprocmask(SIG_BLOCK, &stopping, &before);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = pass_on;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < NPASSED; i++)
		sigaction(passed_on[i], &sa, NULL);

	child = fork();
	if (child < 0) {
		perror("pidinit: fork");
		return 126;
	}
	if (child == 0) {
		/* A group of its own: a stop signal sent to the grader's process
		 * group reaches CMD once, through pidinit. */
		setpgid(0, 0);
		sigprocmask(SIG_SETMASK, &before, NULL);
		execvp(argv[1], argv + 1);
		fprintf(stderr, "pidinit: %s: %s\n", argv[1], strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	sigprocmask(SIG_SETMASK, &before, NULL);

	for (;;) {
		pid = waitpid(-1, &status, 0);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0) {
			perror("pidinit: waitpid");
			return 126;
		}
		if (pid == child)
			break;
	}
	if (report >= 0)
		dprintf(report, "status %d left %d\n", exit_code(status), running());
	return exit_code(status);
}
