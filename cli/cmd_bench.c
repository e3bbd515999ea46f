// SPDX-License-Identifier: MIT
/* uring-tool bench: socket benchmarks, io_uring against the classic path. */
#include "cli.h"
#include "bench_render.h"

#include "abi.h"
#include "bench.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void cmd_bench_usage(FILE *f)
{
	fprintf(f,
"usage: uring-tool bench BENCHMARK [OPTIONS]\n"
"       uring-tool bench list\n"
"       uring-tool bench server [--bind ADDR] [--port P] [--once] [--json]\n"
"       uring-tool bench BENCHMARK --connect HOST[:PORT] [OPTIONS]\n"
"\n"
"Socket benchmarks over loopback: a sender and a receiver thread, io_uring\n"
"(--engine uring) or blocking send()/recv() (--engine syscall).\n"
"\n"
"benchmarks:\n");
	/* from the registry, so a new benchmark cannot be left out here */
	for (unsigned int i = 0; i < ut_bench_count; i++)
		fprintf(f, "  %-11s %s\n", ut_benches[i].name, ut_benches[i].summary);
	fprintf(f,
"\n"
"options:\n"
"  -s, --size LIST        bytes per message: 64K or a list 4K,64K,1M (64K)\n"
"  -t, --time TIME        measured time per run: 10, 10s, 250ms (2s)\n"
"  -w, --warmup TIME      unmeasured lead-in per run (500ms)\n"
"  -i, --interval TIME    progress and sample period (1s)\n"
"  -p, --proto PROTO      tcp (default) or udp\n"
"  -4, --ipv4 / -6, --ipv6  address family (IPv4)\n"
"  -P, --flows N          connections (1)\n"
"  -d, --depth N          requests in flight per flow (8)\n"
"  -b, --batch N          at most N SQEs per io_uring_enter (0: all)\n"
"      --[no-]fixed-buffers  registered buffers for the sender (on)\n"
"      --[no-]fixed-files  registered socket fds (on)\n"
"      --[no-]defer-taskrun  try DEFER_TASKRUN|SINGLE_ISSUER first (on)\n"
"      --sqpoll           an SQPOLL ring (a kernel thread submits)\n"
"  -e, --engine ENGINE    uring (default) or syscall\n"
"  -C, --compare          run both engines and print the ratio\n"
"  -r, --receiver MODE    copy (default, as iperf3) or discard (MSG_TRUNC)\n"
"      --recv-op OP       auto (default), plain, multishot or bundle\n"
"      --send-op OP       plain (default: a message per SQE) or bundle (TCP)\n"
"  -A, --cpu S[,R]        pin the sender to CPU S, the receiver to R\n"
"      --sockbuf SIZE     SO_SNDBUF/SO_RCVBUF (0: the kernel's autotuning)\n"
"      --rcvlowat SIZE    SO_RCVLOWAT of TCP receivers (512K; 0: the kernel's,\n"
"                         as iperf3 runs)\n"
"  -c, --connect HOST[:PORT]  run this side against a 'bench server' there\n"
"      --port P           the server's control port (5301)\n"
"      --bind ADDR        server: listen on this address only (all)\n"
"      --once             server: serve one client, then exit\n"
"  -j, --json             one JSON document on stdout\n"
"      --[no-]progress    interval lines on stderr (default: when a terminal)\n"
"  -h, --help             show this help\n"
"\n"
"exit status: 0 ok, 2 usage error, 3 unsupported here, 4 failure,\n"
"130 interrupted (the partial result is printed).\n");
}

/*
 * getopt_long values: a benchmark option's is its letter, else OPT_BENCH
 * + 2 * its row (+ 1 for --no-NAME); the CLI's own are below OPT_BENCH.
 */
enum {
	OPT_PROGRESS = 256, OPT_NO_PROGRESS, OPT_PORT, OPT_BIND, OPT_ONCE,
	OPT_BENCH,
};

