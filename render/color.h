/* Terminal colours: whether to use them, and the few tph uses. */
#ifndef TPH_COLOR_H
#define TPH_COLOR_H

#include <stdbool.h>

typedef enum tp_color_mode { TP_COLOR_AUTO, TP_COLOR_ALWAYS, TP_COLOR_NEVER } tp_color_mode;

/* Parses "auto", "always" or "never". */
bool tp_color_parse(const char *text, tp_color_mode *out);

/* auto: stdout is a terminal and NO_COLOR is unset or empty. */
bool tp_color_enabled(tp_color_mode mode);

#define TP_SGR_RESET "\033[0m"
#define TP_SGR_BOLD "\033[1m"
#define TP_SGR_DIM "\033[2m"
#define TP_SGR_RED "\033[31m"
#define TP_SGR_GREEN "\033[32m"
#define TP_SGR_YELLOW "\033[33m"
#define TP_SGR_CYAN "\033[36m"

#endif
