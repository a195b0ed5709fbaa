/*
 * tmpl_parse.c - turns template source into the flat node array of
 * tmpl_internal.h. All syntax checking happens here, once, at start-up, so
 * that a broken template stops the server with "file:line: what" instead of
 * producing a half-rendered page later.
 */
#include <stdarg.h>

#include "tmpl_internal.h"

struct open_section {
	uint32_t node;
	const char *name;
	size_t name_len;
	unsigned line;
};

struct parser {
	struct tmpl *t;
	const char *src;
	size_t len;
	unsigned line;
	struct buf pool;
	size_t nodes_cap;
	size_t keys_cap;
	/* Nodes before this index may not absorb more text (see add_text). */
	uint32_t merge_from;
	struct open_section open[TMPL_MAX_NESTING];
	int depth;
	char *err;
	size_t err_len;
};

void tmpl_errorf(char *err, size_t err_len, const char *fmt, ...)
{
	va_list ap;

	if (!err || !err_len)
		return;
	va_start(ap, fmt);
	/* Truncation is fine: a cut message still names the file and line. */
	if (vsnprintf(err, err_len, fmt, ap) < 0)
		err[0] = '\0';
	va_end(ap);
}

static int fail(struct parser *p, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct parser *p, unsigned line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		msg[0] = '\0';
	va_end(ap);
	tmpl_errorf(p->err, p->err_len, "%s:%u: %s", p->t->name, line, msg);
	return -1;
}

static unsigned count_lines(const char *s, size_t len)
{
	unsigned n = 0;
	const char *end = s + len;

	while ((s = memchr(s, '\n', (size_t)(end - s))) != NULL) {
		n++;
		s++;
	}
	return n;
}

static struct tmpl_node *new_node(struct parser *p, enum tmpl_node_kind kind)
{
	struct tmpl *t = p->t;

	if (t->n_nodes == p->nodes_cap) {
		p->nodes_cap = p->nodes_cap ? st_mult(p->nodes_cap, 2) : 16;
		t->nodes = xrealloc(t->nodes, st_mult(p->nodes_cap, sizeof(*t->nodes)));
	}
	struct tmpl_node *n = &t->nodes[t->n_nodes++];
	*n = (struct tmpl_node){ .kind = (uint8_t)kind };
	return n;
}

static void add_text(struct parser *p, const char *s, size_t len)
{
	struct tmpl *t = p->t;

	if (!len)
		return;
	/*
	 * Text separated only by a comment is contiguous in the pool, so it
	 * becomes one node and renders with one copy. A close tag adds no node
	 * and no pool bytes, so merge_from stops text after {{/x}} from joining
	 * the last node of the body.
	 */
	if (t->n_nodes > p->merge_from) {
		struct tmpl_node *last = &t->nodes[t->n_nodes - 1];
		if (last->kind == TN_TEXT && last->a + last->b == p->pool.len) {
			buf_add(&p->pool, s, len);
			last->b += (uint32_t)len;
			return;
		}
	}
	struct tmpl_node *n = new_node(p, TN_TEXT);
	n->a = (uint32_t)p->pool.len;
	n->b = (uint32_t)len;
	buf_add(&p->pool, s, len);
}

static uint32_t add_key(struct parser *p, const char *s, size_t len)
{
	struct tmpl *t = p->t;

	if (t->n_keys == p->keys_cap) {
		p->keys_cap = p->keys_cap ? st_mult(p->keys_cap, 2) : 8;
		t->keys = xrealloc(t->keys, st_mult(p->keys_cap, sizeof(*t->keys)));
	}
	t->keys[t->n_keys] = (uint32_t)p->pool.len;
	buf_add(&p->pool, s, len);
	buf_addch(&p->pool, '\0');
	return t->n_keys++;
}

static bool is_name_char(char c, bool partial)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '-' || (partial && c == '/');
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * Checks the characters of a tag name. Partial names may also hold '/', as
 * they are template paths ("productos/fila.html"); data names never do.
 */
static int check_name(struct parser *p, unsigned line, const char *s, size_t len, bool partial)
{
	if (!len)
		return fail(p, line, "empty name in tag");
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_name_char((char)c, partial))
			continue;
		/* Do not echo control bytes or UTF-8 fragments into a log line. */
		if (c >= 0x20 && c < 0x7f)
			return fail(p, line, "invalid character '%c' in tag name", c);
		return fail(p, line, "invalid byte 0x%02x in tag name", c);
	}
	return 0;
}

/*
 * Splits a dotted name into keys. "." alone is the current element and has
 * no keys; otherwise every segment must be non-empty ("a..b", ".a" and "a."
 * are typos, not paths).
 */
