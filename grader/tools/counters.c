/*
 * counters: the packets the host it runs on has taken in so far.
 *
 *   counters [-f] [-s]
 *
 * Prints "V4 V6", read from this network namespace's /proc/net/snmp and
 * /proc/net/snmp6, the columns of /proc/net/snmp found by name: the IPv4
 * and IPv6 packets delivered to the host (Ip InDelivers, Ip6InDelivers)
 * less the ICMP messages among them (Icmp InMsgs, Icmp6InMsgs).
 *
 * -f  the packets the host forwarded instead (Ip ForwDatagrams,
 *     Ip6OutForwDatagrams): what a router passes on is neither delivered
 *     to it nor sent by it.
 * -s  once the host has gone quiet: a reading every 100 ms until two in a
 *     row agree (10 readings at most), then the last one.
 *
 * Exits 1, saying why, when a file or a counter is missing.  Used by the
 * suites' interop.bash (ip_counters, settled_counters), on a lab host.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum {
	FILE_MAX = 65536,   /* /proc/net/snmp6 is about 4 KB */
	SETTLE_READINGS = 10,
	SETTLE_PAUSE_MS = 100,
};

struct reading {
	long long v4, v6;
};

static void usage(void)
{
	fprintf(stderr, "usage: counters [-f] [-s]\n");
	exit(2);
}

_Noreturn static void fail(const char *what, const char *why)
{
	fprintf(stderr, "counters: %s: %s\n", what, why);
	exit(1);
}

/* The whole of PATH in BUF (SIZE bytes), NUL-terminated. */
static void read_file(const char *path, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		fail(path, strerror(errno));
	while ((n = read(fd, buf + len, size - 1 - len)) > 0) {
		len += (size_t)n;
		if (len == size - 1)
			fail(path, "longer than expected");
	}
	if (n < 0)
		fail(path, strerror(errno));
	close(fd);
	buf[len] = '\0';
}

/* The line of TEXT that follows LINE, or NULL. */
static const char *next_line(const char *line)
{
	const char *end = strchr(line, '\n');

	return end == NULL ? NULL : end + 1;
}

/* What separates the words of a line: /proc/net/snmp6 pads with both. */
#define BLANKS " \t"

/* Whether C ends a word. */
static bool word_end(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\0';
}

/* The index of the word WORD among the words of LINE (the first is 0), or -1. */
static int word_index(const char *line, const char *word)
{
	size_t len = strlen(word);
	int i = 0;

	for (const char *p = line; *p != '\0' && *p != '\n'; i++) {
		size_t n;

		p += strspn(p, BLANKS);
		n = strcspn(p, BLANKS "\n");
		if (n == 0)
			break;
		if (n == len && strncmp(p, word, len) == 0)
			return i;
		p += n;
	}
	return -1;
}

/* The number that is word I of LINE, or false. */
static bool word_value(const char *line, int i, long long *value)
{
	const char *p = line;
	char *end;

	for (; i > 0; i--) {
		p += strspn(p, BLANKS);
		p += strcspn(p, BLANKS "\n");
	}
	p += strspn(p, BLANKS);
	if (*p < '0' || *p > '9')
		return false;
	errno = 0;
	*value = strtoll(p, &end, 10);
	return errno == 0 && word_end(*end);
}

/* Whether LINE begins with the word WORD. */
static bool starts_with_word(const char *line, const char *word)
{
	size_t len = strlen(word);

	return strncmp(line, word, len) == 0 && line[len] != '\0' && word_end(line[len]);
}

/*
 * PROTO's counter NAME in SNMP (/proc/net/snmp), where each protocol has
 * two lines: "PROTO: NAME..." then "PROTO: VALUE...".
 */
static long long snmp_counter(const char *snmp, const char *proto, const char *name)
{
	for (const char *line = snmp; line != NULL && *line != '\0'; line = next_line(line)) {
		const char *values;
		long long value;
		int i;

		if (!starts_with_word(line, proto))
			continue;
		values = next_line(line);
		i = word_index(line, name);
		if (i <= 0 || values == NULL || !starts_with_word(values, proto) ||
		    !word_value(values, i, &value))
			break;
		return value;
	}
	fprintf(stderr, "counters: /proc/net/snmp: no counter %s %s\n", proto, name);
	exit(1);
}

/* The counter NAME in SNMP6 (/proc/net/snmp6), a line "NAME VALUE". */
static long long snmp6_counter(const char *snmp6, const char *name)
{
	long long value;

	for (const char *line = snmp6; line != NULL && *line != '\0'; line = next_line(line)) {
		if (starts_with_word(line, name) && word_value(line, 1, &value))
			return value;
	}
	fprintf(stderr, "counters: /proc/net/snmp6: no counter %s\n", name);
	exit(1);
}

static struct reading read_counters(bool forwarded)
{
	static char snmp[FILE_MAX], snmp6[FILE_MAX];
	struct reading r;

	read_file("/proc/net/snmp", snmp, sizeof(snmp));
	read_file("/proc/net/snmp6", snmp6, sizeof(snmp6));
	if (forwarded) {
		r.v4 = snmp_counter(snmp, "Ip:", "ForwDatagrams");
		r.v6 = snmp6_counter(snmp6, "Ip6OutForwDatagrams");
	} else {
		r.v4 = snmp_counter(snmp, "Ip:", "InDelivers") - snmp_counter(snmp, "Icmp:", "InMsgs");
		r.v6 = snmp6_counter(snmp6, "Ip6InDelivers") - snmp6_counter(snmp6, "Icmp6InMsgs");
	}
	return r;
}

static void pause_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int main(int argc, char *argv[])
{
	bool forwarded = false, settle = false;
	struct reading now;
	int opt;

	while ((opt = getopt(argc, argv, "fs")) != -1) {
		switch (opt) {
		case 'f':
			forwarded = true;
			break;
		case 's':
			settle = true;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	now = read_counters(forwarded);
	for (int readings = 1; settle && readings < SETTLE_READINGS; readings++) {
		struct reading last = now;

		pause_ms(SETTLE_PAUSE_MS);
		now = read_counters(forwarded);
		if (now.v4 == last.v4 && now.v6 == last.v6)
			break;
	}
	printf("%lld %lld\n", now.v4, now.v6);
	return fflush(stdout) == 0 ? 0 : 1;
}
