/*
 * view_ctx.c - context-filling helpers shared by the views (see
 * view_ctx.h). They exist so no page can drop a key on odd text or show a
 * raw integer where the es-CO formatting belongs.
 */
#include <time.h>

#include "view_ctx.h"

#include "../domain/dashboard.h"
#include "../domain/money.h"

json_t *ctx_str(const char *s)
{
	json_t *v = json_string(s ? s : "");
	return v ? v : json_string("");
}

json_t *ctx_strn(str s)
{
	json_t *v = json_stringn(s.ptr ? s.ptr : "", s.len);
	return v ? v : json_string("");
}

void ctx_set_str(json_t *obj, const char *key, const char *value)
{
	json_object_set_new(obj, key, ctx_str(value));
}

void ctx_set_strn(json_t *obj, const char *key, str value)
{
	json_object_set_new(obj, key, ctx_strn(value));
}

void ctx_set_int(json_t *obj, const char *key, int64_t n)
{
	json_object_set_new(obj, key, json_integer((json_int_t)n));
}

void ctx_set_bool(json_t *obj, const char *key, bool v)
{
	json_object_set_new(obj, key, json_boolean(v));
}

void ctx_set_money(json_t *obj, const char *key, int64_t cents, int decimals)
{
	char text[48];
	money_format(cents, decimals, text, sizeof(text));
	ctx_set_str(obj, key, text);
}

void ctx_set_int_es(json_t *obj, const char *key, int64_t n)
{
	char text[32];
	int_es_format(n, text, sizeof(text));
	ctx_set_str(obj, key, text);
}

bool local_datetime_format(int64_t at, char *out, size_t out_size)
{
	time_t t = (time_t)at;
	struct tm tm;
	if (out_size == 0)
		return false;
	if (!localtime_r(&t, &tm) || strftime(out, out_size, "%Y-%m-%d %H:%M", &tm) == 0) {
		out[0] = '\0';
		return false;
	}
	return true;
}
