/*
 * gnidriver - the grader's driver for lab 04-gni-timeo: calls the
 * student's getnameinfo_timeo and judges what it did.
 *
 *   gnidriver [-j N] [-w ADDR] CASE...
 *
 *   -j N     run at most N cases at once (default: all of them)
 *   -w ADDR  look ADDR up once first (plain getnameinfo), to warm up
 *
 * CASE is LABEL=KIND,NSEC,WHEN,ADDR,EXPECT:
 *   KIND    call          flags 0
 *           namereqd      NI_NAMEREQD
 *           numerichost   NI_NUMERICHOST
 *           numericserv   NI_NUMERICSERV: serv must be the port, 13
 *           smallhost     a host buffer of 8 bytes (exactly, on the heap)
 *           survive       the caller's SIGALRM handler, alarm and signal
 *                         mask must be as they were, no stray SIGALRM
 *           manyN         N calls in a row, then no descriptor, thread or
 *                         child of the call may be left
 *           contrast      plain getnameinfo, not the student's (a check
 *                         of the DNS server: it must make getnameinfo block)
 *   NSEC    the time limit passed
 *   WHEN    soon    within NSEC + 0.5 s (any time when NSEC <= 0)
 *           late    at the time limit: NSEC - 0.1 to NSEC + 0.5 s
 *           now     within 0.5 s
 *           blocks  1.5 s or more
 *   ADDR    the address asked about (port 13 always; serv always asked)
 *   EXPECT  a host name; `numeric` (host is what inet_ntop gives, and serv
 *           "13" when WHEN is late); an error: EAI_AGAIN, EAI_OVERFLOW; or - (anything)
 *
 * Every case runs in a process of its own, side by side (with -j 1: one
 * after the other, in the driver's own process); each prints
 * one line, in the order they finish:
 *   LABEL ok: rc=0 host="192.0.2.10" serv="13" in 1.002 s
 *   LABEL FAIL: WHY; rc=... host=... serv=... in ... s
 * The resolver is made to give up after 2 s (RES_OPTIONS timeout:2
 * attempts:1) so that nothing, not even a wrong solution, waits long.
 */
#define _POSIX_C_SOURCE 200809L
#include "gni_timeo.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SLACK 0.5   /* seconds a timed-out call may take past NSEC */
#define EARLY 0.1   /* seconds it may give up before NSEC */
#define PORT 13

enum { HOSTLEN = 1025, SERVLEN = 32, SMALL_HOSTLEN = 8, MAX_FDS = 256 };

struct test_case {
	const char *label, *kind, *when, *addr, *expect;
	int nsec;
};

/* What one call did. */
struct outcome {
	int rc;
	char host[HOSTLEN], serv[SERVLEN];
	double elapsed;
};

static char verdict[2048];  /* why the case failed; empty while it passes */

