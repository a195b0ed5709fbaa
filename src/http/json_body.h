/*
 * json_body.h - parsing a JSON request body with jansson under the
 * product's rules: the whole body must be one object, duplicate keys are
 * refused (so two parsers can never disagree on a value), and nesting is
 * capped.
 */
#ifndef JSON_BODY_H
#define JSON_BODY_H

#include <jansson.h>

#include "../core/common.h"

/* 0 and *out (caller decrefs) or -1 with a short Spanish reason in err. */
int json_body_parse(const char *data, size_t len, size_t max_depth, json_t **out,
		    char *err, size_t err_len);

#endif
