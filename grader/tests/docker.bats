#!/usr/bin/env bats
#
# The docker backend: its files are what the topology says, grading on it
# gives the same results as on network namespaces, and the README's
# self-study walkthrough runs as written. Tests that need a Docker engine
# skip, saying why, where none can run. They run one after the other, in
# this order: the last one checks that they left nothing behind.

# shellcheck disable=SC2030,SC2031 # bats runs each test in a subshell

bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert
load ../lib/net

KIT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)

# Skips unless the docker tests were asked for (they take many minutes:
# `make test-docker` sets the engine up and runs them) and a Docker engine,
# Compose and the lab image are here.
require_docker() {
	local why
	[ "${KIT_TEST_DOCKER:-}" = 1 ] || skip "the docker backend's long tests run with make test-docker"
	why=$(lab_backend_load docker && lab_unsupported)
	[ -z "$why" ] || skip "$why"
	timeout 1800 "$KIT/docker/images" lab >&2 || fail "the lab image could not be built"
}

# COMPOSE: Compose v2 if the docker command has it, else docker-compose.
compose_cmd() {
	if timeout 20 docker compose version >/dev/null 2>&1; then
		COMPOSE=(docker compose)
	else
		COMPOSE=(docker-compose)
	fi
}

@test "docker/compose.yaml and the files beside it are what docker/gen-compose writes from the topology" {
	run "$KIT/docker/gen-compose" --check
	assert_success
}

@test "docker/compose.yaml is Compose as v2 reads it (the Compose Specification's schema) and as docker-compose 1.29 reads it, and a file with an unknown key is not" {
	[ "${KIT_TEST_DOCKER:-}" = 1 ] || skip "the docker backend's long tests run with make test-docker"
	command -v npm >/dev/null || [ "$(id -u)" -eq 0 ] || skip "npm is not installed: no Compose Specification schema to check with"
	run "$KIT/docker/check-compose"
	assert_success
	assert_output --partial "compose.yaml valid"
	printf 'services:\n  a:\n    image: unp12-lab\n    stop_grace_period: 1s\n    bogus: 1\n' >"$BATS_TEST_TMPDIR/bad.yaml"
	run "$KIT/docker/check-compose" "$BATS_TEST_TMPDIR/bad.yaml"
	assert_failure
	assert_output --partial "must NOT have additional properties"
	command -v docker-compose >/dev/null || skip "docker-compose 1.29 is not installed"
	run docker-compose -f "$KIT/docker/compose.yaml" config -q
	assert_success
}

# The name and status of every test in results.json $1, one per line;
# with $2 (another results.json), only of the tests $2 graded, and a line
# "NOT GRADED: NAME" for each of the others, unless $2's output lists it as
# not graded for want of NAT64/DNS64 (lab 07, lab 05's view with
# NAT64/DNS64: see lab_unbuildable in lib/backends/docker.bash).
test_statuses() {
	python3 -c '
import json, sys
tests = json.load(open(sys.argv[1]))["tests"]
other = json.load(open(sys.argv[2])) if len(sys.argv) > 2 else {"tests": tests, "output": ""}
graded = {t["name"] for t in other["tests"]}
no_nat64 = [line for line in other.get("output", "").splitlines() if "no NAT64/DNS64" in line]
for t in tests:
    if t["name"] in graded:
        print(t["status"], t["name"])
    elif not any(line.startswith("  " + t["name"] + " (") for line in no_nat64):
        print("NOT GRADED:", t["name"])
' "$@"
}

@test "grading the solutions on the docker backend gives every test the result it gets on network namespaces, but those it does not grade for want of NAT64/DNS64" {
	require_docker
	[ "$(id -u)" -eq 0 ] || skip "the netns backend, to compare with, needs root"
	local out=$BATS_TEST_TMPDIR backend
	for backend in netns docker; do
		LABNET_BACKEND=$backend timeout -k 5 1200 "$KIT/grader/grade" --submission "$KIT/solutions" \
			--out "$out/$backend" >"$out/$backend.log" 2>&1 || true
		[ -s "$out/$backend/results.json" ] || fail "no results.json from $backend: $(tail -n 20 "$out/$backend.log")"
	done
	run diff <(test_statuses "$out/netns/results.json" "$out/docker/results.json") \
		<(test_statuses "$out/docker/results.json")
	assert_success
	run grep -c '^passed ' <(test_statuses "$out/docker/results.json")
	refute_output 0
}

