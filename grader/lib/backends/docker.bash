# shellcheck shell=bash
#
# The docker backend (LABNET_BACKEND=docker, or `net --backend docker ...`):
# the lab network on one container per host, the containers of
# docker/compose.yaml (both written from grader/topology; docker.bats
# compares them), made with the docker command alone.  It defines the
# functions every backend defines (see lib/net.bash); its own start with
# docker_.
#
# Network NAME is the compose project labnet-NAME; host H is the container
# labnet-NAME-H (a student's own `docker compose up` is project lab12). The
# kit is mounted in every container at the path the caller sees it at, so
# that the grader's paths (the lab's build, valgrind logs,
# grader/tools) mean the same on both sides. State lives in the kit too,
# out/labnet-docker/NAME/, where the containers see it: the resolv.conf files
# of `exec --dns MODE` are bind-mounted from there.
#
# `exec` is `docker exec`, which neither passes the caller's environment nor
# forwards signals: it passes the variables of DOCKER_ENV (and those named in
# $LABNET_DOCKER_ENV), and a signal to `net exec` (timeout's SIGTERM, Ctrl-C)
# is sent on to the command's process group in the container. A SIGKILL
# cannot be: what it leaves runs until `net down`.
#
# Docker numbers each network as it likes and the hosts put the topology's
# addresses on it themselves (docker/lab-host): one engine holds any number
# of lab networks, each with the addresses of Figure 12.5, side by side.
#
# No NAT64/DNS64 here (yet): the image has neither tayga nor unbound.
#
# The commands behind grader/net are in docker-commands.bash.

# ---------------------------------------------------------------- what the suites ask

lab_unsupported() {
	if ! command -v docker >/dev/null; then
		echo "the docker lab network needs Docker, and the docker command is not installed"
	elif ! timeout 20 docker version -f '{{.Server.Version}}' >/dev/null 2>&1; then
		echo "the docker lab network needs a Docker engine, and none answers here"
	elif ! timeout 20 docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null; then
		echo "the docker lab network needs Docker Compose (docker compose or docker-compose)"
	fi
}

# Every host, native IPv6 and a firewall are built; no NAT64/DNS64.
lab_unbuildable() {
	[[ " $* " == *" nat64 "* ]] || return 1
	echo "the docker backend has no NAT64/DNS64 yet: its image has neither tayga nor" \
		"unbound, and its nat64 container would need /dev/net/tun besides NET_ADMIN"
}

# Every command goes through `net exec` (docker exec).
lab_fast_on() {
	return 1
}

# host_port, lab_shared_counters, lab_dns_packets: each host a machine of its own.
# shellcheck source=grader/lib/backends/hosts-apart.bash
source "$LAB_GRADER_ROOT/lib/backends/hosts-apart.bash"
