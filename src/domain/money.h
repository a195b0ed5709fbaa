/*
 * money.h - exact money and quantities. Money is int64 cents; quantities
 * are int64 thousandths (milli); VAT rates are hundredths of a percent
 * (centi: 1900 = 19 %). Never floating point. Intermediate products use
 * 128-bit integers so price x quantity x rate cannot overflow.
 */
#ifndef MONEY_H
#define MONEY_H

#include "../core/common.h"

#define MONEY_MAX_CENTS 100000000000000LL   /* 1e12 pesos: far above any shop */
#define QTY_MAX_MILLI 1000000000LL          /* one million units */

/* round_half_up(a / b) for a >= 0, b > 0 (and symmetric for a < 0). */
int64_t div_round_half_up(__int128 a, int64_t b);

/* Net of a line: round_half_up(price_cents * qty_milli / 1000). */
int64_t line_net_cents(int64_t price_cents, int64_t qty_milli);
/* VAT of a line: round_half_up(price_cents * qty_milli * iva_centi / (1000 * 10000)). */
int64_t line_iva_cents(int64_t price_cents, int64_t qty_milli, int64_t iva_centi);

/*
 * Parses a decimal amount as typed by people or sent as a JSON string:
 * "1500", "1500.5", "1500,50", "1.500,50", "$ 1.234" (es-CO thousands dots
 * are accepted only in groups of three). At most 2 decimals. 0 <= result
 * <= MONEY_MAX_CENTS. Returns 0 or -1.
 */
int money_parse(str s, int64_t *cents);
/* Quantity with up to 3 decimals ("2", "0.250", "1,5"), 0 <= q <= QTY_MAX_MILLI. */
int qty_parse(str s, int64_t *milli);
/* VAT percent with up to 2 decimals, 0..100 ("19", "5", "19.00"). */
int iva_parse(str s, int64_t *centi);

/* es-CO display: "$ 1.234.567" (decimals 0) or "$ 1.234.567,89" (decimals 2). */
void money_format(int64_t cents, int decimals, char *out, size_t out_size);
/* Wire/CSV form with a dot and two decimals: "1500.00", "-3.50". */
void money_format_plain(int64_t cents, char *out, size_t out_size);
/* Quantity: "2" when whole, else up to 3 decimals without trailing zeros: "0.25". */
void qty_format(int64_t milli, char *out, size_t out_size);
/* VAT: "19" or "5.5". */
void iva_format(int64_t centi, char *out, size_t out_size);

#endif
