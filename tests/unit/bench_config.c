// SPDX-License-Identifier: MIT
/*
 * core/bench.c and bench_options.c: the registry, and the one option table
 * the parser, the two-host echo, the JSON config and the CLI share.
 */
#include "bench.h"
#include "ut_test.h"

#include <errno.h>
#include <json-c/json.h>
#include <stddef.h>
#include <sys/socket.h>

static int set(struct ut_bench_config *c, const char *k, const char *v)
{
	const char *why = NULL;
	int ret = ut_bench_config_set(c, k, v, &why);

	if (ret && !why)
		T_FAIL("%s=%s failed without a reason", k, v);
	return ret;
}

/* Every row well formed: unique, in the names' order, a field it can set. */
static void check_table(void)
{
	unsigned int n = 0;

	while (ut_bench_option_names[n])
		n++;
	CHECK_INT(ut_bench_nr_options, n);
	CHECK(n <= UT_BENCH_MAX_OPTIONS);
	for (unsigned int i = 0; i < ut_bench_nr_options; i++) {
		const struct ut_bench_option *o = &ut_bench_options[i];
		char no[64];

		CHECK_STR(o->name, ut_bench_option_names[i]);
		CHECK(ut_bench_option_find(o->name) == o);
		for (unsigned int j = 0; j < i; j++)
			CHECK(!o->letter || o->letter != ut_bench_options[j].letter);
		if (o->negation) {
			snprintf(no, sizeof(no), "no-%s", o->name);
			CHECK_STR(o->negation, no);
			CHECK(o->flag && o->kind == UT_OPT_BOOL);
		}
		if (o->kind == UT_OPT_CUSTOM) {
			CHECK(o->set && !o->json_key);
			continue;
		}
		CHECK(o->size == 1 || o->size == 4 || o->size == 8);
		CHECK(o->offset + o->size <= offsetof(struct ut_bench_config, progress));
		CHECK(o->json_key != NULL);
		if (o->kind == UT_OPT_COUNT || o->kind == UT_OPT_BYTES ||
		    o->kind == UT_OPT_ENUM)
			CHECK(o->why != NULL);
		if (o->kind == UT_OPT_ENUM)
			CHECK(o->names && o->nr_names >= 2);
		if (o->kind == UT_OPT_DURATION || o->kind == UT_OPT_BYTES)
			CHECK_INT(o->size, 8);
	}
	CHECK(!ut_bench_option_find("no-fixed-buffers"));
}

/*
 * The echo is protocol version 1's hello options and the JSON config is
 * `bench --json`'s: both exactly as they were; the echo reads back as is.
 */
static void check_echo(void)
{
	static const char echo[] = "{\"size\":\"1460\",\"time\":\"1.500000000\","
		"\"warmup\":\"0.500000000\",\"interval\":\"1.000000000\","
		"\"proto\":\"udp\",\"ipv6\":\"1\",\"flows\":\"1\",\"depth\":\"8\","
		"\"batch\":\"0\",\"fixed-buffers\":\"1\",\"fixed-files\":\"0\","
		"\"defer-taskrun\":\"1\",\"sqpoll\":\"0\",\"compare\":\"0\","
		"\"engine\":\"uring\",\"receiver\":\"copy\",\"recv-op\":\"auto\","
		"\"send-op\":\"bundle\",\"cpu\":\"0,1\",\"sockbuf\":\"0\","
		"\"rcvlowat\":\"524288\"}";
	static const char config[] = "{\"sizes_bytes\":[1460],"
		"\"time_ns\":1500000000,\"warmup_ns\":500000000,"
		"\"interval_ns\":1000000000,\"proto\":\"udp\",\"family\":\"ipv6\","
		"\"flows\":1,\"depth\":8,\"batch\":0,\"fixed_buffers\":true,"
		"\"fixed_files\":false,\"defer_taskrun\":true,\"sqpoll\":false,"
		"\"compare\":false,\"engine\":\"uring\",\"receiver\":\"copy\","
		"\"recv_op\":\"auto\",\"send_op\":\"bundle\",\"cpu_sender\":0,"
		"\"cpu_receiver\":1,\"sockbuf_bytes\":0,\"rcvlowat_bytes\":524288}";
	struct ut_bench_config c, back;
	struct ut_bench_result r = { 0 };
	struct json_object *opts, *doc, *cfg, *again;
	const char *why;

	ut_bench_config_init(&c);
	CHECK_INT(ut_bench_config_set(&c, "proto", "udp", &why), 0);
	CHECK_INT(ut_bench_config_set(&c, "ipv6", "1", &why), 0);
	CHECK_INT(ut_bench_config_set(&c, "cpu", "0,1", &why), 0);
	CHECK_INT(ut_bench_config_set(&c, "send-op", "bundle", &why), 0);
	CHECK_INT(ut_bench_config_set(&c, "time", "1.5", &why), 0);
	CHECK_INT(ut_bench_config_set(&c, "fixed-files", "no", &why), 0);
	opts = ut_bench_config_to_options(&c);
	CHECK_STR(json_object_to_json_string_ext(opts, JSON_C_TO_STRING_PLAIN),
		  echo);
	doc = ut_bench_result_to_json(&c, &r);
	CHECK(json_object_object_get_ex(doc, "config", &cfg));
	CHECK_STR(json_object_to_json_string_ext(cfg, JSON_C_TO_STRING_PLAIN), config);

	ut_bench_config_init(&back);
	json_object_object_foreach(opts, k, v)
		CHECK_INT(ut_bench_config_set(&back, k, json_object_get_string(v),
					      &why), 0);
	again = ut_bench_config_to_options(&back);
	CHECK_STR(json_object_to_json_string(again), json_object_to_json_string(opts));
	json_object_put(again);
	json_object_put(opts);
	json_object_put(doc);

	/* not pinned: no "cpu" at all, as the peer's default */
	ut_bench_config_init(&c);
	opts = ut_bench_config_to_options(&c);
	CHECK(!json_object_object_get_ex(opts, "cpu", NULL));
	CHECK(!json_object_object_get_ex(opts, "ipv4", NULL));
	json_object_put(opts);
}

