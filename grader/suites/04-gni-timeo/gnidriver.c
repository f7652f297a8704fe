/*
 * gnidriver - the grader's driver for lab 04-gni-timeo: calls the
 * student's getnameinfo_timeo and judges what it did.
 *
 *   gnidriver [-j N] [-n NICE] [-w ADDR] CASE... <TOKEN
 *
 *   -j N     run at most N cases at once, in N workers (default 1)
 *   -n NICE  run at a lower priority (nice(NICE)): for cases whose timing
 *            matters less than that of the grader's other runs
 *   -w ADDR  look ADDR up once first (see warm_up)
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
 * Who judges.  The driver's own process, the judge, never calls the
 * student's function.  It forks N workers, with stdin and stdout on
 * /dev/null, which take the cases in turn: a worker makes a case's calls,
 * times each one, checks its result and what it left behind, and records
 * all that in memory it shares with the judge.  The judge gives each case
 * a deadline (NSEC + SLACK a call, and a little more), kills the worker
 * (its process group) of a case that runs past it, and starts another for
 * the cases left.  When every case is over, it reads the token the grader
 * wrote on its stdin, and prints one line per case, in the order given:
 *   TOKEN LABEL ok; rc=0 (0) host="192.0.2.10" serv="13" in 1.002 s
 *   TOKEN LABEL FAIL: WHY; rc=... host=... serv=... in ... s
 * The grader believes only the lines that carry its token.  The student's
 * code never sees it: workers hold no descriptor of the judge's stdin or
 * stdout, and the token is read after the last worker has gone.  (Code
 * that went looking for the grader's input on purpose, before main() runs,
 * is cheating that a reader of gni_timeo.c sees at once.)
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include "gni_timeo.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/*
 * The time limits.  A call that times out must return between NSEC - EARLY
 * and NSEC + SLACK seconds.  SLACK is generous on purpose: the call runs
 * under valgrind, beside the grader's other runs, on a machine that may be
 * busy, and there forking the lookup and reaping it was seen to take up to
 * 4.6 s on top of NSEC (0.3 s on a quiet machine).  It still tells a call
 * that times out from one that does not, by far: the resolver is told to
 * wait 5 s per attempt and 4 attempts (RESOLVER), 20 s, where the suite's
 * timed-out calls have NSEC 1 and may take 5 s.  The judge stops a call at
 * NSEC + SLACK and a little more, so that long wait costs no time.
 */
#define EARLY 0.1     /* seconds a call may give up before NSEC */
#define SLACK 4.0     /* seconds a call may take past NSEC */
#define NOLIMIT 12.0  /* seconds a call with no limit (NSEC <= 0) may take */
#define GRACE 1.0     /* seconds more the judge gives a case */
#define RESOLVER "timeout:5 attempts:4"
#define PORT 13

enum {
	HOSTLEN = 1025, SERVLEN = 32, SMALL_HOSTLEN = 8, MAX_FDS = 256,
	WHY_LEN = 512, LINE_LEN = WHY_LEN + 2 * HOSTLEN, TOKEN_LEN = 128,
	CALLER_ALARM = 60, MAX_JOBS = 16,
};

struct test_case {
	const char *label, *kind, *when, *addr, *expect;
	int nsec, calls;
};

/* What a worker records of each call. */
struct record {
	int rc;
	double elapsed;
	char host[HOSTLEN], serv[SERVLEN];
	char why[WHY_LEN];  /* why the case failed; empty while it passes */
};

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

/* ---------------------------------------------------------------- the worker */

static struct record rec;  /* the worker's record of the call just made */

