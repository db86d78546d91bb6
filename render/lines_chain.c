#include "lines_chain.h"
#include "format_time.h"
#include "node_match.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Appends `text` cut to at most `limit` bytes on a UTF-8 boundary (then
 * ending with "..."), and a NUL; returns the length appended before it. */
static uint32_t put_cut(tp_buf *out, const char *text, size_t limit)
{
    size_t len = strlen(text), keep = len;
    if (len > limit) {
        keep = limit;
        while (keep > 0 && ((unsigned char)text[keep] & 0xC0) == 0x80)
            keep--;
    }
    size_t before = out->len;
    tp_buf_append(out, text, keep);
    if (keep < len)
        tp_buf_puts(out, "...");
    uint32_t n = (uint32_t)(out->len - before);
    tp_buf_putc(out, '\0');
    return n;
}

/* "module.qualname(args)" into `scratch`. */
static void call_text(tp_buf *scratch, const tp_node *node)
{
    tp_node_display_name(scratch, node);
    tp_buf_putc(scratch, '(');
    tp_buf_puts(scratch, node->args ? node->args : "");
    tp_buf_putc(scratch, ')');
}

static void result_text(tp_buf *scratch, const tp_node *node)
{
    tp_buf_reset(scratch);
    if (node->exception) {
        tp_buf_puts(scratch, " !! ");
        tp_buf_puts(scratch, node->exception);
    } else if (node->return_value) {
        tp_buf_puts(scratch, " -> ");
        tp_buf_puts(scratch, node->return_value);
    }
}

bool tp_lines_chain_push(tp_lines_chain *c, const tp_node *node, bool match)
{
    if (c->depth == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        tp_lines_frame *p = realloc(c->frames, cap * sizeof *p);
        if (!p)
            return false;
        c->frames = p;
        c->cap = cap;
    }
    tp_lines_frame *f = &c->frames[c->depth];
    f->index = node->index;
    f->thread = node->thread;
    f->has_thread = node->has_thread;
    f->elapsed_ms = tp_node_elapsed_ms(node);
    f->unfinished = node->unfinished;
    f->match = match;
    f->text_at = c->text.len;
    call_text(&c->scratch, node);
    f->call_len = put_cut(&c->text, tp_buf_cstr(&c->scratch), TP_LINES_CALL_LIMIT);
    result_text(&c->scratch, node);
    f->result_len = put_cut(&c->text, tp_buf_cstr(&c->scratch), TP_LINES_RESULT_LIMIT);
    f->file_len = put_cut(&c->text, node->file ? node->file : "", TP_LINES_FILE_LIMIT);
    bool ok = !c->scratch.failed && !c->text.failed;
    if (ok)
        c->depth++;
    else
        c->text.len = f->text_at;
    return ok;
}

void tp_lines_chain_pop(tp_lines_chain *c)
{
    if (c->depth == 0)
        return;
    c->depth--;
    c->text.len = c->frames[c->depth].text_at;
}

const tp_lines_frame *tp_lines_chain_top(const tp_lines_chain *c)
{
    return c->depth ? &c->frames[c->depth - 1] : NULL;
}

const char *tp_lines_chain_file(const tp_lines_chain *c, const tp_lines_frame *f)
{
    return c->text.data + f->text_at + f->call_len + 1 + f->result_len + 1;
}

void tp_lines_chain_print(const tp_lines_chain *c, tp_buf *out)
{
    for (size_t d = 0; d < c->depth; d++) {
        const tp_lines_frame *f = &c->frames[d];
        const char *call = c->text.data + f->text_at;
        for (size_t i = 0; i < d; i++)
            tp_buf_puts(out, "    ");
        tp_buf_puts(out, "\u2514\u2500\u2500 ");
        tp_buf_append(out, call, f->call_len);
        if (d + 1 == c->depth) {
            char elapsed[32];
            tp_format_elapsed(f->elapsed_ms, elapsed, sizeof elapsed);
            tp_buf_append(out, call + f->call_len + 1, f->result_len);
            tp_buf_printf(out, "  [%s%s]", elapsed, f->unfinished ? ", unfinished" : "");
        }
        tp_buf_putc(out, '\n');
    }
}

void tp_lines_chain_free(tp_lines_chain *c)
{
    free(c->frames);
    tp_buf_free(&c->text);
    tp_buf_free(&c->scratch);
    c->frames = NULL;
    c->depth = c->cap = 0;
}
