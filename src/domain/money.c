/*
 * money.c - exact arithmetic, parsing and es-CO display of money (int64
 * cents), quantities (int64 thousandths) and VAT rates (hundredths of a
 * percent). Products of price x quantity x rate are formed in __int128 and
 * rounded once, half away from zero, so screen, receipt and reports agree.
 */
#include <ctype.h>

#include "money.h"

int64_t div_round_half_up(__int128 a, int64_t b)
{
	if (b <= 0)
		return 0; /* a caller bug; 0 is safer than a trap in a money path */
	bool neg = a < 0;
	unsigned __int128 ua = neg ? (unsigned __int128)0 - (unsigned __int128)a : (unsigned __int128)a;
	unsigned __int128 ub = (unsigned __int128)b;
	unsigned __int128 q = ua / ub;
	if ((ua % ub) * 2 >= ub)
		q++;
	/* Saturate rather than wrap: every caller compares the result against
	 * MONEY_MAX_CENTS, so a saturated value is refused, a wrapped one is not. */
	if (neg)
		return q > (unsigned __int128)INT64_MAX + 1 ? INT64_MIN : (int64_t)(0 - q);
	return q > (unsigned __int128)INT64_MAX ? INT64_MAX : (int64_t)q;
}

int64_t line_net_cents(int64_t price_cents, int64_t qty_milli)
{
	return div_round_half_up((__int128)price_cents * qty_milli, 1000);
}

int64_t line_iva_cents(int64_t price_cents, int64_t qty_milli, int64_t iva_centi)
{
	return div_round_half_up((__int128)price_cents * qty_milli * iva_centi, 1000LL * 10000LL);
}

/* Longest text any parser looks at: beyond it the value is out of range anyway. */
#define PARSE_MAX_LEN 64

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Appends the digits s[from, to) to *acc, refusing (false) once *acc
 * passes limit, so twenty leading nines never overflow int64.
 */
static bool add_digits(const char *s, size_t from, size_t to, int64_t limit, int64_t *acc)
{
	for (size_t i = from; i < to; i++) {
		if (!is_digit(s[i]))
			return false;
		*acc = *acc * 10 + (s[i] - '0');
		if (*acc > limit)
			return false;
	}
	return true;
}

/*
 * The common shape of the three parsers once thousands separators are
 * gone: digits, optionally one '.' or ',' and 1..max_decimals digits.
 * Result is the value times 10^scale (scale >= max_decimals), 0..max.
 */
static int parse_plain_decimal(const char *s, size_t len, int max_decimals, int scale,
			       int64_t max, int64_t *out)
{
	size_t sep = len;
	int64_t factor = 1;
	int64_t whole = 0, frac = 0;

	for (int i = 0; i < scale; i++)
		factor *= 10;
	if (len == 0 || len > PARSE_MAX_LEN || !is_digit(s[0]) || !is_digit(s[len - 1]))
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '.' || s[i] == ',') {
			if (sep != len)
				return -1;
			sep = i;
		} else if (!is_digit(s[i])) {
			return -1;
		}
	}
	size_t n_decimals = sep == len ? 0 : len - sep - 1;
	if (n_decimals > (size_t)max_decimals)
		return -1;
	if (!add_digits(s, 0, sep, max / factor, &whole))
		return -1;
	if (sep != len && !add_digits(s, sep + 1, len, INT64_MAX / 1000, &frac))
		return -1;
	for (size_t i = n_decimals; i < (size_t)scale; i++)
		frac *= 10;
	int64_t v = whole * factor + frac;
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

/*
 * Strips an optional leading "$" (with spaces or a no-break space after it,
 * as browsers copy formatted amounts) and surrounding whitespace.
 */
