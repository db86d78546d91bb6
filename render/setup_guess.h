/* Arguments tph setup guesses for a parameter that has no default and no
 * configured input: from its annotation when it is a plain type, else from
 * its name (docs/harness.md has the table). */
#ifndef TPH_SETUP_GUESS_H
#define TPH_SETUP_GUESS_H

/* A Python expression for the runner: a literal, or _FILE / _TEMP (the
 * runner's example file and temporary directory), or "None". */
const char *tp_guess_argument(const char *name, const char *annotation);

#endif
