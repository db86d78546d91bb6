#ifndef TP_THREAD_NAMES_H
#define TP_THREAD_NAMES_H

/* The name `threading` gives the thread `ident` (a malloc'd copy), or NULL
 * when threading is not imported or does not know it. GIL held; runs no
 * user code and leaves the pending exception as it was. */
char *tp_thread_name(unsigned long ident);
/* At set-up, on the main thread: its ident, so that it is "MainThread"
 * even in a program that never imports threading. */
void tp_thread_names_set_main(unsigned long ident);

#endif
