/* The expression parser: tokens to a tree of comparisons.
 *
 *   or   := and ('or' and)*
 *   and  := unary ('and' unary)*
 *   unary:= 'not' unary | '(' or ')' | FIELD [OP VALUE]
 */
#include "expr_internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct parser {
    const expr_tokens *tokens;
    size_t next, nesting;
    tp_expr *expr;
    tp_expr_error *error;
};

static const struct { const char *name; expr_field field; } field_names[] = {
    {"module", F_MODULE}, {"func", F_FUNC}, {"name", F_FUNC}, {"qualname", F_QUALNAME},
    {"file", F_FILE}, {"arg", F_ARG}, {"args", F_ARG}, {"return", F_RETURN},
    {"exception", F_EXCEPTION}, {"elapsed_ms", F_ELAPSED}, {"elapsed", F_ELAPSED},
    {"self_ms", F_SELF}, {"self", F_SELF}, {"depth", F_DEPTH}, {"thread", F_THREAD},
};

static const char *const op_names[] = {
    "==", "!=", "<", "<=", ">", ">=", "contains", "matches", "",
};

bool expr_field_is_late(expr_field field)
{
    return field == F_ELAPSED || field == F_SELF;
}

static const expr_token *peek(const struct parser *p)
{
    return &p->tokens->items[p->next];
}

static bool fail(struct parser *p, const expr_token *at, const char *what)
{
    expr_set_error(p->error, at->pos, "%s", what);
    return false;
}

static bool add_node(struct parser *p, expr_kind kind, size_t a, size_t b, size_t *out)
{
    tp_expr *e = p->expr;
    if (e->n_nodes == e->nodes_cap) {
        size_t cap = e->nodes_cap ? e->nodes_cap * 2 : 16;
        expr_node *nodes = realloc(e->nodes, cap * sizeof *nodes);
        if (!nodes)
            return fail(p, peek(p), "out of memory");
        e->nodes = nodes;
        e->nodes_cap = cap;
    }
    e->nodes[e->n_nodes] = (expr_node){kind, a, b};
    *out = e->n_nodes++;
    return true;
}

static bool lookup_field(const char *word, expr_field *out)
{
    for (size_t i = 0; i < sizeof field_names / sizeof field_names[0]; i++) {
        if (strcmp(field_names[i].name, word) == 0) {
            *out = field_names[i].field;
            return true;
        }
    }
    return false;
}

static bool parse_number(const char *text, double *out)
{
    if (!*text || strchr(text, EXPR_WILD))
        return false;
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (*end || errno || !isfinite(v))
        return false;
    *out = v;
    return true;
}

/* Text values with `%` keep it literally except under == and !=. */
static void unwild(char *text)
{
    for (char *c = text; *c; c++)
        if (*c == EXPR_WILD)
            *c = '%';
}

/* glibc's regcomp copies a pattern's tree for every repetition, so stacked
 * quantifiers ("a+++") or large or many {n,m} bounds can take gigabytes
 * to compile. They add nothing a filter needs: refused, with the reason. */
#define REGEX_MAX_BOUND 100
#define REGEX_MAX_BOUNDS 4

static const char *regex_too_costly(const char *re)
{
    bool after_quantifier = false;
    int bounds = 0;
    for (const char *c = re; *c; c++) {
        if (*c == '\\' && c[1]) {
            c++;
            after_quantifier = false;
            continue;
        }
        if (*c == '[') {   /* a bracket expression: its characters are literal */
            const char *close = c + 1 + (c[1] == '^');
            close = strchr(close + (*close == ']'), ']');
            if (!close)
                break;   /* regcomp reports the unmatched bracket */
            c = close;
            after_quantifier = false;
            continue;
        }
        bool quantifier = *c == '*' || *c == '+' || *c == '?' || *c == '{';
        if (quantifier && after_quantifier)
            return "repetitions one after another";
        if (*c == '{') {
            char *end;
            long n = strtol(c + 1, &end, 10);
            long m = *end == ',' ? strtol(end + 1, &end, 10) : n;
            if (n > REGEX_MAX_BOUND || m > REGEX_MAX_BOUND)
                return "a repetition count above 100";
            if (++bounds > REGEX_MAX_BOUNDS)
                return "more than 4 counted repetitions";
            const char *close = strchr(c, '}');
            if (close)
                c = close;
        }
        after_quantifier = quantifier;
    }
    return NULL;
}

static bool compile_regex(struct parser *p, expr_atom *atom, const expr_token *at)
{
    const char *costly = regex_too_costly(atom->text);
    if (costly) {
        expr_set_error(p->error, at->pos, "regular expression too costly: %s", costly);
        return false;
    }
    int rc = regcomp(&atom->regex, atom->text, REG_EXTENDED | REG_NOSUB);
    if (rc != 0) {
        char why[100];
        regerror(rc, &atom->regex, why, sizeof why);
        expr_set_error(p->error, at->pos, "bad regular expression: %s", why);
        return false;
    }
    atom->has_regex = true;
    return true;
}

