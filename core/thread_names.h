#ifndef TP_THREAD_NAMES_H
#define TP_THREAD_NAMES_H

/* The name `threading` gives the thread `ident` (a malloc'd copy), or NULL
 * when threading is not imported or does not know it. GIL held; runs no
 * user code and leaves the pending exception as it was. */
char *tp_thread_name(unsigned long ident);

#endif
