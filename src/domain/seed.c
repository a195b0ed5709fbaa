/*
 * seed.c - fills a database with a believable demo shop. Everything goes
 * through the domain calls the application itself uses (usuario_create,
 * producto_create, producto_update, venta_create), so demo data obeys the
 * same rules as real data: stock equals its ledger, invoice numbers have no
 * gaps. Randomness is a seeded xorshift generator, never rand(), so a seed
 * always gives the same shop.
 */
#include <time.h>

#include "../db/db.h"
#include "money.h"
#include "producto.h"
#include "seed.h"
#include "usuario.h"
#include "venta.h"

#define SEED_DAYS 90
#define DAY_S 86400

/* ---- barcodes ------------------------------------------------------------ */

int ean13_check_digit(const char *code12)
{
	int sum = 0;
	for (int i = 0; i < 12; i++) {
		char c = code12[i];
		if (c < '0' || c > '9')
			return -1;
		/* Weights 1, 3, 1, 3 ... from the left for a 13-digit code. */
		sum += (c - '0') * (i % 2 ? 3 : 1);
	}
	return (10 - sum % 10) % 10;
}

bool ean13_valid(const char *code, size_t len)
{
	if (len != 13 || code[12] < '0' || code[12] > '9')
		return false;
	int check = ean13_check_digit(code);
	return check >= 0 && check == code[12] - '0';
}

/* ---- pseudo-random numbers -------------------------------------------- */

/* xorshift64* (Vigna): fast, good enough for demo data, reproducible. */
static uint64_t rnd(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/* Uniform in [lo, hi]. */
static int64_t rnd_range(uint64_t *s, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rnd(s) % (uint64_t)(hi - lo + 1));
}

static bool rnd_pct(uint64_t *s, int pct)
{
	return (int)(rnd(s) % 100) < pct;
}

/* ---- the shop ------------------------------------------------------------ */

struct seed_state {
	struct db *db;
	uint64_t rng;
	int64_t now;
	struct user admin, vendedor;
	struct producto *productos;
	size_t n_productos;
	size_t n_base;             /* the first n_base are the base sizes: the best sellers */
	int64_t n_restocks;
};

/* Presentations that turn one base size into more products, with their price against it. */
static const struct {
	const char *label;
	int64_t pct;
} variants[] = {
	{ "x 2", 190 }, { "x 3", 280 }, { "x 6", 540 }, { "x 12", 1000 }, { "x 4", 370 },
	{ "x 10", 880 }, { "tradicional", 100 }, { "empaque ahorro", 95 }, { "precio especial", 90 },
	{ "edición limitada", 110 }, { "promoción", 92 }, { "familiar", 160 }, { "mini", 60 },
	{ "surtido", 100 }, { "económico", 85 }, { "premium", 125 }, { "importado", 130 },
	{ "de temporada", 105 }, { "regional", 100 }, { "nueva presentación", 100 },
};
static const char *const kg_variants[] = {
	"extra", "de primera", "orgánico", "selección", "premium",
};

/* Shelf prices end in 00 or 50 pesos. */
static int64_t round_price_cents(int64_t pesos, int64_t step_pesos)
{
	int64_t rounded = (pesos + step_pesos / 2) / step_pesos * step_pesos;
	return (rounded > 0 ? rounded : step_pesos) * 100;
}

/*
 * A product of the catalogue: level 0 is a base item in one of its sizes,
 * later levels are presentations of it (packs, "familiar", grades of kg
 * items), so names never repeat.
 * Returns false when this (level, item, size) gives no product.
 */
static bool make_product(const struct seed_item *it, size_t size_idx, size_t level,
			 struct producto *p)
{
	char name[256];
	int64_t pesos;
	const char *size = it->por_kg ? NULL : it->presentaciones[size_idx];

