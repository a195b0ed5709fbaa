/*
 * buf.h - a growable byte buffer for building output (pages, JSON, SQL-free
 * text). Invariants, as git's strbuf: after buf_init, ptr is never NULL and
 * ptr[len] is always '\0'; memory leaves the buffer only through buf_detach.
 * Growth uses xrealloc, so appending never fails.
 */
#ifndef BUF_H
#define BUF_H

#include "common.h"

struct buf {
	char *ptr;
	size_t len;
	size_t cap;
};

extern char buf_empty[];
#define BUF_INIT { buf_empty, 0, 0 }

void buf_init(struct buf *b);
void buf_release(struct buf *b);
void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *data, size_t len);
void buf_adds(struct buf *b, const char *s);
void buf_addch(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);

/* HTML-escapes & < > " ' (and nothing else) while appending. */
void buf_add_html(struct buf *b, const char *s, size_t len);

/* Gives the caller the malloc'd bytes (free with free()); b is re-initialised. */
char *buf_detach(struct buf *b, size_t *len);

#endif
