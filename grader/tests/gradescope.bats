#!/usr/bin/env bats
#
# Gradescope: the zip `make gradescope` writes, run as Gradescope runs it.
#
# Gradescope builds an image by running setup.sh in a container, then runs
# run_autograder as root in a container of that image per submission, with
# Docker's default capabilities and seccomp profile: no NET_ADMIN, no
# SYS_ADMIN, no namespace can be made.  The containers here get just that
# (no --privileged, no --cap-add).  Gradescope's image is Ubuntu 22.04;
# no Ubuntu image can be pulled here, so these containers are of the kit's
# own Debian 12 image (docker/images lab, built from Debian's mirror with
# debootstrap).  setup.sh runs on a network of the test's own, which
# reaches Debian's mirror; the containers of this machine do not trust the
# certificate the npm registry is served with here, so the npm packages
# setup.sh installs are fetched by the host into an npm cache that
# setup.sh reads offline (npm_config_cache, npm_config_offline).  The
# submissions then run with no network at all, with and without IPv6 on
# loopback (Docker gives ::1 only with the IPv6 sysctls; the kit cannot
# choose the ones Gradescope uses).
#
# The tests that need Docker skip, saying why, unless `make test-docker`
# runs them with an engine.  Their containers, network and image are named
# gs-test-RUN-* (RUN: this bats run's), and go when the tests end.

bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert

KIT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
NAME=gs-test-${BATS_RUN_TMPDIR##*-}
NAME=${NAME,,}
IMAGE=$NAME-autograder

setup_file() {
	"$KIT/grader/mkgradescope" "$BATS_FILE_TMPDIR" >/dev/null
	mkdir "$BATS_FILE_TMPDIR/zip"
	unzip -q "$BATS_FILE_TMPDIR/gradescope-autograder.zip" -d "$BATS_FILE_TMPDIR/zip"
}

teardown_file() {
	if [[ -e $BATS_FILE_TMPDIR/image ]]; then
		timeout 60 docker rmi -f "$IMAGE" >/dev/null
	fi
}

# Skips unless the Docker tests were asked for (make test-docker) and an
# engine and the kit's image are here.
require_docker() {
	[[ ${KIT_TEST_DOCKER:-} == 1 ]] || skip "the Docker tests run with make test-docker"
	command -v docker >/dev/null || skip "the docker command is not installed"
	timeout 20 docker version -f '{{.Server.Version}}' >/dev/null 2>&1 || skip "no Docker engine answers here"
	command -v npm >/dev/null || skip "npm is not installed: no npm packages to give setup.sh"
	timeout 1800 "$KIT/docker/images" lab >&2 || fail "the lab image could not be built"
}

# The image setup.sh makes, built once for the file (as Gradescope does
# once per autograder upload).
autograder_image() {
	[[ ! -e $BATS_FILE_TMPDIR/image ]] || return 0
	local packages cache=$BATS_FILE_TMPDIR/npm-cache status=0
	packages=$(sed -n 's/^BATS_PACKAGES=(\(.*\))$/\1/p' "$KIT/grader/gradescope/setup.sh")
	# shellcheck disable=SC2086 # a list of package names
	timeout 300 npm cache add --cache "$cache" $packages >&2 || fail "npm could not fetch $packages"
	timeout 60 docker network create "$NAME-net" >/dev/null
	timeout 1200 docker run --name "$NAME-setup" --network "$NAME-net" \
		-v "$BATS_FILE_TMPDIR/zip:/zip:ro" -v "$cache:/npm-cache" \
		-e npm_config_cache=/npm-cache -e npm_config_offline=true unp12-lab \
		bash -c 'mkdir -p /autograder && cp -a /zip /autograder/source && /autograder/source/setup.sh' \
		>"$BATS_FILE_TMPDIR/setup.log" 2>&1 || status=$?
	if ((status == 0)); then
		timeout 120 docker commit "$NAME-setup" "$IMAGE" >/dev/null || status=$?
	fi
	timeout 60 docker rm -f "$NAME-setup" >/dev/null
	timeout 60 docker network rm "$NAME-net" >/dev/null
	((status == 0)) || fail "$(echo "setup.sh failed ($status):"; tail -n 20 "$BATS_FILE_TMPDIR/setup.log")"
	: >"$BATS_FILE_TMPDIR/image"
}

# autograde NAME SUBMISSION [DOCKER_RUN_ARG...]: runs run_autograder on a
# copy of SUBMISSION, as Gradescope does, in a container without network;
# RESULTS is the results.json it wrote, LOG what it printed.
autograde() {
	local name=$1 submission=$2
	shift 2
	autograder_image
	RESULTS=$BATS_TEST_TMPDIR/results/results.json LOG=$BATS_TEST_TMPDIR/log
	mkdir -p "$BATS_TEST_TMPDIR/results"
	cp -r "$submission" "$BATS_TEST_TMPDIR/submission"
	timeout 900 docker run --rm --name "$NAME-$name" --network none "$@" \
		-v "$BATS_TEST_TMPDIR/submission:/autograder/submission:ro" \
		-v "$BATS_TEST_TMPDIR/results:/autograder/results" "$IMAGE" \
		bash -c 'cp /autograder/source/run_autograder /autograder/ && /autograder/run_autograder' \
		>"$LOG" 2>&1 || true
	[[ -s $RESULTS ]] || fail "$(echo "no results.json; run_autograder printed:"; tail -n 30 "$LOG")"
}

IPV6=(--sysctl net.ipv6.conf.all.disable_ipv6=0 --sysctl net.ipv6.conf.lo.disable_ipv6=0)
NO_IPV6=(--sysctl net.ipv6.conf.all.disable_ipv6=1 --sysctl net.ipv6.conf.lo.disable_ipv6=1)

# summary: "SCORE/MAX", one line per test of RESULTS ("STATUS SCORE/MAX
# NAME"), then its top-level output.
summary() {
	python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert {"score", "tests", "output"} <= set(r), r.keys()
print("%s/%s" % (r["score"], r["max_score"]))
for t in r["tests"]:
    assert t["status"] in ("passed", "failed") and t["visibility"] in ("visible", "after_published"), t
    print(t["status"], "%s/%s" % (t["score"], t["max_score"]), t["name"])
print(r["output"])
' "$RESULTS"
}

@test "make gradescope writes a zip with setup.sh and run_autograder at its root and no solution, kit test or hidden test" {
	local zip=$BATS_FILE_TMPDIR/zip
	[[ -x $zip/setup.sh && -x $zip/run_autograder ]] || fail "setup.sh and run_autograder must be executable at the zip's root"
	[[ -e $zip/grader/lib/backends/local.bash && -e $zip/labs/05-interop/Makefile ]] || fail "the kit is not in the zip"
	[[ ! -e $zip/solutions && ! -e $zip/grader/tests ]] || fail "solutions/ or grader/tests/ is in the zip"
	run grep -l 'test_tags=hidden' "$zip"/grader/suites/*.bats
	assert_output ""
}

@test "run_autograder gives the solutions full marks on what one dual-stack container grades, and lists the other cells as not graded" {
	require_docker
	autograde solutions "$KIT/solutions" "${IPV6[@]}"
	run summary
	assert_success
	local max=${lines[0]#*/}
	assert_line --index 0 "$max/$max"
	((max > 0)) || fail "nothing was graded"
	refute_line --regexp '^failed '
	# The cells one machine shows, TCP and UDP, V6ONLY and the asterisk too.
	assert_line "passed 2/2 05-interop: TCP: IPv6 client on dscli reaches IPv4 server on ds4srv after a refused IPv6 attempt"
	assert_line "passed 1/1 05-interop: UDP: IPv4 client on dscli cannot reach V6ONLY server on ds6srv(-6)"
	assert_equal "$(grep -c '^passed .* 05-interop: \(TCP\|UDP\): ' <<<"$output")" 12
	# Labs 01 and 04 whole: none of their tests is left out.
	assert_output --partial "(IPv6 on loopback)"
	refute_line --regexp '^  0[14]-'
	assert_line --regexp '^Not graded here: [0-9]+ tests, [0-9]+ points, left out of the score and of its maximum:$'
	assert_line "  05-interop: TCP: IPv4 client on v4cli reaches IPv6 server on ds6srv (one dual-stack machine, without v4cli (IPv4 only))"
	refute_line --regexp '^(passed|failed) .* on v4cli '
	echo "$max" >"$BATS_FILE_TMPDIR/max"
	# What the sandbox cannot do there, said first.
	run grep -c "^No namespace can be made here (no SYS_ADMIN)" "$LOG"
	assert_output 1
}

