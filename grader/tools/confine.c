/*
 * confine - runs one command of a student's (a build, a program) with the
 * limits untrusted code gets: the whole sandbox, in one program.
 *
 *   confine [--no-net] [--log FILE] [--build DIR [--writable]] [--debug FILE]
 *           [--cap BYTES] CGROUP CMD [ARG...]
 *   confine --reap CGROUP     kill every process left in CGROUP and the
 *                             cgroups below it, and remove them
 *   confine --log-fd          print the descriptor of the --log FILE
 *   confine --cgroups         say whether the cgroup limits apply here
 *   confine --namespaces      say whether the namespaces can be made here
 *                             (yes, or no: see "where no namespace can be
 *                             made" below)
 *
 * Always: CPU 10 s (RLIMIT_CPU), 256 open files, files of at most 64 MiB,
 * no core dumps, no descriptor of the caller's but stdin, stdout and
 * stderr, and no terminal on those (/dev/null stands for a terminal on
 * stdin; output to one is shown as cat -v shows it, escape sequences as
 * text).  --cap BYTES: of what the command writes on stdout and on stderr,
 * the first BYTES pass, the rest is read and dropped, so that a flood
 * neither fills the grader's memory nor blocks the command.  As root, also:
 *   - the command and everything it starts live in cgroup ipv6lab/CGROUP
 *     (memory 512 MiB, 64 processes), removed when it ends (--reap finds
 *     what a confine that was killed left);
 *   - it runs as the unprivileged user ipv6lab, with no capability, no way
 *     to gain privileges, and an environment of PATH, HOME and LANG only;
 *   - in mount, PID and IPC namespaces of its own (--no-net: a network
 *     namespace too, with loopback up and nothing else), and a session of
 *     its own with no controlling terminal;
 *   - its root is an allow-list, a tmpfs (read-only) holding only:
 *       /usr and /etc, read-only, with what is mounted on them (the files
 *       a lab host's /etc/netns folder puts there, see hostexec); /bin,
 *       /sbin, /lib, /lib32, /lib64, /libx32 as the system has them (links
 *       into /usr on a merged-/usr system);
 *       a fresh /proc, of the new PID namespace;
 *       a /dev of null, zero, full, random, urandom and the fd, stdin,
 *       stdout, stderr links: no terminal, no ptmx, nothing else;
 *       /tmp, /var/tmp, /dev/shm and /run/lock, empty tmpfs of 64 MiB;
 *       --build DIR: DIR (a folder in /tmp), read-only unless --writable;
 *       --debug FILE: /usr/lib/debug holds FILE alone (valgrind needs the
 *       dynamic linker's debug file; the C library's makes every start
 *       slow).
 *     Nothing else of the file system is there: not the kit, its solutions
 *     or another copy of them, not /home, /root, /srv, /opt, /var, /run,
 *     /sys.  The command starts in DIR (or /tmp).
 * As root of a user namespace that maps one uid only (an ordinary user's
 * grade, see lib/userns.bash), where there is no other user to become, it
 * keeps its uid, and all the rest, in a user namespace of its own where it
 * may have 64 processes at most; the cgroup only where it can be written.
 * SysV shared memory, semaphores and message queues it makes die with
 * its IPC namespace when it ends.
 *
 * Where no namespace can be made (a container without SYS_ADMIN, such as
 * Gradescope's: Docker's seccomp profile refuses unshare), the command
 * still runs as ipv6lab, with the limits, the environment and a session of
 * its own, at most 256 processes of ipv6lab's at a time; what it started
 * that is left in its session when it ends is killed (by --reap too, when
 * confine itself was killed).  It lacks the
 * allow-list root, the namespaces and the cgroup's memory cap there.
 *
 * The first process of the PID namespace (this program, forked) runs CMD
 * as its child, passes on the signals that stop a program (TERM, INT, HUP,
 * QUIT), reaps the orphans the namespace hands it, and exits with CMD's
 * status: its exit code, or 128 + N when signal N ended it.  When it exits
 * the kernel kills everything left in the namespace, so nothing CMD
 * started outlives it, daemons included.  CMD is not process 1 itself,
 * because process 1 ignores every signal it has no handler for: a program
 * that counts on SIGTERM's default action would not stop.
 *
 * --log FILE gives the command, on the descriptor `confine --log-fd`
 * prints (for valgrind --log-fd), a pipe to a process of confine's that
 * appends to FILE: the last descriptor under the limit on open files,
 * which valgrind keeps for itself.  The program's write(2)s there fail
 * (EBADF), and the pipe, root's, cannot be opened again through
 * /proc/self/fd; valgrind does not check the old descriptor of a dup(2),
 * so a program that duplicates it can still add lines to the log, but
 * never take back a line valgrind wrote there (see lib/vgcheck.py).  As
 * root, confine also writes in FILE's .end file (FILE without .log),
 * which the command never holds, one line saying how it ended, how many
 * processes it left running, and the CPU seconds it and the processes it
 * started used, for the grader to believe over anything the command may
 * have written in its own logs:
 *   status 0 left 2 cpu 0.412
 *
 * Exit status 126 when the sandbox cannot be set up.
 */
