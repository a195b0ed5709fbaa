/*
 * arena.c - chunked bump allocator with a size cap and a cleanup list.
 * Chunks grow geometrically so a typical request needs one or two mallocs.
 */
#include <stdarg.h>

#include "arena.h"

#define ARENA_FIRST_CHUNK 8192
#define ARENA_ALIGN 16

struct arena_chunk {
	struct arena_chunk *next;
	size_t size;
	size_t used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

struct arena_cleanup {
	struct arena_cleanup *next;
	void (*fn)(void *);
	void *data;
};

void arena_init(struct arena *a, size_t max_bytes)
{
	memset(a, 0, sizeof(*a));
	a->max_bytes = max_bytes;
}

void arena_release(struct arena *a)
{
	while (a->cleanups) {
		struct arena_cleanup *c = a->cleanups;
		a->cleanups = c->next;
		c->fn(c->data);
	}
	while (a->chunks) {
		struct arena_chunk *c = a->chunks;
		a->chunks = c->next;
		free(c);
	}
	a->used_bytes = 0;
}

void *arena_alloc(struct arena *a, size_t len)
{
	size_t need = (len + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);

	if (len > a->max_bytes || a->used_bytes > a->max_bytes - need) {
		a->exhausted = true;
		return NULL;
	}
	struct arena_chunk *c = a->chunks;
	if (!c || c->size - c->used < need) {
		size_t size = c ? c->size * 2 : ARENA_FIRST_CHUNK;
		if (size < need)
			size = need;
		c = xmalloc(st_add(sizeof(*c), size));
		c->size = size;
		c->used = 0;
		c->next = a->chunks;
		a->chunks = c;
	}
	void *p = c->data + c->used;
	c->used += need;
	a->used_bytes += need;
	memset(p, 0, len);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
	if (len == SIZE_MAX)
		return NULL;
	char *p = arena_alloc(a, len + 1);
	if (!p)
		return NULL;
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	if ((size_t)n < sizeof(small)) {
		memcpy(p, small, (size_t)n + 1);
	} else {
		va_start(ap, fmt);
		vsnprintf(p, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	return p;
}

int arena_on_release(struct arena *a, void (*fn)(void *), void *data)
{
	struct arena_cleanup *c = arena_alloc(a, sizeof(*c));
	if (!c)
		return -1;
	c->fn = fn;
	c->data = data;
	c->next = a->cleanups;
	a->cleanups = c;
	return 0;
}
