/* A few bytes read as one 64-bit word without reading past them: the
 * string scans of repr_str.c and the key texts of repr_redact.c. */
#ifndef TP_SHORT_BYTES_H
#define TP_SHORT_BYTES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The n (1..8) bytes at p as one word, with loads that stay inside them:
 * two that may overlap, so a byte may be read twice. They fill all 8 bytes
 * of the word for n >= 4, the low 4 for n = 2..3, the low 1 for n = 1; the
 * others are taken from `fill`. For one n and one fill, equal words mean
 * equal bytes. */
static inline uint64_t tp_short_bytes(const unsigned char *p, size_t n, uint64_t fill)
{
    uint64_t w;
    uint32_t a, b;
    uint16_t c, d;
    if (n >= 8) {
        memcpy(&w, p, 8);
        return w;
    }
    if (n >= 4) {
        memcpy(&a, p, 4);
        memcpy(&b, p + n - 4, 4);
        return a | (uint64_t)b << 32;
    }
    if (n >= 2) {
        memcpy(&c, p, 2);
        memcpy(&d, p + n - 2, 2);
        return (fill & 0xFFFFFFFF00000000ULL) | c | (uint64_t)d << 16;
    }
    return (fill & ~0xFFULL) | p[0];
}

#endif
