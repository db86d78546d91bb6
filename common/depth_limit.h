/* The deepest call nesting a trace can have: the largest `max_depth` a
 * window accepts, and the deepest tree `tph` reads. One number for both
 * halves, so that every trace the tracer writes is one tph can read. */
#ifndef TP_DEPTH_LIMIT_H
#define TP_DEPTH_LIMIT_H

#define TP_DEPTH_LIMIT 100000

#endif
