/*
 * tmpl_internal.h - the compiled form of a template, shared by the parser
 * (tmpl_parse.c), the set and loader (tmpl.c) and the renderer
 * (tmpl_render.c). Templates are parsed once into a flat node array so that
 * rendering walks memory linearly and never looks at the source again.
 */
#ifndef TMPL_INTERNAL_H
#define TMPL_INTERNAL_H

#include "tmpl.h"

/* Every offset below is a uint32_t, which this cap keeps far from overflow. */
#define TMPL_MAX_SIZE ((size_t)1 << 20)
/* Sections open at once inside one template. */
#define TMPL_MAX_NESTING 64
/* Partials inside partials; deeper than this is almost surely self-recursion. */
#define TMPL_MAX_PARTIAL_DEPTH 16
/*
 * Node visits per render. Mustache sections nest multiplicatively, so a
 * template bug (or hostile data size) can turn one render into hours of
 * work; a budget this size is far beyond any real page.
 */
#define TMPL_DEFAULT_MAX_STEPS ((size_t)1 << 26)

enum tmpl_node_kind {
	TN_TEXT,     /* a = pool offset, b = length */
	TN_VAR,      /* a = first key index, b = key count (0 means {{.}}) */
	TN_RAW,      /* as TN_VAR, printed without escaping */
	TN_SECTION,  /* as TN_VAR; c = index of the first node after the body */
	TN_INVERTED, /* as TN_SECTION */
	TN_PARTIAL,  /* a = pool offset of the name, b = its length, c = its hash */
};

/*
 * A section's body is simply the nodes that follow it up to c, so there is
 * no close node and no child pointers: 16 bytes per node, one array.
 */
struct tmpl_node {
	uint8_t kind;
	uint32_t a;
	uint32_t b;
	uint32_t c;
};

struct tmpl {
	char *name;
	size_t name_len;
	uint32_t hash;
	/* Text and names, each name segment NUL-terminated for json_object_get. */
	char *pool;
	struct tmpl_node *nodes;
	uint32_t n_nodes;
	/* Pool offsets of name segments; a dotted name uses consecutive entries. */
	uint32_t *keys;
	uint32_t n_keys;
};

struct tmpl_set {
	struct tmpl **v;
	size_t n;
	size_t cap;
	/* Open addressing over v: slot holds index + 1, 0 is empty; power of 2. */
	uint32_t *slots;
	size_t n_slots;
	size_t max_steps;
};

uint32_t tmpl_hash(const char *s, size_t len);
const struct tmpl *tmpl_find(const struct tmpl_set *set, const char *name, size_t len,
			     uint32_t hash);

/* Fills t->pool/nodes/keys from src; t->name must be set (messages use it). */
int tmpl_parse(struct tmpl *t, const char *src, size_t len, char *err, size_t err_len);

/* Writes "what" into err (if there is room), tolerating a NULL err. */
void tmpl_errorf(char *err, size_t err_len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