@test "run_autograder gives the untouched skeleton zero, out of the same maximum" {
	require_docker
	autograde skeleton "$KIT/labs" "${IPV6[@]}"
	run summary
	assert_success
	assert_line --index 0 "0/$(cat "$BATS_FILE_TMPDIR/max" 2>/dev/null || echo '?')"
	refute_line --regexp '^passed [1-9]'
	assert_output --partial "Not graded here: "
}

@test "without IPv6 on loopback run_autograder says so, gives the solutions full marks on what IPv4 shows, and lists what needs IPv6 as not graded" {
	require_docker
	autograde no-ipv6 "$KIT/solutions" "${NO_IPV6[@]}"
	run summary
	assert_success
	local max=${lines[0]#*/}
	assert_line --index 0 "$max/$max"
	((max > 0)) || fail "nothing was graded"
	[[ ! -s $BATS_FILE_TMPDIR/max ]] || ((max < $(cat "$BATS_FILE_TMPDIR/max"))) ||
		fail "without IPv6 the maximum ($max) should be below the one with it"
	assert_output --partial "(no IPv6 on loopback: what needs it is not graded)"
	assert_line "passed 1/1 05-interop: TCP: IPv4 client on dscli reaches IPv6 server on ds6srv"
	assert_line "  05-interop: TCP: IPv6 client on dscli reaches IPv6 server on ds6srv (one dual-stack machine, without IPv6 (no ::1 on loopback))"
	refute_line --regexp '^  0[14]-'
}

@test "where no namespace can be made the sandbox says so and runs a command as ipv6lab, without a terminal, killing what it leaves behind" {
	require_docker
	make -s -C "$KIT/grader/tools" confine
	# shellcheck disable=SC2016 # expanded in the container
	run timeout 120 docker run --rm --name "$NAME-sandbox" --network none -v "$KIT:$KIT:ro" -w "$KIT" unp12-lab bash -c '
		useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin ipv6lab
		grader/tools/confine --namespaces
		grader/tools/confine --log /tmp/c.log c1 sh -c "id -un; tty || true; sleep 60 & echo \$! >/tmp/left"
		cat /tmp/c.end
		if kill -0 "$(cat /tmp/left)" 2>/dev/null; then echo "still running"; else echo "gone"; fi'
	assert_success
	assert_line --index 0 no
	assert_line --index 1 ipv6lab
	assert_line --index 2 "not a tty"
	assert_line --index 3 --regexp '^status 0 left 1 cpu [0-9.]+$'
	assert_line --index 4 gone
}

@test "the Gradescope tests leave no container, network or image of theirs behind but the image they still use" {
	require_docker
	run timeout 20 docker ps -aq --filter "name=$NAME"
	assert_output ""
	run timeout 20 docker network ls -q --filter "name=$NAME"
	assert_output ""
}
