/*
 * dashboard.h - the owner's figures for a period: sales with their VAT,
 * cost of goods sold, profit, sales by weekday, top products, categories,
 * low stock and rule-based insights. Periods are ranges of dia_local
 * (YYYYMMDD in the shop's TIME_ZONE); annulled sales never count. All
 * arithmetic is integer (cents, milli, tenths of a percent).
 */
#ifndef DASHBOARD_H
#define DASHBOARD_H

#include "../core/common.h"

struct db;

enum dash_periodo { DASH_7D, DASH_MES, DASH_ANIO, DASH_MES_ELEGIDO };

struct dash_period {
	enum dash_periodo kind;
	int32_t hoy;            /* today, YYYYMMDD local */
	int32_t desde, hasta;   /* inclusive bounds of the period */
	int32_t prev_desde, prev_hasta;  /* the n_dias days just before desde */
	int64_t n_dias;         /* days of the period up to today (>= 1): the pace divisor */
	char etiqueta[64];      /* "Últimos 7 días", "Marzo de 2025" */
	char mes_valor[8];      /* "YYYY-MM" of desde, for the month picker */
};

/*
 * Reads the period from the query values periodo ("7d", "mes", "anio", or
 * empty = "7d") and mes ("YYYY-MM"; when non-empty it wins over periodo).
 * now is unix seconds; "today" is its local date. Returns 0, or -1 when a
 * value is not one of those forms (the caller answers 400 "Periodo inválido").
 */
int dashboard_period(str periodo, str mes, int64_t now, struct dash_period *out);

#define DASH_TOP 5
#define DASH_MAX_CATEGORIAS 12     /* the rest fold into "Otras categorías" */
#define DASH_MAX_BAJO_STOCK 10
#define DASH_MAX_INSIGHTS 8

struct dash_top {
	int64_t producto_id;
	char nombre[401];
	int64_t qty_milli;
	int64_t total_cents;
};

struct dash_categoria {
	char nombre[201];           /* "" shows as "Sin categoría" */
	int64_t total_cents;
	bool otras;                 /* the folded remainder */
};

struct dash_bajo_stock {
	int64_t producto_id;
	char nombre[401];
	char unidad[8];
	int64_t stock_milli;
	int64_t stock_minimo_milli;
	int64_t vendido_milli;      /* sold in the period */
	int64_t dias_restantes;     /* at the period's pace; -1 = no sales to measure */
};

enum dash_nivel { DASH_INFO, DASH_BIEN, DASH_ALERTA };

struct dash_insight {
	enum dash_nivel nivel;
	char texto[600];
};

struct dashboard {
	struct dash_period period;
	int decimales_moneda;       /* configuracion.decimales_moneda (0 or 2) */

	int64_t n_ventas;
	int64_t ventas_total_cents;     /* with VAT */
	int64_t ventas_iva_cents;
	int64_t ventas_netas_cents;     /* without VAT */
	int64_t ingresos_extra_cents;   /* 0 until ingresos exist */
	int64_t costo_cents;            /* cost of goods sold (snapshot at sale time) */
	int64_t gastos_cents;           /* 0 until gastos exist */
	int64_t utilidad_bruta_cents;   /* netas + extra - costo */
	int64_t utilidad_neta_cents;    /* bruta - gastos */

	int64_t prev_n_ventas;
	int64_t prev_total_cents;
	bool hay_cambio;                /* prev_total_cents > 0: cambio_decimas is defined */
	int64_t cambio_decimas;         /* change against prev in tenths of a percent */

	int64_t dia_semana_cents[7];    /* Monday (0) .. Sunday (6) */
	int64_t dia_semana_n[7];

	struct dash_top top[DASH_TOP];
	size_t n_top;
	struct dash_categoria categorias[DASH_MAX_CATEGORIAS + 1];
	size_t n_categorias;

	struct dash_bajo_stock bajo_stock[DASH_MAX_BAJO_STOCK];
	size_t n_bajo_stock;
	int64_t n_bajo_stock_total;     /* all low-stock products, not only the ones listed */

	int64_t n_productos;
	int64_t n_productos_vendidos;   /* distinct products sold in the period */
	int64_t n_productos_sin_ventas;

	struct dash_insight insights[DASH_MAX_INSIGHTS];
	size_t n_insights;

	bool desde_cache;               /* the sales figures came from the cache */
};

/*
 * Computes every figure for tenant_id over p into *d (about 20 KB: give it
 * arena or heap memory, not a small stack). Sales aggregates are cached in
 * the process keyed by (tenant, period, data version); the version is read
 * on every call, so a new or annulled sale is seen at once. Returns 0, or
 * -1 on a database error.
 */
int dashboard_compute(struct db *db, int64_t tenant_id, const struct dash_period *p,
		      struct dashboard *d);

/* Drops every cached entry (tests, benchmarks). */
void dashboard_cache_clear(void);
/* Turns the cache off (false) or on; it starts on. For measuring the plain queries. */
void dashboard_cache_enable(bool on);

/* Day helpers on YYYYMMDD values (exposed for tests). Monday = 0. */
int dia_weekday(int32_t dia);
int32_t dia_add_days(int32_t dia, int64_t n_days);

/* es-CO display helpers for pages and insight text. */
/* Tenths of a percent: 125 -> "+12,5 %" (with_sign) or "12,5 %"; -30 -> "-3,0 %". */
void pct_decimas_format(int64_t decimas, bool with_sign, char *out, size_t out_size);
/* A count with thousands dots: 5000 -> "5.000". */
void int_es_format(int64_t n, char *out, size_t out_size);
/* A quantity: 2500 -> "2,5", 1234000 -> "1.234", 250 -> "0,25". */
void qty_es_format(int64_t milli, char *out, size_t out_size);

#endif
