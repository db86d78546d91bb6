/* Private to config_test.c: the values of the test-table reader. It reads
 * TOML inline values (strings, numbers, booleans, arrays over several
 * lines, inline tables); the lexical layer under it, skipping included, is
 * config_scan.h's. */
#ifndef TP_CONFIG_TEST_SCAN_H
#define TP_CONFIG_TEST_SCAN_H

#include <stdbool.h>

#include "config_scan.h"
#include "config_test.h"

/* Reads the value at p into *out (freed on failure). False: s->error set. */
bool tp_tscan_value(tp_scan *s, tp_tvalue *out);

#endif
