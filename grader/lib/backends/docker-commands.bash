# shellcheck shell=bash
#
# The commands behind grader/net of the docker backend (described in
# lib/backends/docker.bash, with what the suites ask of it).

DOCKER_KIT=$(cd "$LAB_GRADER_ROOT/.." && pwd)
DOCKER_STATE=$DOCKER_KIT/out/labnet-docker
DOCKER_ENV=(RES_OPTIONS LOCALDOMAIN HOSTALIASES LANG LC_ALL TZ LABNET)

# ---------------------------------------------------------------- the commands

docker_require() {
	command -v docker >/dev/null ||
		die "the docker backend needs Docker: the docker command is not installed (Debian: apt-get install docker.io docker-compose)"
	local err
	err=$(timeout 20 docker version -f '{{.Server.Version}}' 2>&1 >/dev/null) ||
		die "no Docker engine answers (${err##*$'\n'}); start dockerd, or join the docker group"
}

docker_project() {
	local p=${1,,}
	echo "labnet-${p//./_}"
}

# The host path of directory $1, as the Docker engine must name it in a
# bind mount: $1 itself, unless this runs in a container (the grade
# service), where it is the source of the mount $1 came in by.
docker_mount_source() {
	local self src
	if [ -e /.dockerenv ] && self=$(cat /proc/sys/kernel/hostname) &&
		src=$(timeout 20 docker inspect -f \
			"{{range .Mounts}}{{if eq .Destination \"$1\"}}{{.Source}}{{end}}{{end}}" \
			"$self" 2>/dev/null) && [ -n "$src" ]; then
		echo "$src"
	else
		echo "$1"
	fi
}

# Starts compose project $1 as `compose up -d` would start the services of
# docker/compose.yaml (the same network, containers, labels and settings,
# from the same topology: docker.bats compares them), with the docker
# command: a Python Compose takes seconds to start, and the containers
# start side by side here.
docker_start_project() {
	local project=$1 kit tmp h stack args=() net
	kit=${LABNET_KIT:-$(docker_mount_source "$DOCKER_KIT")}
	tmp=${LABNET_TMP:-$(docker_mount_source /tmp)}
	net=${project}_lab
	timeout 30 docker network create --label "com.docker.compose.project=$project" \
		--label com.docker.compose.network=lab --label "org.unp12.lab=$TOPO_ZONE" \
		-o com.docker.network.bridge.enable_ip_masquerade=false "$net" >/dev/null || return
	for h in "${TOPO_HOSTS[@]}"; do
		stack=${TOPO_STACK[$h]}
		args=(--name "$project-$h" --hostname "$h" --init
			--cap-add NET_ADMIN --cap-add SYS_ADMIN --security-opt apparmor:unconfined
			-w "$DOCKER_KIT" -e "LABNET_READY=$LABNET_READY" -e "LABNET_RUNNER=$LABNET_RUNNER"
			--stop-timeout 1 --network "$net"
			--label "com.docker.compose.project=$project" --label "com.docker.compose.service=$h"
			-v "$kit:$DOCKER_KIT" -v "$tmp:/tmp"
			-v "$kit/docker/etc/$stack/resolv.conf:/etc/resolv.conf:ro"
			-v "$kit/docker/etc/$stack/hosts:/etc/hosts:ro")
		[ "$h" != dns ] || args+=(-v "$kit/docker/dnsmasq.conf:/etc/lab/dnsmasq.conf:ro")
		if [ "$stack" = v4 ]; then
			args+=(--sysctl net.ipv6.conf.all.disable_ipv6=1 --sysctl net.ipv6.conf.default.disable_ipv6=1)
		else
			args+=(--sysctl net.ipv6.conf.all.disable_ipv6=0 --sysctl net.ipv6.conf.default.disable_ipv6=0)
		fi
		timeout 60 docker run -d "${args[@]}" unp12-lab \
			docker/lab-host "$h" "${TOPO_INET[$h]:--}" "${TOPO_INET6[$h]:--}" >/dev/null &
	done
	local ok=0 pid
	for pid in $(jobs -p); do
		wait "$pid" || ok=1
	done
	return "$ok"
}

# The compose projects that hold a lab network on this engine.
docker_projects() {
	timeout 20 docker network ls --filter label=org.unp12.lab \
		--format '{{.Label "com.docker.compose.project"}}' 2>/dev/null | sort -u
}

