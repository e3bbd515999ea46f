// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
#include "json_util.h"

#include "abi.h"

#include <json-c/json.h>
#include <string.h>

struct json_object *ut_json_flag_names(const struct ut_table *t, uint64_t bits)
{
	struct json_object *a = json_object_new_array();
	char buf[24];

	for (unsigned int b = 0; b < 64; b++)
		if (bits & (1ull << b))
			json_object_array_add(a, json_object_new_string(
				ut_abi_name(t, b, buf, sizeof(buf))));
	return a;
}

struct json_object *ut_json_str_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

struct json_object *ut_json_errno(int err)
{
	const char *n;

	if (!err)
		return NULL;
	n = strerrorname_np(err);
	return n ? json_object_new_string(n) : json_object_new_int(err);
}
