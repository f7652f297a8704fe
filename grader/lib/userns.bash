# shellcheck shell=bash
#
# userns.bash - the lab network without root: an ordinary user's grade runs
# whole as root of a user namespace of its own (`load`ed or sourced).
#
#   userns_single_uid     true in such a namespace: this process is root there,
#                         and the namespace maps one uid only (the user's)
#   userns_check          true when this user can make one; otherwise says
#                         why and how to allow it, and exits 2
#   userns_run CMD...     runs CMD (exec) as root of a new user namespace
#                         mapping this user alone, with a network namespace
#                         (loopback only) and a mount namespace of its own
#   userns_enter PID CMD...
#                         runs CMD (exec) in the namespaces of process PID,
#                         one of CMD's of userns_run
#
# In the mount namespace, /run is an empty tmpfs, where `ip netns` keeps its
# namespaces and grader/net its state, and the files the hosts see as their
# /etc (grader/net, tools/hostexec) are in $LABNET_ETC, which stands for
# /etc/netns: an ordinary user can make neither folder.  Everything goes when
# CMD and what it started are gone.  There, only one uid exists: the
# sandbox cannot run student code as a second user (see tools/confine).

_USERNS_ETC=/run/etc-netns

userns_single_uid() {
	local inside count
	read -r inside _ count </proc/self/uid_map && ((inside == 0 && EUID == 0 && count == 1))
}

# The fix for each knob that forbids an ordinary user a user namespace
# here: Ubuntu's AppArmor restriction (23.10 and later), Debian's older
# switch, the kernel's limit; each with the value that forbids it.
_userns_fixes() {
	local knob bad fix
	while read -r knob bad fix; do
		[[ $(cat "/proc/sys/${knob//.//}" 2>/dev/null) == "$bad" ]] || continue
		echo "    sudo sysctl -w $knob=$fix"
		echo "    echo $knob=$fix | sudo tee -a /etc/sysctl.d/60-ipv6-labs-userns.conf  # after a reboot too"
	done <<-'EOF'
		kernel.apparmor_restrict_unprivileged_userns 1 0
		kernel.unprivileged_userns_clone 0 1
		user.max_user_namespaces 0 15000
	EOF
}

userns_check() {
	local why fixes
	why=$(unshare --user --map-root-user --net --mount true 2>&1) && return 0
	fixes=$(_userns_fixes)
	{
		echo "Without root, the lab network is built in a user namespace, and this machine"
		echo "does not let $(id -un) make one (unshare: ${why##*: })."
		if [[ -n $fixes ]]; then
			echo "To allow it, as root, once:"
			echo "$fixes"
		else
			echo "None of kernel.apparmor_restrict_unprivileged_userns, kernel.unprivileged_userns_clone"
			echo "and user.max_user_namespaces forbids it here: a seccomp filter or a container does."
		fi
		echo "Or grade as root (sudo make grade), or in Docker (make grade NET=docker)."
	} >&2
	exit 2
}

userns_run() {
	# Where /etc/resolv.conf is a link into /run (systemd-resolved), the
	# link's target must exist in the new /run for the hosts' own to be
	# mounted on it.
	local resolv
	resolv=$(readlink -m /etc/resolv.conf)
	[[ $resolv == /run/* ]] || resolv=""
	# There, sbin is on the PATH (ip, iptables), as it is not on an
	# ordinary user's.
	# shellcheck disable=SC2016 # expanded by that shell
	LABNET_ETC=$_USERNS_ETC exec unshare --user --map-root-user --net --mount -- bash -euc '
		mount -t tmpfs -o mode=0755 userns /run
		mkdir "$LABNET_ETC"
		[[ -z $0 ]] || { mkdir -p "${0%/*}" && : >"$0"; }
		export PATH=$PATH:/usr/sbin:/sbin
		ip link set lo up
		exec "$@"' "$resolv" "$@"
}

userns_enter() {
	local pid=$1
	shift
	# As root there (nsenter's own switch would call setgroups, which is
	# denied in the namespace).
	LABNET_ETC=$_USERNS_ETC exec nsenter --preserve-credentials --target "$pid" --user --net --mount -- \
		setpriv --reuid=0 --regid=0 --keep-groups "$@"
}

# Run as a program (by grader/grade): `userns.bash run CMD...` checks that
# this user may make a user namespace, then runs CMD (exec) as userns_run.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	if [[ ${1:-} != run || $# -lt 2 ]]; then
		echo "usage: userns.bash run CMD..." >&2
		exit 2
	fi
	shift
	userns_check
	userns_run "$@"
fi
