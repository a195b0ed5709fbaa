/*
 * common.h - the few definitions every file of Inventario uses: standard
 * headers, the str slice, xmalloc-style allocation that never returns NULL,
 * overflow-checked size arithmetic and the banned-function list.
 */
#ifndef COMMON_H
#define COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define UNUSED(x) ((void)(x))

/* A view into bytes owned by someone else (request, arena, literal). */
typedef struct {
	const char *ptr;
	size_t len;
} str;

#define STR(lit) ((str){ (lit), sizeof(lit) - 1 })
#define STR_NULL ((str){ NULL, 0 })

static inline str str_from(const char *s)
{
	return (str){ s, s ? strlen(s) : 0 };
}

static inline bool str_eq(str a, str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static inline bool str_eq_lit(str a, const char *lit)
{
	return str_eq(a, str_from(lit));
}

bool str_case_eq(str a, str b);
bool str_starts_with(str s, const char *prefix);
str str_trim(str s);

/*
 * Parses a base-10 integer in [min, max]. Returns 0 and sets *out, or -1 on
 * anything else (empty, sign only, junk after the digits, out of range).
 */
int str_to_i64(str s, int64_t min, int64_t max, int64_t *out);

/* Allocation that aborts with a message instead of returning NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrndup(const char *s, size_t len);
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* a + b and a * b for sizes, aborting on overflow. */
size_t st_add(size_t a, size_t b);
size_t st_mult(size_t a, size_t b);

/* snprintf that reports truncation as -1 instead of a length to check. */
int xsnprintf(char *dst, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#include "banned.h"

#endif
