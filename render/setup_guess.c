/* The guess table: annotation types first, then words in the parameter's
 * name, first match wins, None otherwise. */
#include "setup_guess.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#define FILE_EXPR "_FILE"
#define DIR_EXPR "_TEMP"
#define COUNT_EXPR "3"
#define TEXT_EXPR "\"example\""
#define FLAG_EXPR "True"
#define LIST_EXPR "[1, 2, 3]"

enum match { EXACT, CONTAINS, PREFIX };

static const struct name_rule {
    enum match how;
    const char *words;      /* space separated */
    const char *expr;
} name_rules[] = {
    {CONTAINS, "dir folder", DIR_EXPR},
    {CONTAINS, "path file", FILE_EXPR},
    {EXACT, "n k num number length limit times width height depth steps", COUNT_EXPR},
    {CONTAINS, "count size", COUNT_EXPR},
    {EXACT, "s string word msg message label title key prefix suffix", TEXT_EXPR},
    {CONTAINS, "name text", TEXT_EXPR},
    {PREFIX, "is_ has_ use_ should_ allow_", FLAG_EXPR},
    {CONTAINS, "flag enabled verbose debug force strict quiet", FLAG_EXPR},
    {EXACT, "lst seq data numbers nums xs elements array arr", LIST_EXPR},
    {CONTAINS, "items values list", LIST_EXPR},
};

static const struct type_rule {
    const char *types;      /* space separated */
    const char *expr;
} type_rules[] = {
    {"int", COUNT_EXPR},
    {"float", "1.5"},
    {"str", TEXT_EXPR},
    {"bool", FLAG_EXPR},
    {"bytes", "b\"example\""},
    {"list List Sequence Iterable Collection tuple Tuple", LIST_EXPR},
    {"dict Dict Mapping", "{\"key\": \"value\"}"},
};

static bool word_matches(enum match how, const char *name, const char *word, size_t len)
{
    size_t n = strlen(name);
    if (how == EXACT)
        return n == len && memcmp(name, word, len) == 0;
    if (how == PREFIX)
        return n >= len && memcmp(name, word, len) == 0;
    for (size_t i = 0; i + len <= n; i++)
        if (memcmp(name + i, word, len) == 0)
            return true;
    return false;
}

/* True if `text` equals one of the space-separated `words` (or, with `how`,
 * contains or starts with one). */
static bool any_word(enum match how, const char *text, const char *words)
{
    for (const char *w = words; *w;) {
        size_t len = strcspn(w, " ");
        if (word_matches(how, text, w, len))
            return true;
        w += len;
        w += *w == ' ';
    }
    return false;
}

/* "typing.List[int]" or "'int'" -> "List" / "int" in `base`. */
static void annotation_base(const char *annotation, char *base, size_t size)
{
    const char *p = annotation;
    while (*p == '"' || *p == '\'')
        p++;
    const char *dot = NULL;
    size_t n = 0;
    for (const char *q = p; *q && *q != '[' && *q != '"' && *q != '\'' && *q != ' '; q++)
        if (*q == '.')
            dot = q;
    if (dot)
        p = dot + 1;
    while (p[n] && (isalnum((unsigned char)p[n]) || p[n] == '_') && n + 1 < size) {
        base[n] = p[n];
        n++;
    }
    base[n] = '\0';
}

const char *tp_guess_argument(const char *name, const char *annotation)
{
    char base[64];
    annotation_base(annotation ? annotation : "", base, sizeof base);
    for (size_t i = 0; base[0] && i < sizeof type_rules / sizeof type_rules[0]; i++)
        if (any_word(EXACT, base, type_rules[i].types))
            return type_rules[i].expr;
    char lower[128];
    size_t n = 0;
    for (; name[n] && n + 1 < sizeof lower; n++)
        lower[n] = (char)tolower((unsigned char)name[n]);
    lower[n] = '\0';
    for (size_t i = 0; i < sizeof name_rules / sizeof name_rules[0]; i++)
        if (any_word(name_rules[i].how, lower, name_rules[i].words))
            return name_rules[i].expr;
    return "None";
}
