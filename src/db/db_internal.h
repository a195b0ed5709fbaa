/*
 * db_internal.h - shared between db.c and the drivers only: every statement
 * handle starts with its driver pointer, as every connection does.
 */
#ifndef DB_INTERNAL_H
#define DB_INTERNAL_H

#include "db.h"

struct db_stmt_head {
	const struct db_driver *driver;
};

static inline const struct db_driver *db_stmt_driver(struct db_stmt *st)
{
	return ((struct db_stmt_head *)st)->driver;
}

extern const struct db_driver db_sqlite_driver;

#endif
