/* What the expression lexer, parser and evaluator share; not for other
 * modules (they use expr.h). */
#ifndef TPH_EXPR_INTERNAL_H
#define TPH_EXPR_INTERNAL_H

#include "expr.h"

#include <regex.h>

/* In a lexed string an unescaped `%` becomes this byte, so `==` can tell
 * wildcards from a literal `\%`. Control bytes are refused in expressions,
 * so it cannot come from the user. */
#define EXPR_WILD '\x01'

typedef enum expr_op {
    OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_CONTAINS, OP_MATCHES,
    OP_PRESENT,                   /* a field alone: the call has it */
} expr_op;

typedef enum tok_kind {
    T_END, T_LPAREN, T_RPAREN, T_AND, T_OR, T_NOT, T_OP, T_WORD, T_STRING,
} tok_kind;

typedef struct expr_token {
    tok_kind kind;
    expr_op op;                   /* T_OP */
    size_t pos;                   /* byte offset from 0 */
    char *text;                   /* T_WORD, T_STRING: unescaped, owned */
} expr_token;

typedef struct expr_tokens {
    expr_token *items;
    size_t count, cap;
} expr_tokens;

typedef enum expr_field {
    F_MODULE, F_FUNC, F_QUALNAME, F_FILE, F_ARG, F_RETURN, F_EXCEPTION,
    F_TEXT_FIELDS,
    F_ELAPSED = F_TEXT_FIELDS, F_SELF, F_DEPTH, F_THREAD,
} expr_field;

typedef struct expr_atom {
    expr_field field;
    expr_op op;
    bool is_null;                 /* compared with `null` */
    bool like;                    /* `==`/`!=` with % wildcards */
    char *text;                   /* the value, wildcards as EXPR_WILD */
    double number;                /* numeric fields */
    bool has_regex;
    regex_t regex;
} expr_atom;

typedef enum expr_kind { N_ATOM, N_AND, N_OR, N_NOT } expr_kind;

typedef struct expr_node {
    expr_kind kind;
    size_t a, b;                  /* atom index, or child node indexes */
} expr_node;

struct tp_expr {
    expr_node *nodes;
    size_t n_nodes, nodes_cap;
    expr_atom atoms[TP_EXPR_MAX_ATOMS];
    size_t n_atoms;
    size_t root;
};

/* Splits `text` into tokens ending with T_END; false with `error` set. */
bool expr_lex(const char *text, expr_tokens *out, tp_expr_error *error);
void expr_tokens_free(expr_tokens *tokens);

/* Whether the field is known only when a call ends. */
bool expr_field_is_late(expr_field field);

/* Sets error->position (from a 0-based offset) and the message. */
void expr_set_error(tp_expr_error *error, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
