/*
 * gnidriver - the grader's driver for lab 04-gni-timeo: calls the
 * student's getnameinfo_timeo and judges what it did.
 *
 *   gnidriver -W WORKER [-j N] [-n NICE] [-w ADDR] CASE... <TOKEN
 *
 *   -W WORKER the worker program (gniworker), which calls the student's code
 *   -j N     run at most N cases at once, in N workers (default 1)
 *   -n NICE  run at a lower priority (nice(NICE)): for cases whose timing
 *            matters less than that of the grader's other runs
 *   -w ADDR  each worker looks ADDR up once first (see warm_up in
 *            gniworker.c)
 *
 * CASE is LABEL=KIND,NSEC,WHEN,ADDR,EXPECT:
 *   KIND    call          flags 0
 *           namereqd      NI_NAMEREQD
 *           numerichost   NI_NUMERICHOST
 *           numericserv   NI_NUMERICSERV: serv must be the port, 13
 *           smallhost     a host buffer of 8 bytes (exactly, on the heap)
 *           survive       two calls: one while the caller has an alarm
 *                         60 s away and SIGUSR1 blocked, one while it has
 *                         no alarm; after each, the caller's SIGALRM
 *                         handler, alarm and mask must be as they were,
 *                         and no SIGALRM may have come
 *           manyN         N calls in a row, then no descriptor, thread or
 *                         child of the calls may be left
 *           contrast      plain getnameinfo, not the student's: a check of
 *                         the DNS server, which must make getnameinfo block
 *   NSEC    the time limit passed
 *   WHEN    soon    the answer comes in time: within NSEC + SLACK
 *                   (within NOLIMIT when NSEC <= 0)
 *           late    the call times out: NSEC - EARLY to NSEC + SLACK
 *           blocks  (contrast) still blocked after NSEC + SLACK + 1 s
 *   ADDR    the address asked about (port 13 always; serv always asked)
 *   EXPECT  a host name; `numeric` (host is what inet_ntop gives, and serv
 *           "13" when WHEN is late); an error: EAI_AGAIN, EAI_OVERFLOW;
 *           or - (anything)
 *
 * Who judges.  The driver, the judge, holds no student code: it runs N
 * workers, the program WORKER (gniworker.c, built with the student's
 * gni_timeo.c), with stdin and stdout on /dev/null, which take the cases in
 * turn: a worker makes a case's calls, times each one, checks its result
 * and what it left behind, and records all that on a board, memory it
 * shares with the judge (gnicase.h).  The judge gives each case a deadline
 * (NSEC + SLACK a call, and a little more), kills the worker (its process
 * group) of a case that runs past it, and starts another for the cases
 * left.  When every case is over, it reads the token the grader wrote on
 * its stdin, and prints one line per case, in the order given:
 *   TOKEN LABEL ok; rc=0 (0) host="192.0.2.10" serv="13" in 1.002 s
 *   TOKEN LABEL FAIL: WHY; rc=... host=... serv=... in ... s
 * The grader believes only the lines that carry its token.  No student
 * code runs in the judge, which makes itself undumpable: a worker, though
 * it runs as the same user, can neither trace it nor reach its stdin or
 * stdout through /proc.  What a worker writes on the board is what its
 * calls did, as the worker saw it: code that went looking for the board on
 * purpose to write there is cheating that a reader of gni_timeo.c sees at
 * once.
 */
#define _GNU_SOURCE /* memfd_create */
#include "gnicase.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Seconds the judge gives case tc. */
static double patience(const struct test_case *tc)
{
	if (strcmp(tc->when, "blocks") == 0)
		return BLOCKS(tc) + GRACE;
	return GRACE + tc->calls * (tc->nsec > 0 ? tc->nsec + SLACK : NOLIMIT);
}

/* Copies s into out (size n), every byte that is not printable as '?'. */
static const char *printable(const char *s, char *out, size_t n)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < n; i++)
		out[i] = isprint((unsigned char)s[i]) ? s[i] : '?';
	out[i] = '\0';
	return out;
}

/* The verdict line of a case (without the token): why it failed, or ok. */
static void verdict(const struct test_case *tc, const struct progress *p, const char *why,
		    char *line)
{
	const struct record *r = &p->last;
	char host[HOSTLEN], serv[SERVLEN], which[64] = "";

	if (p->records == 0) {
		snprintf(line, LINE_LEN, "%s FAIL: %s", tc->label, why);
		return;
	}
	if (tc->calls > 1)
		snprintf(which, sizeof(which), " (call %d of %d)", p->records, tc->calls);
	snprintf(line, LINE_LEN, "%s %s%s; rc=%d (%s) host=\"%s\" serv=\"%s\" in %.3f s%s",
		 tc->label, why[0] ? "FAIL: " : "ok", why, r->rc, rc_name(r->rc),
		 printable(r->host, host, sizeof(host)), printable(r->serv, serv, sizeof(serv)),
		 r->elapsed, which);
}

