/* The second pass of `tph tree`: streams the calls of one thread section
 * again and prints them as the plan says, one line per shown call. */
#ifndef TPH_TREE_PRINT_H
#define TPH_TREE_PRINT_H

#include "reader.h"
#include "tree_plan.h"

#include <stdbool.h>
#include <stdio.h>

typedef struct tp_tree_view {
    bool args, returns, self_time, source, color, ascii;
} tp_tree_view;

typedef struct tp_tree_printer tp_tree_printer;

tp_tree_printer *tp_tree_printer_new(const tp_tree_plan *plan, const tp_tree_view *view,
                                     long section, FILE *out);
void tp_tree_printer_free(tp_tree_printer *printer);

/* Reader callbacks for the second pass; ctx is the printer. */
void tp_tree_print_begin(const tp_node *node, void *printer);
void tp_tree_print_end(const tp_node_end *end, void *printer);

/* Prints what the end of the section closes; returns the lines printed. */
uint64_t tp_tree_printer_finish(tp_tree_printer *printer);

#endif
