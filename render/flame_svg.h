/* The second pass of tph flame: writes the SVG. Calls are drawn as a flame
 * chart in time order (x = time since the first call, one row per depth,
 * roots on top, one band per thread), so each box is one call and its
 * tooltip can show that call's arguments, return value and time. A trace
 * of up to TP_FLAME_DRAW_ALL calls is drawn whole (zooming in shows the
 * shortest calls); in a bigger one, boxes narrower than TP_FLAME_MIN_PX at
 * full width are left out (with what they called) and counted. */
#ifndef TPH_FLAME_SVG_H
#define TPH_FLAME_SVG_H

#include "export.h"
#include "flame_layout.h"
#include "header.h"

#define TP_FLAME_WIDTH 1200.0
#define TP_FLAME_MIN_PX 0.1
#define TP_FLAME_DRAW_ALL 20000

typedef struct tp_flame_result {
    uint64_t drawn, too_narrow;
} tp_flame_result;

/* Reads `path` again and writes the whole SVG to `out`. Returns 0, or -1
 * with a one-line reason in `err`. */
int tp_flame_write(const char *path, const tp_header *h, tp_flame_layout *layout,
                   tp_sink *out, tp_flame_result *result, tp_buf *err);

#endif
