#include "commands.h"
#include <stdio.h>
int cmd_logs(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "tph: logs: not written yet\n");
    return 1;
}