	if (it->por_kg) {
		if (size_idx > 0 || level > ARRAY_SIZE(kg_variants))
			return false;
		if (level == 0)
			xsnprintf(name, sizeof(name), "%s", it->nombre);
		else
			xsnprintf(name, sizeof(name), "%s %s", it->nombre, kg_variants[level - 1]);
		pesos = it->precio_pesos * (int64_t)(100 + 8 * level) / 100;
	} else {
		if (size_idx >= ARRAY_SIZE(it->presentaciones) || !size)
			return false;
		pesos = it->precio_pesos * it->factor_pct[size_idx] / 100;
		if (level == 0) {
			xsnprintf(name, sizeof(name), "%s %s", it->nombre, size);
		} else if (level <= ARRAY_SIZE(variants)) {
			xsnprintf(name, sizeof(name), "%s %s %s", it->nombre, size, variants[level - 1].label);
			pesos = pesos * variants[level - 1].pct / 100;
		} else {
			/* Past the presentations: same goods from another supplier lot. */
			xsnprintf(name, sizeof(name), "%s %s (lote %zu)", it->nombre, size, level);
		}
	}
	memset(p, 0, sizeof(*p));
	xsnprintf(p->nombre, sizeof(p->nombre), "%s", name);
	xsnprintf(p->categoria, sizeof(p->categoria), "%s", it->categoria);
	xsnprintf(p->unidad, sizeof(p->unidad), "%s", it->por_kg ? "kg" : "unidad");
	p->precio_cents = round_price_cents(pesos, pesos >= 10000 ? 100 : 50);
	p->iva_centi = it->iva_centi;
	return true;
}

/*
 * Catalogue indexes taking one item of each category in turn (the
 * catalogue lists categories as consecutive runs), so that even a small
 * demo has every category and the first, most sold products are varied.
 */
static size_t *catalog_order(void)
{
	size_t *order = xcalloc(seed_catalog_len, sizeof(*order));
	size_t starts[64], n_cats = 0, made = 0;
	for (size_t i = 0; i < seed_catalog_len && n_cats < ARRAY_SIZE(starts); i++)
		if (i == 0 || strcmp(seed_catalog[i].categoria, seed_catalog[i - 1].categoria) != 0)
			starts[n_cats++] = i;
	for (size_t round = 0; made < seed_catalog_len; round++) {
		for (size_t c = 0; c < n_cats; c++) {
			size_t end = c + 1 < n_cats ? starts[c + 1] : seed_catalog_len;
			if (starts[c] + round < end)
				order[made++] = starts[c] + round;
		}
	}
	return order;
}

static int create_products(struct seed_state *s, size_t n)
{
	int64_t created_at = s->now - (SEED_DAYS + 5) * (int64_t)DAY_S;
	uint64_t code_offset = rnd(&s->rng) % 1000000000ULL;
	size_t made = 0;

	s->productos = xcalloc(n, sizeof(*s->productos));
	size_t *order = catalog_order();
	for (size_t level = 0; made < n; level++) {
		for (size_t z = 0; z < ARRAY_SIZE(seed_catalog[0].presentaciones) && made < n; z++) {
			for (size_t b = 0; b < seed_catalog_len && made < n; b++) {
				struct producto *p = &s->productos[made];
				const struct seed_item *it = &seed_catalog[order[b]];
				if (!make_product(it, z, level, p))
					continue;
				/* 770 (GS1 Colombia) + 9 digits: 7919 is prime to 10^9, so
				 * distinct indexes give distinct codes. */
				uint64_t body = ((uint64_t)made * 7919u + code_offset) % 1000000000ULL;
				char code12[16];
				xsnprintf(code12, sizeof(code12), "770%09llu", (unsigned long long)body);
				xsnprintf(p->codigo_de_barras, sizeof(p->codigo_de_barras), "%s%d", code12,
					  ean13_check_digit(code12));
				p->precio_compra_cents = p->precio_cents * rnd_range(&s->rng, 60, 80) / 100 / 100 * 100;
				int64_t unit = 1000;
				if (it->por_kg) {
					p->stock_minimo_milli = rnd_range(&s->rng, 3, 8) * unit;
					p->stock_milli = rnd_range(&s->rng, 10, 60) * unit;
				} else {
					p->stock_minimo_milli = rnd_range(&s->rng, 5, 20) * unit;
					p->stock_milli = rnd_range(&s->rng, 20, 300) * unit;
				}
				/* Low stock is leave_some_short's job, not the dice's. */
				if (p->stock_milli <= p->stock_minimo_milli)
					p->stock_milli = p->stock_minimo_milli + rnd_range(&s->rng, 5, 20) * unit;
				int rc = producto_create(s->db, s->admin.id, s->admin.id, p, created_at);
				if (rc != 0) {
					fprintf(stderr, "seed: no se pudo crear el producto %s (%d)\n", p->nombre, rc);
					free(order);
					return -1;
				}
				made++;
				if (level == 0)
					s->n_base = made;
				if (made % 1000 == 0 || made == n)
					fprintf(stderr, "seed: %zu/%zu productos\n", made, n);
			}
		}
	}
	free(order);
	s->n_productos = n;
	return 0;
}