#define _GNU_SOURCE

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <net/if.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "die.h"

/* The new root is built in a tmpfs over /tmp, which nothing else of this
 * mount namespace needs any more, then made the root by pivot_root (or,
 * where that is refused, moved over the old root and entered by chroot). */
static const char NEW_ROOT[] = "/tmp";
static const char SCRATCH[] = "mode=1777,size=64m";
static const char *const scratch_dirs[] = { "/tmp", "/var/tmp", "/dev/shm", "/run/lock" };
/* Shown as they are, read-only; the merged-/usr links are copied. */
static const char *const system_dirs[] = { "/usr", "/etc" };
static const char *const usr_links[] = { "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32" };
/* The devices a build and a run need; no terminal among them. */
static const char *const devices[] = { "null", "zero", "full", "random", "urandom" };
static const char *const dev_links[][2] = {
	{ "fd", "/proc/self/fd" },
	{ "stdin", "/proc/self/fd/0" },
	{ "stdout", "/proc/self/fd/1" },
	{ "stderr", "/proc/self/fd/2" },
};
static const char DEBUG_DIR[] = "/usr/lib/debug";

/* The limits.  valgrind keeps the descriptors just under the limit on
 * open files (soft and hard alike) for itself and refuses them to the
 * program it runs: the log's is the last of them. */
static const char RUNNER[] = "ipv6lab";
enum { CPU_SECONDS = 10, FILES = 256, LOG_FD = FILES - 1 };
enum { PROCESSES = 64, RUNNER_PROCESSES = 256 };
static const rlim_t FILE_BYTES = 64 << 20, MEMORY = 512 << 20;
/* cgroup v2's folder for the sandboxes, or v1's, one per controller. */
static const char V2_CONTROLLERS[] = "/sys/fs/cgroup/cgroup.controllers";
static const char *const v2_bases[] = { "/sys/fs/cgroup/ipv6lab" };
static const char *const v1_bases[] = { "/sys/fs/cgroup/memory/ipv6lab", "/sys/fs/cgroup/pids/ipv6lab" };
/* Where no namespace can be made, the command's session is noted in
 * SESSIONS/CGROUP/session, so that --reap CGROUP ends what it left even
 * when confine was killed first (timeout's SIGKILL). */
static const char SESSIONS[] = "/run/ipv6lab-sessions";

static const int passed_on[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT };
enum { NPASSED = sizeof passed_on / sizeof passed_on[0] };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct options {
	const char *build, *debug, *log, *cgroup;
	int report, writable, no_net;
	long cap;
	/* cgroup.procs of each of the command's cgroups, open for writing */
	int procs[2], nprocs;
	char **cmd;
};

/* The process the stop signals go on to: process 1 of the namespace in
 * the first process, the command in process 1. */
static volatile pid_t child;

static void pass_on(int sig)
{
	if (child > 0)
		kill(child, sig);
}

static void do_mount(const char *src, const char *target, const char *type,
		     unsigned long flags, const char *data)
{
	if (mount(src, target, type, flags, data) < 0)
		die("mount %s", target);
}

/* PATH in the new root, in a buffer of PATH_MAX. */
static char *in_root(char *buf, const char *path)
{
	if (snprintf(buf, PATH_MAX, "%s%s", NEW_ROOT, path) >= PATH_MAX)
		die("%s: path too long", path);
	return buf;
}

/* mkdir -p; -1 when a folder can be neither made nor found. */
static int mkdir_parents(const char *path)
{
	char buf[PATH_MAX];

	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
		return -1;
	for (char *p = buf + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char end = *p;

		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -1;
		if (end == '\0')
			return 0;
		*p = '/';
	}
}

