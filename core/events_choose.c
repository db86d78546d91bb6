/* Which event source serves the open window. The frame evaluator costs a
 * fraction of the callbacks (no per-instruction checks before 3.12, no
 * Python-level call per event after; docs/benchmarks.md), so it serves
 * unless: the window needs line events or C calls, which only the
 * callbacks deliver; a debugger or JIT owns the evaluator; or, on 3.12+,
 * the window filters modules, since there the callbacks switch ignored
 * code off (DISABLE) while every frame runs through the evaluator hook.
 * It hands over to the callbacks when a thread runs deep: through the hook
 * each Python call is also a C call (from 3.11 on it is not otherwise), so
 * the C stack, and on 3.12+ the C recursion budget, could run out where
 * the untraced program would not. */
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
    if (cfg->line_functions.n > 0 || cfg->record_c_calls)
        return false;
    return !(tp_source_callbacks.skips_ignored && (tp_config_is_set(cfg, "ignore_modules") ||
                                                   tp_config_is_set(cfg, "include_modules")));
}

bool tp_events_start(void)
{
    active = &tp_source_callbacks;
    if (evalframe_wanted()) {
        if (tp_source_evalframe.start())
            active = &tp_source_evalframe;
        else if (!foreign_reported) {
            tp_log("another frame evaluator is installed (a debugger or JIT?): "
                   "tracing with the slower %s", tp_source_callbacks.name);
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
    active = &tp_source_callbacks;
    if (active->start())
        tp_log("%s: tracing goes on with the slower %s", why, active->name);
    else
        tp_log("%s, and the %s could not take over: this window records no more calls",
               why, active->name);
}
