/* SPDX-License-Identifier: MIT */
/* Renderers of a probe report other than JSON (which the core builds). */
#ifndef UT_PROBE_RENDER_H
#define UT_PROBE_RENDER_H

#include <stdio.h>

struct ut_probe_report;
struct ut_req_result;

void ut_render_text(FILE *f, const struct ut_probe_report *r,
		    const struct ut_req_result *req, int nreq);
void ut_render_shell(FILE *f, const struct ut_probe_report *r,
		     const struct ut_req_result *req, int nreq);
void ut_render_c(FILE *f, const struct ut_probe_report *r);

#endif