/* The CLI's own; their letters must not be one of the table's. */
static const struct option cli_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "connect", required_argument, NULL, 'c' },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "bind", required_argument, NULL, OPT_BIND },
	{ "once", no_argument, NULL, OPT_ONCE },
	{ "progress", no_argument, NULL, OPT_PROGRESS },
	{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* getopt_long's tables: the benchmark's options from core, then ours. */
struct cli_getopt {
	struct option longopts[2 * UT_BENCH_MAX_OPTIONS +
			       UT_ARRAY_SIZE(cli_options)];
	char shortopts[2 * UT_BENCH_MAX_OPTIONS + 8];
};

static void build_getopt(struct cli_getopt *g)
{
	struct option *lo = g->longopts;
	char *so = g->shortopts;

	*so++ = ':';
	for (unsigned int i = 0; i < ut_bench_nr_options; i++) {
		const struct ut_bench_option *o = &ut_bench_options[i];
		int val = OPT_BENCH + 2 * (int)i;

		*lo++ = (struct option){ o->name, o->flag ? no_argument :
					 required_argument, NULL,
					 o->letter ? o->letter : val };
		if (o->negation)
			*lo++ = (struct option){ o->negation, no_argument, NULL,
						 val + 1 };
		if (o->letter) {
			*so++ = o->letter;
			if (!o->flag)
				*so++ = ':';
		}
	}
	memcpy(lo, cli_options, sizeof(cli_options));
	strcpy(so, "jhc:");
}

/* The benchmark option getopt_long returned as c, and whether --no-NAME. */
static const struct ut_bench_option *bench_option(int c, bool *neg)
{
	*neg = false;
	if (c >= OPT_BENCH) {
		*neg = (c - OPT_BENCH) % 2;
		return &ut_bench_options[(c - OPT_BENCH) / 2];
	}
	for (unsigned int i = 0; i < ut_bench_nr_options; i++)
		if (ut_bench_options[i].letter == c)
			return &ut_bench_options[i];
	return NULL;
}

/* The two-host options; the rest are the benchmark's. */
struct remote_opts {
	const char *connect, *bind;
	unsigned short port;
	bool once, family_set;
};

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	stop_flag = 1;
}

static int unknown_bench(const char *name)
{
	const char *best = NULL;
	int bestd = 3;

	for (unsigned int i = 0; i < ut_bench_count; i++) {
		int d = ut_edit_distance(name, ut_benches[i].name);

		if (d < bestd) {
			bestd = d;
			best = ut_benches[i].name;
		}
	}
	if (best)
		return ut_usage_error("bench", "unknown benchmark '%s' (did you "
				      "mean '%s'?)", name, best);
	return ut_usage_error("bench", "unknown benchmark '%s' (see 'uring-tool "
			      "bench list')", name);
}

/* One error line and the exit status for a failed run. */
static int report_failure(const struct ut_bench *b,
			  const struct ut_bench_result *r)
{
	const char *step = r->failed_step ? r->failed_step : "run";
	int err = -r->err;
	char op[16];

	if (err == EOPNOTSUPP && !strcmp(step, "probe")) {
		ut_error("bench '%s': this kernel lacks IORING_OP_%s", b->name,
			 ut_abi_name(&ut_ops, b->required_op, op, sizeof(op)));
		return UT_EXIT_UNAVAILABLE;
	}
	if (err == EOPNOTSUPP && !strcmp(step, "send bundle")) {
		ut_error("bench '%s': send bundles need a 6.10+ kernel "
			 "(IORING_FEAT_RECVSEND_BUNDLE); try --send-op plain",
			 b->name);
		return UT_EXIT_UNAVAILABLE;
	}
	if (err == EOPNOTSUPP && !strcmp(step, "recv bundle")) {
		ut_error("bench '%s': recv bundles need a 6.10+ kernel "
			 "(IORING_FEAT_RECVSEND_BUNDLE); try --recv-op multishot",
			 b->name);
		return UT_EXIT_UNAVAILABLE;
	}
	if ((err == ENOSYS || err == EPERM) && !strcmp(step, "io_uring setup")) {
		ut_error("bench '%s': %s: %s (see 'uring-tool probe')", b->name,
			 step, strerror(err));
		return UT_EXIT_UNAVAILABLE;
	}
	if (err == ENOMEM)
		ut_error("bench '%s': %s: %s (raise the locked-memory limit: "
			 "ulimit -l)", b->name, step, strerror(err));
	else if (err == ECONNREFUSED || err == ECONNRESET || err == EPIPE)
		ut_error("bench '%s': %s: %s (the peer went away)", b->name, step,
			 strerror(err));
	else
		ut_error("bench '%s': %s: %s", b->name, step, strerror(err));
	return UT_EXIT_FAILURE;
}

