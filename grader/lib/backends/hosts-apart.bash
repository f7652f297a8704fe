# shellcheck shell=bash
#
# What the suites ask of a backend whose every host is a machine of its own
# (a namespace, a container): each has its own ports and its own packet
# counters, which the lab's DNS server adds nothing to but its own
# exchanges with that host.  Sourced by lib/backends/netns.bash and
# docker.bash.

host_port() {
	echo "$2"
}

lab_shared_counters() {
	return 1
}

lab_dns_packets() {
	echo "0 0"
}
