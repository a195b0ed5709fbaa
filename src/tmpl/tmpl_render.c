/*
 * tmpl_render.c - walks a parsed template's node array against a jansson
 * tree. This is the hot path of every page, so it allocates nothing but the
 * output's growth: the context stack is a chain of frames on the C stack.
 */
#include "tmpl_internal.h"

/* One level of the context stack; up is the enclosing level, NULL at the root. */
struct frame {
	json_t *v;
	const struct frame *up;
};

struct render {
	const struct tmpl_set *set;
	struct buf *out;
	size_t steps_left;
};

/*
 * Resolves a (possibly dotted) name. Only the first segment searches the
 * stack outwards; the rest must be inside what it found, so "a.b" never
 * picks up an unrelated outer "b" when this "a" lacks one.
 */
static json_t *lookup(const struct tmpl *t, const struct tmpl_node *n, const struct frame *f)
{
	if (n->b == 0)
		return f->v;

	const uint32_t *key = &t->keys[n->a];
	json_t *v = NULL;
	for (; f; f = f->up) {
		if (json_is_object(f->v) && (v = json_object_get(f->v, t->pool + key[0])) != NULL)
			break;
	}
	for (uint32_t i = 1; v && i < n->b; i++)
		v = json_is_object(v) ? json_object_get(v, t->pool + key[i]) : NULL;
	return v;
}

/*
 * Whether a section renders. Reals count as missing, as they also print as
 * nothing: money and quantities are integers in this product, and a real
 * in the data is a bug we would rather not half-display.
 */
static bool truthy(const json_t *v)
{
	if (!v)
		return false;
	switch (json_typeof(v)) {
	case JSON_OBJECT:
	case JSON_TRUE:
		return true;
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	case JSON_STRING:
		return json_string_length(v) > 0;
	case JSON_INTEGER:
		return json_integer_value(v) != 0;
	default:
		return false;
	}
}

static void put_int(struct buf *out, json_int_t v)
{
	char tmp[24];
	size_t i = sizeof(tmp);
	/* Negate in unsigned arithmetic so the most negative value is fine. */
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	do {
		tmp[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		tmp[--i] = '-';
	buf_add(out, tmp + i, sizeof(tmp) - i);
}

static void put_value(struct buf *out, const json_t *v, bool escape)
{
	if (!v)
		return;
	switch (json_typeof(v)) {
	case JSON_STRING:
		if (escape)
			buf_add_html(out, json_string_value(v), json_string_length(v));
		else
			buf_add(out, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		put_int(out, json_integer_value(v));
		break;
	case JSON_TRUE:
		buf_add(out, "true", 4);
		break;
	default:
		/* null, false, real, and containers print nothing. */
		break;
	}
}

static int render_range(struct render *r, const struct tmpl *t, uint32_t i, uint32_t end,
			const struct frame *f, int depth);

static int render_partial(struct render *r, const struct tmpl *t, const struct tmpl_node *n,
			  const struct frame *f, int depth)
{
	if (depth >= TMPL_MAX_PARTIAL_DEPTH)
		return -1;
	const struct tmpl *p = tmpl_find(r->set, t->pool + n->a, n->b, n->c);
	/* tmpl_load_dir checks references; this only catches tmpl_add users. */
	if (!p)
		return -1;
	return render_range(r, p, 0, p->n_nodes, f, depth + 1);
}

static int render_section(struct render *r, const struct tmpl *t, uint32_t i,
			  const struct frame *f, int depth)
{
	const struct tmpl_node *n = &t->nodes[i];
	json_t *v = lookup(t, n, f);

	if (n->kind == TN_INVERTED)
		return truthy(v) ? 0 : render_range(r, t, i + 1, n->c, f, depth);
	if (!truthy(v))
		return 0;
	if (json_is_array(v)) {
		size_t k;
		json_t *e;
		json_array_foreach(v, k, e) {
			/* Empty bodies still cost a step, or nesting them would be free. */
			if (r->steps_left == 0)
				return -1;
			r->steps_left--;
			struct frame inner = { e, f };
			if (render_range(r, t, i + 1, n->c, &inner, depth) < 0)
				return -1;
		}
		return 0;
	}
	/* Objects and scalars alike are pushed, so {{.}} inside prints a scalar. */
	struct frame inner = { v, f };
	return render_range(r, t, i + 1, n->c, &inner, depth);
}

static int render_range(struct render *r, const struct tmpl *t, uint32_t i, uint32_t end,
			const struct frame *f, int depth)
{
	while (i < end) {
		const struct tmpl_node *n = &t->nodes[i];
		if (r->steps_left == 0)
			return -1;
		r->steps_left--;
		switch ((enum tmpl_node_kind)n->kind) {
		case TN_TEXT:
			buf_add(r->out, t->pool + n->a, n->b);
			i++;
			break;
		case TN_VAR:
		case TN_RAW:
			put_value(r->out, lookup(t, n, f), n->kind == TN_VAR);
			i++;
			break;
		case TN_SECTION:
		case TN_INVERTED:
			if (render_section(r, t, i, f, depth) < 0)
				return -1;
			i = n->c;
			break;
		case TN_PARTIAL:
			if (render_partial(r, t, n, f, depth) < 0)
				return -1;
			i++;
			break;
		default:
			return -1; /* cannot happen; never loop on a bad node */
		}
	}
	return 0;
}

int tmpl_render(const struct tmpl_set *set, const char *name, json_t *data, struct buf *out)
{
	if (!set || !name || !out)
		return -1;
	size_t len = strlen(name);
	const struct tmpl *t = tmpl_find(set, name, len, tmpl_hash(name, len));
	if (!t)
		return -1;

	struct render r = { set, out, set->max_steps };
	struct frame root = { data, NULL };
	size_t start = out->len;
	if (render_range(&r, t, 0, t->n_nodes, &root, 0) < 0) {
		/* Drop the partial page so no caller can send half of it. */
		out->len = start;
		if (out->cap)
			out->ptr[start] = '\0';
		return -1;
	}
	return 0;
}
