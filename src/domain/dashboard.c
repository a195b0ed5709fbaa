/*
 * dashboard.c - the owner's figures for a period. Three parts: calendar
 * arithmetic on YYYYMMDD days (periods and weekdays, in integers, no
 * mktime), a process-wide cache of the expensive sales aggregates, and the
 * rule-based insights. The sales of a year are ~60,000 item rows: too many
 * to aggregate on every page view, so they are computed once per data
 * version (see read_state) and a repeat view costs two indexed queries.
 */
#include <pthread.h>
#include <time.h>

#include "../core/utf8.h"
#include "../db/db.h"
#include "dashboard.h"
#include "money.h"

/* ---- calendar -------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int32_t civil_from_days(int64_t z)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	return (int32_t)(y * 10000 + m * 100 + d);
}

static int64_t dia_to_days(int32_t dia)
{
	return days_from_civil(dia / 10000, dia / 100 % 100, dia % 100);
}

int32_t dia_add_days(int32_t dia, int64_t n_days)
{
	return civil_from_days(dia_to_days(dia) + n_days);
}

int dia_weekday(int32_t dia)
{
	/* 1970-01-01 was a Thursday: 3 with Monday = 0. */
	int64_t w = (dia_to_days(dia) + 3) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

static int64_t days_in_month(int64_t y, int64_t m)
{
	int64_t next = m == 12 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, m + 1, 1);
	return next - days_from_civil(y, m, 1);
}

static const char *const month_names[12] = {
	"Enero", "Febrero", "Marzo", "Abril", "Mayo", "Junio", "Julio",
	"Agosto", "Septiembre", "Octubre", "Noviembre", "Diciembre",
};

/* "YYYY-MM" with a plausible year; -1 otherwise. */
static int parse_mes(str s, int64_t *y, int64_t *m)
{
	if (s.len != 7 || s.ptr[4] != '-')
		return -1;
	if (str_to_i64((str){ s.ptr, 4 }, 2000, 2100, y) != 0)
		return -1;
	if (str_to_i64((str){ s.ptr + 5, 2 }, 1, 12, m) != 0)
		return -1;
	/* str_to_i64 accepts a sign; the picker never sends one. */
	for (size_t i = 0; i < 7; i++)
		if (i != 4 && (s.ptr[i] < '0' || s.ptr[i] > '9'))
			return -1;
	return 0;
}

int dashboard_period(str periodo, str mes, int64_t now, struct dash_period *out)
{
	memset(out, 0, sizeof(*out));
	time_t t = (time_t)now;
	struct tm tm;
	if (!localtime_r(&t, &tm))
		return -1;
	int64_t y = tm.tm_year + 1900, m = tm.tm_mon + 1;
	out->hoy = (int32_t)(y * 10000 + m * 100 + tm.tm_mday);
	int64_t hoy_days = dia_to_days(out->hoy);

	if (periodo.len == 0 || str_eq_lit(periodo, "7d"))
		out->kind = DASH_7D;
	else if (str_eq_lit(periodo, "mes"))
		out->kind = DASH_MES;
	else if (str_eq_lit(periodo, "anio"))
		out->kind = DASH_ANIO;
	else
		return -1;
	if (mes.len) {
		if (parse_mes(mes, &y, &m) != 0)
			return -1;
		out->kind = DASH_MES_ELEGIDO;
	}

	int64_t desde_days, hasta_days;
	switch (out->kind) {
	case DASH_7D:
		desde_days = hoy_days - 6;
		hasta_days = hoy_days;
		xsnprintf(out->etiqueta, sizeof(out->etiqueta), "Últimos 7 días");
		break;
	case DASH_ANIO:
		desde_days = days_from_civil(y, 1, 1);
		hasta_days = days_from_civil(y, 12, 31);
		xsnprintf(out->etiqueta, sizeof(out->etiqueta), "Año %lld", (long long)y);
		break;
	default: /* a month: this one or the chosen one */
		desde_days = days_from_civil(y, m, 1);
		hasta_days = desde_days + days_in_month(y, m) - 1;
		xsnprintf(out->etiqueta, sizeof(out->etiqueta), "%s de %lld", month_names[m - 1],
			  (long long)y);
		break;
	}
	out->desde = civil_from_days(desde_days);
	out->hasta = civil_from_days(hasta_days);
	/* The pace and the comparison use the days that have happened: on the
	 * 10th, "this month" is 10 days long, compared with the 10 days before. */
	if (hoy_days >= desde_days && hoy_days <= hasta_days)
		out->n_dias = hoy_days - desde_days + 1;
	else
		out->n_dias = hasta_days - desde_days + 1;
	out->prev_hasta = civil_from_days(desde_days - 1);
	out->prev_desde = civil_from_days(desde_days - out->n_dias);
	xsnprintf(out->mes_valor, sizeof(out->mes_valor), "%04d-%02d", out->desde / 10000,
		  out->desde / 100 % 100);
	return 0;
}