/* ---- sales ------------------------------------------------------------- */

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/*
 * A past instant in shop hours: more sales on Fridays and weekends, peaks
 * at lunch and after work, as in a neighbourhood shop.
 */
static int64_t sale_instant(struct seed_state *s)
{
	static const int weekday_pct[7] = { 60, 55, 60, 65, 85, 100, 75 };  /* Mon..Sun */
	static const int hour_weight[14] = { 4, 6, 6, 6, 7, 9, 8, 6, 6, 7, 9, 11, 10, 6 }; /* 7..20 h */
	for (;;) {
		int64_t days_back = rnd_range(&s->rng, 0, SEED_DAYS - 1);
		time_t day = (time_t)(s->now - days_back * DAY_S);
		struct tm tm;
		if (!localtime_r(&day, &tm))
			return s->now;
		int wd = (tm.tm_wday + 6) % 7;
		if (!rnd_pct(&s->rng, weekday_pct[wd]))
			continue;
		int total = 0, pick;
		for (size_t i = 0; i < ARRAY_SIZE(hour_weight); i++)
			total += hour_weight[i];
		pick = (int)rnd_range(&s->rng, 0, total - 1);
		int hour = 7;
		for (size_t i = 0; i < ARRAY_SIZE(hour_weight) && pick >= hour_weight[i]; i++) {
			pick -= hour_weight[i];
			hour++;
		}
		tm.tm_hour = hour;
		tm.tm_min = (int)rnd_range(&s->rng, 0, 59);
		tm.tm_sec = (int)rnd_range(&s->rng, 0, 59);
		tm.tm_isdst = -1;
		int64_t t = (int64_t)mktime(&tm);
		if (t > s->now)       /* later today: not yet happened */
			t -= DAY_S;
		return t;
	}
}

/*
 * Nine lines in ten are base sizes, the first of them most often (index ~
 * n * u^2); the rest of the catalogue sells now and then, as in a shop.
 */
static size_t pick_product(struct seed_state *s)
{
	if (s->n_base == 0 || rnd_pct(&s->rng, 10))
		return (size_t)rnd_range(&s->rng, 0, (int64_t)s->n_productos - 1);
	uint64_t u = rnd(&s->rng) % 1000000u;
	return (size_t)((unsigned __int128)s->n_base * u * u / 1000000000000ULL);
}

static int64_t pick_qty(struct seed_state *s, const struct producto *p)
{
	if (strcmp(p->unidad, "kg") == 0)
		return rnd_range(&s->rng, 5, 40) * 50;     /* 0,25 .. 2 kg */
	if (p->precio_cents >= 5000000)                /* $ 50.000 and up: one at a time */
		return 1000;
	int r = (int)rnd_range(&s->rng, 0, 99);
	return (r < 70 ? 1 : r < 90 ? 2 : rnd_range(&s->rng, 3, 5)) * 1000;
}

/* A purchase arrived: stock goes back up, through the ledger. */
static int restock(struct seed_state *s, struct producto *p, int64_t t)
{
	int64_t units = strcmp(p->unidad, "kg") == 0 ? rnd_range(&s->rng, 20, 60) :
						     rnd_range(&s->rng, 100, 250);
	p->stock_milli += units * 1000;
	if (producto_update(s->db, s->admin.id, s->admin.id, p, t) != 0) {
		fprintf(stderr, "seed: no se pudo reabastecer %s\n", p->nombre);
		return -1;
	}
	s->n_restocks++;
	return 0;
}

static const char *const bancos[] = { "Bancolombia", "Nequi", "Davivienda" };
static const char *const clientes[] = {
	"Doña Marta", "Don Jorge", "Luz Dary", "Don Efraín", "Doña Gloria", "Yesid", "Carolina",
	"Andrés Felipe", "Doña Rosalba", "Don Hernando",
};

/* Fills in with 1..5 distinct lines that the stock can serve; returns the total. */
static int build_sale(struct seed_state *s, int64_t t, struct venta_input *in, size_t *idx,
		      int64_t *total_cents)
{
	size_t n_lines = (size_t)rnd_range(&s->rng, 1, 5);
	*total_cents = 0;
	for (size_t tries = 0; in->n_items < n_lines && tries < 40; tries++) {
		size_t k = pick_product(s);
		struct producto *p = &s->productos[k];
		bool repeated = false;
		for (size_t j = 0; j < in->n_items; j++)
			repeated |= idx[j] == k;
		if (repeated)
			continue;
		int64_t qty = pick_qty(s, p);
		if (p->stock_milli - qty <= p->stock_minimo_milli && restock(s, p, t) != 0)
			return -1;
		idx[in->n_items] = k;
		in->items[in->n_items].producto_id = p->id;
		in->items[in->n_items].cantidad_milli = qty;
		in->n_items++;
		*total_cents += line_net_cents(p->precio_cents, qty) +
				line_iva_cents(p->precio_cents, qty, p->iva_centi);
	}
	return in->n_items ? 0 : -1;
}