static void failed(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Records the first reason the case fails. */
static void failed(const char *fmt, ...)
{
	va_list ap;

	if (rec.why[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(rec.why, sizeof(rec.why), fmt, ap);
	va_end(ap);
}

/* One call of the student's function (or of getnameinfo, for contrast). */
static void call(const struct test_case *tc, const struct sockaddr *sa, socklen_t len)
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
	host = calloc(hostlen, 1);
	if (host == NULL) {
		perror("gnidriver: calloc");
		_exit(1);
	}
	memset(rec.serv, 0, sizeof(rec.serv));
	start = now();
	if (strcmp(tc->kind, "contrast") == 0)
		rec.rc = getnameinfo(sa, len, host, hostlen, rec.serv, SERVLEN, flags);
	else
		rec.rc = getnameinfo_timeo(sa, len, host, hostlen, rec.serv, SERVLEN,
					   flags, tc->nsec);
	rec.elapsed = now() - start;
	snprintf(rec.host, sizeof(rec.host), "%.*s", (int)hostlen, host);
	free(host);
}

/* Is the call's result what EXPECT and WHEN ask for? */
static void judge(const struct test_case *tc, const struct sockaddr *sa)
{
	char numeric[INET6_ADDRSTRLEN];
	const void *addr = sa->sa_family == AF_INET
		? (const void *)&((const struct sockaddr_in *)sa)->sin_addr
		: (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr;
	int late = strcmp(tc->when, "late") == 0;

	inet_ntop(sa->sa_family, addr, numeric, sizeof(numeric));
	if (strcmp(tc->when, "blocks") == 0)
		failed("returned after %.3f s: this DNS server should make getnameinfo block",
		       rec.elapsed);
	else if (strcmp(tc->expect, "-") == 0)
		;  /* anything goes */
	else if (strncmp(tc->expect, "EAI_", 4) == 0) {
		if (strcmp(rc_name(rec.rc), tc->expect) != 0)
			failed("expected %s, got %s (%d)", tc->expect, rc_name(rec.rc), rec.rc);
	} else if (rec.rc != 0) {
		failed("expected 0, got %s (%d)", rc_name(rec.rc), rec.rc);
	} else if (strcmp(tc->expect, "numeric") == 0) {
		if (strcmp(rec.host, numeric) != 0)
			failed("expected host \"%s\" (the numeric form)", numeric);
		else if (late && strcmp(rec.serv, "13") != 0)
			failed("expected serv \"13\" (the numeric port)");
	} else if (strcmp(rec.host, tc->expect) != 0) {
		failed("expected host \"%s\"", tc->expect);
	}
	if (strcmp(tc->kind, "numericserv") == 0 && strcmp(rec.serv, "13") != 0)
		failed("expected serv \"13\" (NI_NUMERICSERV)");

	if (late && rec.elapsed < tc->nsec - EARLY)
		failed("gave up after %.3f s, before the limit %d s", rec.elapsed, tc->nsec);
	else if (tc->nsec > 0 && rec.elapsed > tc->nsec + SLACK)
		failed("took %.3f s, more than the limit %d s + %.1f s", rec.elapsed, tc->nsec,
		       SLACK);
}

/* The descriptors open now, as a list of numbers; returns how many. */
static int open_fds(int fds[MAX_FDS])
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *ent;
	int n = 0;

	if (dir == NULL) {
		perror("gnidriver: /proc/self/fd");
		_exit(1);
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
		_exit(1);
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

static volatile sig_atomic_t alarm_seen;

/* The worker's SIGALRM handler, a caller's: it notes the signal. */
static void on_alarm(int signo)
{
	(void)signo;
	alarm_seen = 1;
}

/*
 * Compares the caller's signal state after a call with the one before:
 * caller_alarm is the alarm it had set (0: none).
 */
static void check_signals(const sigset_t *mask_before, unsigned caller_alarm)
{
	struct sigaction act;
	sigset_t mask, pending;
	unsigned left = alarm(0);

	sigaction(SIGALRM, NULL, &act);
	sigprocmask(SIG_SETMASK, NULL, &mask);
	sigpending(&pending);
	if (act.sa_handler != on_alarm)
		failed("the caller's SIGALRM handler was not put back");
	else if (caller_alarm == 0 && left != 0)
		failed("an alarm was left armed: the caller, who had none, would get a SIGALRM"
		       " %u s later", left);
	else if (left > caller_alarm || left + 5 < caller_alarm)
		failed("the caller's alarm had %u s to go; after the call %u s", caller_alarm, left);
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

/* How far a case has come, on the board that workers and judge share. */
struct progress {
	int records;          /* calls made so far; the last one's record: */
	struct record last;
	double started;       /* when its first call began */
	int done;
};

/*
 * The board (MAP_SHARED): workers take the cases in turn from `next`, say
 * which one they are at in `current` (by slot), and record their calls.
 */
struct board {
	atomic_int next;
	atomic_int current[MAX_JOBS];  /* -1: none yet */
	struct progress cases[];
};

/* Makes the case's calls, recording each in *out. */
static void run_case(const struct test_case *tc, struct progress *out)
{
	struct sockaddr_storage ss;
	const struct sockaddr *sa = (const struct sockaddr *)&ss;
	socklen_t len = make_sockaddr(tc->addr, &ss);
	int fds[MAX_FDS], nfds = open_fds(fds), threads = count_threads();
	int survive = strcmp(tc->kind, "survive") == 0;
	int leftovers = strncmp(tc->kind, "many", 4) == 0;
	sigset_t mask_before;

	if (survive) {
		sigset_t usr;

		sigemptyset(&usr);
		sigaddset(&usr, SIGUSR1);
		sigprocmask(SIG_BLOCK, &usr, NULL);
		sigprocmask(SIG_SETMASK, NULL, &mask_before);
	}
	for (int n = 1; n <= tc->calls && rec.why[0] == '\0'; n++) {
		unsigned caller_alarm = survive && n == 1 ? CALLER_ALARM : 0;

		if (survive)
			alarm(caller_alarm);
		call(tc, sa, len);
		judge(tc, sa);
		if (survive)
			check_signals(&mask_before, caller_alarm);
		if (leftovers && n == tc->calls)
			check_leftovers(fds, nfds, threads, tc->calls);
		out->last = rec;
		out->records = n;
	}
}

/*
 * Forks a worker for slot `slot`, which takes cases from the board one
 * after the other until none is left; returns its pid, or -1.  Each case
 * starts from the same state: the caller's SIGALRM handler (on_alarm), no
 * alarm, the signal mask *mask.  The worker runs in a process group of its
 * own, so that the judge can stop it and whatever it started.  It has no
 * descriptor but stdin and stdout on /dev/null, stderr, and what the
 * driver was started with: any other would be inherited by the children
 * the student's code forks, and valgrind would count it against them.
 */
static pid_t start_worker(const struct test_case *cases, int ncases, struct board *board,
			  int slot, const sigset_t *mask)
{
	struct sigaction act = { .sa_handler = on_alarm };
	pid_t pid = fork();
	int null, i;

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
	sigemptyset(&act.sa_mask);
	while ((i = atomic_fetch_add(&board->next, 1)) < ncases) {
		alarm(0);
		sigaction(SIGALRM, &act, NULL);
		sigprocmask(SIG_SETMASK, mask, NULL);
		alarm_seen = 0;
		memset(&rec, 0, sizeof(rec));
		board->cases[i].started = now();
		atomic_store(&board->current[slot], i);
		run_case(&cases[i], &board->cases[i]);
		board->cases[i].done = 1;
	}
	_exit(0);
}

/* ---------------------------------------------------------------- the judge */

/* Seconds the judge gives case tc. */
static double patience(const struct test_case *tc)
{
	if (strcmp(tc->when, "blocks") == 0)
		return tc->nsec + SLACK + 1;
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

/*
 * Runs every case, in at most jobs workers at once; lines[i] gets case i's
 * verdict.  Waits for a worker's end (SIGCHLD, blocked and waited for) or
 * for the first deadline, whichever comes first.  A worker stopped or dead
 * in the middle of a case is replaced while cases are left.
 */
static void run_all(const struct test_case *cases, int ncases, int jobs, char (*lines)[LINE_LEN])
{
	size_t size = sizeof(struct board) + (size_t)ncases * sizeof(struct progress);
	struct board *board = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
				   -1, 0);
	pid_t workers[MAX_JOBS] = { 0 };
	sigset_t chld, mask;
	int running = 0;

	if (board == MAP_FAILED) {
		perror("gnidriver: mmap");
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
				workers[k] = start_worker(cases, ncases, board, k, &mask);
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
}

/* Splits LABEL=KIND,NSEC,WHEN,ADDR,EXPECT (in place); 0 when malformed. */
static int parse_case(char *text, struct test_case *tc)
{
	char *eq = strchr(text, '='), *field[5], *save = NULL;
	struct sockaddr_storage ss;
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
	tc->calls = 1;
	if (strcmp(tc->kind, "survive") == 0)
		tc->calls = 2;
	else if (strncmp(tc->kind, "many", 4) == 0)
		tc->calls = atoi(tc->kind + 4);
	return tc->calls > 0 && make_sockaddr(tc->addr, &ss) != 0;
}

/*
 * Looks ADDR up once with plain getnameinfo, waiting 1 s at most, so that
 * the processes forked later find the resolver's code already translated
 * by valgrind: each saves a tenth of a second of CPU, which on a busy
 * machine is much more than that of time.  The resolver's wait is then
 * RESOLVER again.  Returns 0 when ADDR is no address.
 */
static int warm_up(const char *addr)
{
	struct sockaddr_storage ss;
	socklen_t len = make_sockaddr(addr, &ss);
	char host[HOSTLEN];
	int retrans, retry;

	if (len == 0)
		return 0;
	res_init();  /* RESOLVER, from the environment */
	retrans = _res.retrans;
	retry = _res.retry;
	_res.retrans = 1;
	_res.retry = 1;
	getnameinfo((struct sockaddr *)&ss, len, host, sizeof(host), NULL, 0, 0);
	_res.retrans = retrans;
	_res.retry = retry;
	return 1;
}

static _Noreturn void usage(void)
{
	fprintf(stderr, "usage: gnidriver [-j N] [-n NICE] [-w ADDR] LABEL=KIND,NSEC,WHEN,ADDR,EXPECT... "
		"<TOKEN\n");
	exit(2);
}

int main(int argc, char *argv[])
{
	struct test_case *cases;
	char (*lines)[LINE_LEN], token[TOKEN_LEN];
	int opt, jobs = 1, ncases, status = 0;

	setenv("RES_OPTIONS", RESOLVER, 1);  /* stated, not left to resolv.conf */
	while ((opt = getopt(argc, argv, "j:n:w:")) != -1) {
		if (opt == 'j') {
			jobs = atoi(optarg);
			if (jobs < 1 || jobs > MAX_JOBS)
				usage();
		} else if (opt == 'n') {
			errno = 0;
			if (nice(atoi(optarg)) == -1 && errno != 0)
				perror("gnidriver: nice");
		} else if (opt == 'w') {
			if (!warm_up(optarg))
				usage();
		} else {
			usage();
		}
	}
	ncases = argc - optind;
	if (ncases < 1)
		usage();
	if (jobs > ncases)
		jobs = ncases;
	cases = calloc((size_t)ncases, sizeof(*cases));
	lines = calloc((size_t)ncases, sizeof(*lines));
	if (cases == NULL || lines == NULL) {
		perror("gnidriver: calloc");
		return 1;
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
	free(lines);
	free(cases);
	return status;
}
