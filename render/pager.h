/* Sending output through a pager when a person is reading it. */
#ifndef TPH_PAGER_H
#define TPH_PAGER_H

/* When stdout is a terminal, starts $TPH_PAGER, else $PAGER, else
 * "less" (with LESS=FRX unless set) and points stdout at it. Does nothing
 * otherwise, or when the pager is "" or "cat". */
void tp_pager_start(void);

/* Flushes stdout and waits for the pager to exit. */
void tp_pager_finish(void);

#endif
