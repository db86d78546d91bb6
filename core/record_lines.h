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
/* The call (or a comprehension inside it) is about to run `lineno`: ends
 * the previous step (its variables are what it changed in the call's
 * frame) and starts a new one. */
void tp_lines_step(tp_thread *t, tp_window *w, uint32_t lcall, int lineno, uint64_t now);
/* The call leaves (return, yield, exception): ends the open step. */
void tp_lines_pause(tp_thread *t, tp_window *w, uint32_t lcall);
void tp_lines_free(tp_thread *t);

#endif