static int add_name(struct parser *p, unsigned line, struct tmpl_node *n, const char *s,
		    size_t len)
{
	if (len == 1 && s[0] == '.') {
		n->a = p->t->n_keys;
		n->b = 0;
		return 0;
	}
	if (s[0] == '.' || s[len - 1] == '.' || memmem(s, len, "..", 2))
		return fail(p, line, "empty segment in dotted name '%.*s'", (int)len, s);

	/* Keys of one name are appended consecutively, so keep only the first. */
	uint32_t first = p->t->n_keys, count = 0;
	const char *end = s + len;
	while (s < end) {
		const char *dot = memchr(s, '.', (size_t)(end - s));
		const char *seg_end = dot ? dot : end;
		add_key(p, s, (size_t)(seg_end - s));
		count++;
		s = dot ? dot + 1 : end;
	}
	n->a = first;
	n->b = count;
	return 0;
}

static int parse_tag(struct parser *p, unsigned line, const char *c, size_t clen, bool triple)
{
	char sigil = 0;

	/* c[0] != 0 as strchr would also "find" the terminator. */
	if (!triple && clen && c[0] && strchr("#^/>!", c[0])) {
		sigil = c[0];
		c++;
		clen--;
	}
	if (sigil == '!')
		return 0;
	while (clen && is_space(c[0])) {
		c++;
		clen--;
	}
	while (clen && is_space(c[clen - 1]))
		clen--;
	if (check_name(p, line, c, clen, sigil == '>') < 0)
		return -1;

	if (sigil == '>') {
		struct tmpl_node *n = new_node(p, TN_PARTIAL);
		n->a = (uint32_t)p->pool.len;
		n->b = (uint32_t)clen;
		n->c = tmpl_hash(c, clen);
		buf_add(&p->pool, c, clen);
		buf_addch(&p->pool, '\0');
		return 0;
	}

	if (sigil == '/') {
		if (p->depth == 0)
			return fail(p, line, "{{/%.*s}} closes no open section", (int)clen, c);
		struct open_section *o = &p->open[p->depth - 1];
		if (o->name_len != clen || memcmp(o->name, c, clen) != 0)
			return fail(p, line, "{{/%.*s}} does not match {{%c%.*s}} opened at line %u",
				    (int)clen, c, p->t->nodes[o->node].kind == TN_SECTION ? '#' : '^',
				    (int)o->name_len, o->name, o->line);
		p->t->nodes[o->node].c = p->t->n_nodes;
		p->merge_from = p->t->n_nodes;
		p->depth--;
		return 0;
	}

	if (sigil == '#' || sigil == '^') {
		if (p->depth == TMPL_MAX_NESTING)
			return fail(p, line, "sections nested deeper than %d", TMPL_MAX_NESTING);
		uint32_t idx = p->t->n_nodes;
		struct tmpl_node *n = new_node(p, sigil == '#' ? TN_SECTION : TN_INVERTED);
		if (add_name(p, line, n, c, clen) < 0)
			return -1;
		p->open[p->depth++] = (struct open_section){ idx, c, clen, line };
		return 0;
	}

	struct tmpl_node *n = new_node(p, triple ? TN_RAW : TN_VAR);
	return add_name(p, line, n, c, clen);
}

static int parse(struct parser *p)
{
	const char *s = p->src, *end = p->src + p->len;

	while (s < end) {
		const char *tag = memmem(s, (size_t)(end - s), "{{", 2);
		if (!tag) {
			add_text(p, s, (size_t)(end - s));
			break;
		}
		add_text(p, s, (size_t)(tag - s));
		p->line += count_lines(s, (size_t)(tag - s));

		bool triple = end - tag > 2 && tag[2] == '{';
		const char *c = tag + (triple ? 3 : 2);
		const char *close = memmem(c, (size_t)(end - c), triple ? "}}}" : "}}", triple ? 3 : 2);
		if (!close)
			return fail(p, p->line, "unclosed tag %s", triple ? "{{{" : "{{");
		unsigned line = p->line;
		size_t clen = (size_t)(close - c);
		if (parse_tag(p, line, c, clen, triple) < 0)
			return -1;
		p->line += count_lines(c, clen);
		s = close + (triple ? 3 : 2);
	}
	if (p->depth) {
		struct open_section *o = &p->open[p->depth - 1];
		return fail(p, o->line, "unclosed section {{%c%.*s}}",
			    p->t->nodes[o->node].kind == TN_SECTION ? '#' : '^', (int)o->name_len,
			    o->name);
	}
	return 0;
}

int tmpl_parse(struct tmpl *t, const char *src, size_t len, char *err, size_t err_len)
{
	struct parser p = {
		.t = t,
		.src = src,
		.len = len,
		.line = 1,
		.pool = BUF_INIT,
		.err = err,
		.err_len = err_len,
	};

	if (len > TMPL_MAX_SIZE) {
		tmpl_errorf(err, err_len, "%s: template larger than %zu bytes", t->name,
			    TMPL_MAX_SIZE);
		return -1;
	}
	int rc = parse(&p);
	/* Detach even on error so the caller frees everything the same way. */
	t->pool = buf_detach(&p.pool, NULL);
	return rc;
}