static str strip_currency(str s)
{
	s = str_trim(s);
	if (s.len && s.ptr[0] == '$') {
		s.ptr++;
		s.len--;
		for (;;) {
			if (s.len && isspace((unsigned char)s.ptr[0])) {
				s.ptr++;
				s.len--;
			} else if (s.len >= 2 && (unsigned char)s.ptr[0] == 0xC2 &&
				   (unsigned char)s.ptr[1] == 0xA0) {
				s.ptr += 2;
				s.len -= 2;
			} else {
				break;
			}
		}
	}
	return s;
}

/*
 * Rules, in es-CO reading order:
 *  - a ',' is always the decimal separator: at most one, 1-2 digits after,
 *    and every '.' before it is a thousands separator;
 *  - without a ',', two or more '.' are all thousands separators
 *    ("1.234.567"); a single '.' followed by 1-2 digits is the decimal
 *    point ("1500.5", the wire form "1500.00"), followed by exactly 3 digits
 *    it is a thousands separator: "1.500" is 1500 pesos, never 1.5, because
 *    that is how a Colombian shopkeeper writes fifteen hundred;
 *  - thousands groups are exactly three digits after a first group of 1-3
 *    that does not start with 0.
 * Anything else ("1,500.50", "1.5.0", "1,2,3", signs, exponents, hex) is
 * refused instead of guessed.
 */
int money_parse(str s, int64_t *cents)
{
	char digits[PARSE_MAX_LEN + 1];
	size_t n = 0;
	size_t n_dots = 0, n_commas = 0, comma_at = 0, last_dot = 0;

	s = strip_currency(s);
	if (s.len == 0 || s.len > PARSE_MAX_LEN)
		return -1;
	for (size_t i = 0; i < s.len; i++) {
		char c = s.ptr[i];
		if (c == '.') {
			n_dots++;
			last_dot = i;
		} else if (c == ',') {
			n_commas++;
			comma_at = i;
		} else if (!is_digit(c)) {
			return -1;
		}
	}
	if (n_commas > 1 || (n_commas == 1 && n_dots && last_dot > comma_at))
		return -1;

	/* int_end: where the integer part (with any thousands dots) ends. */
	size_t int_end = s.len;
	bool dots_are_thousands = n_dots > 0;
	if (n_commas == 1) {
		int_end = comma_at;
	} else if (n_dots == 1) {
		size_t after = s.len - last_dot - 1;
		if (after == 1 || after == 2) {
			dots_are_thousands = false;
			int_end = last_dot;
		} else if (after != 3) {
			return -1;
		}
	}

	if (dots_are_thousands) {
		/* Groups: first 1-3 digits, then ".ddd" repeated up to int_end. */
		size_t first = 0;
		while (first < int_end && s.ptr[first] != '.')
			first++;
		/* "0.500" is no way to write 500 pesos: a grouped number has no leading zero. */
		if (first == 0 || first > 3 || s.ptr[0] == '0')
			return -1;
		for (size_t i = first; i < int_end; i += 4) {
			if (s.ptr[i] != '.' || int_end - i < 4)
				return -1;
			for (size_t k = 1; k <= 3; k++)
				if (!is_digit(s.ptr[i + k]))
					return -1;
		}
	}
	for (size_t i = 0; i < s.len; i++) {
		if (i < int_end && s.ptr[i] == '.' && dots_are_thousands)
			continue;
		digits[n++] = i == int_end ? '.' : s.ptr[i];
	}
	return parse_plain_decimal(digits, n, 2, 2, MONEY_MAX_CENTS, cents);
}

/* No thousands separators here: in a quantity "1.500" is one and a half kg. */
int qty_parse(str s, int64_t *milli)
{
	s = str_trim(s);
	return parse_plain_decimal(s.ptr, s.len, 3, 3, QTY_MAX_MILLI, milli);
}

/* A trailing '%' is tolerated ("19%", "19 %"), since that is how rates are written. */
int iva_parse(str s, int64_t *centi)
{
	s = str_trim(s);
	if (s.len && s.ptr[s.len - 1] == '%') {
		s.len--;
		s = str_trim(s);
	}
	return parse_plain_decimal(s.ptr, s.len, 2, 2, 10000, centi);
}

