/* tph setup's look at git before it writes into a project: staged changes
 * are listed and the user is asked on the terminal whether to go on. */
#ifndef TPH_SETUP_GIT_H
#define TPH_SETUP_GIT_H

#include <stdbool.h>

/* 0: go on (no git, not a repository, nothing staged, --yes, or the answer
 * was y); 1: stop, after saying why on stderr. */
int tp_setup_check_git(const char *dir, bool yes);

#endif