static int create_sales(struct seed_state *s, size_t n_sales)
{
	int64_t *instants = xcalloc(n_sales ? n_sales : 1, sizeof(*instants));
	struct venta_input *in = xmalloc(sizeof(*in));
	size_t idx[VENTA_MAX_ITEMS];
	int ret = -1;

	for (size_t i = 0; i < n_sales; i++)
		instants[i] = sale_instant(s);
	/* In time order, so invoice numbers and the ledger read like real days. */
	qsort(instants, n_sales, sizeof(*instants), cmp_i64);

	for (size_t i = 0; i < n_sales; i++) {
		int64_t t = instants[i], total_cents;
		struct venta_result res;
		char err[256];

		memset(in, 0, sizeof(*in));
		if (build_sale(s, t, in, idx, &total_cents) != 0) {
			fprintf(stderr, "seed: no se pudo armar la venta %zu\n", i + 1);
			goto done;
		}
		if (rnd_pct(&s->rng, 70)) {
			/* Cash: customers hand over the next round bill. */
			int64_t step = rnd_pct(&s->rng, 65) ? 100000 : 1000000;
			in->monto_recibido_cents = (total_cents + step - 1) / step * step;
		} else {
			in->transferencia = true;
			xsnprintf(in->banco, sizeof(in->banco), "%s",
				  bancos[rnd(&s->rng) % ARRAY_SIZE(bancos)]);
			xsnprintf(in->referencia, sizeof(in->referencia), "%010llu",
				  (unsigned long long)(rnd(&s->rng) % 10000000000ULL));
		}
		if (rnd_pct(&s->rng, 20))
			xsnprintf(in->cliente_nombre, sizeof(in->cliente_nombre), "%s",
				  clientes[rnd(&s->rng) % ARRAY_SIZE(clientes)]);
		const struct user *seller = rnd_pct(&s->rng, 65) ? &s->vendedor : &s->admin;
		enum venta_status st = venta_create(s->db, seller, in, t, &res, err, sizeof(err));
		if (st != VENTA_OK) {
			fprintf(stderr, "seed: la venta %zu falló (%d): %s\n", i + 1, (int)st, err);
			goto done;
		}
		for (size_t j = 0; j < in->n_items; j++)
			s->productos[idx[j]].stock_milli -= in->items[j].cantidad_milli;
		if ((i + 1) % 2000 == 0 || i + 1 == n_sales)
			fprintf(stderr, "seed: %zu/%zu ventas\n", i + 1, n_sales);
	}
	ret = 0;
done:
	free(in);
	free(instants);
	return ret;
}

/*
 * A handful of good sellers end the period short: their stock drops below
 * the minimum at the end (a count found less than the system said), so the
 * dashboard has low stock to show with a real sales pace behind it, and
 * one in four is out of stock.
 */
static int leave_some_short(struct seed_state *s)
{
	size_t n_short = s->n_productos / 400;
	size_t pool = s->n_base ? s->n_base : s->n_productos;
	n_short = n_short < 3 ? 3 : n_short > 12 ? 12 : n_short;
	if (n_short > pool)
		n_short = pool;
	for (size_t k = 0; k < n_short; k++) {
		struct producto *p = &s->productos[(1 + k * (pool / n_short)) % pool];
		int64_t unit = 1000, below = p->stock_minimo_milli / unit - 1;
		p->stock_milli = k % 4 == 0 || below < 1 ? 0 : rnd_range(&s->rng, 1, below) * unit;
		if (producto_update(s->db, s->admin.id, s->admin.id, p, s->now) != 0) {
			fprintf(stderr, "seed: no se pudo ajustar el stock de %s\n", p->nombre);
			return -1;
		}
	}
	return 0;
}

/* ---- users and configuration ------------------------------------------ */

