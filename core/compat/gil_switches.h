/* How many times the GIL has gone from one thread to another: CPython
 * counts it (to tell a switch from a thread taking the GIL back), per
 * runtime before 3.12 and per interpreter from 3.12. A count that did not
 * move while we ran the app's code says no other thread ran meanwhile. */
#ifndef TP_COMPAT_GIL_SWITCHES_H
#define TP_COMPAT_GIL_SWITCHES_H

/* GIL held. */
unsigned long tp_gil_switches(void);

#endif
