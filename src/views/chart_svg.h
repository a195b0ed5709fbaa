/*
 * chart_svg.h - bar charts as inline SVG markup built on the server, so a
 * page needs no script, no CDN and no inline style (the CSP forbids all
 * three). Every text that comes from data is HTML-escaped here; the result
 * is meant for a {{{raw}}} template slot. Geometry is integer arithmetic.
 */
#ifndef CHART_SVG_H
#define CHART_SVG_H

#include "../core/buf.h"

struct chart_bar {
	const char *label;       /* axis text, escaped; long labels are shortened */
	int64_t value;           /* bar length is value / max(value); <= 0 draws none */
	const char *value_text;  /* shown at the bar's end, escaped */
	const char *tooltip_text;  /* the hover text after "label: "; NULL = value_text */
};

/*
 * Vertical columns, one per bar, labels underneath (e.g. weekdays). id must
 * be unique in the page ([a-z0-9-]); title names the chart for screen readers.
 */
void chart_svg_columns(struct buf *out, const char *id, const char *title,
		       const struct chart_bar *bars, size_t n_bars);

/* Horizontal bars, one row per bar, label on the left (e.g. categories). */
void chart_svg_rows(struct buf *out, const char *id, const char *title,
		    const struct chart_bar *bars, size_t n_bars);

#endif
