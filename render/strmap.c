#include "strmap.h"
#include "node_match.h"

#include <stdlib.h>
#include <string.h>

static size_t slot_of(const tp_strmap *m, const char *key)
{
    size_t i = (size_t)tp_function_key(key) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

static bool grow(tp_strmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    tp_strmap bigger = {calloc(cap, sizeof(char *)), calloc(cap, sizeof(size_t)), m->count, cap};
    if (!bigger.keys || !bigger.values) {
        free(bigger.keys);
        free(bigger.values);
        return false;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t s = slot_of(&bigger, m->keys[i]);
        bigger.keys[s] = m->keys[i];
        bigger.values[s] = m->values[i];
    }
    free(m->keys);
    free(m->values);
    *m = bigger;
    return true;
}

bool tp_strmap_get(const tp_strmap *m, const char *key, size_t *value)
{
    if (m->cap == 0)
        return false;
    size_t s = slot_of(m, key);
    if (!m->keys[s])
        return false;
    *value = m->values[s];
    return true;
}

bool tp_strmap_intern(tp_strmap *m, const char *key, size_t new_value, size_t *value, bool *added)
{
    *added = false;
    if (tp_strmap_get(m, key, value))
        return true;
    if ((m->count + 1) * 2 > m->cap && !grow(m))
        return false;
    char *copy = strdup(key);
    if (!copy)
        return false;
    size_t s = slot_of(m, key);
    m->keys[s] = copy;
    m->values[s] = new_value;
    m->count++;
    *value = new_value;
    *added = true;
    return true;
}

void tp_strmap_free(tp_strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->values);
    memset(m, 0, sizeof *m);
}
