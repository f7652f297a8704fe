/*
 * addrclass - classifies IPv6 addresses with the functions of in6class.c.
 *
 * Unlike the reference, arguments and standard input feed one loop through
 * next_address(), which hands out the next argument or the next non-empty
 * line; main() never knows where the addresses come from.
 *
 *   addrclass ADDR...     one line per address
 *   addrclass             the same, one address per line on stdin
 *
 * Prints "ADDR: name name ..." with every class that holds, in the order
 * of the table below, or "ADDR: none".  Text that is not an IPv6 address
 * gets "addrclass: ADDR: not an IPv6 address" on stderr; the other
 * addresses are still classified, and the exit status is then 2.
 *
 *   $ ./addrclass ff02::1 ::ffff:192.0.2.1
 *   ff02::1: multicast mc_linklocal
 *   ::ffff:192.0.2.1: v4mapped
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>

#include "in6class.h"
#include "labutil.h"

static const struct {
	const char *name;
	int (*holds)(const struct in6_addr *);
} classes[] = {
	{"unspecified", in6_is_addr_unspecified},
	{"loopback", in6_is_addr_loopback},
	{"multicast", in6_is_addr_multicast},
	{"linklocal", in6_is_addr_linklocal},
	{"sitelocal", in6_is_addr_sitelocal},
	{"v4mapped", in6_is_addr_v4mapped},
	{"v4compat", in6_is_addr_v4compat},
	{"mc_nodelocal", in6_is_addr_mc_nodelocal},
	{"mc_linklocal", in6_is_addr_mc_linklocal},
	{"mc_sitelocal", in6_is_addr_mc_sitelocal},
	{"mc_orglocal", in6_is_addr_mc_orglocal},
	{"mc_global", in6_is_addr_mc_global},
};

/* Where the addresses come from: the arguments left, or else stdin. */
struct source {
	char **args;	/* NULL: read stdin */
	char *line;	/* getline's buffer */
	size_t size;
};

/*
 * Returns the next address to classify, or NULL at the end: the next
 * argument, or the next line of stdin without its "\n" or "\r\n", empty
 * lines skipped.  Frees the line buffer at the end.
 */
static const char *next_address(struct source *src)
{
	ssize_t n;

	if (src->args != NULL)
		return *src->args != NULL ? *src->args++ : NULL;
	while ((n = getline(&src->line, &src->size, stdin)) != -1) {
		if (n > 0 && src->line[n - 1] == '\n') {
			src->line[--n] = '\0';
			if (n > 0 && src->line[n - 1] == '\r')
				src->line[--n] = '\0';
		}
		if (n > 0)
			return src->line;
	}
	free(src->line);
	src->line = NULL;
	return NULL;
}

/* Prints the line for one address; -1 after the message if it is not one. */
static int classify(const char *text)
{
	struct in6_addr addr;
	size_t i;
	int found = 0;

	if (inet_pton(AF_INET6, text, &addr) != 1) {
		err_msg("%s: not an IPv6 address", text);
		return -1;
	}
	printf("%s:", text);
	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (classes[i].holds(&addr)) {
			printf(" %s", classes[i].name);
			found = 1;
		}
	printf(found ? "\n" : " none\n");
	return 0;
}

int main(int argc, char **argv)
{
	struct source src = { argc > 1 ? argv + 1 : NULL, NULL, 0 };
	const char *text;
	int status = EXIT_SUCCESS;

	set_progname(argv[0]);
	while ((text = next_address(&src)) != NULL)
		if (classify(text) < 0)
			status = EXIT_USAGE;
	return status;
}