static void failed(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Records the first reason a case fails. */
static void failed(const char *fmt, ...)
{
	va_list ap;

	if (verdict[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(verdict, sizeof(verdict), fmt, ap);
	va_end(ap);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *rc_name(int rc)
{
	static const struct { int rc; const char *name; } names[] = {
		{ 0, "0" }, { EAI_AGAIN, "EAI_AGAIN" }, { EAI_BADFLAGS, "EAI_BADFLAGS" },
		{ EAI_FAIL, "EAI_FAIL" }, { EAI_FAMILY, "EAI_FAMILY" },
		{ EAI_MEMORY, "EAI_MEMORY" }, { EAI_NONAME, "EAI_NONAME" },
		{ EAI_OVERFLOW, "EAI_OVERFLOW" }, { EAI_SYSTEM, "EAI_SYSTEM" },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].rc == rc)
			return names[i].name;
	return "an unknown code";
}

/* ADDR with port 13 into *ss; its length, or 0 when ADDR is no address. */
static socklen_t make_sockaddr(const char *addr, struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(PORT);
		return sizeof(*sin);
	}
	if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(PORT);
		return sizeof(*sin6);
	}
	return 0;
}

/* One call of the student's function (or of getnameinfo, for contrast). */
static void call(const struct test_case *tc, const struct sockaddr *sa, socklen_t len,
		 struct outcome *out)
{
	int flags = 0;
	socklen_t hostlen = HOSTLEN;
	char *host;
	double start;

	if (strcmp(tc->kind, "namereqd") == 0)
		flags = NI_NAMEREQD;
	else if (strcmp(tc->kind, "numerichost") == 0)
		flags = NI_NUMERICHOST;
	else if (strcmp(tc->kind, "numericserv") == 0)
		flags = NI_NUMERICSERV;
	else if (strcmp(tc->kind, "smallhost") == 0)
		hostlen = SMALL_HOSTLEN;
	/* Exactly hostlen bytes on the heap: valgrind sees a write past them. */
	host = malloc(hostlen);
	if (host == NULL) {
		perror("gnidriver: malloc");
		exit(1);
	}
	memset(host, 0, hostlen);
	memset(out->serv, 0, sizeof(out->serv));
	start = now();
	if (strcmp(tc->kind, "contrast") == 0)
		out->rc = getnameinfo(sa, len, host, hostlen, out->serv, SERVLEN, flags);
	else
		out->rc = getnameinfo_timeo(sa, len, host, hostlen, out->serv, SERVLEN,
					    flags, tc->nsec);
	out->elapsed = now() - start;
	snprintf(out->host, sizeof(out->host), "%.*s", (int)hostlen, host);
	free(host);
}

/* Is the outcome what EXPECT and WHEN ask for? */
static void judge(const struct test_case *tc, const struct sockaddr *sa,
		  const struct outcome *out)
{
	char numeric[INET6_ADDRSTRLEN];
	const void *addr = sa->sa_family == AF_INET
		? (const void *)&((const struct sockaddr_in *)sa)->sin_addr
		: (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr;
	double limit = tc->nsec;

	inet_ntop(sa->sa_family, addr, numeric, sizeof(numeric));
	if (strcmp(tc->expect, "-") == 0) {
		/* anything goes */
	} else if (strncmp(tc->expect, "EAI_", 4) == 0) {
		if (strcmp(rc_name(out->rc), tc->expect) != 0)
			failed("expected %s, got %s (%d)", tc->expect, rc_name(out->rc), out->rc);
	} else if (out->rc != 0) {
		failed("expected 0, got %s (%d)", rc_name(out->rc), out->rc);
	} else if (strcmp(tc->expect, "numeric") == 0) {
		if (strcmp(out->host, numeric) != 0)
			failed("expected host \"%s\" (the numeric form)", numeric);
		else if (strcmp(tc->when, "late") == 0 && strcmp(out->serv, "13") != 0)
			failed("expected serv \"13\" (the numeric port)");
	} else if (strcmp(out->host, tc->expect) != 0) {
		failed("expected host \"%s\"", tc->expect);
	}
	if (strcmp(tc->kind, "numericserv") == 0 && strcmp(out->serv, "13") != 0)
		failed("expected serv \"13\" (NI_NUMERICSERV)");

	if (strcmp(tc->when, "soon") == 0 && limit > 0 && out->elapsed > limit + SLACK)
		failed("took %.3f s, more than the limit %d s + %.1f s", out->elapsed,
		       tc->nsec, SLACK);
	else if (strcmp(tc->when, "late") == 0 && out->elapsed < limit - EARLY)
		failed("gave up after %.3f s, before the limit %d s", out->elapsed, tc->nsec);
	else if (strcmp(tc->when, "late") == 0 && out->elapsed > limit + SLACK)
		failed("took %.3f s, more than the limit %d s + %.1f s", out->elapsed,
		       tc->nsec, SLACK);
	else if (strcmp(tc->when, "now") == 0 && out->elapsed > SLACK)
		failed("took %.3f s: nothing to wait for here", out->elapsed);
	else if (strcmp(tc->when, "blocks") == 0 && out->elapsed < 1.5)
		failed("returned after %.3f s: this DNS server should make getnameinfo block",
		       out->elapsed);
}

/* The descriptors open now, as a list of numbers; returns how many. */
static int open_fds(int fds[MAX_FDS])
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *ent;
	int n = 0;

	if (dir == NULL) {
		perror("gnidriver: /proc/self/fd");
		exit(1);
	}
	while ((ent = readdir(dir)) != NULL && n < MAX_FDS) {
		int fd = atoi(ent->d_name);

		if (ent->d_name[0] != '.' && fd != dirfd(dir))
			fds[n++] = fd;
	}
	closedir(dir);
	return n;
}

static int count_threads(void)
{
	DIR *dir = opendir("/proc/self/task");
	struct dirent *ent;
	int n = 0;

	if (dir == NULL) {
		perror("gnidriver: /proc/self/task");
		exit(1);
	}
	while ((ent = readdir(dir)) != NULL)
		n += ent->d_name[0] != '.';
	closedir(dir);
	return n;
}

/* Descriptors, threads and children the calls left behind. */
static void check_leftovers(const int before[MAX_FDS], int nbefore, int threads, int calls)
{
	int after[MAX_FDS], nafter = open_fds(after), status;
	pid_t child = waitpid(-1, &status, WNOHANG);

	for (int i = 0; i < nafter; i++) {
		int found = 0;

		for (int j = 0; j < nbefore; j++)
			found |= after[i] == before[j];
		if (!found) {
			failed("descriptor %d was left open (%d now, %d before %d calls)", after[i],
			       nafter, nbefore, calls);
			break;
		}
	}
	if (count_threads() != threads)
		failed("%d threads after %d calls, %d before", count_threads(), calls, threads);
	if (child > 0)
		failed("a child process (pid %d) was left behind, not reaped", (int)child);
	else if (child == 0)
		failed("a child process is still running after the calls returned");
	else if (errno != ECHILD)
		failed("waitpid(-1) failed: %s", strerror(errno));
}

static int alarm_seen;

static void on_alarm(int signo)
{
	(void)signo;
	alarm_seen = 1;
}

/* Compares the caller's signal state after a call with the one before. */
static void check_signals(const sigset_t *mask_before, unsigned alarm_before)
{
	struct sigaction act;
	sigset_t mask, pending;
	unsigned left = alarm(0);

	sigaction(SIGALRM, NULL, &act);
	sigprocmask(SIG_SETMASK, NULL, &mask);
	sigpending(&pending);
	if (act.sa_handler != on_alarm)
		failed("the caller's SIGALRM handler was not put back");
	else if (left > alarm_before || left + 5 < alarm_before)
		failed("the caller's alarm had %u s to go; after the call %u s", alarm_before, left);
	else if (alarm_seen || sigismember(&pending, SIGALRM))
		failed("a SIGALRM reached the caller, who never asked for one that early");
	for (int sig = 1; sig < 32; sig++)
		if (sig != SIGKILL && sig != SIGSTOP
		    && sigismember(&mask, sig) != sigismember(mask_before, sig)) {
			failed("the signal mask changed: signal %d %s blocked", sig,
			       sigismember(&mask, sig) ? "is now" : "is no longer");
			break;
		}
}

/* Runs one case; returns its verdict line. */
static void run_case(const struct test_case *tc, char *line, size_t size)
{
	struct sockaddr_storage ss;
	socklen_t len = make_sockaddr(tc->addr, &ss);
	struct outcome out = { 0 };
	int calls = 1, fds[MAX_FDS], nfds = open_fds(fds), threads = count_threads();
	int survive = strcmp(tc->kind, "survive") == 0, done;
	char which[64] = "";
	sigset_t mask_before;
	const unsigned alarm_before = 60;

	verdict[0] = '\0';
	if (len == 0) {
		snprintf(line, size, "%s FAIL: the grader's case has a bad address %s\n",
			 tc->label, tc->addr);
		return;
	}
	if (strncmp(tc->kind, "many", 4) == 0)
		calls = atoi(tc->kind + 4);
	if (survive) {
		struct sigaction act = { .sa_handler = on_alarm };
		sigset_t usr;

		sigemptyset(&act.sa_mask);
		sigaction(SIGALRM, &act, NULL);
		sigemptyset(&usr);
		sigaddset(&usr, SIGUSR1);
		sigprocmask(SIG_BLOCK, &usr, NULL);
		sigprocmask(SIG_SETMASK, NULL, &mask_before);
		alarm(alarm_before);
	}
	for (done = 0; done < calls && verdict[0] == '\0'; done++) {
		call(tc, (struct sockaddr *)&ss, len, &out);
		judge(tc, (struct sockaddr *)&ss, &out);
	}
	if (survive) {
		struct sigaction dfl = { .sa_handler = SIG_DFL };
		sigset_t usr;

		check_signals(&mask_before, alarm_before);
		sigemptyset(&dfl.sa_mask);
		sigaction(SIGALRM, &dfl, NULL);
		sigemptyset(&usr);
		sigaddset(&usr, SIGUSR1);
		sigprocmask(SIG_UNBLOCK, &usr, NULL);
		alarm_seen = 0;
	}
	if (calls > 1 && verdict[0] == '\0')
		check_leftovers(fds, nfds, threads, calls);
	if (calls > 1)
		snprintf(which, sizeof(which), " (call %d of %d)", done, calls);
	snprintf(line, size, "%s %s%.*s; rc=%d (%s) host=\"%.*s\" serv=\"%.*s\" in %.3f s%s\n",
		 tc->label, verdict[0] ? "FAIL: " : "ok", 1000, verdict, out.rc, rc_name(out.rc),
		 200, out.host, SERVLEN, out.serv, out.elapsed, which);
}

/* Splits LABEL=KIND,NSEC,WHEN,ADDR,EXPECT (in place); 0 when malformed. */
static int parse_case(char *text, struct test_case *tc)
{
	char *eq = strchr(text, '='), *field[5], *save = NULL;
	int n = 0;

	if (eq == NULL)
		return 0;
	*eq = '\0';
	tc->label = text;
	for (char *f = strtok_r(eq + 1, ",", &save); f != NULL && n < 5;
	     f = strtok_r(NULL, ",", &save))
		field[n++] = f;
	if (n != 5)
		return 0;
	tc->kind = field[0];
	tc->nsec = atoi(field[1]);
	tc->when = field[2];
	tc->addr = field[3];
	tc->expect = field[4];
	return 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: gnidriver [-j N] [-w ADDR] LABEL=KIND,NSEC,WHEN,ADDR,EXPECT...\n");
	exit(2);
}

/* Waits for one worker; reports it when it died without its verdict. */
static void reap_worker(pid_t *workers, int nworkers, char **cases)
{
	int status;
	pid_t pid;

	while ((pid = wait(&status)) == -1 && errno == EINTR)
		continue;
	for (int i = 0; i < nworkers; i++) {
		if (workers[i] != pid || pid <= 0)
			continue;
		if (WIFSIGNALED(status) || WEXITSTATUS(status) != 0)
			printf("%.*s FAIL: the call crashed the grader's process (%s %d)\n",
			       (int)strcspn(cases[i], "="), cases[i],
			       WIFSIGNALED(status) ? "signal" : "exit status",
			       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
		workers[i] = 0;
	}
}

int main(int argc, char *argv[])
{
	struct test_case tc;
	pid_t *workers;
	int opt, jobs = 0, running = 0, ncases;
	char **cases;

	/* Bounded resolver waits, even for a solution that never gives up. */
	setenv("RES_OPTIONS", "timeout:2 attempts:1", 1);
	while ((opt = getopt(argc, argv, "j:w:")) != -1) {
		if (opt == 'j') {
			jobs = atoi(optarg);
		} else if (opt == 'w') {
			/* A first lookup here, so that the workers and the children
			 * they fork find the resolver's code already translated by
			 * valgrind: it saves a tenth of a second a call. */
			struct sockaddr_storage ss;
			socklen_t len = make_sockaddr(optarg, &ss);
			char host[HOSTLEN];

			if (len == 0)
				usage();
			getnameinfo((struct sockaddr *)&ss, len, host, sizeof(host), NULL, 0, 0);
		} else {
			usage();
		}
	}
	cases = argv + optind;
	ncases = argc - optind;
	if (ncases < 1)
		usage();
	if (jobs <= 0)
		jobs = ncases;
	workers = calloc((size_t)ncases, sizeof(pid_t));
	if (workers == NULL)
		return 1;
	setvbuf(stdout, NULL, _IONBF, 0);
	if (jobs == 1) {
		/* One at a time: in this process, which saves a fork a case. */
		for (int i = 0; i < ncases; i++) {
			char line[sizeof(verdict) + 2 * HOSTLEN];

			if (!parse_case(cases[i], &tc))
				snprintf(line, sizeof(line), "? FAIL: malformed case %s\n", cases[i]);
			else
				run_case(&tc, line, sizeof(line));
			fputs(line, stdout);
		}
		free(workers);
		return 0;
	}
	for (int i = 0; i < ncases; i++) {
		if (running == jobs) {
			reap_worker(workers, ncases, cases);
			running--;
		}
		workers[i] = fork();
		if (workers[i] == -1) {
			perror("gnidriver: fork");
			return 1;
		}
		if (workers[i] == 0) {
			char line[sizeof(verdict) + 2 * HOSTLEN];

			free(workers);
			if (!parse_case(cases[i], &tc))
				snprintf(line, sizeof(line), "? FAIL: malformed case %s\n", cases[i]);
			else
				run_case(&tc, line, sizeof(line));
			/* One write: the lines of the cases do not mix. */
			if (write(STDOUT_FILENO, line, strlen(line)) < 0)
				return 1;
			return 0;
		}
		running++;
	}
	while (running-- > 0)
		reap_worker(workers, ncases, cases);
	free(workers);
	return 0;
}
