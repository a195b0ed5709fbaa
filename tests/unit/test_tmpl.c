/*
 * test_tmpl.c - unit tests for the template engine: escaping, sections,
 * lookup rules, partials and every parse error, with exact expected output
 * so that a whitespace or escaping change cannot slip through unnoticed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "tmpl/tmpl.h"

/* Renders src (as template "t") with data given as JSON text; NULL on -1. */
static char *render_src(const char *src, const char *json)
{
	char err[256] = "";
	struct tmpl_set *set = tmpl_set_new();
	int rc = tmpl_add(set, "t", src, strlen(src), err, sizeof(err));
	if (rc != 0)
		fail_msg("parse failed: %s", err);
	json_error_t jerr;
	json_t *data = json_loads(json, JSON_DECODE_ANY, &jerr);
	if (!data)
		fail_msg("bad test JSON: %s", jerr.text);
	struct buf out = BUF_INIT;
	char *res = NULL;
	if (tmpl_render(set, "t", data, &out) == 0)
		res = buf_detach(&out, NULL);
	buf_release(&out);
	json_decref(data);
	tmpl_set_free(set);
	return res;
}

static void check(const char *src, const char *json, const char *want)
{
	char *got = render_src(src, json);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/* Parses src as "t.html" and expects failure with msg inside the error. */
static void check_parse_error(const char *src, size_t len, const char *msg)
{
	char err[256];
	memset(err, 'x', sizeof(err));
	err[sizeof(err) - 1] = '\0';
	struct tmpl_set *set = tmpl_set_new();
	int rc = tmpl_add(set, "t.html", src, len, err, sizeof(err));
	if (rc != -1)
		fail_msg("expected a parse error for [%s]", src);
	if (!strstr(err, msg))
		fail_msg("error for [%s] is [%s], wanted [%s]", src, err, msg);
	/* A failed add leaves nothing behind under that name. */
	struct buf out = BUF_INIT;
	assert_int_equal(tmpl_render(set, "t.html", NULL, &out), -1);
	buf_release(&out);
	tmpl_set_free(set);
}

static void test_escapes_all_five(void **state)
{
	(void)state;
	check("[{{s}}]", "{\"s\": \"a&b<c>d\\\"e'f\"}", "[a&amp;b&lt;c&gt;d&quot;e&#x27;f]");
	check("{{s}}", "{\"s\": \"&&<<\"}", "&amp;&amp;&lt;&lt;");
}

static void test_script_never_raw(void **state)
{
	(void)state;
	char *got = render_src("<p>{{s}}</p><a title=\"{{s}}\">{{#l}}{{.}}{{/l}}</a>",
			       "{\"s\": \"<script>alert('x')</script>\","
			       " \"l\": [\"<script>\", \"</script>\"]}");
	assert_non_null(got);
	assert_null(strstr(got, "<script"));
	assert_null(strstr(got, "</script"));
	assert_string_equal(got, "<p>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;</p>"
				 "<a title=\"&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;\">"
				 "&lt;script&gt;&lt;/script&gt;</a>");
	free(got);
}

static void test_raw_triple(void **state)
{
	(void)state;
	check("{{{svg}}}|{{svg}}", "{\"svg\": \"<svg a='1'>&</svg>\"}",
	      "<svg a='1'>&</svg>|&lt;svg a=&#x27;1&#x27;&gt;&amp;&lt;/svg&gt;");
	check("{{{ n }}}{{{b}}}{{{missing}}}", "{\"n\": 5, \"b\": true}", "5true");
}

static void test_nested_sections_outer_lookup(void **state)
{
	(void)state;
	const char *src = "{{#cats}}<h2>{{name}}</h2>"
			  "{{#items}}<li>{{n}}@{{shop}}/{{name}}</li>{{/items}}"
			  "{{^items}}<p>vacío</p>{{/items}}{{/cats}}";
	const char *data = "{\"shop\": \"Tienda\", \"cats\": ["
			   "{\"name\": \"A\", \"items\": [{\"n\": \"x\"}, {\"n\": \"y\", \"name\": \"Y\"}]},"
			   "{\"name\": \"B\", \"items\": []}]}";
	check(src, data,
	      "<h2>A</h2><li>x@Tienda/A</li><li>y@Tienda/Y</li><h2>B</h2><p>vacío</p>");
}

static void test_section_values(void **state)
{
	(void)state;
	/* Objects render once with the object pushed; scalars once, as {{.}}. */
	check("{{#o}}{{k}}{{/o}}", "{\"o\": {\"k\": \"v\"}}", "v");
	check("{{#o}}x{{/o}}", "{\"o\": {}}", "x");
	check("{{#s}}[{{.}}]{{/s}}", "{\"s\": \"hola\"}", "[hola]");
	check("{{#n}}[{{.}}]{{/n}}", "{\"n\": 7}", "[7]");
	check("{{#t}}[{{.}}|{{k}}]{{/t}}", "{\"t\": true, \"k\": 1}", "[true|1]");
	const char *falsy[] = { "{}", "{\"v\": false}", "{\"v\": null}", "{\"v\": []}",
				"{\"v\": \"\"}", "{\"v\": 0}", "{\"v\": 1.5}" };
	for (size_t i = 0; i < sizeof(falsy) / sizeof(falsy[0]); i++)
		check("a{{#v}}X{{/v}}b", falsy[i], "ab");
}

static void test_inverted(void **state)
{
	(void)state;
	const char *src = "<{{^v}}none{{/v}}>";
	const char *fires[] = { "{}", "{\"v\": false}", "{\"v\": null}", "{\"v\": []}",
				"{\"v\": \"\"}", "{\"v\": 0}", "{\"v\": 2.5}" };
	for (size_t i = 0; i < sizeof(fires) / sizeof(fires[0]); i++)
		check(src, fires[i], "<none>");
	const char *silent[] = { "{\"v\": true}", "{\"v\": 1}", "{\"v\": -1}", "{\"v\": \"x\"}",
				 "{\"v\": [0]}", "{\"v\": {}}" };
	for (size_t i = 0; i < sizeof(silent) / sizeof(silent[0]); i++)
		check(src, silent[i], "<>");
	/* Inverted does not push: names still resolve as outside. */
	check("{{^v}}{{k}}{{/v}}", "{\"k\": \"out\"}", "out");
}

static void test_dotted_names(void **state)
{
	(void)state;
	const char *data = "{\"a\": {\"b\": {\"c\": \"deep\", \"n\": 3}}, \"x\": {\"y\": \"<\"}}";
	check("{{a.b.c}}|{{a.b.n}}|{{{x.y}}}|{{x.y}}", data, "deep|3|<|&lt;");
	check("[{{a.z.c}}][{{a.b.c.d}}][{{q.r}}]", data, "[][][]");
	check("{{#a.b}}{{c}}{{/a.b}}", data, "deep");
	/* First segment found on the stack; the rest from outer x. */
	check("{{#a}}{{x.y}}{{b.c}}{{/a}}", data, "&lt;deep");
	/* "b" is found in the inner object, so a missing "c" there does not fall
	 * back to the outer b.c. */
	check("{{#a}}[{{b.c}}]{{/a}}", "{\"b\": {\"c\": \"outer\"}, \"a\": {\"b\": {}}}", "[]");
}

static void test_integers_and_literals(void **state)
{
	(void)state;
	check("{{z}} {{p}} {{n}} {{max}} {{min}}",
	      "{\"z\": 0, \"p\": 42, \"n\": -7, \"max\": 9223372036854775807,"
	      " \"min\": -9223372036854775808}",
	      "0 42 -7 9223372036854775807 -9223372036854775808");
	check("[{{t}}][{{f}}][{{nul}}][{{missing}}][{{r}}][{{o}}][{{l}}]",
	      "{\"t\": true, \"f\": false, \"nul\": null, \"r\": 3.25, \"o\": {\"a\": 1},"
	      " \"l\": [1]}",
	      "[true][][][][][][]");
}

static void test_dot(void **state)
{
	(void)state;
	check("{{#l}}{{.}},{{/l}}", "{\"l\": [\"a\", 1, true, null, false, \"<\"]}",
	      "a,1,true,,,&lt;,");
	check("{{#l}}{{#.}}({{.}}){{/.}}{{/l}}", "{\"l\": [[1, 2], [3]]}", "(1)(2)(3)");
	check("[{{.}}]", "\"top\"", "[top]");
	check("[{{.}}]", "{\"a\": 1}", "[]");
}

static void test_comments_and_text(void **state)
{
	(void)state;
	check("a{{! hola }}b{{!\nvarias\nlíneas {{ }\n}}c", "{}", "abc");
	check("  {{#l}}\n  <li>{{.}}</li>\n  {{/l}}\n", "{\"l\": [1, 2]}",
	      "  \n  <li>1</li>\n  \n  <li>2</li>\n  \n");
	check("a { b } }} c {x} {", "{}", "a { b } }} c {x} {");
	check("", "{}", "");
}

static void test_partials(void **state)
{
	(void)state;
	char err[256] = "";
	struct tmpl_set *set = tmpl_set_new();
	/* The referring template may be added before its partial. */
	const char *lista = "<ul>{{#items}}{{> productos/fila.html}}{{/items}}</ul>{{>pie}}";
	const char *fila = "<li>{{n}} ({{tienda}})</li>";
	const char *pie = "<footer>{{tienda}}</footer>";
	assert_int_equal(tmpl_add(set, "lista", lista, strlen(lista), err, sizeof(err)), 0);
	assert_int_equal(tmpl_add(set, "productos/fila.html", fila, strlen(fila), err, sizeof(err)), 0);
	assert_int_equal(tmpl_add(set, "pie", pie, strlen(pie), err, sizeof(err)), 0);
	json_t *data = json_pack("{s:s, s:[{s:s}, {s:s}]}", "tienda", "T&C", "items", "n", "a", "n",
				 "<b>");
	struct buf out = BUF_INIT;
	buf_adds(&out, "prefix:");
	assert_int_equal(tmpl_render(set, "lista", data, &out), 0);
	assert_string_equal(out.ptr, "prefix:<ul><li>a (T&amp;C)</li><li>&lt;b&gt; (T&amp;C)</li></ul>"
				     "<footer>T&amp;C</footer>");
	/* Same name twice is refused rather than shadowing. */
	assert_int_equal(tmpl_add(set, "pie", "x", 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "pie"));
	buf_release(&out);
	json_decref(data);
	tmpl_set_free(set);
}

static void test_missing_partial_fails(void **state)
{
	(void)state;
	char err[256] = "";
	struct tmpl_set *set = tmpl_set_new();
	assert_int_equal(tmpl_add(set, "t", "a{{>nope}}b", 11, err, sizeof(err)), 0);
	struct buf out = BUF_INIT;
	buf_adds(&out, "keep");
	assert_int_equal(tmpl_render(set, "t", NULL, &out), -1);
	assert_string_equal(out.ptr, "keep");
	buf_release(&out);
	tmpl_set_free(set);
}

static void test_partial_recursion_limit(void **state)
{
	(void)state;
	char err[256] = "";
	struct tmpl_set *set = tmpl_set_new();
	const char *p = "x{{>p}}";
	assert_int_equal(tmpl_add(set, "p", p, strlen(p), err, sizeof(err)), 0);
	struct buf out = BUF_INIT;
	buf_adds(&out, "keep");
	assert_int_equal(tmpl_render(set, "p", NULL, &out), -1);
	assert_string_equal(out.ptr, "keep");
	assert_int_equal(out.len, 4);

	/* A chain of exactly 16 nested partials is fine; 17 is not. */
	char name[16], src[32];
	for (int i = 0; i <= 17; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		if (i < 17)
			snprintf(src, sizeof(src), "%d{{>c%d}}", i, i + 1);
		else
			snprintf(src, sizeof(src), "end");
		assert_int_equal(tmpl_add(set, name, src, strlen(src), err, sizeof(err)), 0);
	}
	buf_reset(&out);
	assert_int_equal(tmpl_render(set, "c1", NULL, &out), 0);
	assert_string_equal(out.ptr, "12345678910111213141516end");
	buf_reset(&out);
	assert_int_equal(tmpl_render(set, "c0", NULL, &out), -1);
	assert_int_equal(out.len, 0);
	buf_release(&out);
	tmpl_set_free(set);
}

static void test_unknown_template(void **state)
{
	(void)state;
	struct tmpl_set *set = tmpl_set_new();
	struct buf out = BUF_INIT;
	assert_int_equal(tmpl_render(set, "nada.html", NULL, &out), -1);
	char err[64];
	assert_int_equal(tmpl_add(set, "algo.html", "x", 1, err, sizeof(err)), 0);
	assert_int_equal(tmpl_render(set, "nada.html", NULL, &out), -1);
	assert_int_equal(tmpl_render(set, "algo.html", NULL, &out), 0);
	assert_string_equal(out.ptr, "x");
	buf_release(&out);
	tmpl_set_free(set);
}

static void test_step_budget(void **state)
{
	(void)state;
	char err[64];
	struct tmpl_set *set = tmpl_set_new();
	const char *src = "{{#l}}{{#l}}{{#l}}{{.}}{{/l}}{{/l}}{{/l}}";
	assert_int_equal(tmpl_add(set, "t", src, strlen(src), err, sizeof(err)), 0);
	json_t *data = json_pack("{s:[i,i,i,i,i,i,i,i,i,i]}", "l", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
	struct buf out = BUF_INIT;
	assert_int_equal(tmpl_render(set, "t", data, &out), 0);
	assert_int_equal(out.len, 1000);
	tmpl_set_max_steps(set, 500);
	buf_reset(&out);
	assert_int_equal(tmpl_render(set, "t", data, &out), -1);
	assert_int_equal(out.len, 0);
	buf_release(&out);
	json_decref(data);
	tmpl_set_free(set);
}

static void test_parse_errors(void **state)
{
	(void)state;
	static const struct {
		const char *src;
		const char *msg;
	} cases[] = {
		{ "ab{{name", "t.html:1: unclosed tag {{" },
		{ "a\n{{{name}}", "t.html:2: unclosed tag {{{" },
		{ "{{! no end", "t.html:1: unclosed tag {{" },
		{ "x\n{{#a}}\n{{#b}}{{/b}}", "t.html:2: unclosed section {{#a}}" },
		{ "{{^a}}", "t.html:1: unclosed section {{^a}}" },
		{ "{{#a}}\n\n{{/b}}", "t.html:3: {{/b}} does not match {{#a}} opened at line 1" },
		{ "{{#a}}{{#b}}{{/a}}{{/b}}", "{{/a}} does not match {{#b}}" },
		{ "{{^a}}{{/b}}", "{{/b}} does not match {{^a}} opened at line 1" },
		{ "x{{/a}}", "t.html:1: {{/a}} closes no open section" },
		{ "{{}}", "t.html:1: empty name in tag" },
		{ "{{  }}", "empty name in tag" },
		{ "{{{}}}", "empty name in tag" },
		{ "{{#}}{{/}}", "empty name in tag" },
		{ "{{^ }}", "empty name in tag" },
		{ "{{/}}", "empty name in tag" },
		{ "{{>}}", "empty name in tag" },
		{ "{{a b}}", "invalid character ' ' in tag name" },
		{ "{{a<b}}", "invalid character '<' in tag name" },
		{ "{{&a}}", "invalid character '&' in tag name" },
		{ "{{=<% %>=}}", "invalid character '=' in tag name" },
		{ "{{a/b}}", "invalid character '/' in tag name" },
		{ "{{{#a}}}", "invalid character '#' in tag name" },
		{ "{{>a b}}", "invalid character ' ' in tag name" },
		{ "{{caf\xc3\xa9}}", "invalid byte 0xc3 in tag name" },
		{ "{{a..b}}", "empty segment in dotted name 'a..b'" },
		{ "{{.a}}", "empty segment" },
		{ "{{#a.}}{{/a.}}", "empty segment" },
		{ "\n\n\n{{a\tb}}", "t.html:4: invalid byte 0x09 in tag name" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_parse_error(cases[i].src, strlen(cases[i].src), cases[i].msg);

	/* A NUL inside a tag is neither a sigil nor a name character. */
	check_parse_error("{{\0a}}", 6, "invalid byte 0x00 in tag name");
}

static void test_nesting_limit(void **state)
{
	(void)state;
	struct buf src = BUF_INIT;
	for (int i = 0; i < 64; i++)
		buf_adds(&src, "{{#a}}");
	for (int i = 0; i < 64; i++)
		buf_adds(&src, "{{/a}}");
	char err[256];
	struct tmpl_set *set = tmpl_set_new();
	assert_int_equal(tmpl_add(set, "ok", src.ptr, src.len, err, sizeof(err)), 0);
	tmpl_set_free(set);

	buf_reset(&src);
	for (int i = 0; i < 65; i++)
		buf_adds(&src, "{{#a}}\n");
	for (int i = 0; i < 65; i++)
		buf_adds(&src, "{{/a}}");
	check_parse_error(src.ptr, src.len, "t.html:65: sections nested deeper than 64");
	buf_release(&src);
}

static void test_too_large(void **state)
{
	(void)state;
	size_t len = ((size_t)1 << 20) + 1;
	char *big = malloc(len);
	assert_non_null(big);
	memset(big, 'a', len);
	check_parse_error(big, len, "larger than");
	char err[64];
	struct tmpl_set *set = tmpl_set_new();
	assert_int_equal(tmpl_add(set, "exact", big, len - 1, err, sizeof(err)), 0);
	tmpl_set_free(set);
	free(big);
}

/* --- tmpl_load_dir, against a scratch directory under /tmp --- */

static void write_file(const char *dir, const char *rel, const char *content, size_t len)
{
	char path[512];
	assert_true(snprintf(path, sizeof(path), "%s/%s", dir, rel) < (int)sizeof(path));
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, len), (ssize_t)len);
	close(fd);
}

static void remove_file(const char *dir, const char *rel)
{
	char path[512];
	assert_true(snprintf(path, sizeof(path), "%s/%s", dir, rel) < (int)sizeof(path));
	unlink(path);
	rmdir(path);
}

static void test_load_dir(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_tmpl_XXXXXX";
	assert_non_null(mkdtemp(dir));
	char sub[600];
	snprintf(sub, sizeof(sub), "%s/productos", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	write_file(dir, "base.html", "<main>{{> productos/lista.html}}</main>", 39);
	write_file(dir, "productos/lista.html", "{{#p}}<i>{{n}}</i>{{/p}}", 24);
	write_file(dir, "notas.txt", "{{#roto", 7);
	write_file(dir, ".oculto.html", "{{#roto", 7);

	char err[512] = "";
	struct tmpl_set *set = tmpl_load_dir(dir, err, sizeof(err));
	if (!set)
		fail_msg("load failed: %s", err);
	json_t *data = json_pack("{s:[{s:s}]}", "p", "n", "a&b");
	struct buf out = BUF_INIT;
	assert_int_equal(tmpl_render(set, "base.html", data, &out), 0);
	assert_string_equal(out.ptr, "<main><i>a&amp;b</i></main>");
	assert_int_equal(tmpl_render(set, "notas.txt", data, &out), -1);
	tmpl_set_free(set);

	/* A trailing slash on dir changes nothing about names. */
	char slashed[600];
	snprintf(slashed, sizeof(slashed), "%s//", dir);
	set = tmpl_load_dir(slashed, err, sizeof(err));
	assert_non_null(set);
	buf_reset(&out);
	assert_int_equal(tmpl_render(set, "productos/lista.html", data, &out), 0);
	assert_string_equal(out.ptr, "<i>a&amp;b</i>");
	tmpl_set_free(set);

	/* A syntax error names the file and line. */
	write_file(dir, "productos/malo.html", "ok\n{{#x}}", 9);
	assert_null(tmpl_load_dir(dir, err, sizeof(err)));
	assert_non_null(strstr(err, "productos/malo.html:2: unclosed section {{#x}}"));
	remove_file(dir, "productos/malo.html");

	/* A partial naming nothing loaded is caught at load time. */
	write_file(dir, "huerfano.html", "{{> falta.html}}", 16);
	assert_null(tmpl_load_dir(dir, err, sizeof(err)));
	assert_non_null(strstr(err, "huerfano.html: partial {{> falta.html}}"));
	remove_file(dir, "huerfano.html");

	/* Over 1 MiB is refused. */
	size_t len = ((size_t)1 << 20) + 1;
	char *big = malloc(len);
	assert_non_null(big);
	memset(big, 'a', len);
	write_file(dir, "grande.html", big, len);
	free(big);
	assert_null(tmpl_load_dir(dir, err, sizeof(err)));
	assert_non_null(strstr(err, "grande.html: template larger than"));
	remove_file(dir, "grande.html");

	snprintf(slashed, sizeof(slashed), "%s/no-existe", dir);
	assert_null(tmpl_load_dir(slashed, err, sizeof(err)));
	assert_null(tmpl_load_dir("", err, sizeof(err)));

	remove_file(dir, "base.html");
	remove_file(dir, "productos/lista.html");
	remove_file(dir, "notas.txt");
	remove_file(dir, ".oculto.html");
	remove_file(dir, "productos");
	assert_int_equal(rmdir(dir), 0);
	buf_release(&out);
	json_decref(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escapes_all_five),
		cmocka_unit_test(test_script_never_raw),
		cmocka_unit_test(test_raw_triple),
		cmocka_unit_test(test_nested_sections_outer_lookup),
		cmocka_unit_test(test_section_values),
		cmocka_unit_test(test_inverted),
		cmocka_unit_test(test_dotted_names),
		cmocka_unit_test(test_integers_and_literals),
		cmocka_unit_test(test_dot),
		cmocka_unit_test(test_comments_and_text),
		cmocka_unit_test(test_partials),
		cmocka_unit_test(test_missing_partial_fails),
		cmocka_unit_test(test_partial_recursion_limit),
		cmocka_unit_test(test_unknown_template),
		cmocka_unit_test(test_step_budget),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_load_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
