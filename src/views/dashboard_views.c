/*
 * dashboard_views.c - GET /dashboard/ for owners: reads the period from the
 * query, asks the domain for the figures (domain/dashboard.c, cached) and
 * turns them into the template's context: money as es-CO strings, charts as
 * SVG markup built by chart_svg.c with every data text escaped.
 */
#include "core/buf.h"
#include "domain/dashboard.h"
#include "domain/money.h"
#include "domain/usuario.h"
#include "views/chart_svg.h"
#include "views/view_ctx.h"
#include "views/views.h"
#include "web/render.h"

static const char *const weekday_names[7] = {
	"Lunes", "Martes", "Miércoles", "Jueves", "Viernes", "Sábado", "Domingo",
};

static void set_qty(json_t *obj, const char *key, int64_t milli)
{
	char text[32];
	qty_es_format(milli, text, sizeof(text));
	ctx_set_str(obj, key, text);
}

/* YYYYMMDD as "dd/mm/aaaa". */
static void set_dia(json_t *obj, const char *key, int32_t dia)
{
	char text[16];
	xsnprintf(text, sizeof(text), "%02d/%02d/%04d", dia % 100, dia / 100 % 100, dia / 10000);
	ctx_set_str(obj, key, text);
}

/*
 * Moves the chart markup into ctx (the buf is malloc'd: released at once).
 * No UTF-8 check: the markup is ASCII plus label bytes copied from
 * database text, which was checked on the way in and is cut only at
 * character boundaries; checking 10 KB twice per view showed in profiles.
 */
static void set_chart(json_t *ctx, const char *key, struct buf *svg)
{
	json_object_set_new(ctx, key, json_stringn_nocheck(svg->ptr, svg->len));
	buf_release(svg);
}

static json_t *periodo_json(const struct dash_period *p)
{
	json_t *o = json_object();
	ctx_set_str(o, "etiqueta", p->etiqueta);
	set_dia(o, "desde", p->desde);
	set_dia(o, "hasta", p->hasta);
	ctx_set_str(o, "mes_valor", p->mes_valor);
	ctx_set_int_es(o, "n_dias", p->n_dias);
	json_object_set_new(o, "es_7d", json_boolean(p->kind == DASH_7D));
	json_object_set_new(o, "es_mes", json_boolean(p->kind == DASH_MES));
	json_object_set_new(o, "es_anio", json_boolean(p->kind == DASH_ANIO));
	json_object_set_new(o, "es_mes_elegido", json_boolean(p->kind == DASH_MES_ELEGIDO));
	return o;
}

static json_t *kpi_json(const struct dashboard *d)
{
	int dec = d->decimales_moneda;
	json_t *o = json_object();
	ctx_set_money(o, "ventas_total", d->ventas_total_cents, dec);
	ctx_set_money(o, "ventas_iva", d->ventas_iva_cents, dec);
	ctx_set_money(o, "ventas_netas", d->ventas_netas_cents, dec);
	ctx_set_int_es(o, "num_ventas", d->n_ventas);
	ctx_set_money(o, "ingresos_extra", d->ingresos_extra_cents, dec);
	ctx_set_money(o, "costo", d->costo_cents, dec);
	ctx_set_money(o, "gastos", d->gastos_cents, dec);
	ctx_set_money(o, "utilidad_bruta", d->utilidad_bruta_cents, dec);
	ctx_set_money(o, "utilidad_neta", d->utilidad_neta_cents, dec);
	json_object_set_new(o, "utilidad_bruta_negativa", json_boolean(d->utilidad_bruta_cents < 0));
	json_object_set_new(o, "utilidad_neta_negativa", json_boolean(d->utilidad_neta_cents < 0));
	if (d->hay_cambio) {
		char pct[32];
		pct_decimas_format(d->cambio_decimas, true, pct, sizeof(pct));
		ctx_set_str(o, "cambio", pct);
		json_object_set_new(o, "cambio_negativo", json_boolean(d->cambio_decimas < 0));
	}
	return o;
}

/* Short money for a column's label: "$ 845.300", or from a million up "$ 14,1 M". */
static void money_compact(int64_t cents, int decimals, char *out, size_t out_size)
{
	char millions[32];
	if (cents > -100000000 && cents < 100000000) {
		money_format(cents, decimals, out, out_size);
		return;
	}
	int64_t tenths = div_round_half_up(cents, 10000000);   /* tenths of a million pesos */
	int64_t abs_tenths = tenths < 0 ? -tenths : tenths;
	int_es_format(abs_tenths / 10, millions, sizeof(millions));
	xsnprintf(out, out_size, "%s$ %s,%d M", tenths < 0 ? "-" : "", millions, (int)(abs_tenths % 10));
}

static void add_chart_dias(json_t *ctx, const struct dashboard *d)
{
	struct chart_bar bars[7];
	char values[7][48], full[7][48];
	struct buf svg = BUF_INIT;
	for (int i = 0; i < 7; i++) {
		money_compact(d->dia_semana_cents[i], d->decimales_moneda, values[i], sizeof(values[i]));
		money_format(d->dia_semana_cents[i], d->decimales_moneda, full[i], sizeof(full[i]));
		bars[i] = (struct chart_bar){ weekday_names[i], d->dia_semana_cents[i], values[i], full[i] };
	}
	chart_svg_columns(&svg, "chart-dias", "Ventas por día de la semana", bars, 7);
	set_chart(ctx, "chart_dias", &svg);
}

