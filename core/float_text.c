/* Shortest round-trip decimals without dtoa.
 *
 * A double v = m * 2^e (m < 2^53) reads back from every decimal inside its
 * rounding interval: halfway to the next double below and above. dtoa's
 * mode 0 prints the decimal in that interval with the fewest digits, the
 * one nearest v when two are as short. In positional range (1e-4 <= |v| <
 * 1e16, not whole) e lies in [-66, -1], so scaled by 4 (the lower half-gap
 * of a power of two is a quarter ulp) the interval's ends are integers
 * below 2^56 over 2^s with s = 2 - e <= 68, and times 10^t for t <= 20
 * fractional digits they stay below 2^126. So two 128-bit multiplies give,
 * exactly, the decimals with 17 significant digits (which always suffice)
 * that lie in the interval, as a range of integers; dropping trailing
 * digits while the range still holds a multiple of 10 finds the shortest;
 * a third multiply rounds v to that length. dtoa works digit by digit on
 * bignums instead. */
#include "float_text.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

const char tp_digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

#ifdef __SIZEOF_INT128__

__extension__ typedef unsigned __int128 u128;

static const uint64_t pow10_u64[20] = {
    1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL,
    100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL,
    1000000000000ULL, 10000000000000ULL, 100000000000000ULL,
    1000000000000000ULL, 10000000000000000ULL, 100000000000000000ULL,
    1000000000000000000ULL, 10000000000000000000ULL};

/* x * 10^t for t <= 20; one 64x64 multiply below 10^20. */
static u128 times_pow10(uint64_t x, unsigned t)
{
    if (t < 20)
        return (u128)x * pow10_u64[t];
    return (u128)x * pow10_u64[19] * pow10_u64[t - 19];
}

/* The reals that read back as v, as integers over 2^shift: v itself is
 * `mid`; the ends belong to the interval when m is even (reading rounds
 * half to even), as in dtoa. */
typedef struct read_back_interval {
    uint64_t lo, mid, hi;
    unsigned shift;
    bool ends_included;
} read_back_interval;

/* The least and greatest q with q / 10^t in the interval; false if none. */
static bool decimals_in(const read_back_interval *iv, unsigned t, u128 *least, u128 *greatest)
{
    u128 mask = ((u128)1 << iv->shift) - 1;
    u128 lo = times_pow10(iv->lo, t), hi = times_pow10(iv->hi, t);
    u128 first = lo >> iv->shift, last = hi >> iv->shift;
    if ((lo & mask) != 0 || !iv->ends_included)
        first++;
    if ((hi & mask) == 0 && !iv->ends_included)
        last--;   /* hi > 0, so last >= 1 here */
    if (first > last)
        return false;
    *least = first;
    *greatest = last;
    return true;
}

/* v * 10^t rounded half to even, then kept inside [least, greatest]. */
static u128 nearest_decimal(const read_back_interval *iv, unsigned t, u128 least, u128 greatest)
{
    u128 exact = times_pow10(iv->mid, t);
    u128 q = exact >> iv->shift;
    u128 rest = exact & (((u128)1 << iv->shift) - 1), half = (u128)1 << (iv->shift - 1);
    if (rest > half || (rest == half && (q & 1)))
        q++;
    return q < least ? least : q > greatest ? greatest : q;
}

/* [lo, hi] becomes [ceil(lo / d), floor(hi / d)] if that is not empty,
 * that is if a multiple of d lies in it. d is a constant where inlined, so
 * the divisions are multiplications. */
static inline bool drop_if_fits(uint64_t *lo, uint64_t *hi, uint64_t d)
{
    uint64_t l = *lo / d + (*lo % d != 0), h = *hi / d;
    if (l > h)
        return false;
    *lo = l;
    *hi = h;
    return true;
}

/* The most trailing decimal digits (at most `most`) that the integers
 * [lo, hi] can lose and still hold one; lo and hi are left divided. Large
 * steps first: a short decimal such as 0.5 drops sixteen. */
static unsigned drop_digits(uint64_t *lo, uint64_t *hi, unsigned most)
{
    if (most == 0 || !drop_if_fits(lo, hi, 10))
        return 0;   /* most doubles: all 17 digits needed */
    unsigned n = 1;
    while (n + 8 <= most && drop_if_fits(lo, hi, 100000000))
        n += 8;
    if (n + 4 <= most && drop_if_fits(lo, hi, 10000))
        n += 4;
    if (n + 2 <= most && drop_if_fits(lo, hi, 100))
        n += 2;
    if (n + 1 <= most && drop_if_fits(lo, hi, 10))
        n += 1;
    return n;
}

static unsigned decimal_length(uint64_t x)
{
    unsigned n = 1;
    while (n < 20 && x >= pow10_u64[n])
        n++;
    return n;
}

/* The fewest digits after the point that 17 significant digits need (17
 * always read back as the same double). `whole` is v's integer part: all of
 * the interval has it, since no whole number lies inside. */
static unsigned decimals_for_17_digits(double a, uint64_t whole)
{
    if (whole)
        return 17 - decimal_length(whole);   /* whole < 1e16: at least 1 */
    unsigned zeros = a >= 0.1 ? 0 : a >= 0.01 ? 1 : a >= 0.001 ? 2 : 3;
    return 17 + zeros;
}

/* u < 10^8 as exactly 8 digits, leading zeros kept: two digits a table
 * look-up, the divisions in 32 bits (multiplications by constants). */
