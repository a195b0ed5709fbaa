/*
 * fuzz_json.c - libFuzzer target for json_body_parse, the gate for every
 * JSON request body. Whatever it accepts must be a single object no deeper
 * than the cap that survives a dump/reload round trip unchanged; whatever it
 * refuses must come with a Spanish reason and no tree to leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "http/json_body.h"
#include "http/kv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_DEPTH 32

static size_t depth_of(json_t *v)
{
	size_t deepest = 0;
	if (json_is_object(v)) {
		const char *k;
		json_t *child;
		json_object_foreach(v, k, child) {
			size_t d = depth_of(child);
			if (d > deepest)
				deepest = d;
		}
		return deepest + 1;
	}
	if (json_is_array(v)) {
		size_t i;
		json_t *child;
		json_array_foreach(v, i, child) {
			size_t d = depth_of(child);
			if (d > deepest)
				deepest = d;
		}
		return deepest + 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[160];
	json_t *root = (json_t *)1;
	memset(err, 'x', sizeof(err));
	int rc = json_body_parse((const char *)data, size, MAX_DEPTH, &root, err, sizeof(err));
	if (rc == 0) {
		if (!root || !json_is_object(root) || depth_of(root) > MAX_DEPTH)
			abort();
		char *dumped = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
		if (!dumped)
			abort();
		json_t *again = NULL;
		char err2[160];
		if (json_body_parse(dumped, strlen(dumped), MAX_DEPTH, &again, err2, sizeof(err2)) != 0 ||
		    !json_equal(root, again))
			abort();
		json_decref(again);
		free(dumped);
		json_decref(root);
	} else {
		if (rc != -1 || root != NULL)
			abort();
		size_t n = strnlen(err, sizeof(err));
		if (n == 0 || n == sizeof(err) || !utf8_valid(err, n))
			abort();
	}

	/* A tiny error buffer must be handled too (truncated, still terminated). */
	char small[4];
	json_t *r2 = NULL;
	if (json_body_parse((const char *)data, size, MAX_DEPTH, &r2, small, sizeof(small)) != rc)
		abort();
	if (rc != 0 && strnlen(small, sizeof(small)) == sizeof(small))
		abort();
	json_decref(r2);
	return 0;
}