int main(void)
{
	struct ut_bench_config c;
	const char *key, *why;

	/* the registry: sorted, unique, with the opcodes they need */
	CHECK_INT(ut_bench_count, 4);
	for (unsigned int i = 1; i < ut_bench_count; i++)
		CHECK(strcmp(ut_benches[i - 1].name, ut_benches[i].name) < 0);
	CHECK(ut_bench_find("send") && ut_bench_find("send")->required_op == 26);
	CHECK(ut_bench_find("sendzc") && ut_bench_find("sendzc")->required_op == 47);
	CHECK(ut_bench_find("sendzc")->zerocopy);
	CHECK(ut_bench_find("sendmsg_zc") &&
	      ut_bench_find("sendmsg_zc")->required_op == 48 &&
	      ut_bench_find("sendmsg_zc")->zerocopy);
	CHECK(ut_bench_find("recv") && ut_bench_find("recv")->receiver_under_test);
	CHECK(!ut_bench_find("Send"));
	CHECK(!ut_bench_find(""));

	ut_bench_config_init(&c);
	CHECK_INT(c.nr_sizes, 1);
	CHECK_U64(c.sizes[0], 65536);
	CHECK_INT(c.family, AF_INET);
	CHECK_INT(c.engine, UT_ENGINE_URING);
	CHECK_INT(c.receiver, UT_RECV_COPY);
	CHECK_INT(c.cpu_sender, -1);
	CHECK(c.fixed_buffers && c.fixed_files && c.defer_taskrun && !c.sqpoll);

	/* every documented option name is a key the parser knows */
	for (unsigned int i = 0; ut_bench_option_names[i]; i++) {
		const char *w = NULL;

		CHECK(ut_bench_config_set(&c, ut_bench_option_names[i], "",
					  &w) != -ENOENT);
	}
	ut_bench_config_init(&c);
	CHECK_INT(set(&c, "nosuch", "1"), -ENOENT);

	CHECK_INT(set(&c, "size", "4K,64KiB,1M"), 0);
	CHECK_INT(c.nr_sizes, 3);
	CHECK_U64(c.sizes[1], 65536);
	CHECK_U64(c.sizes[2], 1048576);
	CHECK_INT(set(&c, "size", "0"), -ERANGE);
	CHECK_INT(set(&c, "size", "-1"), -EINVAL);
	CHECK_INT(set(&c, "size", "junk"), -EINVAL);
	CHECK_INT(set(&c, "size", "65M"), -ERANGE);
	CHECK_INT(set(&c, "size", "4K,,8K"), -EINVAL);
	CHECK_INT(set(&c, "size", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17"), -ERANGE);
	CHECK_INT(c.nr_sizes, 3);	/* a failed set leaves the config alone */

	CHECK_INT(set(&c, "time", "250ms"), 0);
	CHECK_U64(c.time_ns, 250000000ull);
	CHECK_INT(set(&c, "time", "0"), -ERANGE);
	CHECK_INT(set(&c, "warmup", "0"), 0);
	CHECK_INT(set(&c, "interval", "1x"), -EINVAL);

	CHECK_INT(set(&c, "flows", "64"), 0);
	CHECK_INT(set(&c, "flows", "65"), -ERANGE);
	CHECK_INT(set(&c, "depth", "0"), -ERANGE);
	CHECK_INT(set(&c, "batch", "0"), 0);

	CHECK_INT(set(&c, "fixed-buffers", "false"), 0);
	CHECK(!c.fixed_buffers);
	CHECK_INT(set(&c, "fixed-buffers", "1"), 0);
	CHECK(c.fixed_buffers);
	CHECK_INT(set(&c, "fixed-buffers", "maybe"), -EINVAL);
	CHECK_INT(set(&c, "ipv6", "yes"), 0);
	CHECK_INT(c.family, AF_INET6);
	CHECK_INT(set(&c, "ipv4", "true"), 0);
	CHECK_INT(c.family, AF_INET);

	CHECK_INT(set(&c, "engine", "syscall"), 0);
	CHECK_INT(c.engine, UT_ENGINE_SYSCALL);
	CHECK_INT(set(&c, "engine", "epoll"), -EINVAL);
	CHECK_INT(set(&c, "receiver", "discard"), 0);
	CHECK_INT(c.receiver, UT_RECV_DISCARD);
	CHECK_INT(set(&c, "recv-op", "bundle"), 0);
	CHECK_INT(c.recv_op, UT_RECVOP_BUNDLE);
	CHECK_STR(ut_bench_recv_op_name(c.recv_op), "bundle");
	CHECK_INT(c.send_op, UT_SENDOP_PLAIN);
	CHECK_INT(set(&c, "send-op", "bundle"), 0);
	CHECK_INT(c.send_op, UT_SENDOP_BUNDLE);
	CHECK_STR(ut_bench_send_op_name(c.send_op), "bundle");
	CHECK_INT(set(&c, "send-op", "many"), -EINVAL);
	CHECK_INT(c.send_op, UT_SENDOP_BUNDLE);
	c.send_op = UT_SENDOP_PLAIN;

	CHECK_INT(set(&c, "cpu", "1,0"), 0);
	CHECK_INT(c.cpu_sender, 1);
	CHECK_INT(c.cpu_receiver, 0);
	CHECK_INT(set(&c, "cpu", "3"), 0);
	CHECK_INT(c.cpu_receiver, 3);
	CHECK_INT(set(&c, "cpu", "1,2,3"), -EINVAL);
	CHECK_INT(set(&c, "sockbuf", "4M"), 0);
	CHECK_U64(c.sockbuf, 4u << 20);
	CHECK_INT(set(&c, "sockbuf", "2G"), -ERANGE);
	CHECK_INT((int)c.rcvlowat, 512 << 10);
	CHECK_INT(set(&c, "rcvlowat", "0"), 0);
	CHECK_INT((int)c.rcvlowat, 0);
	CHECK_INT(set(&c, "rcvlowat", "64K"), 0);
	CHECK_INT((int)c.rcvlowat, 64 << 10);
	CHECK_INT(set(&c, "rcvlowat", "2G"), -ERANGE);
	CHECK_INT(set(&c, "rcvlowat", "-1"), -EINVAL);
	CHECK_INT(set(&c, "proto", "sctp"), -EINVAL);
	CHECK_INT(set(&c, "ipv6", "maybe"), -EINVAL);
	CHECK_INT(set(&c, "time", NULL), -EINVAL);

	check_table();
	check_echo();

	/* UDP limits are checked across options */
	ut_bench_config_init(&c);
	CHECK_INT(set(&c, "proto", "udp"), 0);
	CHECK_INT(set(&c, "size", "65507"), 0);
	CHECK_INT(ut_bench_config_check(NULL, &c, &key, &why), 0);
	CHECK_INT(set(&c, "size", "65508"), 0);
	CHECK_INT(ut_bench_config_check(NULL, &c, &key, &why), -ERANGE);
	CHECK_STR(key, "size");
	CHECK_CONTAINS(why, "65507");
	CHECK_INT(set(&c, "ipv6", "1"), 0);
	CHECK_INT(ut_bench_config_check(NULL, &c, &key, &why), 0);
	CHECK_INT(set(&c, "size", "65528"), 0);
	CHECK_INT(ut_bench_config_check(NULL, &c, &key, &why), -ERANGE);
	CHECK_CONTAINS(why, "65527");

	/* the protocol picks the default size until one is given */
	ut_bench_config_init(&c);
	CHECK_U64(c.sizes[0], 65536);
	CHECK_INT(set(&c, "proto", "udp"), 0);
	CHECK_U64(c.sizes[0], 1460);
	CHECK_INT(set(&c, "proto", "tcp"), 0);
	CHECK_U64(c.sizes[0], 65536);
	CHECK_INT(set(&c, "size", "4K"), 0);
	CHECK_INT(set(&c, "proto", "udp"), 0);
	CHECK_U64(c.sizes[0], 4096);

	/* send bundles: TCP only, and not for the zero-copy benchmarks */
	ut_bench_config_init(&c);
	CHECK_INT(set(&c, "send-op", "bundle"), 0);
	CHECK_INT(ut_bench_config_check(ut_bench_find("send"), &c, &key, &why), 0);
	CHECK_INT(ut_bench_config_check(ut_bench_find("recv"), &c, &key, &why), 0);
	CHECK_INT(ut_bench_config_check(ut_bench_find("sendzc"), &c, &key, &why),
		  -EINVAL);
	CHECK_STR(key, "send-op");
	CHECK_INT(set(&c, "proto", "udp"), 0);
	CHECK_INT(ut_bench_config_check(NULL, &c, &key, &why), -EINVAL);
	CHECK_CONTAINS(why, "TCP only");
	return t_done("bench_config");
}
