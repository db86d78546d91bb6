/* The code table's index (code_slots.h). */
#include "code_slots.h"

#include <stddef.h>

void tp_code_slot_put(tp_code_slot *slots, uint32_t mask, const void *key, uint32_t index)
{
    uint32_t h = tp_code_hash(key, mask);
    while (slots[h].code)
        h = (h + 1) & mask;
    slots[h] = (tp_code_slot){key, index};
}

/* Linear probing keeps every key reachable from its home with no empty
 * slot between. Swapping the key found with the one before it keeps that
 * true for both (the one before is no farther along its own path than
 * that slot), and a hot key climbs to its home in a few lookups: a
 * function's lookup on every call stays one probe whatever its address. */
uint32_t tp_code_slot_probe(tp_code_slot *slots, uint32_t mask, const void *key, uint32_t home)
{
    if (!slots[home].code)
        return TP_CODE_NONE;
    uint32_t prev = home;
    for (uint32_t i = (home + 1) & mask;; prev = i, i = (i + 1) & mask) {
        if (slots[i].code == key) {
            tp_code_slot found = slots[i];
            slots[i] = slots[prev];
            slots[prev] = found;
            return found.index;
        }
        if (!slots[i].code)
            return TP_CODE_NONE;
    }
}