/* ---- display helpers ---------------------------------------------------- */

static uint64_t magnitude(int64_t v)
{
	return v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
}

/* u with a '.' every three digits. */
static void group_thousands(uint64_t u, char *out, size_t out_size)
{
	char rev[32];
	size_t n = 0, n_digits = 0;
	do {
		if (n_digits && n_digits % 3 == 0)
			rev[n++] = '.';
		rev[n++] = (char)('0' + u % 10);
		n_digits++;
		u /= 10;
	} while (u);
	if (out_size == 0)
		return;
	if (n + 1 > out_size)
		n = out_size - 1;
	for (size_t i = 0; i < n; i++)
		out[i] = rev[n - 1 - i];
	out[n] = '\0';
}

void int_es_format(int64_t n, char *out, size_t out_size)
{
	char g[32];
	group_thousands(magnitude(n), g, sizeof(g));
	if (xsnprintf(out, out_size, "%s%s", n < 0 ? "-" : "", g) < 0 && out_size)
		out[0] = '\0';
}

void qty_es_format(int64_t milli, char *out, size_t out_size)
{
	char g[32], frac[8] = "";
	uint64_t u = magnitude(milli);
	group_thousands(u / 1000, g, sizeof(g));
	unsigned f = (unsigned)(u % 1000);
	if (f) {
		int width = 3;
		while (f % 10 == 0) {
			f /= 10;
			width--;
		}
		xsnprintf(frac, sizeof(frac), ",%0*u", width, f);
	}
	if (xsnprintf(out, out_size, "%s%s%s", milli < 0 ? "-" : "", g, frac) < 0 && out_size)
		out[0] = '\0';
}

void pct_decimas_format(int64_t decimas, bool with_sign, char *out, size_t out_size)
{
	char g[32];
	uint64_t u = magnitude(decimas);
	group_thousands(u / 10, g, sizeof(g));
	const char *sign = decimas < 0 ? "-" : (with_sign && decimas > 0 ? "+" : "");
	if (xsnprintf(out, out_size, "%s%s,%u %%", sign, g, (unsigned)(u % 10)) < 0 && out_size)
		out[0] = '\0';
}

/* ---- the cached sales aggregates -------------------------------------- */

struct dash_qty {
	int64_t producto_id;
	int64_t qty_milli;
};

/* Everything that needs the period's sales rows; what the cache holds. */
struct dash_sales {
	int64_t n_ventas, total_cents, iva_cents, neto_cents, costo_cents;
	int64_t prev_n_ventas, prev_total_cents;
	int64_t dia_semana_cents[7], dia_semana_n[7];
	struct dash_top top[DASH_TOP];
	size_t n_top;
	struct dash_categoria categorias[DASH_MAX_CATEGORIAS + 1];
	size_t n_categorias;
	int64_t n_productos;
	struct dash_qty *qty;   /* malloc'd, sorted by producto_id: one per product sold */
	size_t n_qty;
};

/*
 * What makes an entry current: every sale and every annulment writes
 * movimientos rows (stock is only ever changed through the ledger), and
 * every sale takes the next consecutivo, so the pair changes whenever the
 * figures can. The TTL bounds what neither catches (a product created
 * without stock changes the count of products without sales).
 */
struct data_version {
	int64_t max_movimiento_id;
	int64_t max_consecutivo;
};

#define DASH_CACHE_SLOTS 32
#define DASH_CACHE_TTL_S 60

