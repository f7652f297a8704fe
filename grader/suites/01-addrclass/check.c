/*
 * check - compares the student's in6class.c with the system macros.
 *
 *   check WORKER [RANDOM]
 *
 * Builds a corpus of boundary addresses and RANDOM (default 100000) random
 * addresses drawn around the prefixes of section 12.4, has WORKER (the
 * grader's check-worker, linked with the student's in6class.c) classify
 * them with each of the twelve functions (see board.h), and compares each
 * answer with the system macro.  No student code runs in this process,
 * and it makes itself undumpable, so that the worker, which runs as the
 * same user, can neither trace it nor reach its descriptors through
 * /proc: what it prints is the grader's alone.  One line per function:
 *   in6_is_addr_NAME: ok (N boundary + M random addresses)
 *   in6_is_addr_NAME: wrong for ADDR: returned R, IN6_IS_ADDR_NAME says S (...)
 *   in6_is_addr_NAME: crashed (signal N) / did not return within N s
 */
#define _GNU_SOURCE /* memfd_create */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "board.h"

#define MAX_CORPUS 2048
/* How long the worker may take in all: its functions run side by side. */
#define WORKER_SECONDS (SECONDS_PER_FUNCTION + 10)

#define NAMES(lower, upper) {"in6_is_addr_" #lower, "IN6_IS_ADDR_" #upper},
static const struct {
	const char *name, *macro;
} classes[NCLASSES] = {IN6_CLASSES(NAMES)};

static struct in6_addr corpus[MAX_CORPUS];
static int ncorpus;

static void add(const struct in6_addr *a)
{
	if (ncorpus == MAX_CORPUS) {
		fprintf(stderr, "check: corpus full\n");
		exit(2);
	}
	corpus[ncorpus++] = *a;
}

static struct in6_addr parse(const char *text)
{
	struct in6_addr a;

	if (inet_pton(AF_INET6, text, &a) != 1) {
		fprintf(stderr, "check: bad corpus address %s\n", text);
		exit(2);
	}
	return a;
}

/* a plus delta (+1 or -1), as a 128-bit number, wrapping around. */
static struct in6_addr step(struct in6_addr a, int delta)
{
	for (int i = 15; i >= 0; i--) {
		a.s6_addr[i] = (uint8_t)(a.s6_addr[i] + delta);
		if (a.s6_addr[i] != (delta > 0 ? 0x00 : 0xff))
			break;
	}
	return a;
}

