/*
 * seed.h - demo data for a fresh database: a shop ("Tienda La Esquina")
 * with an owner, a seller, a catalogue of Colombian products with valid
 * EAN-13 barcodes, and past sales made through venta_create, the same code
 * path as the till. Deterministic: the same seed gives the same shop.
 */
#ifndef SEED_H
#define SEED_H

#include "../core/common.h"

struct db;

/*
 * Creates owner "admin" (admin@inventario.local) and seller "vendedor"
 * with password_hash (computed by the caller: this module never hashes),
 * the shop's configuracion, n_products products and n_sales sales spread
 * over the 90 days before now. Progress goes to stderr. Returns 0, or -1
 * with a message on stderr (e.g. "admin" already exists); the users and
 * products written before a failure stay (each call commits on its own).
 */
int seed_demo(struct db *db, const char *password_hash, int n_products, int n_sales,
	      unsigned seed, int64_t now);

/*
 * The EAN-13 check digit of the first 12 digits of code (0..9), or -1 when
 * those are not 12 ASCII digits. ean13_valid checks a whole 13-digit code.
 */
int ean13_check_digit(const char *code12);
bool ean13_valid(const char *code, size_t len);

/* The base catalogue (seed_catalog.c): one row per base product. */
struct seed_item {
	const char *nombre;        /* "Arroz Diana" */
	const char *categoria;
	const char *presentaciones[4];  /* sizes ("500 g", "1 kg"); NULL ends the list; none for kg items */
	int64_t factor_pct[4];     /* each size's price against the first (100) */
	int64_t precio_pesos;      /* of the first size, or of one kg */
	int64_t iva_centi;         /* 1900, 500 or 0 */
	bool por_kg;               /* sold by weight */
};

extern const struct seed_item seed_catalog[];
extern const size_t seed_catalog_len;

#endif
