/*
 * arena.h - per-request memory. Everything a request needs is bump-allocated
 * from one arena created when the request starts and destroyed when its
 * response has been sent; nothing is freed one by one. Cleanups registered
 * on the arena (statement resets, json trees, temp files) run, newest first,
 * before the memory goes.
 *
 * The arena has a cap: past it arena_alloc returns NULL and sets
 * arena->exhausted, and the HTTP layer answers 413/500 instead of letting
 * one request take the process's memory.
 */
#ifndef ARENA_H
#define ARENA_H

#include "common.h"

struct arena_chunk;
struct arena_cleanup;

struct arena {
	struct arena_chunk *chunks;
	struct arena_cleanup *cleanups;
	size_t used_bytes;
	size_t max_bytes;
	bool exhausted;
};

/* Sets up an arena that may hand out at most max_bytes in total. */
void arena_init(struct arena *a, size_t max_bytes);

/* Runs the cleanups and frees every chunk; the arena can be reused after arena_init. */
void arena_release(struct arena *a);

/* Zeroed, 16-byte aligned memory, or NULL once the cap is reached. */
void *arena_alloc(struct arena *a, size_t len);

/* A NUL-terminated copy of len bytes, or NULL past the cap. */
char *arena_strndup(struct arena *a, const char *s, size_t len);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Registers fn(data) to run at arena_release. Returns -1 past the cap. */
int arena_on_release(struct arena *a, void (*fn)(void *), void *data);

#endif
