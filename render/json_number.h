/* Numbers as yajl hands them over (validated JSON number text, not
 * NUL-terminated): exact conversions without copying, with a fast path for
 * the short decimals traces are made of. */
#ifndef TPH_JSON_NUMBER_H
#define TPH_JSON_NUMBER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whether the text has no fraction and no exponent. */
bool tp_json_is_integer(const char *text, size_t len);

/* An integer that fits int64_t; false for fractions, exponents, overflow. */
bool tp_json_int(const char *text, size_t len, int64_t *out);

/* The double strtod would give (correctly rounded); false when the text is
 * not a number or the value is not finite. */
bool tp_json_double(const char *text, size_t len, double *out);

#endif