/* A failed ut_bench_config_check(), naming the value that broke it. */
static int config_error(const struct ut_bench_config *c, const char *key,
			const char *why)
{
	uint64_t big = 0;

	if (!strcmp(key, "size")) {
		for (unsigned int i = 0; i < c->nr_sizes; i++)
			if (c->sizes[i] > big)
				big = c->sizes[i];
		return ut_usage_error("bench", "invalid --size '%llu': %s",
				      (unsigned long long)big, why);
	}
	if (!strcmp(key, "send-op"))
		return ut_usage_error("bench", "invalid --send-op '%s': %s",
				      ut_bench_send_op_name(c->send_op), why);
	if (!strcmp(key, "cpu"))
		return ut_usage_error("bench", "invalid --cpu '%d,%d': %s",
				      c->cpu_sender, c->cpu_receiver, why);
	return ut_usage_error("bench", "invalid --%s: %s", key, why);
}

/* An IPv6 address, maybe with a %scope (fe80::1%eth0). */
static bool ipv6_literal(const char *host, struct in6_addr *a6)
{
	char addr[INET6_ADDRSTRLEN];
	size_t n = strcspn(host, "%");

	if (n >= sizeof(addr))
		return false;
	/* a scope is an interface name or number: no port hides in it */
	if (host[n] == '%' && (!host[n + 1] || strpbrk(host + n + 1, ":[]")))
		return false;
	memcpy(addr, host, n);
	addr[n] = '\0';
	return inet_pton(AF_INET6, addr, a6) == 1;
}

/* HOST, HOST:PORT, [V6]:PORT or a bare IPv6 address. */
static int parse_connect(const char *arg, char *host, size_t len,
			 unsigned short *port)
{
	const char *colon = strrchr(arg, ':'), *h = arg, *p = NULL;
	size_t hl = strlen(arg);
	struct in6_addr a6;
	uint64_t v;

	if (arg[0] == '[') {
		const char *end = strchr(arg, ']');

		if (!end || (end[1] && end[1] != ':'))
			return ut_usage_error("bench", "invalid --connect '%s': "
					      "expected [ADDRESS]:PORT", arg);
		h = arg + 1;
		hl = (size_t)(end - h);
		p = end[1] ? end + 2 : NULL;
	} else if (colon && colon == strchr(arg, ':')) {
		hl = (size_t)(colon - arg);	/* one colon: HOST:PORT */
		p = colon + 1;
	}
	if (hl >= len)
		return ut_usage_error("bench", "invalid --connect '%s': the host "
				      "name is longer than %zu characters", arg,
				      len - 1);
	memcpy(host, h, hl);
	host[hl] = '\0';
	if (!hl || strpbrk(host, "[]"))
		return ut_usage_error("bench", "invalid --connect '%s': expected "
				      "HOST[:PORT], [IPV6]:PORT or IPV6", arg);
	/* more than one colon: only an IPv6 address has those (%scope aside) */
	if (strchr(host, ':') && !ipv6_literal(host, &a6))
		return ut_usage_error("bench", "invalid --connect '%s': '%s' is "
				      "not an IPv6 address (a port goes after "
				      "[ADDRESS]:)", arg, host);
	if (p) {
		if (ut_parse_uint(p, 1, 65535, &v))
			return ut_usage_error("bench", "invalid --connect '%s': the "
					      "port must be between 1 and 65535", arg);
		*port = (unsigned short)v;
	}
	return 0;
}

/* An address literal's family; -4/-6 against it is a usage error. */
static int literal_family(const char *arg, const char *host,
			  const struct remote_opts *ro, struct ut_bench_config *c)
{
	struct in_addr a4;
	int family = strchr(host, ':') ? AF_INET6 :
		     inet_pton(AF_INET, host, &a4) == 1 ? AF_INET : AF_UNSPEC;

	if (family == AF_UNSPEC)
		return 0;
	if (ro->family_set && c->family != family)
		return ut_usage_error("bench", "--connect '%s' is an IPv%c address, "
				      "but %s was given", arg,
				      family == AF_INET6 ? '6' : '4',
				      family == AF_INET6 ? "-4" : "-6");
	c->family = family;
	return 0;
}

