/* Where libtracepatch.so is, seen from the running tph: in the build tree
 * (render/tph -> ../preload/) or installed ($bindir/tph -> the pkglibdir,
 * TPH_PKGLIBDIR: relative to $bindir, or absolute). */
#ifndef TPH_PRELOAD_PATH_H
#define TPH_PRELOAD_PATH_H

#include "buf.h"

#include <stdbool.h>

/* Puts the absolute path of the library in `out`; false when it is in
 * neither place, with the places looked at in `out` ("A, B"). */
bool tp_find_preload(tp_buf *out);

#endif