# ---- the README's walkthrough

# The commands of README.md's section "Study on your own with Docker", one
# per line: HOST<TAB>PROMPT<TAB>COMMAND, HOST being "laptop" or a lab host,
# PROMPT "$" (the user student on a lab host) or "#" (root).
readme_commands() {
	awk '
		/^## / { inside = ($0 == "## Study on your own with Docker") }
		inside && /^```/ { block = !block; next }
		inside && block && match($0, /^[a-z0-9]+[$#] /) {
			print substr($0, 1, RLENGTH - 2) "\t" substr($0, RLENGTH - 1, 1) "\t" substr($0, RLENGTH + 1)
		}
	' "$KIT/README.md"
}

# Runs README line $3 (of host $1, prompt $2) as a reader would, with
# Compose as this machine has it and no terminal: exec and run get -T, a
# line that opens a shell gets an empty standard input (the shell starts
# and ends). A line that "keeps running" runs in the background, its output
# in $BATS_TEST_TMPDIR/bg.N.
run_readme_line() {
	local host=$1 prompt=$2 line=$3 cmd n user=()
	cmd=${line%%#*}
	if [ "$host" = laptop ]; then
		cmd=${cmd//docker compose/${COMPOSE[*]}}
		cmd=${cmd// exec / exec -T }
		cmd=${cmd// run / run -T }
		timeout 900 bash -c "$cmd" </dev/null
		return
	fi
	[ "$prompt" = '#' ] || user=(-u student)
	n=$(find "$BATS_TEST_TMPDIR" -name 'bg.*' | wc -l)
	if [[ $line == *"keeps running"* ]]; then
		timeout 60 "${COMPOSE[@]}" -f "$KIT/docker/compose.yaml" exec -T "${user[@]}" "$host" bash -c "$cmd" \
			</dev/null >"$BATS_TEST_TMPDIR/bg.$n" 2>&1 3>&- &
		# Started: it listens, or it has said something.
		local deadline=$((SECONDS + 20))
		until [ -s "$BATS_TEST_TMPDIR/bg.$n" ] ||
			[ -n "$(timeout 10 "${COMPOSE[@]}" -f "$KIT/docker/compose.yaml" exec -T "$host" ss -Hltn </dev/null)" ]; do
			[ "$SECONDS" -lt "$deadline" ] || fail "'$line' did not start"
			sleep 0.2
		done
	else
		timeout 120 "${COMPOSE[@]}" -f "$KIT/docker/compose.yaml" exec -T "${user[@]}" "$host" bash -c "$cmd" </dev/null
	fi
}

@test "the README's docker walkthrough runs as written: the server sees a mapped address, tcpdump IPv4 packets, grade a full score, and the student's folder holds nothing root-owned" {
	require_docker
	compose_cmd
	local kit=$BATS_TEST_TMPDIR/kit host prompt line
	# The walkthrough needs a server that works: the kit, with the
	# solutions as the student's labs/, owned by a user who is not root,
	# mounted where it says.
	mkdir -p "$kit"
	for f in "$KIT"/* "$KIT"/.[!.]*; do
		case ${f##*/} in .git | out | labs) ;; *) cp -r "$f" "$kit/" ;; esac
	done
	cp -r "$KIT/solutions" "$kit/labs"
	find "$kit" \( -name '*.o' -o -name out \) -prune -exec rm -rf {} +
	chown -R 4321:4321 "$kit"
	export LABNET_KIT=$kit COMPOSE_PROJECT_NAME=labreadme$$
	cd "$KIT"
	run readme_commands
	assert_line --partial "docker compose -f docker/compose.yaml up -d"
	assert_line --partial "docker compose -f docker/compose.yaml run --rm grade"
	assert_line --partial "docker compose -f docker/compose.yaml down -v"
	while IFS=$'\t' read -r host prompt line; do
		echo "$host$prompt $line"
		run_readme_line "$host" "$prompt" "$line" >"$BATS_TEST_TMPDIR/last" 2>&1 ||
			fail "'$line' on $host failed: $(tail -n 20 "$BATS_TEST_TMPDIR/last")"
		[[ $line != *" grade make grade"* ]] || cp "$BATS_TEST_TMPDIR/last" "$BATS_TEST_TMPDIR/grade.out"
	done < <(readme_commands)
	wait
	run cat "$BATS_TEST_TMPDIR"/bg.*
	assert_output --partial "::ffff:192.0.2.20"
	assert_output --regexp "IP 192\.0\.2\.20\.[0-9]+ > 192\.0\.2\.13\.13013"
	run grep -E '^Score: ' "$BATS_TEST_TMPDIR/grade.out"
	assert_output --regexp '^Score: ([0-9]+)/\1$'
	run find "$kit" ! -user 4321
	assert_output ""
}

# One line per container of compose project $1: its service and the
# settings the grader's containers must share with compose's.
container_settings() {
	local id
	for id in $(docker ps -q --filter "label=com.docker.compose.project=$1"); do
		# Its settings on one line, then one line per mount; the docker
		# command names capabilities CAP_X where Compose says X.
		docker inspect -f '{{$s := index .Config.Labels "com.docker.compose.service"}}{{$s}} {{.Config.Hostname}} {{.Config.Image}} {{json .Config.Cmd}} {{json .HostConfig.CapAdd}} {{json .HostConfig.SecurityOpt}} {{.HostConfig.Init}} {{json .HostConfig.Sysctls}}{{range .Mounts}}
{{$s}} mount {{.Source}} {{.Destination}} {{.RW}}{{end}}' "$id" |
			sed -e "s|$KIT|KIT|g" -e 's/"CAP_/"/g'
	done | sort
}

@test "the grader's lab network in Docker has the containers docker/compose.yaml describes, settings and all" {
	require_docker
	compose_cmd
	export COMPOSE_PROJECT_NAME=labcompare$$ LABNET=compare$$
	cd "$KIT"
	LABNET_KIT_AT=$KIT LABNET_KIT=$KIT LABNET_TMP=/tmp timeout 300 "${COMPOSE[@]}" -f docker/compose.yaml up -d --no-build
	LABNET_BACKEND=docker timeout 300 grader/net up "$LABNET"
	run diff <(container_settings "$COMPOSE_PROJECT_NAME") <(container_settings "labnet-$LABNET")
	assert_success
	run container_settings "labnet-$LABNET"
	assert_line --partial "v6cli v6cli unp12-lab"
}

@test "make shell on the docker backend runs its standard input when there is no terminal" {
	require_docker
	export LABNET=shell$$
	cd "$KIT"
	run timeout 300 make -s net-up NET=docker
	assert_success
	# shellcheck disable=SC2016 # expanded by the shell on v6cli
	run timeout 60 make -s shell HOST=v6cli NET=docker <<<'echo "host=$(hostname) v4=$(ip -4 addr show dev eth0 | wc -l)"'
	timeout 120 make -s net-down NET=docker
	assert_success
	assert_line "host=v6cli v4=0"
}

@test "the docker tests leave no container, network or volume of the kit on the engine" {
	require_docker
	run docker ps -a --filter ancestor=unp12-lab --filter ancestor=unp12-grade --format '{{.Names}}'
	assert_output ""
	run docker network ls --filter label=org.unp12.lab --format '{{.Name}}'
	assert_output ""
	run docker volume ls --filter label=com.docker.compose.volume=tmp --format '{{.Name}}'
	assert_output ""
}

teardown() {
	if [ -n "${COMPOSE_PROJECT_NAME:-}" ] && [ -n "${COMPOSE[*]:-}" ]; then
		timeout 120 "${COMPOSE[@]}" -f "$KIT/docker/compose.yaml" down -v -t 1 >/dev/null 2>&1 || true
	fi
	if [ -n "${LABNET:-}" ]; then
		LABNET_BACKEND=docker timeout 120 "$KIT/grader/net" down "$LABNET" >/dev/null 2>&1 || true
	fi
}
