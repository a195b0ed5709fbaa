/*
 * test_money.c - unit tests for money.c: half-up rounding of line net and
 * VAT, the 128-bit bounds, the accept/reject tables of the three parsers
 * and the exact es-CO and wire formats, with round trips between them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/money.h"

static void test_div_round_half_up(void **state)
{
	(void)state;
	assert_int_equal(div_round_half_up(0, 7), 0);
	assert_int_equal(div_round_half_up(4, 10), 0);
	assert_int_equal(div_round_half_up(5, 10), 1);
	assert_int_equal(div_round_half_up(14, 10), 1);
	assert_int_equal(div_round_half_up(15, 10), 2);
	assert_int_equal(div_round_half_up(-4, 10), 0);
	assert_int_equal(div_round_half_up(-5, 10), -1);
	assert_int_equal(div_round_half_up(-15, 10), -2);
	assert_int_equal(div_round_half_up(20, 10), 2);
	assert_int_equal(div_round_half_up(1, 3), 0);
	assert_int_equal(div_round_half_up(2, 3), 1);
	/* Out of int64 range saturates instead of wrapping. */
	assert_true(div_round_half_up((__int128)INT64_MAX * 4, 2) == INT64_MAX);
	assert_true(div_round_half_up(-(__int128)INT64_MAX * 4, 2) == INT64_MIN);
	assert_true(div_round_half_up((__int128)INT64_MAX, 1) == INT64_MAX);
	assert_true(div_round_half_up((__int128)INT64_MIN, 1) == INT64_MIN);
}

static void test_line_amounts(void **state)
{
	(void)state;
	/* $ 1.000,00 x 3 at 19 % */
	assert_int_equal(line_net_cents(100000, 3000), 300000);
	assert_int_equal(line_iva_cents(100000, 3000, 1900), 57000);
	/* $ 0,50 x 1 at 19 % = 9.5 cents: the half rounds up */
	assert_int_equal(line_net_cents(50, 1000), 50);
	assert_int_equal(line_iva_cents(50, 1000, 1900), 10);
	/* 9.495 cents stays 9 */
	assert_int_equal(line_iva_cents(50, 1000, 1899), 9);
	/* sold by kg: $ 9,99 x 0.250 kg = 249.75 cents -> 250; VAT 47.4525 -> 47 */
	assert_int_equal(line_net_cents(999, 250), 250);
	assert_int_equal(line_iva_cents(999, 250, 1900), 47);
	/* $ 12.000/kg x 0.250 kg */
	assert_int_equal(line_net_cents(1200000, 250), 300000);
	assert_int_equal(line_iva_cents(1200000, 250, 1900), 57000);
	/* $ 123,45 x 3.333: net 41145.885 -> 41146, VAT 7817.718 -> 7818 */
	assert_int_equal(line_net_cents(12345, 3333), 41146);
	assert_int_equal(line_iva_cents(12345, 3333, 1900), 7818);
	/* half a cent of net */
	assert_int_equal(line_net_cents(1, 500), 1);
	assert_int_equal(line_net_cents(1, 499), 0);
	assert_int_equal(line_iva_cents(100000, 3000, 0), 0);
	assert_int_equal(line_iva_cents(100000, 3000, 10000), 300000);
	/* symmetric for reversals */
	assert_int_equal(line_net_cents(1, -500), -1);
	assert_int_equal(line_iva_cents(50, -1000, 1900), -10);
}

static void test_bounds(void **state)
{
	(void)state;
	/* The largest intermediate the product can form fits in 128 bits. */
	__int128 biggest = (__int128)MONEY_MAX_CENTS * QTY_MAX_MILLI * 10000;
	assert_true(biggest > 0);
	assert_true(biggest / 10000 / QTY_MAX_MILLI == MONEY_MAX_CENTS);

	assert_true(line_net_cents(MONEY_MAX_CENTS, 1000) == MONEY_MAX_CENTS);
	assert_true(line_iva_cents(MONEY_MAX_CENTS, 1000, 10000) == MONEY_MAX_CENTS);
	/* 1e23 intermediate, exact 1e16 result */
	assert_true(line_iva_cents(MONEY_MAX_CENTS, QTY_MAX_MILLI, 1) == 10000000000000000LL);
	assert_true(line_iva_cents(MONEY_MAX_CENTS - 1, QTY_MAX_MILLI - 1, 1) == 9999999989999900LL);
	/* 1e20 does not fit int64: saturated, and so above MONEY_MAX_CENTS for callers */
	assert_true(line_net_cents(MONEY_MAX_CENTS, QTY_MAX_MILLI) == INT64_MAX);
	assert_true(line_iva_cents(MONEY_MAX_CENTS, QTY_MAX_MILLI, 10000) == INT64_MAX);
	assert_true(line_net_cents(MONEY_MAX_CENTS, QTY_MAX_MILLI) > MONEY_MAX_CENTS);
}

