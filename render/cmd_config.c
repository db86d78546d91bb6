/* Placeholder until the configuration module lands; the config work
 * replaces this file. */
#include "commands.h"

#include <stdio.h>

int cmd_config(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "tph: config: not available yet\n");
    return 1;
}
