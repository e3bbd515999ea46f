/* SPDX-License-Identifier: MIT */
/* json-c helpers shared by the probe and bench documents. */
#ifndef UT_JSON_UTIL_H
#define UT_JSON_UTIL_H

#include <stdint.h>

struct json_object;
struct ut_table;

/* The names of the bits set in bits, from table t ("BIT<n>" when unknown). */
struct json_object *ut_json_flag_names(const struct ut_table *t, uint64_t bits);
/* s as a JSON string; null for NULL. */
struct json_object *ut_json_str_or_null(const char *s);
/* A positive errno as its symbolic name ("EINVAL"); null for 0. */
struct json_object *ut_json_errno(int err);

#endif
