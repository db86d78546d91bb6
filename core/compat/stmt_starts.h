/* Line mode: where each statement of a multi-statement line (`a = 1;
 * b = 2`, or a compound statement and its body: `for i in r: a = i`)
 * starts in a code object's bytecode, so each can be a step of its own. How that is found differs per version (instruction columns on
 * 3.11+, stack depth before), hence compat/. */
#ifndef TP_COMPAT_STMT_STARTS_H
#define TP_COMPAT_STMT_STARTS_H

#include <Python.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct tp_stmt {
    int32_t line;
    int32_t offset;            /* bytecode offset (bytes) where it starts, or is
                                  entered again; -1 for the line's first
                                  statement, which the line's own event starts */
    uint32_t col, end_col;     /* its text: UTF-8 byte columns of the line */
    uint16_t index;            /* 1-based position on its line */
    bool header;               /* the header of a compound statement whose body
                                  is on its line (`for i in r:`): the line's
                                  statements are entered in any order, a loop's
                                  again and again, each entry listed */
} tp_stmt;

/* The statements of every line of `code` that holds several statements
 * side by side, in line order, each line's in order (a statement can be
 * listed once per entry, all with the same text). Lines whose starts
 * cannot be told apart are left out. Returns how many;
 * *out is malloc'd (NULL when none, or on any error: the function's
 * lines are then one step each). Runs Python code (ast, dis), which may
 * let other threads run: call it with no pointer into shared tables
 * held. GIL held. */
uint32_t tp_stmt_starts(PyCodeObject *code, tp_stmt **out);

#endif