/* Case tc is over: its verdict, from its records. */
static void finished(const struct test_case *tc, const struct progress *p, char *line)
{
	char why[WHY_LEN] = "";

	if (p->blocked > 0) {
		snprintf(line, LINE_LEN, "%s ok; plain getnameinfo was still blocked after %.1f s",
			 tc->label, p->blocked);
		return;
	}
	if (p->records > 0 && p->last.why[0] != '\0')
		snprintf(why, sizeof(why), "%.*s", WHY_LEN - 1, p->last.why);
	else if (p->records < tc->calls)
		snprintf(why, sizeof(why), "the grader's process ended before call %d of %d",
			 p->records + 1, tc->calls);
	verdict(tc, p, why, line);
}

/* The worker died (status) in the middle of case tc. */
static void crashed(const struct test_case *tc, const struct progress *p, int status,
		    char *line)
{
	char why[WHY_LEN];

	if (WIFSIGNALED(status))
		snprintf(why, sizeof(why), "call %d of %d killed the grader's process (signal %d, %s)",
			 p->records + 1, tc->calls, WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(why, sizeof(why), "call %d of %d ended the grader's process (exit status %d)",
			 p->records + 1, tc->calls, WEXITSTATUS(status));
	verdict(tc, p, why, line);
}

/* Case tc ran past its deadline: its worker (pid) is stopped. */
static void overdue(const struct test_case *tc, const struct progress *p, pid_t pid, char *line)
{
	double waited = now() - p->started;
	char why[WHY_LEN];

	kill(-pid, SIGKILL);
	while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
		continue;
	if (strcmp(tc->when, "blocks") == 0) {
		snprintf(line, LINE_LEN, "%s ok; plain getnameinfo was still blocked after %.1f s",
			 tc->label, waited);
		return;
	}
	snprintf(why, sizeof(why), "call %d of %d had not returned %.1f s after the first began"
		 " (stopped)", p->records + 1, tc->calls, waited);
	verdict(tc, p, why, line);
}

/* The worker's command line, with its slot in worker_argv[worker_slot]. */
static char **worker_argv;
static int worker_slot;

/*
 * Starts a worker (the program worker_argv[0]) for slot `slot`, with the
 * board (descriptor fd) as BOARD_FD, stdin and stdout on /dev/null, the
 * signal mask *mask, in a process group of its own, so that the judge can
 * stop it and whatever it started; returns its pid, or -1.
 */
static pid_t start_worker(int fd, int slot, const sigset_t *mask)
{
	char slot_arg[16];
	pid_t pid = fork();
	int null;

	if (pid != 0) {
		if (pid > 0)
			setpgid(pid, pid);  /* done by both: neither waits for the other */
		return pid;
	}
	setpgid(0, 0);
	null = open("/dev/null", O_RDWR);
	if (null == -1 || dup2(null, STDIN_FILENO) == -1 || dup2(null, STDOUT_FILENO) == -1)
		_exit(1);
	close(null);
	if (fd == BOARD_FD ? fcntl(fd, F_SETFD, 0) == -1 : dup2(fd, BOARD_FD) == -1)
		_exit(1);
	sigprocmask(SIG_SETMASK, mask, NULL);
	snprintf(slot_arg, sizeof(slot_arg), "%d", slot);
	worker_argv[worker_slot] = slot_arg;
	execv(worker_argv[0], worker_argv);
	perror("gnidriver: the worker");
	_exit(127);
}

/*
 * Runs every case, in at most jobs workers at once; lines[i] gets case i's
 * verdict.  Waits for a worker's end (SIGCHLD, blocked and waited for) or
 * for the first deadline, whichever comes first.  A worker stopped or dead
 * in the middle of a case is replaced while cases are left.
 */
static void run_all(const struct test_case *cases, int ncases, int jobs, char (*lines)[LINE_LEN])
{
	size_t size = board_size(ncases);
	int fd = memfd_create("gnidriver-board", MFD_CLOEXEC);
	struct board *board = MAP_FAILED;
	pid_t workers[MAX_JOBS] = { 0 };
	sigset_t chld, mask;
	int running = 0;

	if (fd != -1 && ftruncate(fd, (off_t)size) == 0)
		board = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (board == MAP_FAILED) {
		perror("gnidriver: board");
		exit(1);
	}
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &mask);
	for (int k = 0; k < jobs; k++)
		atomic_store(&board->current[k], -1);
	do {
		double soonest = now() + 1;

		for (int k = 0; k < jobs; k++) {
			int i;

			if (workers[k] == 0 && atomic_load(&board->next) < ncases) {
				atomic_store(&board->current[k], -1);
				workers[k] = start_worker(fd, k, &mask);
				if (workers[k] == -1) {
					perror("gnidriver: fork");
					exit(1);
				}
				running++;
			}
			i = atomic_load(&board->current[k]);
			if (workers[k] != 0 && i >= 0 && !board->cases[i].done
			    && board->cases[i].started + patience(&cases[i]) < soonest)
				soonest = board->cases[i].started + patience(&cases[i]);
		}

		double wait = soonest - now();
		struct timespec ts = { 0, 0 };

		if (wait > 0) {
			ts.tv_sec = (time_t)wait;
			ts.tv_nsec = (long)((wait - (double)ts.tv_sec) * 1e9);
		}
		sigtimedwait(&chld, NULL, &ts);

		for (int k = 0; k < jobs; k++) {
			int i = atomic_load(&board->current[k]), status;
			struct progress *p = i >= 0 ? &board->cases[i] : NULL;

			if (workers[k] == 0)
				continue;
			if (waitpid(workers[k], &status, WNOHANG) == workers[k]) {
				if (p != NULL && !p->done)
					crashed(&cases[i], p, status, lines[i]);
			} else if (p != NULL && !p->done && now() >= p->started + patience(&cases[i])) {
				overdue(&cases[i], p, workers[k], lines[i]);
			} else {
				continue;
			}
			if (p != NULL)
				p->done = 1;
			workers[k] = 0;
			running--;
		}
	} while (running > 0 || atomic_load(&board->next) < ncases);

	for (int i = 0; i < ncases; i++)
		if (lines[i][0] == '\0')
			finished(&cases[i], &board->cases[i], lines[i]);
	sigprocmask(SIG_SETMASK, &mask, NULL);
	munmap(board, size);
	close(fd);
}

