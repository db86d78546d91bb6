#include "color.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool tp_color_parse(const char *text, tp_color_mode *out)
{
    if (strcmp(text, "auto") == 0)
        *out = TP_COLOR_AUTO;
    else if (strcmp(text, "always") == 0)
        *out = TP_COLOR_ALWAYS;
    else if (strcmp(text, "never") == 0)
        *out = TP_COLOR_NEVER;
    else
        return false;
    return true;
}

bool tp_color_enabled(tp_color_mode mode)
{
    if (mode != TP_COLOR_AUTO)
        return mode == TP_COLOR_ALWAYS;
    const char *no_color = getenv("NO_COLOR");
    return isatty(STDOUT_FILENO) && !(no_color && *no_color);
}
