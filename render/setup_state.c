/* The setup state file: reading, writing (through a temporary file and a
 * rename, so a reader never sees half of it) and its two lists. */
#include "setup_state.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HEADER "# Written by tph setup: what it created; tph disable removes these.\n"

bool tp_state_has(const tp_strlist *list, const char *path)
{
    for (size_t i = 0; i < list->n; i++)
        if (strcmp(list->items[i], path) == 0)
            return true;
    return false;
}

bool tp_state_add(tp_strlist *list, const char *path)
{
    if (tp_state_has(list, path))
        return true;
    char **items = realloc(list->items, (list->n + 1) * sizeof *items);
    if (!items)
        return false;
    list->items = items;
    if (!(items[list->n] = strdup(path)))
        return false;
    list->n++;
    return true;
}

static void free_list(tp_strlist *list)
{
    for (size_t i = 0; i < list->n; i++)
        free(list->items[i]);
    free(list->items);
    list->items = NULL;
    list->n = 0;
}

void tp_state_free(tp_setup_state *s)
{
    free_list(&s->files);
    free_list(&s->dirs);
}

/* One line: "file /abs" or "dir /abs"; 0, -1 malformed, -2 out of memory. */
static int take_line(tp_setup_state *s, char *line)
{
    line[strcspn(line, "\n")] = '\0';
    if (line[0] == '#' || line[0] == '\0')
        return 0;
    tp_strlist *list = strncmp(line, "file /", 6) == 0 ? &s->files
                     : strncmp(line, "dir /", 5) == 0 ? &s->dirs : NULL;
    if (!list)
        return -1;
    return tp_state_add(list, strchr(line, ' ') + 1) ? 0 : -2;
}

int tp_state_read(const char *cache_dir, const char *command, tp_setup_state *s)
{
    memset(s, 0, sizeof *s);
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", cache_dir, TP_STATE_NAME);
    FILE *f = fopen(path, "re");
    if (!f && errno == ENOENT)
        return 1;
    if (!f) {
        fprintf(stderr, "tph: %s: %s: %s\n", command, path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    int rc = 0, number = 0;
    for (;;) {
        errno = 0;   /* getline's -1 is the end of the file only without one */
        if (getline(&line, &cap, f) < 0) {
            if (ferror(f) || errno != 0)
                rc = -3;
            break;
        }
        number++;
        if ((rc = take_line(s, line)) != 0)
            break;
    }
    int read_errno = errno;
    free(line);
    fclose(f);
    if (rc == -3)
        fprintf(stderr, "tph: %s: %s: %s\n", command, path,
                strerror(read_errno ? read_errno : EIO));
    if (rc == -1)
        fprintf(stderr, "tph: %s: %s:%d: not a line tph setup writes (\"file PATH\" or "
                "\"dir PATH\")\n", command, path, number);
    if (rc == -2)
        fprintf(stderr, "tph: %s: out of memory\n", command);
    if (rc != 0)
        tp_state_free(s);
    return rc == 0 ? 0 : -1;
}

static bool put_list(FILE *f, const char *tag, const tp_strlist *list)
{
    for (size_t i = 0; i < list->n; i++)
        if (fprintf(f, "%s %s\n", tag, list->items[i]) < 0)
            return false;
    return true;
}

int tp_state_write(const char *cache_dir, const tp_setup_state *s)
{
    char path[4200], tmp[4220];
    snprintf(path, sizeof path, "%s/%s", cache_dir, TP_STATE_NAME);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "we");
    bool ok = f && fputs(HEADER, f) >= 0 && put_list(f, "file", &s->files) &&
              put_list(f, "dir", &s->dirs);
    int saved = errno;
    if (f && fclose(f) != 0 && ok) {
        ok = false;
        saved = errno;
    }
    if (ok && rename(tmp, path) != 0) {
        ok = false;
        saved = errno;
    }
    if (ok)
        return 0;
    if (f)
        unlink(tmp);
    fprintf(stderr, "tph: setup: %s: %s\n", path, strerror(saved));
    return 1;
}
