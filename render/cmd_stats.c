#include "commands.h"
#include <stdio.h>
int cmd_stats(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "tph: stats: not written yet\n");
    return 1;
}