/* One line for a failed two-host run: which host, which step. */
static int report_remote_failure(const struct ut_bench *b,
				 const struct ut_bench_result *r)
{
	const struct ut_bench_remote_info *in = r->remote;
	const char *step = r->failed_step ? r->failed_step : "run";
	int err = -r->err;
	char op[16];

	if (in->missing_op >= 0) {
		ut_error("bench '%s': server '%s' lacks IORING_OP_%s", b->name,
			 in->peer, ut_abi_name(&ut_ops, in->missing_op, op,
					       sizeof(op)));
		return UT_EXIT_UNAVAILABLE;
	}
	if ((err == ENOSYS || err == EPERM) &&
	    !strcmp(step, "server io_uring setup")) {
		ut_error("bench '%s': server '%s' cannot use io_uring: %s (see "
			 "'uring-tool probe' there)", b->name, in->peer,
			 strerror(err));
		return UT_EXIT_UNAVAILABLE;
	}
	if (!strcmp(step, "resolve")) {
		ut_error("bench '%s': resolve '%s': %s", b->name, in->peer, in->msg);
		return UT_EXIT_FAILURE;
	}
	if (in->msg[0]) {
		ut_error("bench '%s': %s '%s': %s", b->name, step, in->peer, in->msg);
		return UT_EXIT_FAILURE;
	}
	if (!strncmp(step, "server", 6) || !strcmp(step, "connect") ||
	    !strcmp(step, "data connection") || !strcmp(step, "control protocol")) {
		ut_error("bench '%s': %s '%s': %s", b->name, step, in->peer,
			 strerror(err));
		return UT_EXIT_FAILURE;
	}
	return report_failure(b, r);
}

