#include "commands.h"
#include <stdio.h>
int cmd_tree(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "tph: tree: not written yet\n");
    return 1;
}
