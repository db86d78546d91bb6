/* Which event source serves the open window (3.8-3.11). The frame
 * evaluator costs a fraction of a trace function (no per-instruction
 * checks, docs/benchmarks.md), so it is used whenever it can serve:
 * not for line mode or C calls, which only the trace and profile
 * functions deliver, and not when a debugger or JIT owns the evaluator.
 * It hands over to the trace function when a thread's C stack runs low:
 * through the hook each Python call is also a C call (on 3.11 it is not
 * otherwise), and the trace function adds no C stack per call. */
#include "events.h"
#include "events_source.h"

#include "compat/evalframe.h"
#include "log.h"
#include "record.h"

/* The source of the open window; set at start, GIL held. */
static const tp_event_source *active;
/* "Someone else's evaluator" said once per process (GIL held). */
static bool foreign_reported;

static bool evalframe_wanted(void)
{
    const tp_config *cfg = tp_current_window->cfg;
    return cfg->line_functions.n == 0 && !cfg->record_c_calls;
}

bool tp_events_start(void)
{
    active = &tp_source_tracefunc;
    if (evalframe_wanted()) {
        if (tp_source_evalframe.start())
            active = &tp_source_evalframe;
        else if (!foreign_reported) {
            tp_log("another frame evaluator is installed (a debugger or JIT?): "
                   "tracing with the slower trace function");
            foreign_reported = true;
        }
    }
    tp_debug("events: %s", active->name);
    return active == &tp_source_evalframe || active->start();
}

void tp_events_stop(void)
{
    if (active)
        active->stop();
}

void tp_events_poll(void)
{
    if (active)
        active->poll();
}

void tp_events_stop_after_fork(void)
{
    if (active)
        active->stop_after_fork();
}

void tp_events_fall_back(const char *why)
{
    if (active != &tp_source_evalframe)
        return;
    active->stop();
    active = &tp_source_tracefunc;
    if (!active->start())
        return;
    tp_log("%s: tracing goes on with the slower trace function", why);
}
