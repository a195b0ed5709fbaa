/*
 * routes_internal.h - the route table, shared by routes.c and router.c only.
 */
#ifndef ROUTES_INTERNAL_H
#define ROUTES_INTERNAL_H

#include "router.h"

extern const struct route app_routes[];
extern const size_t n_app_routes;

#endif