# Removes what compose project $1 has on the engine, as `compose down -v`
# would (its containers, networks and volumes), with the docker command:
# the containers killed side by side, no grace period.
docker_remove_project() {
	local filter=label=com.docker.compose.project=$1 ids
	ids=$(timeout 20 docker ps -aq --filter "$filter") || return
	[ -z "$ids" ] || xargs -P 8 -n 1 timeout 60 docker rm -f -v <<<"$ids" >/dev/null || return
	ids=$(timeout 20 docker network ls -q --filter "$filter") || return
	[ -z "$ids" ] || xargs timeout 60 docker network rm <<<"$ids" >/dev/null || return
	ids=$(timeout 20 docker volume ls -q --filter "$filter") || return
	[ -z "$ids" ] || xargs timeout 60 docker volume rm <<<"$ids" >/dev/null
}

docker_remove() {
	local net=$1 project
	project=$(docker_project "$net")
	docker_remove_project "$project" 2>/dev/null || echo "net: removing compose project '$project' failed" >&2
	rm -rf "${DOCKER_STATE:?}/$net"
}

docker_collect_garbage() {
	local dir owner start host
	for dir in "$DOCKER_STATE"/*/; do
		[ -r "$dir/owner" ] || continue
		read -r owner start host <"$dir/owner" || continue
		[ "$host" = "$(cat /proc/sys/kernel/hostname)" ] || continue
		alive "$owner" "$start" && continue
		dir=${dir%/}
		echo "net: removing network '${dir##*/}': its owner (pid $owner) is gone" >&2
		docker_remove "${dir##*/}"
	done
}

