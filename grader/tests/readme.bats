#!/usr/bin/env bats
# The READMEs tell the truth: every command of a lab README's "How to test"
# section, typed from the lab's folder, and of the top README's "For
# students" section, typed from the kit's top folder, works as written, and
# each grade they run is full.  They run on a copy of the kit whose labs/
# holds a second correct implementation of every lab (grader/tests/
# alternative/, written apart from the reference), with make flags in the
# environment as a student may have them.

load meta

setup_file() {
	export COPY=$BATS_FILE_TMPDIR/kit
	mkdir "$COPY"
	tar -C "$KIT" --exclude=./.git --exclude=./out --exclude=./dist -c . | tar -C "$COPY" -x
	local lab file files
	for lab in "$KIT"/grader/tests/alternative/*/; do
		lab=${lab%/}
		lab=${lab##*/}
		read -ra files < <(sed -n 's/^STUDENT_FILES[[:space:]]*=//p' "$KIT/labs/$lab/Makefile")
		for file in "${files[@]}"; do
			cp "$KIT/grader/tests/alternative/$lab/$file" "$COPY/labs/$lab/$file"
		done
	done
	# The network `make net-up` brings up, named for this file alone.
	export LABNET=readme$$
}

teardown() {
	"$COPY/grader/net" down "$LABNET" >/dev/null 2>&1 || true
}

# readme_commands FILE SECTION: the command lines of the indented code
# blocks in the "## SECTION" part of FILE, without their comments, each
# after "ok" or, where its comment starts with "fails", "fails" and a tab.
readme_commands() {
	awk -v section="## $2" '
	/^## / { inside = ($0 == section); next }
	inside && /^    [^ ]/ {
		line = substr($0, 5)
		expect = (line ~ /[ \t]#[ \t]*fails/) ? "fails" : "ok"
		sub(/[ \t]+#.*$/, "", line)
		print expect "\t" line
	}' "$1"
}

# wait_listener PID: waits until process PID (in whatever network
# namespace) has a listening TCP socket; 10 s at most.
wait_listener() {
	local pid=$1 tries=200 inodes
	while ((tries-- > 0)); do
		inodes=$(find "/proc/$pid/fd" -lname 'socket:*' -printf '%l\n' 2>/dev/null | tr -dc '0-9\n')
		if [[ -n $inodes ]] && awk -v want="$inodes" '
			BEGIN { n = split(want, list, "\n"); for (i = 1; i <= n; i++) mine[list[i]] = 1 }
			$4 == "0A" && ($10 in mine) { found = 1 }
			END { exit !found }' "/proc/$pid/net/tcp" "/proc/$pid/net/tcp6"; then
			return 0
		fi
		sleep 0.05
	done
	echo "process $pid never listened" >&2
	return 1
}

# run_readme FILE SECTION DIR: runs the commands of SECTION of FILE from
# DIR, one after another, as a user types them (standard input empty): a
# command ending in & runs in the background until it listens, one the
# README says fails must fail (but be found and run), and any other must
# succeed.  What is left in the background is stopped at the end.
run_readme() {
	local script=$BATS_TEST_TMPDIR/commands.bash expect line
	{
		echo "set -e"
		declare -f wait_listener
		echo "trap 'kill \$(jobs -p) 2>/dev/null || true' EXIT"
		printf 'cd %q\n' "$3"
		while IFS=$'\t' read -r expect line; do
			printf 'echo %q\n' "\$ $line"
			if [[ $line == *'&' ]]; then
				printf '%s\nwait_listener $!\n' "$line"
			elif [[ $expect == fails ]]; then
				printf 'status=0\n{ %s\n} </dev/null || status=$?\n' "$line"
				# shellcheck disable=SC2016 # expanded by the script
				echo '((status != 0 && status < 126)) || { echo "expected to fail, got status $status"; exit 1; }'
			else
				printf '{ %s\n} </dev/null\n' "$line"
			fi
		done < <(readme_commands "$1" "$2")
	} >"$script"
	grep -q '^echo' "$script" || fail "$1 has no commands in its '$2' section"
	run timeout -k 5 900 bash "$script"
}

# check_lab_readme LAB: LAB's README commands, from its folder, with -w and
# -j4 in MAKEFLAGS, work and end in a full grade of LAB.
check_lab_readme() {
	MAKEFLAGS="-w -j4" run_readme "$COPY/labs/$1/README.md" "How to test" "$COPY/labs/$1"
	assert_success
	assert_line --regexp '^Score: ([0-9]+)/\1$'
	echo "$output" >"/tmp/readme-$1.out"
}

@test "lab 01's README commands work from its folder and grade it in full" { check_lab_readme 01-addrclass; }
@test "lab 02's README commands work from its folder and grade it in full" { check_lab_readme 02-daytimesrv6; }
@test "lab 03's README commands work from its folder and grade it in full" { check_lab_readme 03-mappedcli; }
@test "lab 04's README commands work from its folder and grade it in full" { check_lab_readme 04-gni-timeo; }
@test "lab 05's README commands work from its folder and grade it in full" { check_lab_readme 05-interop; }
@test "lab 06's README commands work from its folder and grade it in full" { check_lab_readme 06-happy-eyeballs; }
@test "lab 07's README commands work from its folder and grade it in full" { check_lab_readme 07-nat64-literal; }

@test "every lab has its README test above" {
	local lab
	for lab in "$KIT"/labs/[0-9][0-9]-*/; do
		lab=${lab%/}
		grep -q "check_lab_readme ${lab##*/}; }" "$BATS_TEST_FILENAME" || fail "no README test for ${lab##*/}"
	done
}

@test "the top README's student commands work from the top folder, with MAKEFLAGS=w, and grade in full" {
	MAKEFLAGS=w run_readme "$COPY/README.md" "For students" "$COPY"
	assert_success
	assert_line --regexp '^Score: ([0-9]+)/\1$'
	echo "$output" >"/tmp/readme-$1.out"
}

@test "a README command with a wrong path fails the README test" {
	sed 's|make -C \.\./\.\. grade|make -C .. grade|' "$COPY/labs/01-addrclass/README.md" \
		>"$BATS_TEST_TMPDIR/README.md"
	run_readme "$BATS_TEST_TMPDIR/README.md" "How to test" "$COPY/labs/01-addrclass"
	assert_failure
}

@test "the alternative implementations get full marks, hidden tests included" {
	grade_submission "$KIT/grader/tests/alternative" 01,02,03,04,05,06,07 --hidden
	assert_success
	assert_line --regexp '^Score: ([0-9]+)/\1$'
	echo "$output" >"/tmp/readme-$1.out"
}
