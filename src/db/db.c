/*
 * db.c - the driver-independent half of the database interface: choosing a
 * driver from DATABASE_URL and forwarding calls through the driver table,
 * tolerating a NULL statement so a failed prepare surfaces as DB_ERROR at
 * the first step instead of a crash.
 */
#include "db.h"
#include "db_internal.h"
#include "../core/utf8.h"

int db_open(const char *url, struct db **out, char *err, size_t err_len)
{
	str u = str_from(url);
	*out = NULL;
	if (str_starts_with(u, "sqlite:///")) {
		const char *path = url + strlen("sqlite:///");
		if (!*path) {
			xsnprintf(err, err_len, "DATABASE_URL: sqlite URL without a file path");
			return -1;
		}
		return db_sqlite_driver.open(path, out, err, err_len);
	}
	if (str_starts_with(u, "postgres://") || str_starts_with(u, "postgresql://")) {
		xsnprintf(err, err_len, "DATABASE_URL: PostgreSQL is not available in this build");
		return -1;
	}
	/* Never echo the URL: it may carry a password. */
	xsnprintf(err, err_len, "DATABASE_URL: unsupported scheme (use sqlite:///path)");
	return -1;
}

void db_close(struct db *db)
{
	if (db)
		db->driver->close(db);
}

int db_bind_int(struct db_stmt *st, int idx, int64_t v)
{
	return st ? db_stmt_driver(st)->bind_int(st, idx, v) : DB_ERROR;
}

int db_bind_text(struct db_stmt *st, int idx, const char *s, size_t len)
{
	return st ? db_stmt_driver(st)->bind_text(st, idx, s, len) : DB_ERROR;
}

int db_bind_str(struct db_stmt *st, int idx, str s)
{
	return db_bind_text(st, idx, s.ptr ? s.ptr : "", s.len);
}

int db_bind_cstr(struct db_stmt *st, int idx, const char *s)
{
	return s ? db_bind_text(st, idx, s, strlen(s)) : db_bind_null(st, idx);
}

int db_bind_null(struct db_stmt *st, int idx)
{
	return st ? db_stmt_driver(st)->bind_null(st, idx) : DB_ERROR;
}

int db_step(struct db_stmt *st)
{
	return st ? db_stmt_driver(st)->step(st) : DB_ERROR;
}

int db_step_done(struct db_stmt *st)
{
	int rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? DB_DONE : rc;
}

int64_t db_col_int(struct db_stmt *st, int col)
{
	return st ? db_stmt_driver(st)->col_int(st, col) : 0;
}

const char *db_col_text(struct db_stmt *st, int col, size_t *len)
{
	if (!st) {
		if (len)
			*len = 0;
		return "";
	}
	return db_stmt_driver(st)->col_text(st, col, len);
}

size_t db_col_copy(struct db_stmt *st, int col, char *dst, size_t dst_size)
{
	size_t len;
	const char *s = db_col_text(st, col, &len);
	return utf8_copy(dst, dst_size, s, len);
}

bool db_col_is_null(struct db_stmt *st, int col)
{
	return st ? db_stmt_driver(st)->col_is_null(st, col) : true;
}

void db_done(struct db_stmt *st)
{
	if (st)
		db_stmt_driver(st)->done(st);
}

int db_exec(struct db *db, const char *sql)
{
	return db->driver->exec(db, sql);
}

int db_begin(struct db *db, bool for_write)
{
	return db->driver->begin(db, for_write);
}

int db_commit(struct db *db)
{
	return db->driver->commit(db);
}

int db_rollback(struct db *db)
{
	return db->driver->rollback(db);
}

int64_t db_last_insert_id(struct db *db)
{
	return db->driver->last_insert_id(db);
}

int64_t db_changes(struct db *db)
{
	return db->driver->changes(db);
}

const char *db_errmsg(struct db *db)
{
	return db->driver->errmsg(db);
}
