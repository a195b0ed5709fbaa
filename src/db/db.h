/*
 * db.h - the one database interface the rest of Inventario uses. Drivers
 * (sqlite.c today) fill a struct db_driver; nothing above src/db includes a
 * driver's header. SQL is written once, with '?' placeholders, in the
 * portable subset both SQLite and PostgreSQL accept.
 *
 * Calling sequence for a query:
 *     struct db_stmt *st = db_prepare(db, "SELECT ... WHERE id = ?");
 *     db_bind_int(st, 1, id);
 *     while (db_step(st) == DB_ROW) { ... db_col_int(st, 0) ... }
 *     db_done(st);
 * Statements are cached per connection by their SQL text, so db_prepare is
 * cheap after the first call; db_done resets the statement for reuse and
 * must be called on every path (db_done_on_release ties it to an arena).
 */
#ifndef DB_H
#define DB_H

#include "../core/common.h"

struct arena;
struct db;
struct db_stmt;

enum db_result {
	DB_OK = 0,
	DB_ROW = 1,          /* db_step: a row is ready */
	DB_DONE = 2,         /* db_step: no more rows */
	DB_ERROR = -1,
	DB_CONSTRAINT = -2,  /* unique / check / foreign key violation */
	DB_BUSY = -3,        /* lock not obtained in time */
};

struct db_driver {
	const char *name;
	int (*open)(const char *target, struct db **out, char *err, size_t err_len);
	void (*close)(struct db *db);
	struct db_stmt *(*prepare)(struct db *db, const char *sql);
	int (*bind_int)(struct db_stmt *st, int idx, int64_t v);
	int (*bind_text)(struct db_stmt *st, int idx, const char *s, size_t len);
	int (*bind_null)(struct db_stmt *st, int idx);
	int (*step)(struct db_stmt *st);
	int64_t (*col_int)(struct db_stmt *st, int col);
	const char *(*col_text)(struct db_stmt *st, int col, size_t *len);
	bool (*col_is_null)(struct db_stmt *st, int col);
	void (*done)(struct db_stmt *st);
	int (*exec)(struct db *db, const char *sql);
	int (*begin)(struct db *db, bool for_write);
	int (*commit)(struct db *db);
	int (*rollback)(struct db *db);
	int64_t (*last_insert_id)(struct db *db);
	int64_t (*changes)(struct db *db);
	const char *(*errmsg)(struct db *db);
};

/* Every connection handle starts with its driver. */
struct db {
	const struct db_driver *driver;
};

/*
 * Opens DATABASE_URL ("sqlite:///relative.db", "sqlite:////abs/path.db").
 * On failure returns -1 and writes a message that never contains a password.
 */
int db_open(const char *url, struct db **out, char *err, size_t err_len);
void db_close(struct db *db);

static inline struct db_stmt *db_prepare(struct db *db, const char *sql)
{
	return db->driver->prepare(db, sql);
}

/* Statement calls; st may be NULL (prepare failed): they then return DB_ERROR. */
int db_bind_int(struct db_stmt *st, int idx, int64_t v);
int db_bind_text(struct db_stmt *st, int idx, const char *s, size_t len);
int db_bind_str(struct db_stmt *st, int idx, str s);
int db_bind_cstr(struct db_stmt *st, int idx, const char *s);  /* NULL binds NULL */
int db_bind_null(struct db_stmt *st, int idx);
int db_step(struct db_stmt *st);
int64_t db_col_int(struct db_stmt *st, int col);
/* Valid until the next step or db_done; never NULL ("" for NULL). */
const char *db_col_text(struct db_stmt *st, int col, size_t *len);
bool db_col_is_null(struct db_stmt *st, int col);
/*
 * Copies a text column into a fixed buffer, cut at a UTF-8 character
 * boundary when it does not fit, and NUL-terminates; returns the length.
 */
size_t db_col_copy(struct db_stmt *st, int col, char *dst, size_t dst_size);
void db_done(struct db_stmt *st);

/* Runs a statement that returns no rows; DB_DONE on success. */
int db_step_done(struct db_stmt *st);

int db_exec(struct db *db, const char *sql);
/* for_write takes the write lock now (BEGIN IMMEDIATE), so a read-then-write
 * transaction never fails half-way on a lock upgrade. */
int db_begin(struct db *db, bool for_write);
int db_commit(struct db *db);
int db_rollback(struct db *db);
int64_t db_last_insert_id(struct db *db);
int64_t db_changes(struct db *db);
const char *db_errmsg(struct db *db);

/* Schema migrations (migrate.c). Idempotent; returns 0 or -1 with a message on stderr. */
int db_migrate(struct db *db);
/* Highest applied schema version, 0 for an empty database. */
int db_schema_version(struct db *db);

#endif
