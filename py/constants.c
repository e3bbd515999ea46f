// SPDX-License-Identifier: MIT
/* Module constants and the ABI name tables of core/abi.h. */
#include "uring_py.h"

#include "abi.h"

#include <linux/io_uring.h>

static const struct ut_table *const tables[] = {
	&ut_ops, &ut_setup_flags, &ut_features, &ut_register_ops,
	&ut_enter_flags, &ut_sqe_flags, &ut_cqe_flags,
};

/* table kind -> module attribute holding its {value: name} dict */
static const char *const table_attrs[] = {
	"OPS", "SETUP_FLAGS", "FEATURES", "REGISTER_OPS", "ENTER_FLAGS",
	"SQE_FLAGS", "CQE_FLAGS",
};

static bool is_bit_table(const struct ut_table *t)
{
	return t != &ut_ops && t != &ut_register_ops;
}

static int add_u64(PyObject *m, const char *name, unsigned long long v)
{
	PyObject *o = PyLong_FromUnsignedLongLong(v);
	int ret;

	if (!o)
		return -1;
	ret = PyModule_AddObjectRef(m, name, o);
	Py_DECREF(o);
	return ret;
}

/*
 * Every name in every table becomes a constant (IORING_OP_NOP,
 * IORING_SETUP_SQPOLL, IOSQE_IO_LINK ...): flag tables as bit values.
 * The same tables as {value: name} dicts, e.g. uring.OPS[47] == 'SEND_ZC'.
 */
int ut_tables_add(PyObject *m)
{
	char name[96];

	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		const struct ut_table *t = tables[i];
		PyObject *d = PyDict_New();

		if (!d)
			return -1;
		for (size_t j = 0; j < t->len; j++) {
			const struct ut_name *e = &t->items[j];
			unsigned long long v = is_bit_table(t) ?
				1ull << e->number : e->number;
			PyObject *k = PyLong_FromUnsignedLongLong(v);
			PyObject *n = PyUnicode_FromString(e->name);

			if (!k || !n || PyDict_SetItem(d, k, n) < 0) {
				Py_XDECREF(k);
				Py_XDECREF(n);
				Py_DECREF(d);
				return -1;
			}
			Py_DECREF(k);
			Py_DECREF(n);
			snprintf(name, sizeof(name), "%s%s", t->prefix, e->name);
			if (add_u64(m, name, v) < 0) {
				Py_DECREF(d);
				return -1;
			}
		}
		if (PyModule_AddObject(m, table_attrs[i], d) < 0) {
			Py_DECREF(d);
			return -1;
		}
	}
	return 0;
}

#define C(name, value) { name, value }
static const struct {
	const char *name;
	unsigned long long value;
} extra[] = {
	C("IORING_SEND_ZC_REPORT_USAGE", UT_SEND_ZC_REPORT_USAGE),
	C("IORING_NOTIF_USAGE_ZC_COPIED", UT_NOTIF_USAGE_ZC_COPIED),
	C("IORING_RECVSEND_POLL_FIRST", IORING_RECVSEND_POLL_FIRST),
	C("IORING_RECV_MULTISHOT", IORING_RECV_MULTISHOT),
	C("IORING_ACCEPT_MULTISHOT", 1u << 0),
	C("IORING_ASYNC_CANCEL_ALL", 1u << 0),
	C("IORING_ASYNC_CANCEL_FD", 1u << 1),
	C("IORING_ASYNC_CANCEL_ANY", 1u << 2),
	C("AT_FDCWD", (unsigned long long)(long long)-100),
};

int ut_constants_add(PyObject *m)
{
	for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++) {
		if (!strcmp(extra[i].name, "AT_FDCWD")) {
			if (PyModule_AddIntConstant(m, "AT_FDCWD", -100) < 0)
				return -1;
			continue;
		}
		if (add_u64(m, extra[i].name, extra[i].value) < 0)
			return -1;
	}
	for (int k = 0; k < UT_K_COUNT; k++) {
		char name[64];

		snprintf(name, sizeof(name), "COMPLETION_KIND_%s", ut_kind_names[k]);
		if (PyModule_AddIntConstant(m, name, k) < 0)
			return -1;
	}
	return ut_tables_add(m);
}
