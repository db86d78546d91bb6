/* str and bytes, rendered as Python's repr prints them (unicode_repr and
 * PyBytes_Repr), plus the raw characters of a str a user's __repr__ returned. */
#include "repr_internal.h"

#include "compat/api.h"
#include "short_bytes.h"

#include <stdint.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* When a str or bytes repr may be cut, the quote is chosen from the first
 * characters only, so a 10 MB value costs O(max_chars). Values shorter than
 * this are always scanned whole, so their quote is exactly Python's. */
#define QUOTE_SCAN_MIN 4096

static const char hex_digits[] = "0123456789abcdef";


/* How many leading characters can influence the visible output. */
static Py_ssize_t quote_scan_length(const tp_render *r, Py_ssize_t len)
{
    size_t room = r->sink.limit - tp_sink_count(&r->sink);
    if (room < QUOTE_SCAN_MIN)
        room = QUOTE_SCAN_MIN;
    return (size_t)len < room ? len : (Py_ssize_t)room;
}

/* Python's rule: double quotes only if there are single quotes and no
 * double quotes; otherwise single quotes (escaped inside if present). */
static char pick_quote(bool has_single, bool has_double)
{
    return has_single && !has_double ? '"' : '\'';
}

static void put_hex_escape(tp_sink *s, char letter, Py_UCS4 ch, int digits)
{
    char e[10] = {'\\', letter};
    for (int i = 0; i < digits; i++)
        e[2 + i] = hex_digits[(ch >> (4 * (digits - 1 - i))) & 0xF];
    tp_sink_ascii(s, e, (size_t)digits + 2);
}

/* ASCII that a str or bytes repr copies as is. */
static bool is_plain(Py_UCS4 ch, char quote)
{
    return ch >= ' ' && ch < 0x7F && ch != (Py_UCS4)quote && ch != '\\';
}

/* The escapes str and bytes share: quote, backslash, \t \n \r. */
static bool put_common_escape(tp_sink *s, Py_UCS4 ch, char quote)
{
    const char *e = NULL;
    if (ch == (Py_UCS4)quote || ch == '\\') {
        char pair[2] = {'\\', (char)ch};
        tp_sink_ascii(s, pair, 2);
        return true;
    }
    if (ch == '\t')
        e = "\\t";
    else if (ch == '\n')
        e = "\\n";
    else if (ch == '\r')
        e = "\\r";
    if (e)
        tp_sink_ascii(s, e, 2);
    return e != NULL;
}

static void put_str_char(tp_sink *s, Py_UCS4 ch, char quote)
{
    if (put_common_escape(s, ch, quote))
        return;
    if (ch < ' ' || ch == 0x7F)
        put_hex_escape(s, 'x', ch, 2);
    else if (ch < 0x7F || Py_UNICODE_ISPRINTABLE(ch))
        tp_sink_code_point(s, ch);
    else if (ch <= 0xFF)
        put_hex_escape(s, 'x', ch, 2);
    else if (ch <= 0xFFFF)
        put_hex_escape(s, 'u', ch, 4);
    else
        put_hex_escape(s, 'U', ch, 8);
}

static char str_quote(int kind, const void *data, Py_ssize_t n)
{
    if (kind == PyUnicode_1BYTE_KIND)
        return pick_quote(memchr(data, '\'', (size_t)n) != NULL, memchr(data, '"', (size_t)n) != NULL);
    bool has_single = false, has_double = false;
    for (Py_ssize_t i = 0; i < n && !(has_single && has_double); i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        has_single |= ch == '\'';
        has_double |= ch == '"';
    }
    return pick_quote(has_single, has_double);
}

/* Where a run of plain characters starting at i must stop being scanned:
 * every character is at least one code point of output, so looking one past
 * the room left is enough to make the sink cut. */
static Py_ssize_t scan_end(const tp_sink *s, Py_ssize_t i, Py_ssize_t len)
{
    size_t room = s->limit - tp_sink_count(s);
    if ((size_t)(len - i) <= room)
        return len;
    return i + (Py_ssize_t)room + 1;
}

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* The high bit of each byte of w equal to c (exact about whether any is;
 * the other high bits may be spurious). */
static inline uint64_t bytes_equal(uint64_t w, unsigned char c)
{
    uint64_t x = w ^ (ONES * c);
    return (x - ONES) & ~x & HIGHS;
}

/* Likewise for bytes below ' ', above '~', or a backslash: what a repr
 * never copies as is. */
static inline uint64_t bytes_escaped(uint64_t w)
{
    uint64_t below_space = (w - ONES * 0x20) & ~w;
    uint64_t above_tilde = (w + ONES * (0x7F - 0x7E)) | w;
    return ((below_space | above_tilde) & HIGHS) | bytes_equal(w, '\\');
}

