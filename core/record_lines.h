/* Line mode (line_functions): every executed line of chosen functions,
 * with the local variables each line changed. Internal to the recorder;
 * GIL held. */
#ifndef TP_RECORD_LINES_H
#define TP_RECORD_LINES_H

#include "compat/frame.h"
#include "window.h"

/* Starts the line record of recorded call `node`; TP_NONE when out of
 * memory. */
uint32_t tp_lines_begin(tp_thread *t, tp_window *w, uint32_t node, uint32_t code,
                        tp_iframe frame);
/* The call (or a comprehension inside it: `code` is not the call's own)
 * is about to run `lineno`: ends the previous step (its variables are what
 * it changed in the call's frame) and starts a new one. `again`: the line
 * runs again from a jump within it (a loop on one line), so the statement
 * running goes on. Returns true when the call's own frame enters a line
 * whose statements are steps of their own (tp_lines_statement). */
bool tp_lines_step(tp_thread *t, tp_window *w, uint32_t lcall, PyCodeObject *code, int lineno,
                   bool again, uint64_t now);
/* A frame running `code` is about to run the instruction at `offset`:
 * when that starts a statement of a multi-statement line, and the frame
 * is line call `lcall`'s own (TP_NONE: none), a step of that statement
 * begins. Returns whether `offset` starts such a statement at all. */
bool tp_lines_statement(tp_thread *t, tp_window *w, uint32_t lcall, PyCodeObject *code,
                        int offset, uint64_t now);
/* The call leaves (return, yield, exception): ends the open step. */
void tp_lines_pause(tp_thread *t, tp_window *w, uint32_t lcall);
void tp_lines_free(tp_thread *t);

#endif
