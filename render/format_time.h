/* How tph writes a duration. */
#ifndef TPH_FORMAT_TIME_H
#define TPH_FORMAT_TIME_H

#include <stddef.h>

/* "NNus" under 1 ms (rounded to the microsecond), "N.NNms" under 1 s,
 * "N.NNNs" above; a value that rounds up to the next unit takes that unit. */
void tp_format_elapsed(double ms, char *out, size_t size);

#endif
