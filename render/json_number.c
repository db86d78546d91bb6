#include "json_number.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TEXT 64
/* Mantissas up to 2^53 and powers of ten up to 1e22 are exact doubles, so
 * one multiplication or division rounds exactly as strtod does. */
#define EXACT_MANTISSA (1ull << 53)
#define EXACT_POW10 22

static const double pow10_table[EXACT_POW10 + 1] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

bool tp_json_is_integer(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (text[i] == '.' || text[i] == 'e' || text[i] == 'E')
            return false;
    return true;
}

static bool copy_text(const char *text, size_t len, char *tmp)
{
    if (len == 0 || len >= MAX_TEXT)
        return false;
    memcpy(tmp, text, len);
    tmp[len] = '\0';
    return true;
}

static bool slow_int(const char *text, size_t len, int64_t *out)
{
    char tmp[MAX_TEXT], *end;
    if (!copy_text(text, len, tmp))
        return false;
    errno = 0;
    long long v = strtoll(tmp, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

bool tp_json_int(const char *text, size_t len, int64_t *out)
{
    size_t i = len > 0 && text[0] == '-';
    if (i == len || len - i > 18)     /* 18 digits cannot overflow */
        return slow_int(text, len, out);
    int64_t v = 0;
    for (; i < len; i++) {
        if (!is_digit(text[i]))
            return false;
        v = v * 10 + (text[i] - '0');
    }
    *out = text[0] == '-' ? -v : v;
    return true;
}

static bool slow_double(const char *text, size_t len, double *out)
{
    char tmp[MAX_TEXT], *end;
    if (!copy_text(text, len, tmp))
        return false;
    double v = strtod(tmp, &end);
    if (*end || !isfinite(v))
        return false;
    *out = v;
    return true;
}

/* Adds the digits from text[i] on to *mantissa (wrapping past 19 digits,
 * which the caller checks by the count); returns the index after them. */
static size_t add_digits(const char *text, size_t i, size_t len, uint64_t *mantissa)
{
    uint64_t m = *mantissa;
    for (; i < len; i++) {
        unsigned digit = (unsigned)(unsigned char)text[i] - '0';
        if (digit > 9)
            break;
        m = m * 10 + digit;
    }
    *mantissa = m;
    return i;
}

static size_t read_exponent(const char *text, size_t i, size_t len, int *exponent)
{
    bool negative = false;
    if (i < len && (text[i] == '+' || text[i] == '-'))
        negative = text[i++] == '-';
    size_t first = i;
    int e = 0;
    for (; i < len && is_digit(text[i]) && i - first < 4; i++)
        e = e * 10 + (text[i] - '0');
    if (i == first || i < len)
        return 0;
    *exponent = negative ? -e : e;
    return i;
}

bool tp_json_double(const char *text, size_t len, double *out)
{
#if FLT_EVAL_METHOD == 0
    bool negative = len > 0 && text[0] == '-';
    uint64_t mantissa = 0;
    size_t first = negative, i = add_digits(text, first, len, &mantissa);
    size_t digits = i - first, fraction = 0;
    int exponent = 0;
    if (digits > 0 && i < len && text[i] == '.') {
        size_t j = add_digits(text, i + 1, len, &mantissa);
        fraction = j - (i + 1);
        digits = fraction > 0 ? digits + fraction : 0;
        i = j;
    }
    if (digits > 0 && i < len && (text[i] == 'e' || text[i] == 'E'))
        i = read_exponent(text, i + 1, len, &exponent);
    /* 19 digits cannot wrap; up to 2^53 the mantissa is exact */
    if (i == len && digits > 0 && digits <= 19 && mantissa <= EXACT_MANTISSA) {
        int power = exponent - (int)fraction;
        if (power >= -EXACT_POW10 && power <= EXACT_POW10) {
            double v = (double)mantissa;
            v = power < 0 ? v / pow10_table[-power] : v * pow10_table[power];
            *out = negative ? -v : v;
            return true;
        }
    }
#endif
    return slow_double(text, len, out);
}