/* mkdir -p, for folders in a tmpfs of ours. */
static void make_dirs(const char *path)
{
	if (mkdir_parents(path) < 0)
		die("mkdir %s", path);
}

static void copy_file(int from, const char *to)
{
	char buf[65536];
	ssize_t n;
	int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

	if (out < 0)
		die("create %s", to);
	while ((n = read(from, buf, sizeof buf)) > 0)
		if (write(out, buf, n) != n)
			die("write %s", to);
	if (n < 0)
		die("read for %s", to);
	close(out);
}

/* Binds SRC (with what is mounted below it) on TARGET, read-only. */
static void bind_read_only(const char *src, const char *target)
{
	do_mount(src, target, NULL, MS_BIND | MS_REC, NULL);
	do_mount(NULL, target, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID, NULL);
}

/* An empty file in the new /dev with the device NAME bound on it. */
static void add_device(const char *name)
{
	char from[64], to[PATH_MAX];
	int fd;

	snprintf(from, sizeof from, "/dev/%s", name);
	snprintf(to, sizeof to, "%s/dev/%s", NEW_ROOT, name);
	if ((fd = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666)) < 0)
		die("create %s", to);
	close(fd);
	do_mount(from, to, NULL, MS_BIND, NULL);
}

static void loopback_up(void)
{
	struct ifreq ifr = { 0 };
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	strcpy(ifr.ifr_name, "lo");
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		die("loopback");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		die("loopback up");
	close(s);
}

/* What the command sees, set up by process 1 in the new mount namespace:
 * a root of its own that holds only what is listed above, the build
 * folder and the linker's debug file. */
