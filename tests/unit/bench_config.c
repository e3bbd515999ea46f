// SPDX-License-Identifier: MIT
/* core/bench.c: the registry and the one option parser CLI and Python share. */
#include "bench.h"
#include "ut_test.h"

#include <errno.h>
#include <sys/socket.h>

static int set(struct ut_bench_config *c, const char *k, const char *v)
{
	const char *why = NULL;
	int ret = ut_bench_config_set(c, k, v, &why);

	if (ret && !why)
		T_FAIL("%s=%s failed without a reason", k, v);
	return ret;
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
