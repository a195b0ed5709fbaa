/*
 * chart_svg.c - builds the dashboard's bar charts as SVG text. Bars are
 * scaled to the largest value with 128-bit intermediates, so no value can
 * overflow and no floating point is needed; colours and font sizes come
 * from static/css/dashboard.css through classes (fill= is the fallback).
 */
#include "chart_svg.h"

#define COL_WIDTH 560
#define COL_PLOT_TOP 24      /* room for the value above the tallest column */
#define COL_PLOT_HEIGHT 180
#define COL_LABEL_HEIGHT 30

#define ROW_HEIGHT 30
#define ROW_LABEL_WIDTH 150
#define ROW_BAR_MAX 290
#define ROW_WIDTH 560

#define LABEL_MAX_CHARS 24

static int64_t max_value(const struct chart_bar *bars, size_t n_bars)
{
	int64_t max = 0;
	for (size_t i = 0; i < n_bars; i++)
		if (bars[i].value > max)
			max = bars[i].value;
	return max;
}

/* value scaled into [0, full]; a positive value never vanishes to 0. */
static int64_t scale(int64_t value, int64_t max, int64_t full)
{
	if (value <= 0 || max <= 0)
		return 0;
	int64_t len = (int64_t)((__int128)value * full / max);
	return len > 0 ? len : 1;
}

/* Appends s escaped, cut to LABEL_MAX_CHARS code points with an ellipsis. */
static void add_label(struct buf *out, const char *s)
{
	size_t len = s ? strlen(s) : 0, n_chars = 0, cut = len;
	for (size_t i = 0; i < len; i++) {
		if (((unsigned char)s[i] & 0xC0) == 0x80)
			continue;
		if (n_chars == LABEL_MAX_CHARS - 1)
			cut = i;
		n_chars++;
	}
	if (n_chars <= LABEL_MAX_CHARS) {
		buf_add_html(out, s, len);
		return;
	}
	buf_add_html(out, s, cut);
	buf_adds(out, "\xe2\x80\xa6");
}

static void add_text(struct buf *out, const char *s)
{
	if (s)
		buf_add_html(out, s, strlen(s));
}

static void open_svg(struct buf *out, const char *id, const char *title, int64_t width,
		     int64_t height)
{
	buf_grow(out, 8192);   /* a chart is 3-8 KB: grow once, not seven times */
	buf_addf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 %lld %lld\""
		 " role=\"img\" aria-labelledby=\"", (long long)width, (long long)height);
	add_text(out, id);
	buf_adds(out, "-t\"><title id=\"");
	add_text(out, id);
	buf_adds(out, "-t\">");
	add_text(out, title);
	buf_adds(out, "</title>");
}

/* The tooltip of one bar: "label: value". */
static void add_tooltip(struct buf *out, const struct chart_bar *b)
{
	buf_adds(out, "<title>");
	add_text(out, b->label);
	buf_adds(out, ": ");
	add_text(out, b->tooltip_text ? b->tooltip_text : b->value_text);
	buf_adds(out, "</title>");
}

void chart_svg_columns(struct buf *out, const char *id, const char *title,
		       const struct chart_bar *bars, size_t n_bars)
{
	int64_t height = COL_PLOT_TOP + COL_PLOT_HEIGHT + COL_LABEL_HEIGHT;
	int64_t base_y = COL_PLOT_TOP + COL_PLOT_HEIGHT;
	int64_t max = max_value(bars, n_bars);
	int64_t slot = n_bars ? COL_WIDTH / (int64_t)n_bars : COL_WIDTH;
	int64_t bar_w = slot * 6 / 10;

	open_svg(out, id, title, COL_WIDTH, height);
	buf_addf(out, "<line class=\"chart-axis\" x1=\"0\" y1=\"%lld\" x2=\"%d\" y2=\"%lld\""
		 " stroke=\"#9ca3af\"/>", (long long)base_y, COL_WIDTH, (long long)base_y);
	for (size_t i = 0; i < n_bars; i++) {
		const struct chart_bar *b = &bars[i];
		int64_t h = scale(b->value, max, COL_PLOT_HEIGHT);
		int64_t x = slot * (int64_t)i + (slot - bar_w) / 2;
		int64_t cx = slot * (int64_t)i + slot / 2;
		buf_adds(out, "<g>");
		add_tooltip(out, b);
		buf_addf(out, "<rect class=\"chart-bar\" x=\"%lld\" y=\"%lld\" width=\"%lld\""
			 " height=\"%lld\" fill=\"#0f766e\"/>", (long long)x, (long long)(base_y - h),
			 (long long)bar_w, (long long)h);
		buf_addf(out, "<text class=\"chart-value\" x=\"%lld\" y=\"%lld\" text-anchor=\"middle\""
			 ">", (long long)cx, (long long)(base_y - h - 6));
		add_text(out, b->value_text);
		buf_addf(out, "</text><text class=\"chart-label\" x=\"%lld\" y=\"%lld\""
			 " text-anchor=\"middle\">", (long long)cx,
			 (long long)(base_y + 20));
		add_label(out, b->label);
		buf_adds(out, "</text></g>");
	}
	buf_adds(out, "</svg>");
}

void chart_svg_rows(struct buf *out, const char *id, const char *title,
		    const struct chart_bar *bars, size_t n_bars)
{
	int64_t height = (int64_t)n_bars * ROW_HEIGHT + 10;
	int64_t max = max_value(bars, n_bars);

	open_svg(out, id, title, ROW_WIDTH, height);
	for (size_t i = 0; i < n_bars; i++) {
		const struct chart_bar *b = &bars[i];
		int64_t w = scale(b->value, max, ROW_BAR_MAX);
		int64_t y = (int64_t)i * ROW_HEIGHT + 5;
		buf_adds(out, "<g>");
		add_tooltip(out, b);
		buf_addf(out, "<text class=\"chart-label\" x=\"%d\" y=\"%lld\" text-anchor=\"end\""
			 ">", ROW_LABEL_WIDTH - 8, (long long)(y + 17));
		add_label(out, b->label);
		buf_addf(out, "</text><rect class=\"chart-bar\" x=\"%d\" y=\"%lld\" width=\"%lld\""
			 " height=\"%d\" fill=\"#0f766e\"/>", ROW_LABEL_WIDTH, (long long)(y + 2),
			 (long long)w, ROW_HEIGHT - 10);
		buf_addf(out, "<text class=\"chart-value\" x=\"%lld\" y=\"%lld\">",
			 (long long)(ROW_LABEL_WIDTH + w + 8), (long long)(y + 17));
		add_text(out, b->value_text);
		buf_adds(out, "</text></g>");
	}
	buf_adds(out, "</svg>");
}