static _Noreturn void usage(void)
{
	fprintf(stderr, "usage: gnidriver -W WORKER [-j N] [-n NICE] [-w ADDR] "
		"LABEL=KIND,NSEC,WHEN,ADDR,EXPECT... "
		"<TOKEN\n");
	exit(2);
}

int main(int argc, char *argv[])
{
	struct test_case *cases;
	char (*lines)[LINE_LEN], token[TOKEN_LEN];
	const char *worker = NULL, *warm = NULL;
	int opt, jobs = 1, ncases, status = 0, n = 0;

	if (prctl(PR_SET_DUMPABLE, 0) != 0) {
		perror("gnidriver: prctl");
		return 1;
	}
	setenv("RES_OPTIONS", RESOLVER, 1);  /* stated, not left to resolv.conf */
	while ((opt = getopt(argc, argv, "W:j:n:w:")) != -1) {
		if (opt == 'W') {
			worker = optarg;
		} else if (opt == 'j') {
			jobs = atoi(optarg);
			if (jobs < 1 || jobs > MAX_JOBS)
				usage();
		} else if (opt == 'n') {
			errno = 0;
			if (nice(atoi(optarg)) == -1 && errno != 0)
				perror("gnidriver: nice");
		} else if (opt == 'w') {
			warm = optarg;
		} else {
			usage();
		}
	}
	ncases = argc - optind;
	if (ncases < 1 || worker == NULL)
		usage();
	if (jobs > ncases)
		jobs = ncases;
	cases = calloc((size_t)ncases, sizeof(*cases));
	lines = calloc((size_t)ncases, sizeof(*lines));
	/* worker [-w ADDR] SLOT CASE...: the cases as given, before parsing. */
	worker_argv = calloc((size_t)ncases + 5, sizeof(*worker_argv));
	if (cases == NULL || lines == NULL || worker_argv == NULL) {
		perror("gnidriver: calloc");
		return 1;
	}
	worker_argv[n++] = (char *)worker;
	if (warm != NULL) {
		worker_argv[n++] = "-w";
		worker_argv[n++] = (char *)warm;
	}
	worker_slot = n++;
	for (int i = 0; i < ncases; i++) {
		worker_argv[n++] = strdup(argv[optind + i]);
		if (worker_argv[n - 1] == NULL) {
			perror("gnidriver: strdup");
			return 1;
		}
	}
	for (int i = 0; i < ncases; i++)
		if (!parse_case(argv[optind + i], &cases[i])) {
			fprintf(stderr, "gnidriver: malformed case %s\n", argv[optind + i]);
			usage();
		}

	run_all(cases, ncases, jobs, lines);

	if (fgets(token, sizeof(token), stdin) != NULL && token[0] != '\n') {
		token[strcspn(token, "\n")] = '\0';
		for (int i = 0; i < ncases; i++)
			printf("%s %s\n", token, lines[i]);
	} else {
		fprintf(stderr, "gnidriver: no token on stdin: no verdict is printed\n");
		status = 1;
	}
	for (int i = worker_slot + 1; i < n; i++)
		free(worker_argv[i]);
	free(worker_argv);
	free(lines);
	free(cases);
	return status;
}
