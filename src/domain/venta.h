/*
 * venta.h - the sale: the whole checkout in one write transaction. Prices,
 * VAT and cost are read on the server at sale time; each line's stock is
 * decremented with a conditional update (stock >= qty unless the tenant
 * allows negative stock) and a 'venta' movement; the invoice number comes
 * from the tenant's counter in the same transaction, so numbers have no
 * gaps and no duplicates. An idempotency key seen before returns the sale
 * it created instead of a new one.
 */
#ifndef VENTA_H
#define VENTA_H

#include "../core/common.h"

struct db;
struct user;

#define VENTA_MAX_ITEMS 200

struct venta_item_input {
	int64_t producto_id;
	int64_t cantidad_milli;
};

struct venta_input {
	struct venta_item_input items[VENTA_MAX_ITEMS];
	size_t n_items;
	bool transferencia;             /* forma_pago: false = Efectivo */
	int64_t monto_recibido_cents;   /* Efectivo; 0 = not given */
	char banco[101];
	char referencia[101];
	char cliente_nombre[151];
	int64_t cliente_id;             /* 0 = none */
	char idempotency_key[101];      /* "" = none */
};

struct venta_result {
	int64_t id;
	char numero[64];
	int64_t neto_cents;
	int64_t iva_cents;
	int64_t total_cents;
	int64_t cambio_cents;
	bool replayed;                  /* idempotency key seen: the earlier sale */
};

enum venta_status {
	VENTA_OK = 0,
	VENTA_INVALID = 1,              /* message in err: 400 VALIDATION_ERROR */
	VENTA_NOT_FOUND = 2,            /* a product not in this tenant: 404 */
	VENTA_INSUFFICIENT_STOCK = 3,   /* message names product and stock: 409 */
	VENTA_BUSY = 4,                 /* the write lock was not had in time: 503, retry */
	VENTA_ERROR = -1,               /* database failure: 500 */
};

/*
 * Creates the sale for seller (its tenant), at time now. On anything but
 * VENTA_OK nothing was written. err gets a Spanish message for the user.
 */
enum venta_status venta_create(struct db *db, const struct user *seller,
			       const struct venta_input *in, int64_t now,
			       struct venta_result *out, char *err, size_t err_len);

#endif
