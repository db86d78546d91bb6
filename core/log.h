/* Messages on stderr, one line each, prefixed "tracepatch[pid]: ". */
#ifndef TP_LOG_H
#define TP_LOG_H

#include <stdbool.h>

void tp_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Only when TRACEPATCH_DEBUG is set. */
void tp_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
