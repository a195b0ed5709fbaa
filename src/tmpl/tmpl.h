/*
 * tmpl.h - a small mustache-like template engine with escaping by default.
 * Templates are loaded once at start-up; rendering reads a jansson value
 * tree as its data and appends to a buf.
 *
 * Syntax:
 *   {{name}}  {{a.b.c}}   value, HTML-escaped (& < > " ')
 *   {{{name}}}            raw output: rare, only for trusted markup (SVG we built)
 *   {{#name}}..{{/name}}  section: for arrays once per element (the element
 *                         becomes the top of the context), for objects once
 *                         with the object pushed, for true/non-empty scalars once
 *   {{^name}}..{{/name}}  inverted: when missing, false, null, "", 0 or []
 *   {{> partial}}         another loaded template, same context
 *   {{! comment }}
 *   {{.}}                 the current element
 * Name lookup walks the context stack from innermost to outermost.
 * Integers print in decimal, true as "true", null/false as nothing.
 */
#ifndef TMPL_H
#define TMPL_H

#include <jansson.h>

#include "../core/buf.h"

struct tmpl_set;

/* Parses every *.html under dir (names are paths relative to dir, e.g.
 * "productos/lista.html"). NULL with a message in err on a syntax error. */
struct tmpl_set *tmpl_load_dir(const char *dir, char *err, size_t err_len);

/* Adds one template from memory (tests, fuzzing). -1 with err on a syntax error. */
int tmpl_add(struct tmpl_set *set, const char *name, const char *src, size_t len,
	     char *err, size_t err_len);
struct tmpl_set *tmpl_set_new(void);
void tmpl_set_free(struct tmpl_set *set);

/* Renders template name with data into out. -1 when the name is unknown or
 * partials nest deeper than 16. */
int tmpl_render(const struct tmpl_set *set, const char *name, json_t *data, struct buf *out);

/* Also -1: a partial that names no template (tmpl_load_dir already refuses
 * those), or a render needing more than max_steps node visits (default 2^26,
 * a guard against multiplicative section nesting). On -1, out is restored to
 * its length before the call. tmpl_load_dir and tmpl_add refuse sources over
 * 1 MiB; reals in data render as nothing and count as false in sections. */
void tmpl_set_max_steps(struct tmpl_set *set, size_t max_steps);

#endif