/* Does any byte of w need more than a copy: an escaped byte or the quote? */
static bool word_has_special(uint64_t w, char quote)
{
    return (bytes_escaped(w) | bytes_equal(w, (unsigned char)quote)) != 0;
}

/* The 1..7 bytes at p as one word (short_bytes.h), with spaces (which need
 * no escape) in the bytes they leave empty. */
static uint64_t short_word(const Py_UCS1 *p, size_t n)
{
    return tp_short_bytes(p, n, ONES * ' ');
}

/* What one pass over a Latin-1 str found. */
typedef struct byte_classes {
    uint64_t singles, doubles, escaped;
} byte_classes;

static void note_word(byte_classes *c, uint64_t w)
{
    c->singles |= bytes_equal(w, '\'');
    c->doubles |= bytes_equal(w, '"');
    c->escaped |= bytes_escaped(w);
}

#ifdef __SSE2__
/* What one pass found, 16 bytes a step (SSE2 is part of x86-64): bytes
 * below ' ' (as signed bytes, which counts the non-ASCII ones too), DEL and
 * backslash are escaped; the last block overlaps the one before. n >= 16. */
static __attribute__((noinline)) void note_blocks(byte_classes *c, const Py_UCS1 *p, size_t n)
{
    const __m128i space = _mm_set1_epi8(' '), del = _mm_set1_epi8(0x7F);
    const __m128i backslash = _mm_set1_epi8('\\'), single = _mm_set1_epi8('\'');
    const __m128i dquote = _mm_set1_epi8('"');
    __m128i escaped = _mm_setzero_si128(), singles = escaped, doubles = escaped;
    for (size_t i = 0;; i += 16) {
        if (i + 16 > n)
            i = n - 16;
        __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
        escaped = _mm_or_si128(escaped, _mm_or_si128(_mm_cmplt_epi8(v, space),
                                                     _mm_or_si128(_mm_cmpeq_epi8(v, del),
                                                                  _mm_cmpeq_epi8(v, backslash))));
        singles = _mm_or_si128(singles, _mm_cmpeq_epi8(v, single));
        doubles = _mm_or_si128(doubles, _mm_cmpeq_epi8(v, dquote));
        if (i + 16 == n)
            break;
    }
    c->escaped = (uint64_t)_mm_movemask_epi8(escaped);
    c->singles = (uint64_t)_mm_movemask_epi8(singles);
    c->doubles = (uint64_t)_mm_movemask_epi8(doubles);
}
#else
/* Eight bytes a step, the last word overlapping the one before. n >= 8. */
static void note_blocks(byte_classes *c, const Py_UCS1 *p, size_t n)
{
    uint64_t w;
    for (size_t i = 0; i + 8 < n; i += 8) {
        memcpy(&w, p + i, sizeof w);
        note_word(c, w);
    }
    memcpy(&w, p + n - 8, sizeof w);
    note_word(c, w);
}
#endif

/* Below this, one or two words: fewer steps than a block set-up. */
#ifdef __SSE2__
#define BLOCKS_FROM 16
#else
#define BLOCKS_FROM 8
#endif

/* A Latin-1 str of only printable ASCII and at most one kind of quote
 * prints as its bytes between quotes. True, with the quote, if it is one:
 * a single pass, where most strs end. */
static inline __attribute__((always_inline)) bool latin1_prints_as_is(const Py_UCS1 *p, size_t n,
                                                                      char *quote)
{
    byte_classes c = {0, 0, 0};
    if (n >= BLOCKS_FROM) {
        note_blocks(&c, p, n);
    } else if (n > 8) {   /* two words that overlap */
        note_word(&c, tp_short_bytes(p, 8, 0));
        note_word(&c, tp_short_bytes(p + n - 8, 8, 0));
    } else if (n == 8) {
        note_word(&c, tp_short_bytes(p, 8, 0));
    } else if (n) {
        note_word(&c, short_word(p, n));
    }
    if (c.escaped || (c.singles && c.doubles))
        return false;
    *quote = pick_quote(c.singles != 0, c.doubles != 0);
    return true;
}

bool tp_str_prints_as_is(PyObject *s, char *quote)
{
    return tp_str_ready(s) && PyUnicode_KIND(s) == PyUnicode_1BYTE_KIND &&
           latin1_prints_as_is(PyUnicode_1BYTE_DATA(s), (size_t)PyUnicode_GET_LENGTH(s), quote);
}

