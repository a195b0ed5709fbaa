/*
 * venta_query.h - the read side of sales, for the views: a page of the
 * tenant's sales (newest first), one sale with its lines, and the invoice
 * settings a receipt prints. Every call is scoped by tenant_id; text is
 * copied into the caller's arena, so results live as long as the request.
 */
#ifndef VENTA_QUERY_H
#define VENTA_QUERY_H

#include "../core/arena.h"

struct db;

#define VENTA_LIST_PAGE_SIZE 25

/* One row of the sales list. */
struct venta_fila {
	int64_t id;
	const char *numero;
	int64_t created_at;
	const char *cliente_nombre;
	const char *vendedor;          /* the seller's username */
	const char *forma_pago;        /* "Efectivo" | "Transferencia" */
	int64_t total_cents;
	bool anulada;
};

struct venta_linea_detalle {
	int64_t producto_id;
	const char *producto_nombre;   /* snapshot at sale time */
	int64_t cantidad_milli;
	int64_t precio_unitario_cents;
	int64_t iva_centi;
	int64_t neto_cents;
	int64_t iva_cents;
	int64_t subtotal_cents;
};

struct venta_detalle {
	int64_t id;
	const char *numero;
	int64_t created_at;
	const char *vendedor;
	int64_t cliente_id;            /* 0 = quick name only */
	const char *cliente_nombre;
	int64_t neto_cents;
	int64_t iva_cents;
	int64_t total_cents;
	const char *forma_pago;
	int64_t monto_recibido_cents;
	int64_t cambio_cents;
	const char *banco;
	const char *referencia;
	bool anulada;
	struct venta_linea_detalle *lineas;   /* in the order they were sold */
	size_t n_lineas;
};

/* The tenant's invoice settings (defaults when it has no settings row yet). */
struct venta_negocio {
	const char *nombre_negocio;
	const char *nit;
	const char *direccion;
	const char *telefono;
	const char *email;
	const char *pie_factura;
	int decimales_moneda;          /* 0 or 2 */
};

/* Number of the tenant's sales (annulled included). 0 or -1. */
int venta_count(struct db *db, int64_t tenant_id, int64_t *n_ventas);

/*
 * Up to limit sales of the tenant, newest first, skipping offset. rows is
 * arena memory (NULL when none). 0 or -1 (database error or arena full).
 */
int venta_list(struct db *db, struct arena *a, int64_t tenant_id, int64_t limit, int64_t offset,
	       struct venta_fila **rows, size_t *n_rows);

/* 0 and *out; -3 when the sale is not the tenant's (404); -1 on error. */
int venta_get(struct db *db, struct arena *a, int64_t tenant_id, int64_t id,
	      struct venta_detalle *out);

/* 0 and *out (defaults when there is no row); -1 on error. */
int venta_negocio_get(struct db *db, struct arena *a, int64_t tenant_id, struct venta_negocio *out);

#endif