/* Checks the value against the field and operator, and prepares it. */
static bool set_value(struct parser *p, expr_atom *atom, const expr_token *value)
{
    if (value->kind == T_WORD && strcmp(value->text, "null") == 0) {
        if (atom->op != OP_EQ && atom->op != OP_NE)
            return fail(p, value, "null can only be compared with == or !=");
        atom->is_null = true;
        return true;
    }
    atom->text = value->text;
    ((expr_token *)value)->text = NULL;   /* the atom owns it now */
    if (atom->field >= F_TEXT_FIELDS) {
        if (atom->op == OP_CONTAINS || atom->op == OP_MATCHES)
            return fail(p, value, "contains and matches need a text field, not a number");
        if (!parse_number(atom->text, &atom->number))
            return fail(p, value, "expected a number");
        return true;
    }
    atom->like = (atom->op == OP_EQ || atom->op == OP_NE) && strchr(atom->text, EXPR_WILD);
    if (!atom->like)
        unwild(atom->text);
    return atom->op != OP_MATCHES || compile_regex(p, atom, value);
}

static bool parse_comparison(struct parser *p, size_t *out)
{
    const expr_token *tok = peek(p);
    expr_field field;
    if (tok->kind != T_WORD || !lookup_field(tok->text, &field))
        return fail(p, tok, tok->kind == T_END ? "expected a field at the end"
                         : tok->kind == T_WORD || tok->kind == T_STRING
                         ? "unknown field (module, func, qualname, file, arg, return, "
                           "exception, elapsed_ms, self_ms, depth, thread)"
                         : "expected a field");
    tp_expr *e = p->expr;
    if (e->n_atoms == TP_EXPR_MAX_ATOMS)
        return fail(p, tok, "more than 64 comparisons");
    p->next++;
    expr_atom *atom = &e->atoms[e->n_atoms++];
    memset(atom, 0, sizeof *atom);
    atom->field = field;
    atom->op = OP_PRESENT;
    const expr_token *op = peek(p);
    if (op->kind == T_OP) {
        atom->op = op->op;
        p->next++;
        const expr_token *value = peek(p);
        if (value->kind != T_WORD && value->kind != T_STRING) {
            expr_set_error(p->error, value->pos, "expected a value after '%s'", op_names[op->op]);
            return false;
        }
        p->next++;
        if (!set_value(p, atom, value))
            return false;
    }
    return add_node(p, N_ATOM, e->n_atoms - 1, 0, out);
}

static bool parse_or(struct parser *p, size_t *out);

static bool enter(struct parser *p, const expr_token *at)
{
    if (++p->nesting > TP_EXPR_MAX_NESTING)
        return fail(p, at, "nested more than 64 levels");
    return true;
}

static bool parse_unary(struct parser *p, size_t *out)
{
    const expr_token *tok = peek(p);
    if (tok->kind == T_NOT) {
        p->next++;
        size_t inner;
        if (!enter(p, tok) || !parse_unary(p, &inner))
            return false;
        p->nesting--;
        return add_node(p, N_NOT, inner, 0, out);
    }
    if (tok->kind == T_LPAREN) {
        p->next++;
        if (!enter(p, tok) || !parse_or(p, out))
            return false;
        p->nesting--;
        if (peek(p)->kind != T_RPAREN)
            return fail(p, peek(p), "expected ')'");
        p->next++;
        return true;
    }
    return parse_comparison(p, out);
}

static bool parse_and(struct parser *p, size_t *out)
{
    if (!parse_unary(p, out))
        return false;
    while (peek(p)->kind == T_AND) {
        p->next++;
        size_t right;
        if (!parse_unary(p, &right) || !add_node(p, N_AND, *out, right, out))
            return false;
    }
    return true;
}

static bool parse_or(struct parser *p, size_t *out)
{
    if (!parse_and(p, out))
        return false;
    while (peek(p)->kind == T_OR) {
        p->next++;
        size_t right;
        if (!parse_and(p, &right) || !add_node(p, N_OR, *out, right, out))
            return false;
    }
    return true;
}

void tp_expr_free(tp_expr *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->n_atoms; i++) {
        free(e->atoms[i].text);
        if (e->atoms[i].has_regex)
            regfree(&e->atoms[i].regex);
    }
    free(e->nodes);
    free(e);
}

static bool parse_all(struct parser *p)
{
    if (peek(p)->kind == T_END)
        return fail(p, peek(p), "empty expression");
    if (!parse_or(p, &p->expr->root))
        return false;
    const expr_token *rest = peek(p);
    if (rest->kind == T_END)
        return true;
    return fail(p, rest, rest->kind == T_RPAREN ? "unbalanced ')'"
                     : "expected 'and', 'or' or the end");
}

tp_expr *tp_expr_parse(const char *text, tp_expr_error *error)
{
    memset(error, 0, sizeof *error);
    expr_tokens tokens;
    tp_expr *e = NULL;
    if (expr_lex(text, &tokens, error)) {
        e = calloc(1, sizeof *e);
        struct parser p = {&tokens, 0, 0, e, error};
        if (!e)
            expr_set_error(error, 0, "out of memory");
        else if (!parse_all(&p)) {
            tp_expr_free(e);
            e = NULL;
        }
    }
    expr_tokens_free(&tokens);
    return e;
}
