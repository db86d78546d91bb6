/* The tree's spool: what the printer needs of each call, written during the
 * one pass over the trace to an unlinked temporary file and replayed into
 * the printer afterwards, once per thread section. yajl reads the trace
 * once; replaying the spool is a plain sequential read.
 *
 * A begin record holds the call's display name, the texts the view shows,
 * its elapsed time and flags; an end record holds the elapsed time as the
 * node's end knows it. Depth, index and descendants follow from the order
 * of the records. Memory: two 1 MiB buffers; the file grows with the
 * trace (about the size of the printed tree). */
#ifndef TPH_TREE_SPOOL_H
#define TPH_TREE_SPOOL_H

#include "buf.h"
#include "reader.h"
#include "tree_print.h"

#include <stdbool.h>

typedef struct tp_tree_spool tp_tree_spool;

/* A new spool in $TMPDIR (else /tmp); NULL with `error` set on failure. */
tp_tree_spool *tp_tree_spool_new(const tp_tree_view *view, tp_buf *error);
void tp_tree_spool_free(tp_tree_spool *spool);

/* Called from the reader's callbacks during the pass. */
void tp_tree_spool_begin(tp_tree_spool *spool, const tp_node *node);
void tp_tree_spool_end(tp_tree_spool *spool, const tp_node_end *end);

/* After the pass: false with `error` set when a write failed. */
bool tp_tree_spool_finish(tp_tree_spool *spool, tp_buf *error);

/* Replays every record into the callbacks, from the start. false with
 * `error` set when a read failed or the file is not what was written. */
bool tp_tree_spool_replay(tp_tree_spool *spool, void (*begin)(const tp_node *, void *),
                          void (*end)(const tp_node_end *, void *), void *ctx, tp_buf *error);

#endif