static json_t *categorias_json(json_t *ctx, const struct dashboard *d)
{
	struct chart_bar bars[DASH_MAX_CATEGORIAS + 1];
	char values[DASH_MAX_CATEGORIAS + 1][48];
	json_t *list = json_array();
	for (size_t i = 0; i < d->n_categorias; i++) {
		const struct dash_categoria *c = &d->categorias[i];
		const char *nombre = c->nombre[0] ? c->nombre : "Sin categoría";
		char pct[32];
		money_format(c->total_cents, d->decimales_moneda, values[i], sizeof(values[i]));
		bars[i] = (struct chart_bar){ nombre, c->total_cents, values[i], NULL };
		pct_decimas_format(d->ventas_total_cents > 0 ?
				   div_round_half_up((__int128)c->total_cents * 1000,
						     d->ventas_total_cents) : 0,
				   false, pct, sizeof(pct));
		json_t *o = json_object();
		ctx_set_str(o, "nombre", nombre);
		ctx_set_str(o, "total", values[i]);
		ctx_set_str(o, "porcentaje", pct);
		json_object_set_new(o, "otras", json_boolean(c->otras));
		json_array_append_new(list, o);
	}
	if (d->n_categorias) {
		struct buf svg = BUF_INIT;
		chart_svg_rows(&svg, "chart-categorias", "Ventas por categoría", bars, d->n_categorias);
		set_chart(ctx, "chart_categorias", &svg);
	}
	return list;
}

static json_t *top_json(const struct dashboard *d)
{
	json_t *list = json_array();
	for (size_t i = 0; i < d->n_top; i++) {
		const struct dash_top *t = &d->top[i];
		json_t *o = json_object();
		json_object_set_new(o, "posicion", json_integer((json_int_t)i + 1));
		json_object_set_new(o, "producto_id", json_integer(t->producto_id));
		ctx_set_str(o, "nombre", t->nombre);
		set_qty(o, "cantidad", t->qty_milli);
		ctx_set_money(o, "total", t->total_cents, d->decimales_moneda);
		json_array_append_new(list, o);
	}
	return list;
}

static json_t *bajo_stock_json(const struct dashboard *d)
{
	json_t *list = json_array();
	for (size_t i = 0; i < d->n_bajo_stock; i++) {
		const struct dash_bajo_stock *b = &d->bajo_stock[i];
		json_t *o = json_object();
		char dias[32];
		json_object_set_new(o, "producto_id", json_integer(b->producto_id));
		ctx_set_str(o, "nombre", b->nombre);
		ctx_set_str(o, "unidad", b->unidad);
		set_qty(o, "stock", b->stock_milli);
		set_qty(o, "minimo", b->stock_minimo_milli);
		set_qty(o, "vendido", b->vendido_milli);
		json_object_set_new(o, "agotado", json_boolean(b->stock_milli <= 0));
		if (b->stock_milli <= 0)
			xsnprintf(dias, sizeof(dias), "Agotado");
		else if (b->dias_restantes < 0)
			xsnprintf(dias, sizeof(dias), "Sin ventas");
		else if (b->dias_restantes == 0)
			xsnprintf(dias, sizeof(dias), "Menos de 1");
		else
			int_es_format(b->dias_restantes, dias, sizeof(dias));
		ctx_set_str(o, "dias", dias);
		json_array_append_new(list, o);
	}
	return list;
}

static json_t *insights_json(const struct dashboard *d)
{
	static const char *const niveles[] = { "info", "bien", "alerta" };
	json_t *list = json_array();
	for (size_t i = 0; i < d->n_insights; i++) {
		json_t *o = json_object();
		ctx_set_str(o, "texto", d->insights[i].texto);
		ctx_set_str(o, "nivel", niveles[d->insights[i].nivel]);
		json_array_append_new(list, o);
	}
	return list;
}

int view_dashboard(struct request *req)
{
	struct dash_period period;
	if (dashboard_period(req_query(req, "periodo"), req_query(req, "mes"), req->now, &period) != 0)
		return render_error(req, 400, "VALIDATION_ERROR", "Periodo inválido");
	struct dashboard *d = arena_alloc(&req->arena, sizeof(*d));
	if (!d || dashboard_compute(req->db, req->user->tenant_id, &period, d) != 0)
		return render_error(req, 500, "ERROR", NULL);

	json_t *ctx = json_object();
	ctx_set_str(ctx, "title", "Dashboard");
	ctx_set_str(ctx, "nav", "dashboard");
	json_object_set_new(ctx, "periodo", periodo_json(&d->period));
	json_object_set_new(ctx, "kpi", kpi_json(d));
	add_chart_dias(ctx, d);
	json_object_set_new(ctx, "categorias", categorias_json(ctx, d));
	json_object_set_new(ctx, "top", top_json(d));
	json_object_set_new(ctx, "bajo_stock", bajo_stock_json(d));
	ctx_set_int_es(ctx, "n_bajo_stock_total", d->n_bajo_stock_total);
	json_object_set_new(ctx, "bajo_stock_hay_mas",
			    json_boolean(d->n_bajo_stock_total > (int64_t)d->n_bajo_stock));
	json_object_set_new(ctx, "has_top", json_boolean(d->n_top > 0));
	json_object_set_new(ctx, "has_categorias", json_boolean(d->n_categorias > 0));
	json_object_set_new(ctx, "has_bajo_stock", json_boolean(d->n_bajo_stock > 0));
	json_object_set_new(ctx, "insights", insights_json(d));
	return render_page(req, 200, "dashboard/index.html", ctx);
}