/* The first and last address of PREFIX/LEN, and their neighbours outside. */
static void add_bounds(const char *prefix, int len)
{
	struct in6_addr first = parse(prefix), last;

	for (int bit = len; bit < 128; bit++)
		first.s6_addr[bit / 8] &= (uint8_t)~(0x80 >> (bit % 8));
	last = first;
	for (int bit = len; bit < 128; bit++)
		last.s6_addr[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
	add(&first);
	add(&last);
	struct in6_addr before = step(first, -1), after = step(last, +1);
	add(&before);
	add(&after);
}

static void build_corpus(void)
{
	static const char *const fixed[] = {
		"::", "::1", "::2", "::0.0.0.1", "::0.0.0.2", "::1.0.0.0", "::0.1.0.0",
		"::0.0.1.0", "::0.0.1.1", "::255.255.255.255", "::ffff:0:0", "::ffff:0.0.0.1",
		"::ffff:192.0.2.1", "::fffe:0:0", "::1:ffff:0:0", "::ffff:ffff:0:0",
		"0:0:0:0:1::", "1::", "1::1", "2001:db8::1", "fe80::1", "fe80::", "febf::",
		"fec0::", "feff::", "fe00::", "fe7f::", "fd00::", "ff00::", "ffff::",
		"ff02::1", "ff02::1:ff00:1", "ff05::2", "ff0e::101", "ff3e::1",
	};
	static const struct {
		const char *prefix;
		int len;
	} prefixes[] = {
		{"::", 128}, {"::1", 128}, {"::", 96}, {"::ffff:0:0", 96},
		{"fe80::", 10}, {"fec0::", 10}, {"ff00::", 8}, {"ff01::", 16},
		{"ff02::", 16}, {"ff05::", 16}, {"ff08::", 16}, {"ff0e::", 16},
	};

	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
		struct in6_addr a = parse(fixed[i]);
		add(&a);
	}
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
		add_bounds(prefixes[i].prefix, prefixes[i].len);
	/* Every flags and scope nibble of multicast. */
	for (int flags_scope = 0; flags_scope < 256; flags_scope++) {
		struct in6_addr a = parse("ff00::1");
		a.s6_addr[1] = (uint8_t)flags_scope;
		add(&a);
	}
	/* Every single bit, alone and on top of ::ffff:0:0. */
	for (int bit = 0; bit < 128; bit++) {
		struct in6_addr a = parse("::"), m = parse("::ffff:0:0");
		a.s6_addr[bit / 8] = (uint8_t)(0x80 >> (bit % 8));
		m.s6_addr[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
		add(&a);
		add(&m);
	}
}

static uint64_t rng_state = 0x1205c0ffee12ULL;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* A random address, most of them shaped like one of the classes. */
static struct in6_addr random_addr(void)
{
	static const uint8_t first_bytes[] = {0x00, 0xfe, 0xff, 0xfd, 0x7f, 0xef};
	static const uint8_t scopes[] = {0x1, 0x2, 0x5, 0x8, 0xe, 0x0, 0xf};
	struct in6_addr a;
	uint64_t r = rng();

	for (int i = 0; i < 16; i += 8) {
		uint64_t bits = rng();
		memcpy(&a.s6_addr[i], &bits, 8);
	}
	switch (r % 8) {
	case 0:
		break;
	case 1: /* around ::ffff:0:0/96 */
		memset(a.s6_addr, 0, 10);
		a.s6_addr[10] = (r >> 8) & 1 ? 0xff : (uint8_t)(r >> 16);
		a.s6_addr[11] = (r >> 9) & 1 ? 0xff : (uint8_t)(r >> 24);
		break;
	case 2: /* around ::/96, :: and ::1 */
		memset(a.s6_addr, 0, (r >> 8) & 1 ? 15 : 12);
		if ((r >> 9) & 1)
			a.s6_addr[15] &= 0x03;
		break;
	case 3:
	case 4: /* fe80::/10, fec0::/10 and their neighbours */
		a.s6_addr[0] = first_bytes[(r >> 8) % sizeof first_bytes];
		break;
	default: /* multicast with each scope */
		a.s6_addr[0] = 0xff;
		a.s6_addr[1] = (uint8_t)((a.s6_addr[1] & 0xf0) | scopes[(r >> 8) % sizeof scopes]);
		break;
	}
	return a;
}

/* Prints the verdict on function `index` from its answers. */
static void judge(int index, struct board *b)
{
	const struct in6_addr *addrs = board_addrs(b);
	const signed char *answers = board_answers(b, index);
	long naddrs = b->naddrs;
	int status = b->status[index];
	const char *name = classes[index].name;
	long wrong = 0, first = -1;

	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) {
		printf("%s: did not return within %d s\n", name, SECONDS_PER_FUNCTION);
		return;
	}
	if (status == NOT_RUN) {
		printf("%s: never ran: the check's worker did not finish\n", name);
		return;
	}
	if (WIFSIGNALED(status) || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		printf("%s: crashed (%s)\n", name,
		       WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "it exited by itself");
		return;
	}
	for (long k = 0; k < naddrs; k++) {
		if (answers[k] == -1) {
			printf("%s: returned -1: not implemented yet\n", name);
			return;
		}
		if (answers[k] != system_class(index, &addrs[k]) && wrong++ == 0)
			first = k;
	}
	if (wrong == 0) {
		printf("%s: ok (%d boundary + %ld random addresses)\n", name, ncorpus,
		       naddrs - ncorpus);
		return;
	}
	char text[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, &addrs[first], text, sizeof text);
	if (answers[first] == NO_ANSWER)
		printf("%s: wrong for %s: gave no answer", name, text);
	else if (answers[first] == 2)
		printf("%s: wrong for %s: returned neither 1 nor 0", name, text);
	else
		printf("%s: wrong for %s: returned %d, %s says %d", name, text, answers[first],
		       classes[index].macro, system_class(index, &addrs[first]));
	printf(" (%ld of %ld addresses wrong)\n", wrong, naddrs);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/*
 * Runs WORKER on board b (shared through descriptor memfd) with its output
 * thrown away, and waits for it WORKER_SECONDS at most.
 */
static int run_worker(const char *worker, int memfd)
{
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		dup2(devnull, STDOUT_FILENO);
		dup2(devnull, STDERR_FILENO);
		if (memfd == BOARD_FD)
			fcntl(memfd, F_SETFD, 0);
		else
			dup2(memfd, BOARD_FD);
		execl(worker, worker, (char *)NULL);
		_exit(127);
	}

	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm; /* no SA_RESTART: the alarm ends waitpid */
	sigaction(SIGALRM, &sa, NULL);
	alarm(WORKER_SECONDS);
	if (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	alarm(0);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: check WORKER [RANDOM]\n");
		return 2;
	}
	long nrandom = argc > 2 ? atol(argv[2]) : 100000;
	long naddrs;

	if (prctl(PR_SET_DUMPABLE, 0) != 0) {
		perror("check: prctl");
		return 2;
	}

	build_corpus();
	naddrs = ncorpus + nrandom;
	size_t size = board_size(naddrs);
	int memfd = memfd_create("check-board", MFD_CLOEXEC);
	struct board *b = MAP_FAILED;

	if (memfd >= 0 && ftruncate(memfd, (off_t)size) == 0)
		b = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	if (b == MAP_FAILED) {
		perror("check: board");
		return 2;
	}
	b->naddrs = naddrs;
	for (int i = 0; i < NCLASSES; i++)
		b->status[i] = NOT_RUN;
	struct in6_addr *addrs = board_addrs(b);

	memcpy(addrs, corpus, (size_t)ncorpus * sizeof *addrs);
	for (long k = ncorpus; k < naddrs; k++)
		addrs[k] = random_addr();
	memset(board_answers(b, 0), NO_ANSWER, (size_t)NCLASSES * (size_t)naddrs);

	fflush(stdout);
	if (run_worker(argv[1], memfd) < 0) {
		perror("check: fork");
		return 2;
	}
	/* Whatever the worker wrote, the size of the board is the judge's. */
	b->naddrs = naddrs;
	for (int i = 0; i < NCLASSES; i++)
		judge(i, b);
	munmap(b, size);
	close(memfd);
	return 0;
}