static inline void put_8_digits(char *d, uint32_t u)
{
    uint32_t high = u / 10000, low = u % 10000;
    memcpy(d, tp_digit_pairs + 2 * (high / 100), 2);
    memcpy(d + 2, tp_digit_pairs + 2 * (high % 100), 2);
    memcpy(d + 4, tp_digit_pairs + 2 * (low / 100), 2);
    memcpy(d + 6, tp_digit_pairs + 2 * (low % 100), 2);
}

/* The digits of q < 10^24 as exactly 24, then 24 zeros of slack for the
 * fixed-size copies that read past them. */
#define DIGITS_WIDTH 24

static inline void put_24_digits(char d[2 * DIGITS_WIDTH], uint64_t q)
{
    put_8_digits(d + 16, (uint32_t)(q % 100000000));
    q /= 100000000;
    put_8_digits(d + 8, (uint32_t)(q % 100000000));
    put_8_digits(d, (uint32_t)(q / 100000000));
    memset(d + DIGITS_WIDTH, '0', DIGITS_WIDTH);
}

/* "ddd.ddd" or "0.000ddd" for q / 10^t, whose integer part is `whole`:
 * all of q's digits at once, then two fixed-size copies (the text has room
 * for them: TP_FLOAT_TEXT_MAX); bytes past the NUL are scratch. */
static size_t write_positional(uint64_t q, unsigned t, uint64_t whole, bool negative, char *text)
{
    unsigned whole_digits = whole ? decimal_length(whole) : 1;
    size_t len = negative + whole_digits + 1 + t;
    char digits[2 * DIGITS_WIDTH];
    put_24_digits(digits, q);   /* whole: q < 10^17; else t <= 21 */
    char *p = text;
    if (negative)
        *p++ = '-';
    if (whole)
        memcpy(p, digits + DIGITS_WIDTH - t - whole_digits, DIGITS_WIDTH);
    else
        *p = '0';
    p[whole_digits] = '.';
    memcpy(p + whole_digits + 1, digits + DIGITS_WIDTH - t, DIGITS_WIDTH);
    text[len] = '\0';
    return len;
}

/* Most floats a program shows were written with a few decimals (prices,
 * ratios, steps of 0.1). Such a v, below 2^50 / 10^8, is n / 10^8 for the
 * n nearest a * 10^8 (the product is off by under 1/4), and then n / 10^8
 * in double (both exact, one correctly rounded division) is v itself.
 * Decimals of 8 places that far below 2^50 lie over 4 ulps apart, so n is
 * the only one that reads back as v; a shorter decimal that does is n
 * without its trailing zeros, which is therefore repr's answer. One
 * multiply and one divide turn down every other float. */
#define FEW_PLACES 8
#define FEW_SCALE 1e8
#define FEW_BELOW (0x1p50 / FEW_SCALE)

static size_t few_places(double a, bool negative, char *text)
{
    if (a >= FEW_BELOW)
        return 0;
    uint64_t n = (uint64_t)(a * FEW_SCALE + 0.5);
    if ((double)n / FEW_SCALE != a)
        return 0;
    unsigned t = FEW_PLACES;   /* n has fewer than 8 trailing zeros: a is not whole */
    if (n % 10000 == 0) {
        n /= 10000;
        t -= 4;
    }
    if (n % 100 == 0) {
        n /= 100;
        t -= 2;
    }
    if (n % 10 == 0) {
        n /= 10;
        t -= 1;
    }
    return write_positional(n, t, n / pow10_u64[t], negative, text);
}

size_t tp_float_text_fixed(double v, char text[TP_FLOAT_TEXT_MAX])
{
    double a = v < 0 ? -v : v;
    if (!(a >= 1e-4 && a < 1e16))   /* also NaN */
        return 0;
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    unsigned biased = (unsigned)(bits >> 52) & 0x7FF;
    uint64_t fraction = bits & ((1ULL << 52) - 1);
    uint64_t m = fraction | (1ULL << 52);
    int e = (int)biased - 1075;
    if (e >= 0 || (-e <= 52 && (m & ((1ULL << -e) - 1)) == 0))
        return 0;   /* a whole number */
    size_t short_len = few_places(a, v < 0, text);
    if (short_len)
        return short_len;
    read_back_interval iv = {
        .lo = 4 * m - (fraction == 0 && biased > 1 ? 1 : 2),
        .mid = 4 * m,
        .hi = 4 * m + 2,
        .shift = (unsigned)(2 - e),
        .ends_included = (m & 1) == 0,
    };
    uint64_t whole = (uint64_t)a;
    /* The decimals with 17 significant digits in the interval (there is
     * always one), then as many trailing digits dropped as leave one. */
    unsigned t17 = decimals_for_17_digits(a, whole);
    u128 least, greatest;
    if (!decimals_in(&iv, t17, &least, &greatest) || (greatest >> 64))
        return 0;   /* cannot happen; dtoa will say */
    uint64_t lo = (uint64_t)least, hi = (uint64_t)greatest;
    unsigned dropped = drop_digits(&lo, &hi, t17 - 1);
    unsigned t = t17 - dropped;
    u128 q = nearest_decimal(&iv, t, lo, hi);
    if (q >> 64)
        return 0;   /* likewise: 17 digits fit 64 bits */
    return write_positional((uint64_t)q, t, whole, v < 0, text);
}

#else

size_t tp_float_text_fixed(double v, char text[TP_FLOAT_TEXT_MAX])
{
    (void)v;
    text[0] = '\0';
    return 0;
}

#endif
