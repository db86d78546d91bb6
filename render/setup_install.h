/* The files tph setup leaves in a project: the cache directory (when it is
 * not there yet, with a .gitignore so that git never sees it), the runner,
 * and the state listing what was created. */
#ifndef TPH_SETUP_INSTALL_H
#define TPH_SETUP_INSTALL_H

#include "buf.h"
#include "setup_project.h"

/* Writes `runner` as DIR/_tracepatch_filetotest.py and records everything
 * created in the state. Refuses to overwrite a file of that name that tph
 * setup did not write. Returns 0, or 1 after printing the problem. */
int tp_setup_install(const tp_project *p, const tp_buf *runner);

/* PATH relative to the working directory when it is under it. */
const char *tp_shown_path(const char *path);

#endif
