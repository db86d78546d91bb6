/* A core has two event sources and picks one per window
 * (events_choose.c): the frame evaluator (events_evalframe.c), cheapest,
 * and callbacks, which line mode and C calls need: the trace function
 * before 3.12 (events_tracefunc.c), sys.monitoring after
 * (events_monitoring.c). Each offers the operations of events.h. GIL held. */
#ifndef TP_EVENTS_SOURCE_H
#define TP_EVENTS_SOURCE_H

#include <stdbool.h>

typedef struct tp_event_source {
    const char *name;
    bool (*start)(void);
    void (*stop)(void);
    void (*poll)(void);
    void (*stop_after_fork)(void);
    bool skips_ignored;     /* ignored code stops sending events (DISABLE) */
} tp_event_source;

extern const tp_event_source tp_source_evalframe;
extern const tp_event_source tp_source_callbacks;

/* The frame evaluator cannot go on (`why`): the window continues with the
 * callbacks. Called from inside the hook, GIL held. */
void tp_events_fall_back(const char *why);

#endif