/*
 * Formatting builds the text right to left in a small buffer without
 * printf: these run for every money cell of every page and report.
 */
struct rev {
	char text[48];
	size_t start;    /* text[start..] holds the result so far */
};

static void rev_init(struct rev *r)
{
	r->start = sizeof(r->text) - 1;
	r->text[r->start] = '\0';
}

static void rev_putc(struct rev *r, char c)
{
	if (r->start)
		r->text[--r->start] = c;
}

static void rev_puts(struct rev *r, const char *s)
{
	for (size_t n = strlen(s); n; n--)
		rev_putc(r, s[n - 1]);
}

/* Digits of u, with a '.' every three when grouped. */
static void rev_digits(struct rev *r, uint64_t u, bool grouped)
{
	unsigned n_digits = 0;
	do {
		if (grouped && n_digits && n_digits % 3 == 0)
			rev_putc(r, '.');
		rev_putc(r, (char)('0' + u % 10));
		n_digits++;
		u /= 10;
	} while (u);
}

/* Copies the result into out, or leaves "" when it does not fit (never a half number). */
static void rev_out(const struct rev *r, char *out, size_t out_size)
{
	size_t len = sizeof(r->text) - 1 - r->start;
	if (out_size == 0)
		return;
	if (len >= out_size) {
		out[0] = '\0';
		return;
	}
	memcpy(out, r->text + r->start, len + 1);
}

/* Magnitude of v without the undefined -INT64_MIN. */
static uint64_t magnitude(int64_t v)
{
	return v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
}

void money_format(int64_t cents, int decimals, char *out, size_t out_size)
{
	struct rev r;
	uint64_t u = magnitude(cents);
	uint64_t whole = u / 100, frac = u % 100;
	bool minus = cents < 0;

	rev_init(&r);
	if (decimals == 0) {
		/* Whole pesos, rounding the cents half away from zero like everything else. */
		whole += frac >= 50;
		minus = minus && whole;
	} else {
		rev_putc(&r, (char)('0' + frac % 10));
		rev_putc(&r, (char)('0' + frac / 10));
		rev_putc(&r, ',');
	}
	rev_digits(&r, whole, true);
	rev_puts(&r, minus ? "-$ " : "$ ");
	rev_out(&r, out, out_size);
}

void money_format_plain(int64_t cents, char *out, size_t out_size)
{
	struct rev r;
	uint64_t u = magnitude(cents);
	rev_init(&r);
	rev_putc(&r, (char)('0' + u % 10));
	rev_putc(&r, (char)('0' + u / 10 % 10));
	rev_putc(&r, '.');
	rev_digits(&r, u / 100, false);
	if (cents < 0)
		rev_putc(&r, '-');
	rev_out(&r, out, out_size);
}

/* value / 10^scale with the fraction's trailing zeros dropped: "2", "0.25", "-1.5". */
static void format_scaled(int64_t v, unsigned scale, char *out, size_t out_size)
{
	struct rev r;
	uint64_t factor = 1;
	for (unsigned i = 0; i < scale; i++)
		factor *= 10;
	uint64_t u = magnitude(v);
	uint64_t frac = u % factor;

	rev_init(&r);
	if (frac) {
		unsigned width = scale;
		while (frac % 10 == 0) {
			frac /= 10;
			width--;
		}
		for (; width; width--, frac /= 10)
			rev_putc(&r, (char)('0' + frac % 10));
		rev_putc(&r, '.');
	}
	rev_digits(&r, u / factor, false);
	if (v < 0)
		rev_putc(&r, '-');
	rev_out(&r, out, out_size);
}

void qty_format(int64_t milli, char *out, size_t out_size)
{
	format_scaled(milli, 3, out, out_size);
}

void iva_format(int64_t centi, char *out, size_t out_size)
{
	format_scaled(centi, 2, out, out_size);
}
