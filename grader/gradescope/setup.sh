#!/usr/bin/env bash
# setup.sh - Gradescope runs this once, as root, when it builds the
# autograder's image (Ubuntu 22.04 by default), in /autograder/source,
# where the zip of grader/mkgradescope is unpacked: the kit as students
# have it (no solutions, no hidden tests) with this file and
# run_autograder at its root.
#
# Installs what a grade needs: Ubuntu's packages (grader/prereqs names
# them, and makes the user ipv6lab that student code runs as), and bats
# with bats-support and bats-assert from the npm registry, since Ubuntu
# 22.04's bats is older than the 1.8 the suites need.
set -euo pipefail
cd "$(dirname "$0")"

BATS_PACKAGES=(bats@1.13.0 bats-support@0.3.0 bats-assert@2.2.4)

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends nodejs npm libc6-dbg
# The local backend's needs (no NAT64 there: no tayga, no unbound).
LABNET_BACKEND=local grader/prereqs grade
npm install --global --no-audit --no-fund "${BATS_PACKAGES[@]}"
# run_autograder takes bats from there, wherever npm links its commands.
"$(npm root --global)/bats/bin/bats" --version
