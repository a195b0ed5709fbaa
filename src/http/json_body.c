/*
 * json_body.c - see json_body.h. The depth check is a pre-scan over the
 * bytes (outside strings), because jansson's own limit is a compile-time
 * 2048 levels: far more than any form of ours needs.
 */
#include "json_body.h"

static bool depth_ok(const char *data, size_t len, size_t max_depth)
{
	size_t depth = 0;
	bool in_string = false;
	for (size_t i = 0; i < len; i++) {
		char c = data[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = false;
		} else if (c == '"') {
			in_string = true;
		} else if (c == '{' || c == '[') {
			if (++depth > max_depth)
				return false;
		} else if ((c == '}' || c == ']') && depth) {
			depth--;
		}
	}
	return true;
}

int json_body_parse(const char *data, size_t len, size_t max_depth, json_t **out,
		    char *err, size_t err_len)
{
	json_error_t jerr;
	*out = NULL;
	if (!depth_ok(data, len, max_depth)) {
		xsnprintf(err, err_len, "JSON demasiado anidado");
		return -1;
	}
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		xsnprintf(err, err_len, "JSON inválido (línea %d, columna %d)", jerr.line, jerr.column);
		return -1;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		xsnprintf(err, err_len, "Se esperaba un objeto JSON");
		return -1;
	}
	*out = root;
	return 0;
}
