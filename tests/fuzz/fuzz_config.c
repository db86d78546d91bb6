/* libFuzzer harness for the config parser (common/config*.c): any bytes,
 * read as the text of a tracepatch.toml and of a pyproject.toml (the main
 * reader, tp_config_apply_text) and by the reader of the test-harness tables
 * (tp_config_test_tables_from_text), never crash, leak or report a problem
 * as anything but one non-empty line; the resulting config can be formatted
 * (`tph config`) and freed. */
#include "config_internal.h"
#include "config_test.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_line(void *ctx, const char *message)
{
    (void)ctx;
    if (!message || !message[0] || strchr(message, '\n'))
        abort();
}

static void apply(const char *text, size_t size, tp_file_kind kind)
{
    tp_config cfg;
    tp_config_init(&cfg);
    tp_reporter rep = {check_line, NULL, "fuzz.toml", 0};
    bool has_table;
    (void)tp_config_apply_text(&cfg, text, size, kind, &rep, &has_table);
    tp_report_finish(&rep);
    tp_buf out = TP_BUF_INIT;
    for (size_t i = 0; i < tp_config_key_count(); i++) {
        tp_config_format_value(&cfg, i, &out);
        tp_config_format_origin(&cfg, i, &out);
    }
    tp_buf_free(&out);
    tp_config_free(&cfg);
}

static void test_tables(const char *text, size_t size, bool pyproject)
{
    tp_test_tables t;
    memset(&t, 0, sizeof t);
    (void)tp_config_test_tables_from_text(&t, text, size, "fuzz.toml", pyproject,
                                          check_line, NULL);
    tp_test_tables_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The file reader hands the parser NUL-terminated text. */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    apply(text, size, TP_FILE_TRACEPATCH);
    apply(text, size, TP_FILE_PYPROJECT);
    test_tables(text, size, false);
    test_tables(text, size, true);
    free(text);
    return 0;
}
