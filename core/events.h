/* Turning call events on and off for a window. events_choose.c picks the
 * source per window: the frame evaluator (events_evalframe.c) or the
 * callbacks (events_tracefunc.c before 3.12, events_monitoring.c after).
 * GIL held. */
#ifndef TP_EVENTS_H
#define TP_EVENTS_H

#include <stdbool.h>

/* Starts delivering events of every thread to the recorder. */
bool tp_events_start(void);
/* Stops them everywhere. */
void tp_events_stop(void);
/* Called every few thousand recorded calls: picks up threads that
 * appeared without telling us (started from C or with _thread). */
void tp_events_poll(void);
/* In a forked child, for the forking thread only. */
void tp_events_stop_after_fork(void);

#endif
