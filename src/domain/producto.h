/*
 * producto.h - the catalogue and its stock ledger. Stock is never written
 * directly: every change is a movimiento row (with the balance after it)
 * written in the same transaction as the stock update, so stock always
 * equals the sum of movements. Every call is scoped by tenant.
 */
#ifndef PRODUCTO_H
#define PRODUCTO_H

#include "../core/common.h"

struct db;

struct producto {
	int64_t id;
	int64_t tenant_id;
	char nombre[401];            /* 100 characters of UTF-8 */
	char codigo_de_barras[51];
	char categoria[201];
	int64_t precio_compra_cents;
	int64_t precio_cents;
	int64_t iva_centi;
	int64_t stock_milli;
	int64_t stock_minimo_milli;
	char unidad[8];              /* "unidad" or "kg" */
	int64_t created_at;
	int64_t updated_at;
};

/* Validated input of the product form (view parses and validates; see producto_validate). */
struct producto_input {
	str nombre, codigo_de_barras, categoria, unidad;
	str precio_compra, precio, stock, stock_minimo, iva_porcentaje;
};

/* One message per field; empty string = valid. */
struct producto_errors {
	const char *nombre, *codigo_de_barras, *categoria, *unidad;
	const char *precio_compra, *precio, *stock, *stock_minimo, *iva_porcentaje;
	bool any;
};

/*
 * Parses and checks the input into p (fields, lengths, numbers, UTF-8);
 * fills errors with Spanish messages. default_iva_centi is used when the
 * VAT field is empty. Returns 0 when valid.
 */
int producto_validate(const struct producto_input *in, int64_t default_iva_centi,
		      struct producto *p, struct producto_errors *errors);

/*
 * Inserts p for tenant_id; an opening stock becomes an 'inicial' movement.
 * One transaction. Returns 0 and p->id; -2 when the barcode already exists
 * for this tenant; -1 on a database error.
 */
int producto_create(struct db *db, int64_t tenant_id, int64_t user_id, struct producto *p, int64_t now);

/*
 * Updates the catalogue fields; a changed stock becomes an 'ajuste'
 * movement of the difference (reason "Edición de producto"). Same returns
 * as producto_create, plus -3 when the product is not this tenant's.
 */
int producto_update(struct db *db, int64_t tenant_id, int64_t user_id, struct producto *p, int64_t now);

/*
 * Like producto_update, but leaves the stock as it is now and writes no
 * movement: the edit form did not touch the stock field, so a sale made
 * while the form was open must not be undone by an adjustment.
 */
int producto_update_keep_stock(struct db *db, int64_t tenant_id, int64_t user_id,
			       struct producto *p, int64_t now);

/* 0 deleted; -3 not found in tenant; -4 PROTECTED (referenced by sales); -1 error. */
int producto_delete(struct db *db, int64_t tenant_id, int64_t id);

/* 0 and *out, -3 when not in this tenant. */
int producto_get(struct db *db, int64_t tenant_id, int64_t id, struct producto *out);
int producto_by_barcode(struct db *db, int64_t tenant_id, str barcode, struct producto *out);

#endif