bool tp_repr_fast_str(PyObject *s, size_t max_chars, tp_buf *out)
{
    if (!tp_str_ready(s) || PyUnicode_KIND(s) != PyUnicode_1BYTE_KIND)
        return false;
    size_t n = (size_t)PyUnicode_GET_LENGTH(s);
    char quote;
    if ((max_chars && n + 2 > max_chars) || !latin1_prints_as_is(PyUnicode_1BYTE_DATA(s), n, &quote))
        return false;
    if (!tp_buf_reserve(out, n + 2))
        return true;   /* out of memory: the buffer says so */
    tp_buf_putc(out, quote);
    tp_buf_append(out, PyUnicode_1BYTE_DATA(s), n);
    tp_buf_putc(out, quote);
    return true;
}

/* Where the run of plain characters that starts at p[i] ends, before end. */
static Py_ssize_t plain_run_end(const Py_UCS1 *p, Py_ssize_t i, Py_ssize_t end, char quote)
{
    for (; i + 8 <= end; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, sizeof w);
        if (word_has_special(w, quote))
            break;
    }
    while (i < end && is_plain(p[i], quote))
        i++;
    return i;
}

/* Latin-1 strings (most strings): runs of plain ASCII go out in one piece. */
static void put_str_body_1byte(tp_sink *s, const Py_UCS1 *p, Py_ssize_t len, char quote)
{
    Py_ssize_t i = 0;
    while (i < len && !s->full) {
        Py_ssize_t end = scan_end(s, i, len);
        Py_ssize_t run = plain_run_end(p, i, end, quote);
        tp_sink_ascii(s, (const char *)p + i, (size_t)(run - i));
        if (run < end)
            put_str_char(s, p[run++], quote);
        i = run;
    }
}

/* A str that needs escapes, or a choice of quote from its first
 * characters only. Out of line: most strs print as they are. */
static __attribute__((noinline)) void render_str_escaped(tp_render *r, PyObject *str)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(str);
    int kind = PyUnicode_KIND(str);
    const void *data = PyUnicode_DATA(str);
    tp_sink *s = &r->sink;
    char quote = str_quote(kind, data, quote_scan_length(r, len));
    tp_sink_ascii(s, &quote, 1);
    if (kind == PyUnicode_1BYTE_KIND) {
        put_str_body_1byte(s, data, len, quote);
    } else {
        for (Py_ssize_t i = 0; i < len && !s->full; i++)
            put_str_char(s, PyUnicode_READ(kind, data, i), quote);
    }
    tp_sink_ascii(s, &quote, 1);
}

void tp_render_str(tp_render *r, PyObject *str)
{
    if (!tp_str_ready(str)) {
        tp_render_failure(r, "repr");
        return;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(str);
    char quote;
    if (PyUnicode_KIND(str) == PyUnicode_1BYTE_KIND &&
        (len < QUOTE_SCAN_MIN || quote_scan_length(r, len) == len) &&
        latin1_prints_as_is(PyUnicode_1BYTE_DATA(str), (size_t)len, &quote)) {
        tp_sink_quoted(&r->sink, quote, (const char *)PyUnicode_1BYTE_DATA(str), (size_t)len);
        return;
    }
    render_str_escaped(r, str);
}

static void put_bytes_char(tp_sink *s, unsigned char c, char quote)
{
    if (put_common_escape(s, c, quote))
        return;
    if (c < ' ' || c >= 0x7F)
        put_hex_escape(s, 'x', c, 2);
    else
        tp_sink_ascii(s, (const char *)&c, 1);
}

void tp_render_bytes(tp_render *r, PyObject *bytes)
{
    const unsigned char *p = (const unsigned char *)PyBytes_AS_STRING(bytes);
    Py_ssize_t len = PyBytes_GET_SIZE(bytes);
    Py_ssize_t scan = quote_scan_length(r, len);
    char quote = pick_quote(memchr(p, '\'', (size_t)scan) != NULL,
                            memchr(p, '"', (size_t)scan) != NULL);
    tp_sink *s = &r->sink;
    char open[2] = {'b', quote};
    tp_sink_ascii(s, open, 2);
    Py_ssize_t i = 0;
    while (i < len && !s->full) {
        Py_ssize_t run = i, end = scan_end(s, i, len);
        while (run < end && is_plain(p[run], quote))
            run++;
        tp_sink_ascii(s, (const char *)p + i, (size_t)(run - i));
        if (run < end)
            put_bytes_char(s, p[run++], quote);
        i = run;
    }
    tp_sink_ascii(s, &quote, 1);
}

void tp_render_text(tp_render *r, PyObject *str)
{
    if (!tp_str_ready(str)) {
        tp_render_failure(r, "repr");
        return;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(str);
    int kind = PyUnicode_KIND(str);
    const void *data = PyUnicode_DATA(str);
    tp_sink *s = &r->sink;
    if (PyUnicode_IS_ASCII(str)) {
        tp_sink_ascii(s, data, (size_t)len);
        return;
    }
    for (Py_ssize_t i = 0; i < len && !s->full; i++)
        tp_sink_code_point(s, PyUnicode_READ(kind, data, i));
}
