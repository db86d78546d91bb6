/* The window signal's names: what `signal` / TRACEPATCH_SIGNAL accept and
 * how messages print them. Only USR1, USR2 and the real-time signals are
 * offered: anything else belongs to the application or the terminal. */
#include "config_internal.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const rtmin_names[] = {
    "SIGRTMIN+0", "SIGRTMIN+1", "SIGRTMIN+2", "SIGRTMIN+3", "SIGRTMIN+4",
    "SIGRTMIN+5", "SIGRTMIN+6", "SIGRTMIN+7", "SIGRTMIN+8", "SIGRTMIN+9",
    "SIGRTMIN+10", "SIGRTMIN+11", "SIGRTMIN+12", "SIGRTMIN+13", "SIGRTMIN+14",
    "SIGRTMIN+15", "SIGRTMIN+16", "SIGRTMIN+17", "SIGRTMIN+18", "SIGRTMIN+19",
    "SIGRTMIN+20", "SIGRTMIN+21", "SIGRTMIN+22", "SIGRTMIN+23", "SIGRTMIN+24",
    "SIGRTMIN+25", "SIGRTMIN+26", "SIGRTMIN+27", "SIGRTMIN+28", "SIGRTMIN+29",
    "SIGRTMIN+30", "SIGRTMIN+31", "SIGRTMIN+32",
};

const char *tp_signal_name(int signo)
{
    if (signo == 0)
        return "none";
    if (signo == SIGUSR1)
        return "SIGUSR1";
    if (signo == SIGUSR2)
        return "SIGUSR2";
    int offset = signo - SIGRTMIN;
    if (signo <= SIGRTMAX && offset >= 0 &&
        (size_t)offset < sizeof rtmin_names / sizeof rtmin_names[0])
        return rtmin_names[offset];
    return "SIG?";
}

/* "RTMIN", "RTMIN+N" after the optional "SIG"; -1 if not that. */
static int parse_rtmin(const char *text)
{
    if (strncasecmp(text, "RTMIN", 5) != 0)
        return -1;
    text += 5;
    if (*text == '\0')
        return SIGRTMIN;
    if (*text != '+' || text[1] < '0' || text[1] > '9')
        return -1;
    char *end;
    long offset = strtol(text + 1, &end, 10);
    if (*end != '\0' || offset > SIGRTMAX - SIGRTMIN)
        return -1;
    return SIGRTMIN + (int)offset;
}

int tp_signal_parse(const char *text)
{
    if (strcasecmp(text, "none") == 0)
        return 0;
    if (strncasecmp(text, "SIG", 3) == 0)
        text += 3;
    if (strcasecmp(text, "USR1") == 0)
        return SIGUSR1;
    if (strcasecmp(text, "USR2") == 0)
        return SIGUSR2;
    return parse_rtmin(text);
}
