/* tph setup's checks before it writes anything: each [[test.files]] file
 * exists and defines each function named, and each [[test.inputs]] entry
 * names one of them. */
#ifndef TPH_SETUP_CHECK_H
#define TPH_SETUP_CHECK_H

#include "setup_project.h"
#include "setup_python.h"

/* Fills modules[i] (p->tables.n_files of them; the caller frees each) with
 * what Python finds in file i. Returns 0 when everything is there, else 1
 * after printing each problem as "tph: setup: CONFIG:LINE: ..." and, for a
 * missing function, the signatures of the functions that are there. */
int tp_setup_check(const tp_project *p, tp_py_module *modules);

#endif