static int create_user(struct db *db, const char *username, const char *email, const char *hash,
		       enum rol rol, int64_t creado_por, int64_t now, struct user *out)
{
	char err[256];
	int64_t id = 0;
	if (usuario_create(db, username, email, hash, rol, creado_por, now, &id, err, sizeof(err)) != 0) {
		fprintf(stderr, "seed: no se pudo crear el usuario '%s': %s"
			" (¿la base ya tiene datos de demostración?)\n", username, err);
		return -1;
	}
	if (usuario_by_id(db, id, out) != 0) {
		fprintf(stderr, "seed: el usuario '%s' no se pudo leer\n", username);
		return -1;
	}
	return 0;
}

static int configure_shop(struct db *db, int64_t tenant_id)
{
	static const char ensure_sql[] =
		"INSERT INTO configuracion (tenant_id) VALUES (?) ON CONFLICT (tenant_id) DO NOTHING";
	static const char update_sql[] =
		"UPDATE configuracion SET nombre_negocio = ?, nit = ?, direccion = ?, telefono = ?,"
		" email = ?, pie_factura = ? WHERE tenant_id = ?";
	struct db_stmt *st = db_prepare(db, ensure_sql);
	db_bind_int(st, 1, tenant_id);
	int rc = db_step_done(st);
	if (rc != DB_DONE)
		goto fail;
	st = db_prepare(db, update_sql);
	db_bind_cstr(st, 1, "Tienda La Esquina");
	db_bind_cstr(st, 2, "900.123.456-7");
	db_bind_cstr(st, 3, "Calle 45 # 13-27, Chapinero, Bogotá D.C.");
	db_bind_cstr(st, 4, "601 345 6789");
	db_bind_cstr(st, 5, "tiendalaesquina@example.com");
	db_bind_cstr(st, 6, "¡Gracias por su compra!");
	db_bind_int(st, 7, tenant_id);
	rc = db_step_done(st);
	if (rc != DB_DONE)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "seed: no se pudo guardar la configuración: %s\n", db_errmsg(db));
	return -1;
}

static int64_t elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (int64_t)(t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

int seed_demo(struct db *db, const char *password_hash, int n_products, int n_sales,
	      unsigned seed, int64_t now)
{
	struct seed_state s;
	struct timespec t0;
	bool fast_sqlite = false;
	int ret = -1;
	int64_t users_at = now - (SEED_DAYS + 10) * (int64_t)DAY_S;

	memset(&s, 0, sizeof(s));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (n_products < 1 || n_sales < 0 || !password_hash || !password_hash[0]) {
		fprintf(stderr, "seed: se necesitan al menos 1 producto, ventas >= 0 y un hash\n");
		return -1;
	}
	s.db = db;
	s.now = now;
	/* splitmix64 of the seed: nearby seeds give unrelated streams, and never 0. */
	uint64_t z = (uint64_t)seed + 0x9E3779B97F4A7C15ULL;
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	s.rng = (z ^ (z >> 31)) | 1;

	/* Demo data can always be made again, so SQLite may skip the fsync of
	 * each WAL checkpoint while seeding: 20 s become 2 s on a VM disk. The
	 * driver's own setting (NORMAL, see sqlite.c) comes back at the end. */
	fast_sqlite = strcmp(db->driver->name, "sqlite") == 0;
	if (fast_sqlite && db_exec(db, "PRAGMA synchronous = OFF") != DB_OK)
		fast_sqlite = false;

	if (create_user(db, "admin", "admin@inventario.local", password_hash, ROL_ADMIN, 0, users_at,
			&s.admin) != 0)
		goto done;
	if (create_user(db, "vendedor", "vendedor@inventario.local", password_hash, ROL_VENDEDOR,
			s.admin.id, users_at, &s.vendedor) != 0)
		goto done;
	if (configure_shop(db, s.admin.tenant_id) != 0)
		goto done;
	fprintf(stderr, "seed: usuarios admin y vendedor creados (tienda %lld)\n",
		(long long)s.admin.tenant_id);
	if (create_products(&s, (size_t)n_products) != 0)
		goto done;
	if (create_sales(&s, (size_t)n_sales) != 0 || leave_some_short(&s) != 0)
		goto done;
	int64_t ms = elapsed_ms(&t0);
	fprintf(stderr, "seed: listo: %d productos, %d ventas, %lld reabastecimientos en %lld,%03lld s\n",
		n_products, n_sales, (long long)s.n_restocks, (long long)(ms / 1000),
		(long long)(ms % 1000));
	ret = 0;
done:
	if (fast_sqlite)
		db_exec(db, "PRAGMA synchronous = NORMAL");
	free(s.productos);
	return ret;
}
