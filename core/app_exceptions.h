/* Exceptions that belong to the app but surface inside one of our calls
 * into Python (a __repr__ we run to record a value, signal.signal() when a
 * window changes the terminating signals' handlers): CPython runs the
 * app's signal handlers at any safe point of the main thread, ours
 * included. Swallowed with our call's failure, a SystemExit from a SIGTERM
 * handler or a job's soft time limit would be lost: the app would run
 * on. They are raised again in the app instead. */
#ifndef TP_APP_EXCEPTIONS_H
#define TP_APP_EXCEPTIONS_H

#include <stdbool.h>

#include "compat/errstate.h"

/* Whether the exception in `e` is the app's: KeyboardInterrupt (Ctrl-C),
 * or raised by a Python function the app installed as a signal handler
 * (a SIGTERM handler's SystemExit, a time limit's exception). Anything
 * else is the __repr__'s own failure, whatever its class. GIL held. */
bool tp_app_exception_is_apps(const tp_errstate *e);

/* Takes the exception in `e` (empty afterwards) to raise it in the app at
 * the main thread's next safe point, as CPython raises a signal handler's
 * exception, after any taken before it. False, leaving `e` as it was, off
 * the main thread (pending calls run on the main thread only) or when
 * CPython's queue of pending calls is full. GIL held. */
bool tp_app_exception_raise_later(tp_errstate *e);

/* The pending call found the main thread inside one of our own calls or
 * recording steps (a __repr__'s bytecode runs pending calls too), where
 * raising would only fail our call again: it set TP_GUARD_DEFERRED in the
 * main thread's guard word (guard.h), and the exit that brings that
 * thread's counts to zero calls this, which schedules the raise again. */
void tp_app_exceptions_guard_left(void);

/* A forked child raises nothing its parent kept. */
void tp_app_exceptions_after_fork(void);

#endif
