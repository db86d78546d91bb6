#include "address_text.h"

#include <stdint.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* An address as glibc's "%p" prints it (0x, lowercase hex, no leading
 * zeros), without printf's cost on every object rendered. Written at the
 * end of `text`; returns where it starts. */
#ifdef __SSE2__
/* All 16 digits at once: the bytes most significant first, each split into
 * its two nibbles, each nibble moved to '0'..'9' or 'a'..'f'; then as many
 * as the value has (~20 instructions against ~7 a byte with the table). */
size_t tp_format_address(char text[TP_ADDRESS_TEXT], const void *p)
{
    uint64_t v = (uintptr_t)p;
    __m128i bytes = _mm_cvtsi64_si128((long long)__builtin_bswap64(v));
    __m128i low_nibbles = _mm_set1_epi8(0x0F);
    __m128i high = _mm_and_si128(_mm_srli_epi16(bytes, 4), low_nibbles);
    __m128i low = _mm_and_si128(bytes, low_nibbles);
    __m128i nibbles = _mm_unpacklo_epi8(high, low);
    __m128i letters = _mm_and_si128(_mm_cmpgt_epi8(nibbles, _mm_set1_epi8(9)),
                                    _mm_set1_epi8('a' - '0' - 10));
    __m128i digits = _mm_add_epi8(nibbles, _mm_add_epi8(letters, _mm_set1_epi8('0')));
    _mm_storeu_si128((__m128i *)(void *)(text + 2), digits);
    size_t n = v ? 16 - ((unsigned)__builtin_clzll(v) >> 2) : 1;
    size_t at = TP_ADDRESS_TEXT - n - 2;
    text[at] = '0';
    text[at + 1] = 'x';
    return at;
}
#else
/* Two digits a step from a table. */
size_t tp_format_address(char text[TP_ADDRESS_TEXT], const void *p)
{
    static const char pairs[] =
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
        "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
        "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
        "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
        "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
        "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
        "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
        "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";
    size_t at = TP_ADDRESS_TEXT;
    uintptr_t v = (uintptr_t)p;
    do {
        at -= 2;
        memcpy(text + at, pairs + 2 * (v & 0xFF), 2);
        v >>= 8;
    } while (v);
    if (text[at] == '0')   /* an odd number of digits */
        at++;
    text[--at] = 'x';
    text[--at] = '0';
    return at;
}
#endif