/* `bench server`: serve clients one at a time until Ctrl-C (or --once). */
static int bench_server(struct ut_bench_config *base,
			const struct remote_opts *ro, bool json)
{
	struct sigaction sa, old_int, old_term;
	struct ut_bench_remote_info info;
	struct ut_bench_config cfg;
	struct ut_bench_result res;
	int family = ro->family_set ? base->family : 0;
	int lfd, cfd, ret = UT_EXIT_OK, err;
	char where[64], peer[64];

	lfd = ut_bench_server_listen(ro->bind, ro->port, family, where,
				     sizeof(where));
	if (lfd == -EINVAL)
		return ut_usage_error("bench", "invalid --bind '%s': expected a "
				      "numeric %saddress", ro->bind,
				      family == AF_INET ? "IPv4 " :
				      family == AF_INET6 ? "IPv6 " : "");
	if (lfd < 0) {
		ut_error("bench server: listen on '%s' port %u: %s",
			 ro->bind ? ro->bind : "*", ro->port, strerror(-lfd));
		return UT_EXIT_FAILURE;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	stop_flag = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	ut_status("bench server", "listening on %s", where);
	while (!stop_flag) {
		err = ut_bench_server_accept(lfd, &stop_flag, &cfd, peer, sizeof(peer));
		if (err == -EINTR)
			break;
		if (err) {
			ut_error("bench server: accept: %s", strerror(-err));
			ret = UT_EXIT_FAILURE;
			break;
		}
		ut_status("bench server", "client from %s", peer);
		memset(&info, 0, sizeof(info));
		snprintf(info.peer, sizeof(info.peer), "%s", peer);
		err = ut_bench_serve_client(cfd, &stop_flag, &cfg, &res, &info);
		if (json)
			ut_json_print(stdout, ut_bench_result_to_json(&cfg, &res));
		else if (res.nr_rows)
			ut_bench_render_table(stdout, &cfg, &res);
		fflush(stdout);
		if (err)
			ut_error("bench server: client '%s': %s: %s", peer,
				 res.failed_step ? res.failed_step : "run",
				 info.msg[0] ? info.msg : strerror(-err));
		else
			ut_status("bench server", "client %s done: %s, %u run%s%s", peer,
				      res.bench ? res.bench : "?", res.nr_rows,
				      res.nr_rows == 1 ? "" : "s",
				      res.interrupted ? " (interrupted)" : "");
		ut_bench_result_free(&res);
		if (ro->once) {
			ret = err ? UT_EXIT_FAILURE : UT_EXIT_OK;
			break;
		}
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	close(lfd);
	if (stop_flag)
		ret = UT_EXIT_INTERRUPTED;
	return ret;
}

int cmd_bench(int argc, char **argv)
{
	struct sigaction sa, old_int, old_term;
	struct ut_bench_config cfg;
	struct ut_bench_result res;
	const struct ut_bench *b;
	const char *key, *why;
	struct remote_opts ro = { .port = UT_BENCH_PORT };
	struct ut_bench_remote_info info;
	const struct ut_bench_option *o;
	struct cli_getopt g;
	char host[256];
	int c, ret, progress = -1;
	bool json = false, neg;
	const char *v;
	uint64_t pv;

	ut_bench_config_init(&cfg);
	build_getopt(&g);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, g.shortopts, g.longopts,
				NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			continue;
		case 'h':
			cmd_bench_usage(stdout);
			return UT_EXIT_OK;
		case OPT_PROGRESS:
			progress = 1;
			continue;
		case OPT_NO_PROGRESS:
			progress = 0;
			continue;
		case 'c':
			ro.connect = optarg;
			continue;
		case OPT_BIND:
			ro.bind = optarg;
			continue;
		case OPT_ONCE:
			ro.once = true;
			continue;
		case OPT_PORT:
			if (ut_parse_uint(optarg, 1, 65535, &pv))
				return ut_usage_error("bench", "invalid --port '%s': "
						      "must be between 1 and 65535",
						      optarg);
			ro.port = (unsigned short)pv;
			continue;
		case '4':
		case '6':
			ro.family_set = true;
			break;
		case ':':
		case '?':
			return ut_bad_option("bench", c, argv[optind - 1]);
		}
		/* the rest are the benchmark's: a flag means 1, --no-NAME 0 */
		o = bench_option(c, &neg);
		if (!o)
			return ut_bad_option("bench", '?', argv[optind - 1]);
		v = !o->flag ? optarg : neg ? "0" : "1";
		if (ut_bench_config_set(&cfg, o->name, v, &why))
			return ut_usage_error("bench", "invalid --%s '%s': %s",
					      o->name, v, why);
	}
	if (optind >= argc)
		return ut_usage_error("bench", "which benchmark? (see 'uring-tool "
				      "bench list')");
	if (optind + 1 < argc)
		return ut_usage_error("bench", "unexpected argument '%s'",
				      argv[optind + 1]);
	if (!strcmp(argv[optind], "server")) {
		if (ro.connect)
			return ut_usage_error("bench", "'server' takes no --connect");
		return bench_server(&cfg, &ro, json);
	}
	if (ro.bind || ro.once)
		return ut_usage_error("bench", "--%s is for 'bench server'",
				      ro.bind ? "bind" : "once");
	if (ro.connect) {
		ret = parse_connect(ro.connect, host, sizeof(host), &ro.port);
		if (ret)
			return ret;
	}
	if (!strcmp(argv[optind], "list")) {
		ut_bench_render_list(stdout);
		return UT_EXIT_OK;
	}
	b = ut_bench_find(argv[optind]);
	if (!b)
		return unknown_bench(argv[optind]);
	/* an address literal says the family, as it will once resolved */
	if (ro.connect && (ret = literal_family(ro.connect, host, &ro, &cfg)))
		return ret;
	if (ut_bench_config_check(b, &cfg, &key, &why))
		return config_error(&cfg, key, why);
	if (progress < 0)
		progress = isatty(STDERR_FILENO);
	if (progress) {
		cfg.progress = ut_bench_render_progress;
		cfg.progress_arg = NULL;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: waits see EINTR */
	sigemptyset(&sa.sa_mask);
	stop_flag = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	if (ro.connect)
		ret = ut_bench_run_remote(b, &cfg, host, ro.port, !ro.family_set,
					  &res, &stop_flag, &info);
	else
		ret = ut_bench_run(b, &cfg, &res, &stop_flag);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);

	if (json)
		ut_json_print(stdout, ut_bench_result_to_json(&cfg, &res));
	else if (res.nr_rows)
		ut_bench_render_table(stdout, &cfg, &res);
	if (ret && res.remote)
		ret = report_remote_failure(b, &res);
	else if (ret)
		ret = report_failure(b, &res);
	else if (res.interrupted)
		ret = UT_EXIT_INTERRUPTED;
	else
		ret = UT_EXIT_OK;
	ut_bench_result_free(&res);
	return ret;
}
