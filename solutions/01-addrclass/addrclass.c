/*
 * addrclass - classifies IPv6 addresses with the functions of in6class.c.
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
#include <string.h>

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

/*
 * TODO(addrclass): print the line for one address (inet_pton with
 * AF_INET6, then every class of the table that holds, or "none"); return
 * 0, or -1 after the error message when text is not an IPv6 address.
 */
static int classify(const char *text)
{
	/* BEGIN SOLUTION */
	struct in6_addr addr;
	int found = 0;

	if (inet_pton(AF_INET6, text, &addr) != 1) {
		err_msg("%s: not an IPv6 address", text);
		return -1;
	}
	printf("%s:", text);
	for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++) {
		if (classes[i].holds(&addr)) {
			printf(" %s", classes[i].name);
			found = 1;
		}
	}
	printf("%s\n", found ? "" : " none");
	return 0;
	/* END SOLUTION */
	/* BEGIN SKELETON
	(void)text;
	return not_implemented(__func__);
	END SKELETON */
}

/*
 * TODO(addrclass): classify every argument, or, with none, every line of
 * stdin (getline; strip the line end, "\n" or "\r\n" as a file written
 * on Windows has; skip empty lines; a line may be of any length).  Exit 2
 * if any address was bad, 0 otherwise.
 */
int main(int argc, char **argv)
{
	set_progname(argv[0]);
	/* BEGIN SOLUTION */
	int status = 0;

	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			if (classify(argv[i]) < 0)
				status = EXIT_USAGE;
		return status;
	}

	char *line = NULL;
	size_t size = 0;
	ssize_t len;

	while ((len = getline(&line, &size, stdin)) != -1) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] != '\0' && classify(line) < 0)
			status = EXIT_USAGE;
	}
	free(line);
	return status;
	/* END SOLUTION */
	/* BEGIN SKELETON
	(void)argc;
	(void)classes;
	return classify(argv[1] ? argv[1] : "::") < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
	END SKELETON */
}
