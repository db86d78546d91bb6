/* core/code_slots.c: every key stays findable while lookups move the keys
 * they find toward their home slots, and a key looked up repeatedly ends
 * in its home slot even when its address collides. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>

#include "code_slots.h"

#define SIZE 64u
#define MASK (SIZE - 1)

/* Keys as fake addresses (never dereferenced), 16 apart like objects. */
static const void *key_at(uintptr_t i)
{
    return (const void *)(0x10000 + 16 * i);
}

/* n keys whose home is slot `home`, found by trying addresses. */
static size_t colliding_keys(uint32_t home, const void **out, size_t n)
{
    size_t found = 0;
    for (uintptr_t i = 1; found < n && i < 1000000; i++) {
        if (tp_code_hash(key_at(i), MASK) == home)
            out[found++] = key_at(i);
    }
    return found;
}

static void assert_all_found(tp_code_slot *slots, const void **keys, size_t n)
{
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(tp_code_slot_find(slots, MASK, keys[i]), i, "key %zu", i);
}

Test(code_slots, a_colliding_key_climbs_home_and_all_stay_findable)
{
    tp_code_slot slots[SIZE] = {{0}};
    const void *keys[8];
    cr_assert_eq(colliding_keys(5, keys, 8), 8);
    for (uint32_t i = 0; i < 8; i++)
        tp_code_slot_put(slots, MASK, keys[i], i);
    assert_all_found(slots, keys, 8);
    /* The last one put is 7 slots from home: 7 lookups bring it there. */
    for (int k = 0; k < 7; k++) {
        cr_assert_eq(tp_code_slot_find(slots, MASK, keys[7]), 7);
        assert_all_found(slots, keys, 8);
    }
    cr_assert_eq(slots[5].code, keys[7], "the hot key is in its home slot");
    cr_assert_eq(tp_code_slot_find(slots, MASK, key_at(999999)), TP_CODE_NONE);
}

Test(code_slots, mixed_clusters_and_wrap_around_keep_every_key)
{
    tp_code_slot slots[SIZE] = {{0}};
    const void *keys[32];
    size_t n = 0;
    /* A key in its own home right where a cluster will run into it, then
     * clusters at the end (wrapping to slot 0) and in the middle. */
    n += colliding_keys(36, keys + n, 1);
    n += colliding_keys(62, keys + n, 6);
    n += colliding_keys(0, keys + n, 4);
    n += colliding_keys(30, keys + n, 6);
    n += colliding_keys(33, keys + n, 6);
    cr_assert_eq(n, 23);
    for (uint32_t i = 0; i < n; i++)
        tp_code_slot_put(slots, MASK, keys[i], i);
    srand(7);
    for (int round = 0; round < 2000; round++) {
        size_t k = (size_t)rand() % n;
        cr_assert_eq(tp_code_slot_find(slots, MASK, keys[k]), k, "round %d key %zu", round, k);
    }
    assert_all_found(slots, keys, n);
    size_t used = 0;
    for (uint32_t i = 0; i < SIZE; i++)
        used += slots[i].code != NULL;
    cr_assert_eq(used, n, "lookups neither lose nor copy a key");
}
