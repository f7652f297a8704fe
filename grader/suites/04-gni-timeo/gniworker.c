/*
 * gniworker - the worker of gnidriver (see gnidriver.c): makes the calls of
 * the cases to the student's getnameinfo_timeo, times each one, checks its
 * result and what it left behind, and records it all on the board.
 *
 *   gniworker [-w ADDR] SLOT CASE...      (started by gnidriver only)
 *
 * The board (gnicase.h) is on descriptor BOARD_FD; the worker takes cases
 * from it in turn, saying which it is at in current[SLOT].  stdin and
 * stdout are /dev/null: nothing it prints reaches the grader.
 */
#define _DEFAULT_SOURCE /* MAP_SHARED, _res */
#include "gni_timeo.h"
#include "gnicase.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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
 * Looks ADDR up once with plain getnameinfo, waiting 1 s at most, so that
 * the calls that follow find the resolver's code already translated
 * by valgrind: the first call saves a tenth of a second of CPU, which on
 * a busy machine is much more than that of time.  The resolver's wait is then
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

/*
 * A contrast case: plain getnameinfo, which must block, called in a child
 * that the worker stops once it has blocked long enough (so that valgrind
 * keeps the worker whole: a process it forked and that is killed leaves
 * nothing in the log).
 */
static void run_contrast(const struct test_case *tc, struct progress *out)
{
	pid_t pid = fork();
	struct timespec tick = { 0, 50 * 1000 * 1000 };

	if (pid == 0) {
		run_case(tc, out);
		_exit(0);
	}
	if (pid < 0) {
		failed("fork: %s", strerror(errno));
		out->last = rec;
		return;
	}
	while (waitpid(pid, NULL, WNOHANG) == 0) {
		if (now() - out->started >= BLOCKS(tc)) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			out->blocked = now() - out->started;
			return;
		}
		nanosleep(&tick, NULL);
	}
}

int main(int argc, char *argv[])
{
	struct sigaction act = { .sa_handler = on_alarm };
	struct test_case *cases;
	struct stat st;
	int opt, slot, ncases, i;
	sigset_t mask;

	while ((opt = getopt(argc, argv, "w:")) != -1)
		if (opt != 'w' || !warm_up(optarg))
			return 2;
	if (argc - optind < 2)
		return 2;
	slot = atoi(argv[optind]);
	ncases = argc - optind - 1;
	cases = calloc((size_t)ncases, sizeof(*cases));
	if (cases == NULL || slot < 0 || slot >= MAX_JOBS)
		return 2;
	for (i = 0; i < ncases; i++)
		if (!parse_case(argv[optind + 1 + i], &cases[i]))
			return 2;
	if (fstat(BOARD_FD, &st) != 0 || (size_t)st.st_size != board_size(ncases))
		return 2;
	struct board *board = mmap(NULL, board_size(ncases), PROT_READ | PROT_WRITE, MAP_SHARED,
				   BOARD_FD, 0);

	/* Not inherited by the children the student's code forks. */
	close(BOARD_FD);
	if (board == MAP_FAILED)
		return 2;

	/* Each case starts from the same state: the caller's SIGALRM handler
	 * (on_alarm), no alarm, the signal mask the worker was started with. */
	sigprocmask(SIG_SETMASK, NULL, &mask);
	sigemptyset(&act.sa_mask);
	while ((i = atomic_fetch_add(&board->next, 1)) < ncases) {
		alarm(0);
		sigaction(SIGALRM, &act, NULL);
		sigprocmask(SIG_SETMASK, &mask, NULL);
		alarm_seen = 0;
		memset(&rec, 0, sizeof(rec));
		board->cases[i].started = now();
		atomic_store(&board->current[slot], i);
		if (strcmp(cases[i].kind, "contrast") == 0)
			run_contrast(&cases[i], &board->cases[i]);
		else
			run_case(&cases[i], &board->cases[i]);
		board->cases[i].done = 1;
	}
	munmap(board, board_size(ncases));
	free(cases);
	return 0;
}