struct cache_entry {
	bool used;
	int64_t tenant_id;
	int32_t desde, hasta, prev_desde;
	struct data_version version;
	int64_t computed_at_s;   /* CLOCK_MONOTONIC */
	uint64_t last_use;
	struct dash_sales sales;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cache_entry cache[DASH_CACHE_SLOTS];
static uint64_t cache_clock;
static bool cache_on = true;

static int64_t monotonic_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

void dashboard_cache_clear(void)
{
	pthread_mutex_lock(&cache_lock);
	for (size_t i = 0; i < DASH_CACHE_SLOTS; i++) {
		free(cache[i].sales.qty);
		memset(&cache[i], 0, sizeof(cache[i]));
	}
	pthread_mutex_unlock(&cache_lock);
}

void dashboard_cache_enable(bool on)
{
	pthread_mutex_lock(&cache_lock);
	cache_on = on;
	pthread_mutex_unlock(&cache_lock);
}

static bool same_key(const struct cache_entry *e, int64_t tenant_id, const struct dash_period *p)
{
	return e->used && e->tenant_id == tenant_id && e->desde == p->desde && e->hasta == p->hasta &&
	       e->prev_desde == p->prev_desde;
}

static int64_t qty_sold(const struct dash_sales *s, int64_t producto_id)
{
	size_t lo = 0, hi = s->n_qty;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->qty[mid].producto_id == producto_id)
			return s->qty[mid].qty_milli;
		if (s->qty[mid].producto_id < producto_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* What each listed low-stock product sold in the period. */
static void fill_vendido(struct dashboard *d, const struct dash_sales *s)
{
	for (size_t i = 0; i < d->n_bajo_stock; i++)
		d->bajo_stock[i].vendido_milli = qty_sold(s, d->bajo_stock[i].producto_id);
}

/*
 * On a hit copies the entry into *out (without its qty map, which stays in
 * the cache: the few lookups the page needs are done here, under the
 * lock) and returns true. Caller holds cache_lock.
 */
static bool cache_get_locked(int64_t tenant_id, const struct dash_period *p,
			     const struct data_version *v, struct dash_sales *out,
			     struct dashboard *d)
{
	int64_t now_s = monotonic_s();
	for (size_t i = 0; i < DASH_CACHE_SLOTS; i++) {
		struct cache_entry *e = &cache[i];
		if (!same_key(e, tenant_id, p))
			continue;
		if (e->version.max_movimiento_id != v->max_movimiento_id ||
		    e->version.max_consecutivo != v->max_consecutivo ||
		    now_s - e->computed_at_s >= DASH_CACHE_TTL_S)
			return false;
		e->last_use = ++cache_clock;
		*out = e->sales;
		out->qty = NULL;
		fill_vendido(d, &e->sales);
		return true;
	}
	return false;
}

/*
 * Stores s in the same key's slot, a free one or the least recently used
 * one. The cache takes s->qty (s->qty becomes NULL). Caller holds cache_lock.
 */
static void cache_put_locked(int64_t tenant_id, const struct dash_period *p,
			     const struct data_version *v, struct dash_sales *s)
{
	struct cache_entry *slot = NULL;
	for (size_t i = 0; i < DASH_CACHE_SLOTS && !slot; i++)
		if (same_key(&cache[i], tenant_id, p))
			slot = &cache[i];
	for (size_t i = 0; i < DASH_CACHE_SLOTS && !slot; i++)
		if (!cache[i].used)
			slot = &cache[i];
	if (!slot) {
		slot = &cache[0];
		for (size_t i = 1; i < DASH_CACHE_SLOTS; i++)
			if (cache[i].last_use < slot->last_use)
				slot = &cache[i];
	}
	free(slot->sales.qty);
	slot->used = true;
	slot->tenant_id = tenant_id;
	slot->desde = p->desde;
	slot->hasta = p->hasta;
	slot->prev_desde = p->prev_desde;
	slot->version = *v;
	slot->computed_at_s = monotonic_s();
	slot->last_use = ++cache_clock;
	slot->sales = *s;
	s->qty = NULL;
}

/* ---- queries ------------------------------------------------------------ */

static int cmp_qty_id(const void *a, const void *b)
{
	const struct dash_qty *x = a, *y = b;
	return x->producto_id < y->producto_id ? -1 : x->producto_id > y->producto_id;
}

/* Keeps s->top as the best DASH_TOP by quantity, ties by lower id; names come later. */
static void top_offer(struct dash_sales *s, int64_t id, int64_t qty_milli, int64_t total_cents)
{
	size_t pos = s->n_top;
	while (pos > 0 && (s->top[pos - 1].qty_milli < qty_milli ||
			   (s->top[pos - 1].qty_milli == qty_milli && s->top[pos - 1].producto_id > id)))
		pos--;
	if (pos >= DASH_TOP)
		return;
	size_t last = s->n_top < DASH_TOP ? s->n_top : DASH_TOP - 1;
	memmove(&s->top[pos + 1], &s->top[pos], (last - pos) * sizeof(s->top[0]));
	if (s->n_top < DASH_TOP)
		s->n_top++;
	struct dash_top *t = &s->top[pos];
	memset(t, 0, sizeof(*t));
	t->producto_id = id;
	t->qty_milli = qty_milli;
	t->total_cents = total_cents;
}

static int load_ventas(struct db *db, int64_t tenant_id, const struct dash_period *p,
		       struct dash_sales *s)
{
	static const char sql[] =
		"SELECT dia_local, count(*), sum(total_cents), sum(iva_cents), sum(neto_cents),"
		" sum(costo_cents) FROM ventas"
		" WHERE tenant_id = ? AND dia_local BETWEEN ? AND ? AND anulada = 0"
		" GROUP BY dia_local";
	struct db_stmt *st = db_prepare(db, sql);
	db_bind_int(st, 1, tenant_id);
	db_bind_int(st, 2, p->prev_desde);
	db_bind_int(st, 3, p->hasta);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int32_t dia = (int32_t)db_col_int(st, 0);
		int64_t n = db_col_int(st, 1), total_cents = db_col_int(st, 2);
		if (dia < p->desde) {
			if (dia <= p->prev_hasta) {
				s->prev_n_ventas += n;
				s->prev_total_cents += total_cents;
			}
			continue;
		}
		s->n_ventas += n;
		s->total_cents += total_cents;
		s->iva_cents += db_col_int(st, 3);
		s->neto_cents += db_col_int(st, 4);
		s->costo_cents += db_col_int(st, 5);
		int wd = dia_weekday(dia);
		s->dia_semana_cents[wd] += total_cents;
		s->dia_semana_n[wd] += n;
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/*
 * Aggregation of the period's item rows happens here rather than in a SQL
 * GROUP BY: a year is ~60,000 rows, and sorting them by (product,
 * category) in SQLite costs three times the scan itself. Two open-address
 * hash tables: products by id, categories by name.
 */
struct prod_slot {
	int64_t producto_id;       /* 0 = empty: ids start at 1 */
	int64_t qty_milli;
	int64_t total_cents;
};

struct cat_slot {
	char *nombre;              /* malloc'd; NULL = empty */
	size_t len;
	uint64_t hash;
	int64_t total_cents;
};

struct item_agg {
	struct prod_slot *prods;
	size_t prods_cap, n_prods;
	struct cat_slot *cats;
	size_t cats_cap, n_cats;
};

static uint64_t hash_bytes(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;   /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	return h;
}

static uint64_t hash_id(int64_t id)
{
	uint64_t x = (uint64_t)id * 0x9E3779B97F4A7C15ULL;
	return x ^ (x >> 29);
}

static struct prod_slot *prod_find(struct prod_slot *t, size_t cap, int64_t id)
{
	size_t i = (size_t)hash_id(id) & (cap - 1);
	while (t[i].producto_id && t[i].producto_id != id)
		i = (i + 1) & (cap - 1);
	return &t[i];
}

static struct cat_slot *cat_find(struct cat_slot *t, size_t cap, const char *s, size_t len,
				 uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);
	while (t[i].nombre && !(t[i].hash == h && t[i].len == len && memcmp(t[i].nombre, s, len) == 0))
		i = (i + 1) & (cap - 1);
	return &t[i];
}

/* Keeps each table at most half full, so probes stay short and always end. */
static void agg_reserve(struct item_agg *a)
{
	if (2 * (a->n_prods + 1) > a->prods_cap) {
		size_t cap = a->prods_cap ? st_mult(a->prods_cap, 2) : 1024;
		struct prod_slot *t = xcalloc(cap, sizeof(*t));
		for (size_t i = 0; i < a->prods_cap; i++)
			if (a->prods[i].producto_id)
				*prod_find(t, cap, a->prods[i].producto_id) = a->prods[i];
		free(a->prods);
		a->prods = t;
		a->prods_cap = cap;
	}
	if (2 * (a->n_cats + 1) > a->cats_cap) {
		size_t cap = a->cats_cap ? st_mult(a->cats_cap, 2) : 64;
		struct cat_slot *t = xcalloc(cap, sizeof(*t));
		for (size_t i = 0; i < a->cats_cap; i++)
			if (a->cats[i].nombre)
				*cat_find(t, cap, a->cats[i].nombre, a->cats[i].len, a->cats[i].hash) =
					a->cats[i];
		free(a->cats);
		a->cats = t;
		a->cats_cap = cap;
	}
}

static void agg_release(struct item_agg *a)
{
	for (size_t i = 0; i < a->cats_cap; i++)
		free(a->cats[i].nombre);
	free(a->cats);
	free(a->prods);
}

static void agg_row(struct item_agg *a, int64_t id, const char *cat, size_t cat_len,
		    int64_t qty_milli, int64_t total_cents)
{
	agg_reserve(a);
	struct prod_slot *p = prod_find(a->prods, a->prods_cap, id);
	if (!p->producto_id) {
		p->producto_id = id;
		a->n_prods++;
	}
	p->qty_milli += qty_milli;
	p->total_cents += total_cents;

	uint64_t h = hash_bytes(cat, cat_len);
	struct cat_slot *c = cat_find(a->cats, a->cats_cap, cat, cat_len, h);
	if (!c->nombre) {
		c->nombre = xstrndup(cat, cat_len);
		c->len = cat_len;
		c->hash = h;
		a->n_cats++;
	}
	c->total_cents += total_cents;
}

static int cmp_cat_total(const void *a, const void *b)
{
	const struct cat_slot *x = a, *y = b;
	if (x->total_cents != y->total_cents)
		return x->total_cents > y->total_cents ? -1 : 1;
	return strcmp(x->nombre, y->nombre);
}

/* Biggest categories first; past DASH_MAX_CATEGORIAS they fold into "Otras". */
static void fold_categorias(struct item_agg *a, struct dash_sales *s)
{
	size_t n = 0;
	for (size_t i = 0; i < a->cats_cap; i++)
		if (a->cats[i].nombre)
			a->cats[n++] = a->cats[i];
	/* The table is now a plain array: clear the tail so agg_release frees each name once. */
	for (size_t i = n; i < a->cats_cap; i++)
		a->cats[i].nombre = NULL;
	if (n == 0)
		return;
	qsort(a->cats, n, sizeof(*a->cats), cmp_cat_total);
	for (size_t i = 0; i < n; i++) {
		if (i < DASH_MAX_CATEGORIAS) {
			struct dash_categoria *c = &s->categorias[s->n_categorias++];
			utf8_copy(c->nombre, sizeof(c->nombre), a->cats[i].nombre, a->cats[i].len);
			c->total_cents = a->cats[i].total_cents;
			continue;
		}
		if (i == DASH_MAX_CATEGORIAS) {
			struct dash_categoria *c = &s->categorias[s->n_categorias++];
			xsnprintf(c->nombre, sizeof(c->nombre), "Otras categorías");
			c->otras = true;
		}
		s->categorias[DASH_MAX_CATEGORIAS].total_cents += a->cats[i].total_cents;
	}
}

/* The name a top product had on its latest line of the period (a snapshot, as the receipt). */
static int load_top_names(struct db *db, int64_t tenant_id, const struct dash_period *p,
			  struct dash_sales *s)
{
	static const char sql[] =
		"SELECT producto_nombre FROM venta_items"
		" WHERE producto_id = ? AND tenant_id = ? AND dia_local BETWEEN ? AND ?"
		" ORDER BY id DESC LIMIT 1";
	for (size_t i = 0; i < s->n_top; i++) {
		struct db_stmt *st = db_prepare(db, sql);
		db_bind_int(st, 1, s->top[i].producto_id);
		db_bind_int(st, 2, tenant_id);
		db_bind_int(st, 3, p->desde);
		db_bind_int(st, 4, p->hasta);
		int rc = db_step(st);
		if (rc == DB_ROW)
			db_col_copy(st, 0, s->top[i].nombre, sizeof(s->top[i].nombre));
		db_done(st);
		if (rc != DB_ROW)
			return -1;
	}
	return 0;
}

/*
 * One pass over the period's item rows: quantities per product (the top 5
 * and the map for the stock pace) and totals per category as snapshotted
 * on each line, so a product recategorised mid-period counts in each
 * category it was sold under.
 */
static int load_items(struct db *db, int64_t tenant_id, const struct dash_period *p,
		      struct dash_sales *s)
{
	static const char sql[] =
		"SELECT vi.producto_id, vi.categoria, vi.cantidad_milli, vi.subtotal_cents"
		" FROM venta_items vi JOIN ventas v ON v.id = vi.venta_id"
		" WHERE vi.tenant_id = ? AND vi.dia_local BETWEEN ? AND ? AND v.anulada = 0";
	struct item_agg a;
	int ret = -1, rc;

	memset(&a, 0, sizeof(a));
	struct db_stmt *st = db_prepare(db, sql);
	db_bind_int(st, 1, tenant_id);
	db_bind_int(st, 2, p->desde);
	db_bind_int(st, 3, p->hasta);
	while ((rc = db_step(st)) == DB_ROW) {
		size_t cat_len;
		const char *cat = db_col_text(st, 1, &cat_len);
		agg_row(&a, db_col_int(st, 0), cat, cat_len, db_col_int(st, 2), db_col_int(st, 3));
	}
	db_done(st);
	if (rc != DB_DONE)
		goto done;

	s->qty = a.n_prods ? xmalloc(st_mult(a.n_prods, sizeof(*s->qty))) : NULL;
	for (size_t i = 0; i < a.prods_cap; i++) {
		const struct prod_slot *ps = &a.prods[i];
		if (!ps->producto_id)
			continue;
		s->qty[s->n_qty].producto_id = ps->producto_id;
		s->qty[s->n_qty++].qty_milli = ps->qty_milli;
		top_offer(s, ps->producto_id, ps->qty_milli, ps->total_cents);
	}
	if (s->n_qty)
		qsort(s->qty, s->n_qty, sizeof(*s->qty), cmp_qty_id);
	fold_categorias(&a, s);
	ret = load_top_names(db, tenant_id, p, s);
done:
	agg_release(&a);
	return ret;
}

static int load_sales(struct db *db, int64_t tenant_id, const struct dash_period *p,
		      struct dash_sales *s)
{
	static const char count_sql[] = "SELECT count(*) FROM productos WHERE tenant_id = ?";
	memset(s, 0, sizeof(*s));
	if (load_ventas(db, tenant_id, p, s) != 0 || load_items(db, tenant_id, p, s) != 0)
		return -1;
	struct db_stmt *st = db_prepare(db, count_sql);
	db_bind_int(st, 1, tenant_id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		s->n_productos = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

/*
 * The data version, the currency decimals and the low-stock count: one
 * statement, run on every view. It is cheap only with two indexes:
 * movimientos(tenant_id, id) for the newest movement, and the
 * partial productos(tenant_id, stock_milli) WHERE stock_milli <=
 * stock_minimo_milli for the low-stock count and list; without the second
 * every view scans the tenant's whole catalogue (~5 ms for 5,000 products).
 */
static int read_state(struct db *db, int64_t tenant_id, struct data_version *v, struct dashboard *d)
{
	static const char sql[] =
		"SELECT coalesce((SELECT id FROM movimientos WHERE tenant_id = ?"
		"  ORDER BY id DESC LIMIT 1), 0),"
		" coalesce((SELECT max(consecutivo) FROM ventas WHERE tenant_id = ?), 0),"
		" coalesce((SELECT decimales_moneda FROM configuracion WHERE tenant_id = ?), 0),"
		" (SELECT count(*) FROM productos"
		"  WHERE tenant_id = ? AND stock_milli <= stock_minimo_milli)";
	struct db_stmt *st = db_prepare(db, sql);
	for (int i = 1; i <= 4; i++)
		db_bind_int(st, i, tenant_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		v->max_movimiento_id = db_col_int(st, 0);
		v->max_consecutivo = db_col_int(st, 1);
		d->decimales_moneda = db_col_int(st, 2) == 2 ? 2 : 0;
		d->n_bajo_stock_total = db_col_int(st, 3);
	}
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

static int load_bajo_stock(struct db *db, int64_t tenant_id, struct dashboard *d)
{
	static const char sql[] =
		"SELECT id, nombre, unidad, stock_milli, stock_minimo_milli FROM productos"
		" WHERE tenant_id = ? AND stock_milli <= stock_minimo_milli"
		" ORDER BY stock_milli, id LIMIT ?";
	struct db_stmt *st = db_prepare(db, sql);
	db_bind_int(st, 1, tenant_id);
	db_bind_int(st, 2, DASH_MAX_BAJO_STOCK);
	int rc;
	while ((rc = db_step(st)) == DB_ROW && d->n_bajo_stock < DASH_MAX_BAJO_STOCK) {
		struct dash_bajo_stock *b = &d->bajo_stock[d->n_bajo_stock++];
		b->producto_id = db_col_int(st, 0);
		db_col_copy(st, 1, b->nombre, sizeof(b->nombre));
		db_col_copy(st, 2, b->unidad, sizeof(b->unidad));
		b->stock_milli = db_col_int(st, 3);
		b->stock_minimo_milli = db_col_int(st, 4);
	}
	db_done(st);
	return rc == DB_DONE || rc == DB_ROW ? 0 : -1;
}

/* ---- insights ----------------------------------------------------------- */

static struct dash_insight *insight_add(struct dashboard *d, enum dash_nivel nivel)
{
	if (d->n_insights >= DASH_MAX_INSIGHTS)
		return NULL;
	struct dash_insight *in = &d->insights[d->n_insights++];
	in->nivel = nivel;
	in->texto[0] = '\0';
	return in;
}

#define INSIGHT(d, nivel, ...)                                                        \
	do {                                                                          \
		struct dash_insight *in_ = insight_add((d), (nivel));                 \
		if (in_ && xsnprintf(in_->texto, sizeof(in_->texto), __VA_ARGS__) < 0) \
			(d)->n_insights--;                                            \
	} while (0)

static const char *unit_word(const struct dash_bajo_stock *b)
{
	if (strcmp(b->unidad, "kg") == 0)
		return "kg";
	return b->stock_milli == 1000 ? "unidad" : "unidades";
}

static void insight_cambio(struct dashboard *d)
{
	char cur[48], prev[48], pct[32], dias[32];
	int_es_format(d->period.n_dias, dias, sizeof(dias));
	if (!d->hay_cambio) {
		if (d->n_ventas == 0)
			INSIGHT(d, DASH_INFO, "No hay ventas en este periodo ni en los %s días anteriores.",
				dias);
		else
			INSIGHT(d, DASH_INFO,
				"No hubo ventas en los %s días anteriores: no hay con qué comparar.", dias);
		return;
	}
	money_format(d->ventas_total_cents, d->decimales_moneda, cur, sizeof(cur));
	money_format(d->prev_total_cents, d->decimales_moneda, prev, sizeof(prev));
	/* The verb carries the direction: "bajaron 35,1 %", not "bajaron -35,1 %". */
	pct_decimas_format(d->cambio_decimas < 0 ? -d->cambio_decimas : d->cambio_decimas, false,
			   pct, sizeof(pct));
	const char *verbo = d->cambio_decimas > 0 ? "subieron" :
			    d->cambio_decimas < 0 ? "bajaron" : "se mantuvieron";
	INSIGHT(d, d->cambio_decimas > 0 ? DASH_BIEN : d->cambio_decimas < 0 ? DASH_ALERTA : DASH_INFO,
		"Las ventas %s %s frente a los %s días anteriores (%s contra %s).", verbo, pct, dias,
		cur, prev);
}

static void insight_ticket_y_margen(struct dashboard *d)
{
	char ticket[48], n[32], pct[32];
	if (d->n_ventas <= 0)
		return;
	money_format(div_round_half_up(d->ventas_total_cents, d->n_ventas), d->decimales_moneda,
		     ticket, sizeof(ticket));
	int_es_format(d->n_ventas, n, sizeof(n));
	INSIGHT(d, DASH_INFO, "Ticket promedio: %s en %s %s.", ticket, n,
		d->n_ventas == 1 ? "venta" : "ventas");
	if (d->ventas_netas_cents > 0) {
		int64_t margen = div_round_half_up((__int128)d->utilidad_bruta_cents * 1000,
						   d->ventas_netas_cents);
		pct_decimas_format(margen, false, pct, sizeof(pct));
		INSIGHT(d, margen < 0 ? DASH_ALERTA : DASH_INFO,
			"Margen bruto: %s de las ventas netas.", pct);
	}
}

static void insight_categoria(struct dashboard *d)
{
	char total[48], pct[32];
	if (d->n_categorias == 0 || d->categorias[0].otras || d->categorias[0].total_cents <= 0 ||
	    d->ventas_total_cents <= 0)
		return;
	const struct dash_categoria *c = &d->categorias[0];
	money_format(c->total_cents, d->decimales_moneda, total, sizeof(total));
	pct_decimas_format(div_round_half_up((__int128)c->total_cents * 1000, d->ventas_total_cents),
			   false, pct, sizeof(pct));
	INSIGHT(d, DASH_BIEN, "La categoría que más vende es %s: %s (%s de las ventas).",
		c->nombre[0] ? c->nombre : "Sin categoría", total, pct);
}

/* The most urgent low-stock products: out of stock first, then fewest days left. */
static void insight_stock(struct dashboard *d)
{
	const struct dash_bajo_stock *order[DASH_MAX_BAJO_STOCK];
	size_t n = d->n_bajo_stock;
	for (size_t i = 0; i < n; i++)
		order[i] = &d->bajo_stock[i];
	for (size_t i = 1; i < n; i++) {
		const struct dash_bajo_stock *x = order[i];
		/* -1 (no sales) sorts last: it is the least urgent. */
		uint64_t kx = (uint64_t)x->dias_restantes;
		size_t j = i;
		while (j > 0 && (uint64_t)order[j - 1]->dias_restantes > kx) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = x;
	}
	for (size_t i = 0; i < n && i < 3; i++) {
		const struct dash_bajo_stock *b = order[i];
		char stock[32], ritmo[32], dias[32];
		qty_es_format(b->stock_milli, stock, sizeof(stock));
		if (b->stock_milli <= 0) {
			INSIGHT(d, DASH_ALERTA, "%s está agotado.", b->nombre);
		} else if (b->dias_restantes < 0) {
			INSIGHT(d, DASH_INFO, "%s tiene stock bajo (%s %s) y no se vendió en el periodo.",
				b->nombre, stock, unit_word(b));
		} else {
			/* One decimal is all a pace deserves. */
			int64_t ritmo_decimas = div_round_half_up(b->vendido_milli, d->period.n_dias * 100);
			if (ritmo_decimas > 0)
				qty_es_format(ritmo_decimas * 100, ritmo, sizeof(ritmo));
			else
				xsnprintf(ritmo, sizeof(ritmo), "menos de 0,1");
			if (b->dias_restantes == 0)
				xsnprintf(dias, sizeof(dias), "menos de un día");
			else
				xsnprintf(dias, sizeof(dias), "unos %lld %s", (long long)b->dias_restantes,
					  b->dias_restantes == 1 ? "día" : "días");
			INSIGHT(d, b->dias_restantes < 7 ? DASH_ALERTA : DASH_INFO,
				"%s: quedan %s %s, alcanza para %s al ritmo actual (%s por día).",
				b->nombre, stock, unit_word(b), dias, ritmo);
		}
	}
}

static void insight_sin_ventas(struct dashboard *d)
{
	char n[32], total[32];
	if (d->n_productos_sin_ventas <= 0)
		return;
	int_es_format(d->n_productos_sin_ventas, n, sizeof(n));
	int_es_format(d->n_productos, total, sizeof(total));
	INSIGHT(d, DASH_INFO, "%s de %s productos no tuvieron ventas en el periodo.", n, total);
}

/* ---- the whole dashboard ------------------------------------------------ */

static void merge(struct dashboard *d, const struct dash_sales *s)
{
	d->n_ventas = s->n_ventas;
	d->ventas_total_cents = s->total_cents;
	d->ventas_iva_cents = s->iva_cents;
	d->ventas_netas_cents = s->neto_cents;
	d->costo_cents = s->costo_cents;
	d->ingresos_extra_cents = 0;
	d->gastos_cents = 0;
	d->utilidad_bruta_cents = d->ventas_netas_cents + d->ingresos_extra_cents - d->costo_cents;
	d->utilidad_neta_cents = d->utilidad_bruta_cents - d->gastos_cents;
	d->prev_n_ventas = s->prev_n_ventas;
	d->prev_total_cents = s->prev_total_cents;
	d->hay_cambio = s->prev_total_cents > 0;
	if (d->hay_cambio)
		d->cambio_decimas = div_round_half_up(
			(__int128)(s->total_cents - s->prev_total_cents) * 1000, s->prev_total_cents);
	memcpy(d->dia_semana_cents, s->dia_semana_cents, sizeof(d->dia_semana_cents));
	memcpy(d->dia_semana_n, s->dia_semana_n, sizeof(d->dia_semana_n));
	memcpy(d->top, s->top, sizeof(d->top));
	d->n_top = s->n_top;
	memcpy(d->categorias, s->categorias, sizeof(d->categorias));
	d->n_categorias = s->n_categorias;
	d->n_productos = s->n_productos;
	d->n_productos_vendidos = (int64_t)s->n_qty;
	d->n_productos_sin_ventas = s->n_productos - (int64_t)s->n_qty;
	if (d->n_productos_sin_ventas < 0)   /* products deleted since: cannot have had sales */
		d->n_productos_sin_ventas = 0;
	for (size_t i = 0; i < d->n_bajo_stock; i++) {
		struct dash_bajo_stock *b = &d->bajo_stock[i];
		if (b->stock_milli <= 0)
			b->dias_restantes = 0;
		else if (b->vendido_milli <= 0)
			b->dias_restantes = -1;
		else
			b->dias_restantes = (int64_t)((__int128)b->stock_milli * d->period.n_dias /
						      b->vendido_milli);
	}
}

int dashboard_compute(struct db *db, int64_t tenant_id, const struct dash_period *p,
		      struct dashboard *d)
{
	struct data_version v;
	struct dash_sales s;
	int ret = -1;
	bool in_txn, use_cache;

	memset(d, 0, sizeof(*d));
	memset(&s, 0, sizeof(s));
	d->period = *p;
	/* One snapshot: the version must not be newer than the rows it labels. */
	in_txn = db_begin(db, false) == DB_OK;
	if (read_state(db, tenant_id, &v, d) != 0 || load_bajo_stock(db, tenant_id, d) != 0)
		goto done;

	pthread_mutex_lock(&cache_lock);
	use_cache = cache_on;
	d->desde_cache = use_cache && cache_get_locked(tenant_id, p, &v, &s, d);
	pthread_mutex_unlock(&cache_lock);
	if (!d->desde_cache) {
		if (load_sales(db, tenant_id, p, &s) != 0)
			goto done;
		fill_vendido(d, &s);
		if (use_cache) {
			pthread_mutex_lock(&cache_lock);
			cache_put_locked(tenant_id, p, &v, &s);
			pthread_mutex_unlock(&cache_lock);
		}
	}
	merge(d, &s);
	insight_cambio(d);
	insight_ticket_y_margen(d);
	insight_categoria(d);
	insight_stock(d);
	insight_sin_ventas(d);
	ret = 0;
done:
	free(s.qty);
	if (in_txn)
		db_commit(db);
	return ret;
}
