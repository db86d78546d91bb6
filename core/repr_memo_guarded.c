/* Whole texts of containers rendered at the top (an argument, a return
 * value), kept with the guards that prove them still right.
 *
 * A program hands the same container down and up a chain of calls: the
 * record json.loads parses comes back up through raw_decode, decode and
 * loads; a parser's result is its validator's argument; dumps passes its
 * argument on to encode and iterencode. When the container holds a list
 * (a record's lines), the flat-dict memo (repr_memo.c) cannot keep it: a
 * list has no version. Here a text is kept with one guard for every
 * container its rendering entered:
 *  - a dict: its version (compat/api.h), which names the dict and its
 *    contents for ever, even after the address is reused;
 *  - a list or a tuple: its size and the address of every item rendered.
 * The guards are checked in the order they were taken, so each one's
 * object is known alive before it is read: it is the value itself, or is
 * held by a container already proved unchanged.
 *
 * An address alone does not name an object: one freed and replaced by
 * another at the same address compares equal. So a scalar item is only
 * trusted where what holds it is proved unchanged: in a dict, or in a
 * tuple so held. In a list, or a tuple that is the value itself or in a
 * list, an item must name itself: a dict, a list or a tuple (each checked
 * in turn), or an object never freed (None, the bools, the cached small
 * ints). Anything else there, and any other kind of value anywhere (an
 * instance, a class, a set: their texts can change without their
 * container's), and the value is rendered but not kept. Rendering such
 * values runs no user code, so the log reads what the text shows.
 *
 * The text is the value's whole output, cut at max_chars if it was, so an
 * entry is also valid only for the max_chars and the redaction words it
 * was made with. No entry holds a reference. */
#include "repr_internal.h"

#include "compat/api.h"
#include "slot_hash.h"

#define GUARDED_SLOTS_LOG2 6
#define GUARDED_TEXT_MAX 480

typedef struct guarded_entry {
    const PyObject *value;
    size_t max_chars;
    uint64_t words_gen;
    tp_guard_log log;
    uint32_t len;
    char text[GUARDED_TEXT_MAX];
} guarded_entry;

/* Direct-mapped by the value's address. Owned by the renderer: only
 * touched with the GIL held (tp_repr's rule). Its pages are touched only
 * once values are kept. */
static guarded_entry guarded[1 << GUARDED_SLOTS_LOG2];

static guarded_entry *slot_of(const PyObject *value)
{
    return &guarded[tp_slot_of_address(value, GUARDED_SLOTS_LOG2)];
}

static PyObject *const *items_of(PyObject *seq)
{
    if (Py_TYPE(seq) == &PyList_Type)
        return ((PyListObject *)seq)->ob_item;
    return ((PyTupleObject *)seq)->ob_item;
}

static bool guard_holds(const tp_guard *g, const tp_guard_log *log)
{
    PyObject *o = (PyObject *)g->obj;
    if (Py_TYPE(o) != g->type)
        return false;
    if (g->type == &PyDict_Type)
        return tp_dict_version(o) == g->tag;
    if ((uint64_t)Py_SIZE(o) != g->tag)
        return false;
    PyObject *const *items = items_of(o);
    const PyObject *const *kept = log->items + g->items_at;
    for (uint32_t i = 0; i < g->n_items; i++) {   /* a few: no memcmp call */
        if (items[i] != kept[i])
            return false;
    }
    return true;
}

bool tp_guarded_memo_write(PyObject *o, const tp_repr_opts *opts, tp_buf *out)
{
    const guarded_entry *e = slot_of(o);
    uint64_t gen;
    if (e->value != o || e->max_chars != opts->max_chars || !tp_memo_words_gen(opts, &gen) ||
        e->words_gen != gen)
        return false;
    for (uint32_t i = 0; i < e->log.n_guards; i++) {
        if (!guard_holds(&e->log.guards[i], &e->log))
            return false;
    }
    tp_buf_append(out, e->text, e->len);
    return true;
}

void tp_guarded_memo_keep(PyObject *o, const tp_repr_opts *opts, const tp_guard_log *log,
                          const char *text, size_t len)
{
    uint64_t gen;
    if (len > GUARDED_TEXT_MAX || !tp_memo_words_gen(opts, &gen))
        return;
    guarded_entry *e = slot_of(o);
    e->value = o;
    e->max_chars = opts->max_chars;
    e->words_gen = gen;
    e->log.n_guards = log->n_guards;
    e->log.n_items = log->n_items;
    memcpy(e->log.guards, log->guards, log->n_guards * sizeof log->guards[0]);
    memcpy(e->log.items, log->items, log->n_items * sizeof log->items[0]);
    e->len = (uint32_t)len;
    memcpy(e->text, text, len);
}

/* ---- taking the guards ---- */

static void stop(tp_render *r)
{
    r->log = NULL;
}

void tp_guard_dict(tp_render *r, PyObject *dict, uint64_t version)
{
    tp_guard_log *log = r->log;
    if (!version || log->n_guards == TP_GUARDS_MAX) {
        stop(r);
        return;
    }
    log->guards[log->n_guards++] = (tp_guard){ .obj = dict, .type = &PyDict_Type,
                                               .tag = version };
}

uint32_t tp_guard_open(tp_render *r, PyObject *seq)
{
    tp_guard_log *log = r->log;
    if (log->n_guards == TP_GUARDS_MAX) {
        stop(r);
        return 0;
    }
    log->guards[log->n_guards] = (tp_guard){ .obj = seq, .type = Py_TYPE(seq),
                                             .tag = (uint64_t)Py_SIZE(seq) };
    return log->n_guards++;
}

/* The items are copied once the sequence is done: the items of the
 * containers inside it went into the log meanwhile. */
void tp_guard_close(tp_render *r, uint32_t guard, PyObject *const *items, size_t visited)
{
    tp_guard_log *log = r->log;
    if (visited > TP_GUARD_ITEMS_MAX - log->n_items) {
        stop(r);
        return;
    }
    tp_guard *g = &log->guards[guard];
    g->items_at = log->n_items;
    g->n_items = (uint32_t)visited;
    memcpy(log->items + log->n_items, items, visited * sizeof(PyObject *));
    log->n_items += (uint32_t)visited;
}

/* An int the interpreter keeps for ever (-5..256 are made once). */
static bool is_cached_int(PyObject *o)
{
    long long v;
    if (!tp_long_small(o, &v) || v < -5 || v > 256)
        return false;
    PyObject *cached = PyLong_FromLongLong(v);
    Py_XDECREF(cached);   /* the cache still holds it */
    return cached == o;
}

/* What tp_guard_item leaves: bytes, which a holder vouches for like the
 * other scalars, ints outside a holder, which must be cached ones, and
 * everything else, which no guard can vouch for. */
void tp_guard_item_slow(tp_render *r, PyObject *item, bool held)
{
    PyTypeObject *tp = Py_TYPE(item);
    if ((held && tp == &PyBytes_Type) || (tp == &PyLong_Type && is_cached_int(item)))
        return;
    stop(r);
}