# Waits until every host of network $1 has done its start-up: each touches
# its file in $2 (LABNET_READY, a folder of the kit the hosts see).
docker_wait_ready() {
	local project=$1 ready=$2 h deadline=$((SECONDS + 30)) missing
	while :; do
		missing=()
		for h in "${TOPO_HOSTS[@]}"; do
			[ -e "$ready/$h" ] || missing+=("$h")
		done
		[ ${#missing[@]} -gt 0 ] || return 0
		if [ "$SECONDS" -ge "$deadline" ]; then
			echo "net: hosts ${missing[*]} of $project did not start: $(timeout 10 docker logs --tail 3 "$project-${missing[0]}" 2>&1)" >&2
			return 1
		fi
		nap 0.05
	done
}

# net_up NET OWNER
net_up() {
	local net=$1 owner=$2 state project out
	docker_require
	"$DOCKER_KIT/docker/images" lab >&2 || die "the lab image is not there and could not be built"
	docker_collect_garbage
	state=$DOCKER_STATE/$net
	project=$(docker_project "$net")
	if [ -e "$state/up" ]; then
		echo "net: network '$net' is already up"
		return 0
	fi
	mkdir -p "$state/resolvers" || die "cannot write $state"
	trap 'docker_remove "$net"' EXIT
	trap 'exit 130' INT TERM
	if [ -n "$owner" ]; then
		read_stat "$owner" || die "owner process $owner does not exist"
		echo "$owner ${PROC_STAT[19]} $(cat /proc/sys/kernel/hostname)" >"$state/owner"
	fi
	mkdir -p "$state/ready" || die "cannot write $state/ready"
	# The user student code runs as (tools/confine), when there is one here,
	# gets the same ids in every host.
	export LABNET_READY=$state/ready LABNET_RUNNER=''
	! id ipv6lab >/dev/null 2>&1 || LABNET_RUNNER="$(id -u ipv6lab) $(id -g ipv6lab)"
	out=$(docker_start_project "$project" 2>&1) ||
		die "network '$net' did not come up: ${out##*$'\n'}"
	docker_wait_ready "$project" "$state/ready" || die "the hosts of network '$net' did not start"
	: >"$state/up"
	trap - EXIT INT TERM
	echo "net: network '$net' is up (${#TOPO_HOSTS[@]} containers, compose project $project)"
}

net_down() {
	docker_require
	docker_remove "$1"
}

docker_require_up() {
	[ -e "$DOCKER_STATE/$1/up" ] ||
		die "network '$1' is not up (start it with: grader/net --backend docker up $1)"
}

# The resolver of `exec --dns MODE` (see resolver_conf in grader/net): gives
# host $2 of network $1 the addresses $3 and $4 and starts slowdns (a path
# the container sees too) there, answering as MODE ($5) says; prints its
# pid.  The daemon's stderr goes to a file: docker exec waits for its
# streams.
docker_start_resolver() {
	local slowdns delay=never
	slowdns=$(lab_tool slowdns) || die "cannot build grader/tools/slowdns"
	[[ $5 != delay:* ]] || delay=${5#delay:}
	# shellcheck disable=SC2016 # expanded in the container
	timeout 20 docker exec "$(docker_project "$1")-$2" sh -c \
		'ip addr add "$0" dev eth0 && ip addr add "$1" dev eth0 nodad &&
		exec "$2" -b -d "$3" -u 127.0.0.1 "${0%/*}" "${1%/*}" 2>>/run/slowdns.log' "$3" "$4" "$slowdns" "$delay"
}

# Sends signal $1 to the process group of the command whose pid file (in
# container $2) is $3, once that file is written.
docker_forward_signal() {
	# shellcheck disable=SC2016 # expanded in the container
	timeout 10 docker exec "$2" sh -c 'i=0
		while [ ! -s "$1" ] && [ $i -lt 100 ]; do sleep 0.02; i=$((i + 1)); done
		kill -s "$0" -- "-$(cat "$1")"' "$1" "$3" >/dev/null 2>&1 || true
}

# net_exec NET MODE HOST CMD...
net_exec() {
	local net=$1 mode=$2 host=$3 container pidfile inner opts=() v pid status
	shift 3
	docker_require_up "$net"
	container=$(docker_project "$net")-$host
	# The command leads its own process group in the container, whose id
	# it writes first, so that a signal can reach it and its children.
	pidfile=/run/labnet-exec.$$.$RANDOM
	# shellcheck disable=SC2016 # expanded in the container
	inner=(setsid -w sh -c 'echo $$ >"$0" && exec "$@"' "$pidfile")
	if [ "$mode" != fast ]; then
		resolver_conf "$DOCKER_STATE/$net" "$net" "$mode" "${TOPO_STACK[$host]}" docker_start_resolver
		# shellcheck disable=SC2016 # expanded in the container
		inner=(unshare -m sh -c 'mount --bind "$0" /etc/resolv.conf && exec "$@"' "$RESOLV_CONF" "${inner[@]}")
	fi
	for v in "${DOCKER_ENV[@]}" ${LABNET_DOCKER_ENV:-}; do
		[ -z "${!v+x}" ] || opts+=(-e "$v=${!v}")
	done
	[[ $PWD != "$DOCKER_KIT" && $PWD != "$DOCKER_KIT"/* ]] || opts+=(-w "$PWD")
	# docker exec runs in a session of its own, out of reach of the signals
	# sent to this one's process group (by timeout); this script passes them on.
	setsid -w docker exec -i "${opts[@]}" "$container" "${inner[@]}" "$@" <&0 &
	pid=$!
	for v in TERM INT HUP QUIT; do
		# shellcheck disable=SC2064 # the signal's name, now
		trap "docker_forward_signal $v '$container' '$pidfile'" "$v"
	done
	status=0
	wait "$pid" || status=$?
	# A trapped signal ends `wait` early: wait again until the command ends.
	while kill -0 "$pid" 2>/dev/null; do
		status=0
		wait "$pid" || status=$?
	done
	return "$status"
}

net_shell() {
	local net=$1 host=$2 tty=() shell=(bash -s)
	docker_require_up "$net"
	docker_require
	echo "net: shell on $host of network '$net' (${TOPO_STACK[$host]}, container" \
		"$(docker_project "$net")-$host); 'exit' leaves it" >&2
	# An interactive shell on a terminal when there is one; without (a
	# script), a shell that runs its standard input.
	[ ! -t 0 ] || tty=(-t) shell=(bash -i)
	exec docker exec -i "${tty[@]}" -e "LABNET=$net" -w "$DOCKER_KIT" "$(docker_project "$net")-$host" "${shell[@]}"
}

net_status() {
	local net=$1 running
	docker_require_up "$net"
	running=$(timeout 20 docker ps -q --filter "label=com.docker.compose.project=$(docker_project "$net")" | wc -l)
	[ "$running" -eq "${#TOPO_HOSTS[@]}" ] ||
		die "network '$net': $running of ${#TOPO_HOSTS[@]} containers are running"
	echo "net: network '$net' is up"
}

net_list() {
	local project net owner start
	docker_require
	for project in $(docker_projects); do
		net=${project#labnet-}
		owner=-
		[ ! -r "$DOCKER_STATE/$net/owner" ] || read -r owner start _ <"$DOCKER_STATE/$net/owner"
		printf '%-20s owner %s (compose project %s)\n' "$net" "$owner" "$project"
	done
}