static void set_up_mounts(const struct options *o)
{
	char path[PATH_MAX], target[PATH_MAX], link[PATH_MAX];
	struct stat st;
	int build = -1, debug = -1;
	ssize_t n;

	do_mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	/* Held open while /tmp is covered. */
	if (o->build && (build = open(o->build, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		die("open %s", o->build);
	if (o->debug && (debug = open(o->debug, O_RDONLY | O_CLOEXEC)) < 0)
		die("open %s", o->debug);

	do_mount("none", NEW_ROOT, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755");
	for (size_t i = 0; i < COUNT(system_dirs); i++) {
		make_dirs(in_root(target, system_dirs[i]));
		bind_read_only(system_dirs[i], target);
	}
	for (size_t i = 0; i < COUNT(usr_links); i++) {
		if (lstat(usr_links[i], &st) < 0)
			continue;
		in_root(target, usr_links[i]);
		if (S_ISLNK(st.st_mode)) {
			if ((n = readlink(usr_links[i], link, sizeof link - 1)) < 0)
				die("readlink %s", usr_links[i]);
			link[n] = '\0';
			if (symlink(link, target) < 0)
				die("symlink %s", target);
		} else if (S_ISDIR(st.st_mode)) { /* a system without merged /usr */
			make_dirs(target);
			bind_read_only(usr_links[i], target);
		}
	}
	make_dirs(in_root(target, "/proc"));
	do_mount("proc", target, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	make_dirs(in_root(target, "/dev"));
	do_mount("none", target, "tmpfs", MS_NOSUID | MS_NOEXEC, "size=64k,mode=0755");
	for (size_t i = 0; i < COUNT(devices); i++)
		add_device(devices[i]);
	for (size_t i = 0; i < COUNT(dev_links); i++) {
		snprintf(target, sizeof target, "%s/dev/%s", NEW_ROOT, dev_links[i][0]);
		if (symlink(dev_links[i][1], target) < 0)
			die("symlink %s", target);
	}
	for (size_t i = 0; i < COUNT(scratch_dirs); i++) {
		make_dirs(in_root(target, scratch_dirs[i]));
		do_mount("none", target, "tmpfs", MS_NOSUID | MS_NODEV, SCRATCH);
	}
	if (build >= 0) {
		make_dirs(in_root(target, o->build));
		snprintf(path, sizeof path, "/proc/self/fd/%d", build);
		do_mount(path, target, NULL, MS_BIND, NULL);
		if (!o->writable)
			do_mount(NULL, target, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL);
		close(build);
	}
	if (debug >= 0 && stat(in_root(target, DEBUG_DIR), &st) == 0) {
		const char *slash = strrchr(o->debug, '/');

		do_mount("none", target, "tmpfs", 0, "size=16m,mode=0755");
		snprintf(link, sizeof link, "%.*s", (int)(slash - o->debug), o->debug);
		make_dirs(in_root(path, link));
		copy_file(debug, in_root(path, o->debug));
		close(debug);
		do_mount(NULL, target, NULL, MS_REMOUNT | MS_RDONLY, NULL);
	}

	/* The old root goes on top of the new one, and is then taken away.
	 * Where pivot_root is refused (Docker's seccomp profile refuses it in
	 * a container, the docker backend's lab hosts), the new root is moved
	 * over the old one and entered with chroot instead, which a command
	 * without capabilities cannot leave. */
	if (chdir(NEW_ROOT) < 0)
		die("chdir %s", NEW_ROOT);
	if (syscall(SYS_pivot_root, ".", ".") == 0) {
		if (umount2(".", MNT_DETACH) < 0)
			die("umount the old root");
	} else if (errno != EPERM || mount(".", "/", NULL, MS_MOVE, NULL) < 0 || chroot(".") < 0 ||
		   chdir("/") < 0) {
		die("pivot_root");
	}
	do_mount(NULL, "/dev", NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NOEXEC, NULL);
	do_mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL);
	if (chdir(o->build ? o->build : "/tmp") < 0)
		die("chdir");
}

/* In the command's process: USER's ids (pw, unless NULL), no capability
 * now or later, and a clean environment. */
static void become(const struct passwd *pw)
{
	struct __user_cap_header_struct head = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct none[_LINUX_CAPABILITY_U32S_3] = { { 0 } };

	for (int cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
			die("drop capability %d", cap);
	if (pw != NULL &&
	    (setgroups(0, NULL) < 0 || setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) < 0 ||
	     setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0))
		die("become %s", pw->pw_name);
	if (syscall(SYS_capset, &head, none) < 0 ||
	    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die("drop privileges");
	if (clearenv() != 0 || setenv("PATH", "/usr/local/bin:/usr/bin:/bin", 1) < 0 ||
	    setenv("HOME", "/nonexistent", 1) < 0 || setenv("LANG", "C.UTF-8", 1) < 0)
		die("environment");
}

/* The processes of the namespace still running, but this one. */
static int running(void)
{
	DIR *proc = opendir("/proc");
	struct dirent *e;
	char path[300], line[512];
	int n = 0;

	if (proc == NULL)
		return -1;
	while ((e = readdir(proc)) != NULL) {
		if (!isdigit((unsigned char)e->d_name[0]) || atoi(e->d_name) == getpid())
			continue;
		snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
		FILE *f = fopen(path, "r");

		if (f == NULL)
			continue;
		/* "PID (NAME) STATE ...": NAME may hold anything, ')' too. */
		char *end = fgets(line, sizeof line, f) ? strrchr(line, ')') : NULL;

		if (end == NULL || end[1] == '\0' || end[2] != 'Z')
			n++;
		fclose(f);
	}
	closedir(proc);
	return n;
}

/* User and system time of the processes this one has reaped. */
static double cpu_seconds(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_CHILDREN, &ru) < 0)
		return -1;
	return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static int exit_code(int status)
{
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

/* Waits for `child`, reaping whatever else ends meanwhile; its status. */
static int wait_child(void)
{
	int status;
	pid_t pid;

	for (;;) {
		pid = waitpid(-1, &status, 0);
		if (pid == child)
			return status;
		if (pid < 0 && errno != EINTR)
			die("waitpid");
	}
}

/* Process 1 of the new PID namespace. */

/* The command starts with every signal at its default action and none
 * blocked (but the C library's own two, which every program's C library
 * sets up itself), whatever the grader was started with: an ignored signal stays
 * ignored across exec, and a test runner may ignore some (SIGALRM, say),
 * which a student's alarm() would then never see. */
static void default_signals(void)
{
	sigset_t none;

	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}
/* Puts this process in the command's cgroups (see make_cgroup). */
static void enter_cgroup(const struct options *o)
{
	for (int i = 0; i < o->nprocs; i++)
		if (write(o->procs[i], "0", 1) < 0)
			die("enter the cgroup");
}

/* In the command's process: PW's ids and nothing more (see become), every
 * signal at its default action, then the command. */
_Noreturn static void run_command(const struct options *o, const struct passwd *pw)
{
	become(pw);
	default_signals();
	execvp(o->cmd[0], o->cmd);
	fprintf(stderr, "confine: %s: %s\n", o->cmd[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/* The .end record of --log: how the command ended, how many processes it
 * left, and the CPU it and what it started used. */
static void report_end(const struct options *o, int status, int left)
{
	if (o->report >= 0)
		dprintf(o->report, "status %d left %d cpu %.3f\n", exit_code(status), left, cpu_seconds());
}

static int init(const struct options *o, const struct passwd *pw, const sigset_t *before)
{
	int status;

	/* A session of its own, with no controlling terminal; CMD is not its
	 * leader, and finds no terminal to take in its /dev (set up below) nor
	 * on its stdin, stdout and stderr (main puts none there).  Out
	 * of the grader's process group, it dies with the first process, which
	 * a SIGKILL to that group (timeout's last resort) reaches. */
	if (setsid() < 0 || prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		die("setsid");
	enter_cgroup(o);
	set_up_mounts(o);
	if (o->no_net)
		loopback_up();
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		/* A group of its own: a stop signal sent to the grader's process
		 * group reaches CMD once, through process 1. */
		setpgid(0, 0);
		run_command(o, pw);
	}
	sigprocmask(SIG_SETMASK, before, NULL);
	status = wait_child();
	report_end(o, status, running());
	return exit_code(status);
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		die("write %s", path);
	close(fd);
}

/* Where one uid only exists: a user namespace of the command's own, mapping the one uid
 * (and gid) there is, where the kernel counts its processes apart from
 * the grader's, so that RLIMIT_NPROC bounds them as the cgroup's pids.max
 * does as root. */
static void own_user_namespace(void)
{
	char map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();
	struct rlimit nproc = { PROCESSES, PROCESSES };

	if (unshare(CLONE_NEWUSER) < 0)
		die("unshare user");
	snprintf(map, sizeof map, "0 %u 1", (unsigned)uid);
	write_file("/proc/self/uid_map", map);
	write_file("/proc/self/setgroups", "deny");
	snprintf(map, sizeof map, "0 %u 1", (unsigned)gid);
	write_file("/proc/self/gid_map", map);
	if (setrlimit(RLIMIT_NPROC, &nproc) < 0)
		die("RLIMIT_NPROC");
}

/* The limits every command gets, on this process and all it starts. */
static void limit(void)
{
	const struct {
		int resource;
		rlim_t value;
	} limits[] = {
		{ RLIMIT_CPU, CPU_SECONDS },
		{ RLIMIT_NOFILE, FILES },
		{ RLIMIT_FSIZE, FILE_BYTES },
		{ RLIMIT_CORE, 0 },
	};

	for (size_t i = 0; i < COUNT(limits); i++) {
		struct rlimit rl = { limits[i].value, limits[i].value };

		if (setrlimit(limits[i].resource, &rl) < 0)
			die("setrlimit");
	}
}

/* Forks a process of confine's that copies what comes on a new pipe to
 * descriptor OUT (shown as cat -v shows it when SHOWN, for a terminal; the
 * first CAP bytes only, unless CAP is 0, the rest read and dropped),
 * ignoring the stop signals (timeout sends them to its whole process
 * group) until no writer is left; returns the pipe's write end. */
static int copier(int out, int shown, long cap)
{
	int p[2];
	unsigned char buf[4096];
	ssize_t n;
	long copied = 0;

	if (pipe2(p, O_CLOEXEC) < 0)
		die("pipe");
	switch (fork()) {
	case -1:
		die("fork");
	case 0:
		for (int i = 0; i < NPASSED; i++)
			signal(passed_on[i], SIG_IGN);
		close(p[1]);
		while ((n = read(p[0], buf, sizeof buf)) > 0) {
			char text[4 * sizeof buf];
			size_t len = 0;

			for (ssize_t i = 0; i < n; i++) {
				unsigned c = buf[i];

				if (!shown || c == '\n' || c == '\t') {
					text[len++] = (char)c;
					continue;
				}
				if (c >= 0x80) { /* cat -v's M- for the high half */
					text[len++] = 'M';
					text[len++] = '-';
					c -= 0x80;
				}
				if (c < 0x20 || c == 0x7f) {
					text[len++] = '^';
					c = c == 0x7f ? '?' : c + '@';
				}
				text[len++] = (char)c;
			}
			if (cap > 0 && (long)len > cap - copied)
				len = copied < cap ? (size_t)(cap - copied) : 0;
			if (len > 0 && write(out, text, len) != (ssize_t)len)
				_exit(1);
			copied += (long)len;
		}
		_exit(0);
	}
	close(p[0]);
	return p[1];
}

/* No terminal of the caller's reaches the command: stdin from /dev/null
 * instead, output through a copier that shows escape sequences instead of
 * obeying them.  With --cap, all of its output goes through a copier that
 * keeps the first CAP bytes of each stream. */
static void guard_output(long cap)
{
	int null;

	if (isatty(0)) {
		if ((null = open("/dev/null", O_RDONLY)) < 0 || dup2(null, 0) < 0)
			die("/dev/null");
		close(null);
	}
	for (int fd = 1; fd <= 2; fd++) {
		if (!isatty(fd) && cap == 0)
			continue;
		int w = copier(fd, isatty(fd), cap);

		if (dup3(w, fd, 0) < 0)
			die("dup");
		close(w);
	}
}

/* --log FILE: the command's LOG_FD, a pipe to a copier that appends to
 * FILE; FILE's .end file on the report descriptor, as root. */
static void open_log(struct options *o)
{
	char end[PATH_MAX];
	size_t len = strlen(o->log);
	int file, w;

	if (len < 4 || strcmp(o->log + len - 4, ".log") != 0 || len >= sizeof end)
		die("--log %s: not a .log file", o->log);
	snprintf(end, sizeof end, "%.*s.end", (int)(len - 4), o->log);
	if (geteuid() == 0 && (o->report = open(end, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
		die("open %s", end);
	if ((file = open(o->log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644)) < 0)
		die("open %s", o->log);
	w = copier(file, 0, 0);
	close(file);
	if (dup3(w, LOG_FD, 0) < 0)
		die("dup");
	close(w);
}

/* The cgroup folders of cgroup NAME (under ipv6lab), in PATHS; how many. */
static size_t cgroup_dirs(const char *name, char paths[][PATH_MAX])
{
	int v2 = access(V2_CONTROLLERS, F_OK) == 0;
	const char *const *bases = v2 ? v2_bases : v1_bases;
	size_t nbases = v2 ? COUNT(v2_bases) : COUNT(v1_bases), n = 0;

	for (size_t i = 0; i < nbases; i++) {
		char parent[PATH_MAX];

		snprintf(parent, sizeof parent, "%.*s", (int)(strrchr(bases[i], '/') - bases[i]), bases[i]);
		if (access(parent, W_OK) == 0 &&
		    snprintf(paths[n], PATH_MAX, "%s/%s", bases[i], name) < PATH_MAX)
			n++;
	}
	return n;
}

static void write_value(const char *dir, const char *file, const char *value)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof path, "%s/%s", dir, file);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return; /* not this controller's folder */
	if (write(fd, value, strlen(value)) < 0)
		die("write %s", path);
	close(fd);
}

/* Makes the command's cgroups, with their limits, and opens their
 * cgroup.procs for process 1 to enter; nothing where no cgroup can be
 * written (a container, an ordinary user's grade without delegation). */
static void make_cgroup(struct options *o)
{
	char dirs[2][PATH_MAX], procs[PATH_MAX], value[32];
	size_t n = cgroup_dirs(o->cgroup, dirs);

	if (n > 0 && access(V2_CONTROLLERS, F_OK) == 0) {
		mkdir(v2_bases[0], 0755);
		write_value(v2_bases[0], "cgroup.subtree_control", "+memory +pids");
	}
	for (size_t i = 0; i < n; i++) {
		if (mkdir_parents(dirs[i]) < 0)
			continue;
		snprintf(value, sizeof value, "%llu", (unsigned long long)MEMORY);
		write_value(dirs[i], "memory.max", value);
		write_value(dirs[i], "memory.limit_in_bytes", value);
		snprintf(value, sizeof value, "%d", PROCESSES);
		write_value(dirs[i], "pids.max", value);
		snprintf(procs, sizeof procs, "%s/cgroup.procs", dirs[i]);
		if ((o->procs[o->nprocs] = open(procs, O_WRONLY | O_CLOEXEC)) >= 0)
			o->nprocs++;
	}
}

/* Kills every process in cgroup folder DIR and the folders below it, then
 * removes them all. */
static void reap_dir(const char *dir)
{
	char path[PATH_MAX];
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL)
		if (e->d_type == DT_DIR && e->d_name[0] != '.' &&
		    snprintf(path, sizeof path, "%s/%s", dir, e->d_name) < PATH_MAX)
			reap_dir(path);
	closedir(d);
	snprintf(path, sizeof path, "%s/cgroup.procs", dir);
	for (int round = 1; round <= 5; round++) {
		FILE *f = fopen(path, "r");
		int pid, left = 0;

		if (f == NULL)
			break;
		while (fscanf(f, "%d", &pid) == 1)
			left += kill(pid, SIGKILL) == 0;
		fclose(f);
		if (!left)
			break;
		usleep(10000 * round);
	}
	rmdir(dir);
}

/* The processes of session SID, killed; how many there were. */
static int kill_session(pid_t sid)
{
	DIR *proc = opendir("/proc");
	struct dirent *e;
	int n = 0;

	if (proc == NULL)
		return -1;
	while ((e = readdir(proc)) != NULL) {
		pid_t pid = atoi(e->d_name);

		if (pid > 0 && pid != sid && getsid(pid) == sid && kill(pid, SIGKILL) == 0)
			n++;
	}
	closedir(proc);
	return n;
}

/* Ends what is left in the sessions noted under DIR, and forgets them. */
static void reap_sessions(const char *dir)
{
	char path[PATH_MAX];
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= PATH_MAX)
			continue;
		if (e->d_type == DT_DIR) {
			reap_sessions(path);
			continue;
		}
		FILE *f = fopen(path, "r");
		int sid;

		if (f != NULL && fscanf(f, "%d", &sid) == 1 && sid > 0)
			kill_session(sid);
		if (f != NULL)
			fclose(f);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

static void reap(const char *cgroup)
{
	char dirs[2][PATH_MAX], sessions[PATH_MAX];
	size_t n = cgroup_dirs(cgroup, dirs);

	for (size_t i = 0; i < n; i++)
		reap_dir(dirs[i]);
	if (snprintf(sessions, sizeof sessions, "%s/%s", SESSIONS, cgroup) < PATH_MAX)
		reap_sessions(sessions);
}

/* True as root of a user namespace that maps one uid only. */
static int single_uid(void)
{
	unsigned inside, outside, count;
	FILE *f = fopen("/proc/self/uid_map", "r");
	int one = f != NULL && fscanf(f, "%u %u %u", &inside, &outside, &count) == 3 &&
		  inside == 0 && count == 1 && geteuid() == 0;

	if (f != NULL)
		fclose(f);
	return one;
}

/* Notes the command's session SID under SESSIONS/CGROUP (see SESSIONS). */
static void note_session(const char *cgroup, pid_t sid)
{
	char dir[PATH_MAX], path[PATH_MAX];
	FILE *f;

	if (snprintf(dir, sizeof dir, "%s/%s", SESSIONS, cgroup) >= PATH_MAX || mkdir_parents(dir) < 0 ||
	    snprintf(path, sizeof path, "%s/session", dir) >= PATH_MAX)
		return;
	if ((f = fopen(path, "w")) != NULL) {
		fprintf(f, "%d\n", (int)sid);
		fclose(f);
	}
}

/* Where no namespace can be made: the command as RUNNER, in a session of
 * its own, with at most RUNNER_PROCESSES processes of RUNNER's. */
static int without_namespaces(const struct options *o, const struct passwd *pw, const sigset_t *before)
{
	struct rlimit nproc = { RUNNER_PROCESSES, RUNNER_PROCESSES };
	int status, left;

	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		if (setsid() < 0 || setrlimit(RLIMIT_NPROC, &nproc) < 0)
			die("setsid");
		enter_cgroup(o);
		if (o->build && chdir(o->build) < 0)
			die("chdir %s", o->build);
		run_command(o, pw);
	}
	sigprocmask(SIG_SETMASK, before, NULL);
	note_session(o->cgroup, child);
	/* The copiers see the end once the command's side is gone. */
	for (int fd = 0; fd <= 2; fd++)
		close(fd);
	close(LOG_FD);
	status = wait_child();
	left = kill_session(child);
	report_end(o, status, left);
	return exit_code(status);
}

static void usage(void)
{
	fprintf(stderr, "usage: confine [--no-net] [--log FILE] [--build DIR [--writable]] [--debug FILE]\n"
			"               [--cap BYTES] CGROUP CMD...\n"
			"       confine --reap CGROUP | --log-fd | --cgroups | --namespaces\n");
	exit(2);
}

static void parse(int argc, char **argv, struct options *o)
{
	static const struct option longs[] = {
		{ "no-net", no_argument, NULL, 'n' },	 { "log", required_argument, NULL, 'l' },
		{ "build", required_argument, NULL, 'b' }, { "writable", no_argument, NULL, 'w' },
		{ "debug", required_argument, NULL, 'd' }, { "cap", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	*o = (struct options){ .report = -1 };
	while ((opt = getopt_long(argc, argv, "+", longs, NULL)) != -1) {
		switch (opt) {
		case 'n': o->no_net = 1; break;
		case 'l': o->log = optarg; break;
		case 'b': o->build = optarg; break;
		case 'w': o->writable = 1; break;
		case 'd': o->debug = optarg; break;
		case 'c': o->cap = strtol(optarg, NULL, 10); break;
		default: usage();
		}
	}
	if (argc - optind < 2)
		usage();
	if (o->build && (strncmp(o->build, "/tmp/", 5) != 0 || o->build[5] == '\0')) {
		fprintf(stderr, "confine: --build %s: not in /tmp\n", o->build);
		exit(2);
	}
	o->cgroup = argv[optind];
	o->cmd = argv + optind + 1;
}

/* The answers of --log-fd, --cgroups, --namespaces and --reap; -1 for
 * none of them. */
static int query(int argc, char **argv)
{
	char dirs[2][PATH_MAX];

	if (argc == 2 && strcmp(argv[1], "--log-fd") == 0) {
		printf("%d\n", LOG_FD);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "--cgroups") == 0) {
		if (geteuid() == 0 && cgroup_dirs("", dirs) > 0)
			printf("memory %llu MiB, %d processes (cgroup ipv6lab)\n",
			       (unsigned long long)MEMORY >> 20, PROCESSES);
		else
			printf("none, no cgroup can be written here\n");
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "--namespaces") == 0) {
		pid_t pid = fork();
		int status = 0;

		if (pid == 0)
			_exit(unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC) < 0);
		if (pid < 0 || waitpid(pid, &status, 0) < 0)
			die("fork");
		printf("%s\n", geteuid() != 0 || status == 0 ? "yes" : "no");
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "--reap") == 0) {
		if (geteuid() == 0)
			reap(argv[2]);
		return 0;
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct options o;
	struct passwd *pw = NULL;
	struct sigaction sa = { .sa_handler = pass_on };
	sigset_t stopping, before;
	int status, one_uid, flags;

	if ((status = query(argc, argv)) >= 0)
		return status;
	parse(argc, argv, &o);
	limit();
	/* The command gets stdin, stdout, stderr and the log: no other
	 * descriptor of the caller's (bats writes its results on fd 3). */
	close_range(3, ~0U, 0);
	guard_output(o.cap);
	if (o.log)
		open_log(&o);
	if (geteuid() != 0) {
		execvp(o.cmd[0], o.cmd);
		die("%s", o.cmd[0]);
	}
	one_uid = single_uid();
	if (!one_uid && (pw = getpwnam(RUNNER)) == NULL) {
		fprintf(stderr, "confine: no user %s\n", RUNNER);
		return 126;
	}
	make_cgroup(&o);
	if (one_uid)
		own_user_namespace();

	/* Signals wait until the child's pid is known. */
	sigemptyset(&stopping);
	for (int i = 0; i < NPASSED; i++)
		sigaddset(&stopping, passed_on[i]);
	sigprocmask(SIG_BLOCK, &stopping, &before);
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < NPASSED; i++)
		sigaction(passed_on[i], &sa, NULL);

	flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | (o.no_net ? CLONE_NEWNET : 0);
	if (unshare(flags) < 0) {
		if (errno != EPERM || one_uid)
			die("unshare");
		status = without_namespaces(&o, pw, &before);
	} else {
		child = fork();
		if (child < 0)
			die("fork");
		if (child == 0)
			return init(&o, pw, &before);
		sigprocmask(SIG_SETMASK, &before, NULL);
		/* This side needs no descriptor at all: without them, the copiers
		 * (valgrind's log, a terminal's output) see the end once the
		 * namespace is gone, and are waited for, so that the log is whole
		 * when confine ends. */
		close_range(0, ~0U, 0);
		status = exit_code(wait_child());
	}
	child = 0;
	while (wait(NULL) > 0 || errno == EINTR)
		continue;
	reap(o.cgroup);
	return status;
}
