/* The open-addressing index from a code object (or a C function's
 * PyMethodDef) to its metadata's place in the code table: a power-of-two
 * array of slots, linear probing. No Python here; codemeta.h owns the
 * table. GIL held for all of it (a lookup may reorder slots). */
#ifndef TP_CODE_SLOTS_H
#define TP_CODE_SLOTS_H

#include <stdint.h>

typedef struct tp_code_slot {
    const void *code;   /* NULL: empty */
    uint32_t index;
} tp_code_slot;

#define TP_CODE_NONE UINT32_MAX

static inline uint32_t tp_code_hash(const void *code, uint32_t mask)
{
    uintptr_t p = (uintptr_t)code >> 4;
    return (uint32_t)((p * 0x9E3779B97F4A7C15ull) >> 32) & mask;
}

/* Stores key -> index; the array (mask + 1 slots) must have an empty one. */
void tp_code_slot_put(tp_code_slot *slots, uint32_t mask, const void *key, uint32_t index);

/* Past the home slot: probes on, and moves what it finds one slot nearer
 * its home. */
uint32_t tp_code_slot_probe(tp_code_slot *slots, uint32_t mask, const void *key, uint32_t home);

/* The index stored under `key`, or TP_CODE_NONE. A key looked up again and
 * again ends in its home slot even when its address collides: then this is
 * one probe. */
static inline uint32_t tp_code_slot_find(tp_code_slot *slots, uint32_t mask, const void *key)
{
    if (!slots)
        return TP_CODE_NONE;
    uint32_t home = tp_code_hash(key, mask);
    if (slots[home].code == key)
        return slots[home].index;
    return tp_code_slot_probe(slots, mask, key, home);
}

#endif
