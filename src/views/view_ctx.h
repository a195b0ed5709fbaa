/*
 * view_ctx.h - helpers that fill a template's (or a JSON answer's) context:
 * text that never turns into a missing key, money and counts already
 * formatted as es-CO strings (templates print integers as bare decimals),
 * and the shop's local date and time as pages show it.
 */
#ifndef VIEW_CTX_H
#define VIEW_CTX_H

#include <jansson.h>

#include "../core/common.h"

/* Never NULL: text that is not valid UTF-8 (jansson refuses it) becomes "". */
json_t *ctx_str(const char *s);
json_t *ctx_strn(str s);

/* obj[key] = text; NULL or invalid UTF-8 is stored as "". */
void ctx_set_str(json_t *obj, const char *key, const char *value);
void ctx_set_strn(json_t *obj, const char *key, str value);
void ctx_set_int(json_t *obj, const char *key, int64_t n);
void ctx_set_bool(json_t *obj, const char *key, bool v);
/* "$ 1.500" (or "$ 1.500,50" with decimals = 2), see money_format. */
void ctx_set_money(json_t *obj, const char *key, int64_t cents, int decimals);
/* A count with thousands dots, "5.000". */
void ctx_set_int_es(json_t *obj, const char *key, int64_t n);

/*
 * at (unix seconds) as "YYYY-MM-DD HH:MM" in the shop's TIME_ZONE (the
 * process TZ). On failure writes "" and returns false, so each caller can
 * show its own placeholder.
 */
bool local_datetime_format(int64_t at, char *out, size_t out_size);

#endif
