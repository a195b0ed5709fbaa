/*
 * fuzz_tmpl.c - libFuzzer target for the template engine: the input is a
 * template source. Parsing must never crash; when it parses, rendering it
 * against fixed data (with a self-including partial "p" to hit the depth
 * limit) must not crash either, and data must never come out unescaped.
 */
#include <jansson.h>

#include "tmpl/tmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Renders unconditionally into itself: any use must stop at depth 16. */
static const char partial_p[] = "p({{name}}{{#kids}}{{>p}}{{/kids}}{{>p}})";
/* Recursion bounded by the data's tree, so it also renders successfully. */
static const char partial_q[] = "<q>{{name}}{{#kids}}[{{>q}}]{{/kids}}</q>";

/* Every "kids" is explicit, as a leaf without one would see its parent's. */
static const char fixed_json[] =
	"{\"name\": \"ra\\u00edz\", \"n\": 42, \"neg\": -9, \"zero\": 0,"
	" \"t\": true, \"f\": false, \"nul\": null, \"r\": 1.5,"
	" \"evil\": \"\\u0001<script>\\u0001&\\\"'\", \"empty\": \"\", \"none\": [],"
	" \"obj\": {}, \"list\": [1, \"dos\", true, null, [3, 4], {\"k\": \"v\"}],"
	" \"a\": {\"b\": {\"c\": \"abc\", \"l\": [{\"x\": 1}, {\"x\": \"<2>\"}]}},"
	" \"kids\": [{\"name\": \"k1\", \"kids\": [{\"name\": \"k11\","
	" \"kids\": [{\"name\": \"k111\", \"kids\": []}]}, {\"name\": \"k12\", \"kids\": []}]},"
	" {\"name\": \"k2\", \"kids\": []}]}";

/* Built once; rendering only reads it. */
static json_t *fixed_data(void)
{
	static json_t *root;
	if (!root && !(root = json_loads(fixed_json, 0, NULL)))
		abort();
	return root;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	struct tmpl_set *set = tmpl_set_new();
	/* Keep each input cheap: nested sections multiply work. */
	tmpl_set_max_steps(set, 20000);

	if (tmpl_add(set, "t", (const char *)data, size, err, sizeof(err)) == 0) {
		if (tmpl_add(set, "p", partial_p, sizeof(partial_p) - 1, err, sizeof(err)) != 0 ||
		    tmpl_add(set, "q", partial_q, sizeof(partial_q) - 1, err, sizeof(err)) != 0)
			abort();
		struct buf out = BUF_INIT;
		int rc = tmpl_render(set, "t", fixed_data(), &out);
		if (rc != 0 && out.len != 0)
			abort(); /* a failed render must leave nothing behind */
		if (out.ptr[out.len] != '\0')
			abort();
		/*
		 * 0x01 occurs only in the data's "evil" string unless the input
		 * has it; without raw tags its '<' must have been escaped.
		 */
		if (rc == 0 && !memchr(data, 0x01, size) && !memmem(data, size, "{{{", 3) &&
		    memmem(out.ptr, out.len, "\x01<", 2))
			abort();
		buf_release(&out);
	} else if (!memchr(err, '\0', sizeof(err)) || !err[0]) {
		abort(); /* every parse error must come with a message */
	}
	tmpl_set_free(set);
	return 0;
}