struct parse_case {
	const char *in;
	size_t len;        /* 0: strlen(in) */
	int64_t want;
};

static str case_str(const struct parse_case *c)
{
	return (str){ c->in, c->len ? c->len : strlen(c->in) };
}

static void test_money_parse_accepts(void **state)
{
	(void)state;
	static const struct parse_case ok[] = {
		{ "1500", 0, 150000 },
		{ "1500.5", 0, 150050 },
		{ "1500.50", 0, 150050 },
		{ "1500,50", 0, 150050 },
		{ "1500,5", 0, 150050 },
		{ "1.500", 0, 150000 },          /* es-CO thousands, not 1.5 */
		{ "1.500,50", 0, 150050 },
		{ "$ 1.500", 0, 150000 },
		{ "$1.500", 0, 150000 },
		{ "$\xc2\xa0" "1.500", 0, 150000 },
		{ "  42  ", 0, 4200 },
		{ "0", 0, 0 },
		{ "0,01", 0, 1 },
		{ "0.1", 0, 10 },
		{ "12.5", 0, 1250 },
		{ "007", 0, 700 },
		{ "1.234.567,89", 0, 123456789 },
		{ "1.234.567", 0, 123456700 },
		{ "12.345", 0, 1234500 },
		{ "123.456,7", 0, 12345670 },
		{ "1000000000000", 0, MONEY_MAX_CENTS },
		{ "1.000.000.000.000,00", 0, MONEY_MAX_CENTS },
		{ "999999999999.99", 0, MONEY_MAX_CENTS - 1 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
		int64_t got = -1;
		if (money_parse(case_str(&ok[i]), &got) != 0)
			fail_msg("money_parse rejected \"%s\"", ok[i].in);
		if (got != ok[i].want)
			fail_msg("money_parse(\"%s\") = %lld, want %lld", ok[i].in, (long long)got,
				 (long long)ok[i].want);
	}
}

static void test_money_parse_rejects(void **state)
{
	(void)state;
	static const struct parse_case bad[] = {
		{ "", 0, 0 },
		{ "   ", 0, 0 },
		{ "$", 0, 0 },
		{ "abc", 0, 0 },
		{ "1.5.0", 0, 0 },
		{ "1,2,3", 0, 0 },
		{ "-1", 0, 0 },
		{ "+1", 0, 0 },
		{ "$ -5", 0, 0 },
		{ "1e5", 0, 0 },
		{ "0x10", 0, 0 },
		{ "1500.505", 0, 0 },
		{ "1500,505", 0, 0 },
		{ "1.2345", 0, 0 },
		{ "1234.567", 0, 0 },
		{ "12345.678", 0, 0 },
		{ "1.500.50", 0, 0 },
		{ "1.234.567.89", 0, 0 },
		{ "1,500.50", 0, 0 },
		{ "1.50,5", 0, 0 },
		{ ".5", 0, 0 },
		{ ",5", 0, 0 },
		{ "5.", 0, 0 },
		{ "5,", 0, 0 },
		{ "1..5", 0, 0 },
		{ ".500", 0, 0 },
		{ "0.500", 0, 0 },             /* neither 500 pesos nor 3 decimals */
		{ "01.500", 0, 0 },
		{ "0,500", 0, 0 },
		{ "1 500", 0, 0 },
		{ "1000000000000.01", 0, 0 },
		{ "1000000000001", 0, 0 },
		{ "99999999999999999999999999", 0, 0 },
		{ "1" "000000000000000000000000000000000000000000000000000000000000000000000", 0, 0 },
		{ "15\0", 3, 0 },
		{ "\xd9\xa1\xd9\xa2", 0, 0 },    /* Arabic-Indic digits */
		{ "NaN", 0, 0 },
		{ "inf", 0, 0 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		int64_t got = 12345;
		if (money_parse(case_str(&bad[i]), &got) == 0)
			fail_msg("money_parse accepted \"%s\" as %lld", bad[i].in, (long long)got);
		assert_int_equal(got, 12345); /* untouched on failure */
	}
	int64_t got;
	assert_int_equal(money_parse(STR_NULL, &got), -1);
}

static void test_qty_parse(void **state)
{
	(void)state;
	static const struct parse_case ok[] = {
		{ "2", 0, 2000 },
		{ "0.250", 0, 250 },
		{ "0,25", 0, 250 },
		{ "1,5", 0, 1500 },
		{ "1.500", 0, 1500 },            /* a quantity has no thousands separator */
		{ "0.001", 0, 1 },
		{ "0", 0, 0 },
		{ " 3 ", 0, 3000 },
		{ "1000000", 0, QTY_MAX_MILLI },
	};
	static const struct parse_case bad[] = {
		{ "", 0, 0 }, { "abc", 0, 0 }, { "-1", 0, 0 }, { "+1", 0, 0 }, { "1.0000", 0, 0 },
		{ "1.000.000", 0, 0 }, { "1000000.001", 0, 0 }, { "1000001", 0, 0 }, { "1e3", 0, 0 },
		{ "1,2,3", 0, 0 }, { ".", 0, 0 }, { ".5", 0, 0 }, { "5.", 0, 0 }, { "0x1", 0, 0 },
		{ "99999999999999999999999", 0, 0 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
		int64_t got = -1;
		if (qty_parse(case_str(&ok[i]), &got) != 0 || got != ok[i].want)
			fail_msg("qty_parse(\"%s\") = %lld, want %lld", ok[i].in, (long long)got,
				 (long long)ok[i].want);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		int64_t got;
		if (qty_parse(case_str(&bad[i]), &got) == 0)
			fail_msg("qty_parse accepted \"%s\"", bad[i].in);
	}
}

static void test_iva_parse(void **state)
{
	(void)state;
	static const struct parse_case ok[] = {
		{ "19", 0, 1900 }, { "5", 0, 500 }, { "19.00", 0, 1900 }, { "5,5", 0, 550 },
		{ "0", 0, 0 }, { "100", 0, 10000 }, { "19%", 0, 1900 }, { "19 %", 0, 1900 },
		{ "0.01", 0, 1 },
	};
	static const struct parse_case bad[] = {
		{ "", 0, 0 }, { "%", 0, 0 }, { "100.01", 0, 0 }, { "101", 0, 0 }, { "-1", 0, 0 },
		{ "19.123", 0, 0 }, { "abc", 0, 0 }, { "1e2", 0, 0 }, { "19%%", 0, 0 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
		int64_t got = -1;
		if (iva_parse(case_str(&ok[i]), &got) != 0 || got != ok[i].want)
			fail_msg("iva_parse(\"%s\") = %lld, want %lld", ok[i].in, (long long)got,
				 (long long)ok[i].want);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		int64_t got;
		if (iva_parse(case_str(&bad[i]), &got) == 0)
			fail_msg("iva_parse accepted \"%s\"", bad[i].in);
	}
}

static void check_money_format(int64_t cents, int decimals, const char *want)
{
	char out[64];
	memset(out, 'x', sizeof(out));
	money_format(cents, decimals, out, sizeof(out));
	assert_string_equal(out, want);
}

static void test_money_format(void **state)
{
	(void)state;
	check_money_format(123456789, 2, "$ 1.234.567,89");
	check_money_format(123456789, 0, "$ 1.234.568");
	check_money_format(123456749, 0, "$ 1.234.567");
	check_money_format(0, 0, "$ 0");
	check_money_format(0, 2, "$ 0,00");
	check_money_format(5, 2, "$ 0,05");
	check_money_format(100, 0, "$ 1");
	check_money_format(99999, 0, "$ 1.000");
	check_money_format(150000, 0, "$ 1.500");
	check_money_format(100000, 0, "$ 1.000");
	check_money_format(99900, 0, "$ 999");
	check_money_format(-123400, 0, "-$ 1.234");
	check_money_format(-123456, 2, "-$ 1.234,56");
	check_money_format(-5, 2, "-$ 0,05");
	check_money_format(-40, 0, "$ 0");
	check_money_format(-50, 0, "-$ 1");
	check_money_format(MONEY_MAX_CENTS, 2, "$ 1.000.000.000.000,00");
	check_money_format(INT64_MIN, 2, "-$ 92.233.720.368.547.758,08");
	check_money_format(INT64_MAX, 0, "$ 92.233.720.368.547.758");

	/* Too small a buffer gives "", never half a number. */
	char small[6];
	money_format(123456789, 2, small, sizeof(small));
	assert_string_equal(small, "");
	money_format(1, 2, small, 0); /* must not write */

	char out[32];
	money_format_plain(150000, out, sizeof(out));
	assert_string_equal(out, "1500.00");
	money_format_plain(-350, out, sizeof(out));
	assert_string_equal(out, "-3.50");
	money_format_plain(5, out, sizeof(out));
	assert_string_equal(out, "0.05");
	money_format_plain(0, out, sizeof(out));
	assert_string_equal(out, "0.00");
	money_format_plain(INT64_MIN, out, sizeof(out));
	assert_string_equal(out, "-92233720368547758.08");
}

static void test_qty_iva_format(void **state)
{
	(void)state;
	static const struct {
		int64_t v;
		const char *want;
	} qty[] = {
		{ 2000, "2" }, { 250, "0.25" }, { 1, "0.001" }, { 1500, "1.5" }, { -1500, "-1.5" },
		{ 0, "0" }, { 10, "0.01" }, { 1234567, "1234.567" }, { -250, "-0.25" },
		{ QTY_MAX_MILLI, "1000000" },
	}, iva[] = {
		{ 1900, "19" }, { 550, "5.5" }, { 1925, "19.25" }, { 0, "0" }, { 10000, "100" },
		{ 5, "0.05" },
	};
	char out[32];
	for (size_t i = 0; i < ARRAY_SIZE(qty); i++) {
		qty_format(qty[i].v, out, sizeof(out));
		assert_string_equal(out, qty[i].want);
	}
	for (size_t i = 0; i < ARRAY_SIZE(iva); i++) {
		iva_format(iva[i].v, out, sizeof(out));
		assert_string_equal(out, iva[i].want);
	}
	qty_format(INT64_MIN, out, sizeof(out));
	assert_string_equal(out, "-9223372036854775.808");
}

/* What we print we can read back, in every form. */
static void test_round_trips(void **state)
{
	(void)state;
	static const int64_t cents[] = {
		0, 1, 10, 99, 100, 150050, 123456789, 99999999, 100000000, MONEY_MAX_CENTS,
		MONEY_MAX_CENTS - 1,
	};
	char out[64];
	for (size_t i = 0; i < ARRAY_SIZE(cents); i++) {
		int64_t back = -1;
		money_format_plain(cents[i], out, sizeof(out));
		assert_int_equal(money_parse(str_from(out), &back), 0);
		assert_int_equal(back, cents[i]);
		money_format(cents[i], 2, out, sizeof(out));
		assert_int_equal(money_parse(str_from(out), &back), 0);
		assert_int_equal(back, cents[i]);
	}
	for (int64_t m = 0; m <= 5000; m += 7) {
		int64_t back = -1;
		qty_format(m, out, sizeof(out));
		assert_int_equal(qty_parse(str_from(out), &back), 0);
		assert_int_equal(back, m);
	}
	for (int64_t c = 0; c <= 10000; c += 13) {
		int64_t back = -1;
		iva_format(c, out, sizeof(out));
		assert_int_equal(iva_parse(str_from(out), &back), 0);
		assert_int_equal(back, c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_div_round_half_up),
		cmocka_unit_test(test_line_amounts),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_money_parse_accepts),
		cmocka_unit_test(test_money_parse_rejects),
		cmocka_unit_test(test_qty_parse),
		cmocka_unit_test(test_iva_parse),
		cmocka_unit_test(test_money_format),
		cmocka_unit_test(test_qty_iva_format),
		cmocka_unit_test(test_round_trips),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
