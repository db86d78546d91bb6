/* The expression lexer: operators, parentheses, keywords, quoted strings
 * and bare words, each with its byte position for error messages. */
#include "expr_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void expr_set_error(tp_expr_error *error, size_t offset, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(error->message, sizeof error->message, fmt, ap);
    va_end(ap);
    error->position = offset + 1;
}

void expr_tokens_free(expr_tokens *tokens)
{
    for (size_t i = 0; i < tokens->count; i++)
        free(tokens->items[i].text);
    free(tokens->items);
    memset(tokens, 0, sizeof *tokens);
}

static expr_token *add_token(expr_tokens *t, tok_kind kind, size_t pos)
{
    if (t->count == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        expr_token *items = realloc(t->items, cap * sizeof *items);
        if (!items)
            return NULL;
        t->items = items;
        t->cap = cap;
    }
    expr_token *tok = &t->items[t->count++];
    memset(tok, 0, sizeof *tok);
    tok->kind = kind;
    tok->pos = pos;
    return tok;
}

/* Operators spelled with symbols; longest first. */
static const struct { const char *text; tok_kind kind; expr_op op; } symbols[] = {
    {"==", T_OP, OP_EQ}, {"!=", T_OP, OP_NE}, {"<=", T_OP, OP_LE}, {">=", T_OP, OP_GE},
    {"&&", T_AND, OP_EQ}, {"||", T_OR, OP_EQ}, {"=", T_OP, OP_EQ}, {"<", T_OP, OP_LT},
    {">", T_OP, OP_GT}, {"!", T_NOT, OP_EQ}, {"(", T_LPAREN, OP_EQ}, {")", T_RPAREN, OP_EQ},
};

static size_t lex_symbol(const char *s, tok_kind *kind, expr_op *op)
{
    for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++) {
        size_t n = strlen(symbols[i].text);
        if (strncmp(s, symbols[i].text, n) == 0) {
            *kind = symbols[i].kind;
            *op = symbols[i].op;
            return n;
        }
    }
    return 0;
}

/* Bytes of a bare word: anything but space, quotes, parentheses and the
 * comparison symbols. */
static size_t word_length(const char *s)
{
    size_t n = 0;
    while (s[n] && !strchr(" \t\r\n\"'()=!<>&|", s[n]))
        n++;
    return n;
}

/* Keywords are words, matched without regard to case. */
static bool keyword(const char *s, size_t n, tok_kind *kind, expr_op *op)
{
    static const struct { const char *text; tok_kind kind; expr_op op; } words[] = {
        {"and", T_AND, OP_EQ}, {"or", T_OR, OP_EQ}, {"not", T_NOT, OP_EQ},
        {"contains", T_OP, OP_CONTAINS}, {"matches", T_OP, OP_MATCHES},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (strlen(words[i].text) == n && strncasecmp(s, words[i].text, n) == 0) {
            *kind = words[i].kind;
            *op = words[i].op;
            return true;
        }
    }
    return false;
}

/* A bare word's text: `%` is a wildcard there too. */
static char *word_text(const char *s, size_t n)
{
    char *text = malloc(n + 1);
    if (!text)
        return NULL;
    for (size_t i = 0; i < n; i++)
        text[i] = s[i] == '%' ? EXPR_WILD : s[i];
    text[n] = '\0';
    return text;
}

/* One escape inside a quoted string; unknown escapes keep their backslash
 * so regular expressions such as "a\.b" read naturally. */
static size_t put_escape(char *out, char c)
{
    switch (c) {
    case 'n': out[0] = '\n'; return 1;
    case 't': out[0] = '\t'; return 1;
    case '\\': case '"': case '\'': out[0] = c; return 1;
    case '%': out[0] = '%'; return 1;
    default: out[0] = '\\'; out[1] = c; return 2;
    }
}

/* Lexes a quoted string starting at s[0] (the quote); returns its length
 * including both quotes, or 0 with `error` set. */
static size_t lex_string(const char *s, size_t pos, char **out, tp_expr_error *error)
{
    char quote = s[0];
    size_t n = 1;
    char *text = malloc(2 * strlen(s) + 1);
    if (!text) {
        expr_set_error(error, pos, "out of memory");
        return 0;
    }
    size_t len = 0;
    while (s[n] && s[n] != quote) {
        if (s[n] == '\\' && s[n + 1]) {
            len += put_escape(text + len, s[n + 1]);
            n += 2;
            continue;
        }
        if ((unsigned char)s[n] < 0x20 || s[n] == 0x7f) {
            free(text);
            expr_set_error(error, pos + n, "control character 0x%02x", (unsigned char)s[n]);
            return 0;
        }
        text[len++] = s[n] == '%' ? EXPR_WILD : s[n];
        n++;
    }
    if (!s[n]) {
        free(text);
        expr_set_error(error, pos, "unterminated string");
        return 0;
    }
    text[len] = '\0';
    *out = text;
    return n + 1;
}

static size_t lex_word(const char *s, size_t pos, expr_tokens *out, tp_expr_error *error)
{
    size_t n = word_length(s);
    tok_kind kind;
    expr_op op;
    if (keyword(s, n, &kind, &op)) {
        expr_token *tok = add_token(out, kind, pos);
        if (tok)
            tok->op = op;
        else
            expr_set_error(error, pos, "out of memory");
        return tok ? n : 0;
    }
    expr_token *tok = add_token(out, T_WORD, pos);
    if (!tok || !(tok->text = word_text(s, n))) {
        expr_set_error(error, pos, "out of memory");
        return 0;
    }
    return n;
}

static size_t lex_one(const char *s, size_t pos, expr_tokens *out, tp_expr_error *error)
{
    tok_kind kind;
    expr_op op;
    size_t n = lex_symbol(s, &kind, &op);
    if (n > 0) {
        expr_token *tok = add_token(out, kind, pos);
        if (!tok) {
            expr_set_error(error, pos, "out of memory");
            return 0;
        }
        tok->op = op;
        return n;
    }
    if (*s == '"' || *s == '\'') {
        char *text = NULL;
        n = lex_string(s, pos, &text, error);
        if (n == 0)
            return 0;
        expr_token *tok = add_token(out, T_STRING, pos);
        if (!tok) {
            free(text);
            expr_set_error(error, pos, "out of memory");
            return 0;
        }
        tok->text = text;
        return n;
    }
    if (*s == '&' || *s == '|') {
        expr_set_error(error, pos, "unexpected '%c' (use '%c%c' or '%s')", *s, *s, *s,
                       *s == '&' ? "and" : "or");
        return 0;
    }
    return lex_word(s, pos, out, error);
}

bool expr_lex(const char *text, expr_tokens *out, tp_expr_error *error)
{
    memset(out, 0, sizeof *out);
    size_t len = strlen(text);
    if (len > TP_EXPR_MAX_LEN) {
        expr_set_error(error, TP_EXPR_MAX_LEN, "expression longer than %d bytes", TP_EXPR_MAX_LEN);
        return false;
    }
    size_t pos = 0;
    while (pos < len) {
        unsigned char c = (unsigned char)text[pos];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            pos++;
            continue;
        }
        if (c < 0x20 || c == 0x7f) {
            expr_set_error(error, pos, "control character 0x%02x", c);
            return false;
        }
        size_t n = lex_one(text + pos, pos, out, error);
        if (n == 0)
            return false;
        pos += n;
    }
    if (!add_token(out, T_END, pos)) {
        expr_set_error(error, pos, "out of memory");
        return false;
    }
    return true;
}
