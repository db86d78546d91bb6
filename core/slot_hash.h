/* Which of 2^log2_slots slots a key takes in the renderer's fixed-size
 * tables (kept dict and float texts, class paths). Fibonacci hashing: the
 * multiply carries every bit of the key into the top bits, which are the
 * slot. */
#ifndef TP_SLOT_HASH_H
#define TP_SLOT_HASH_H

#include <stddef.h>
#include <stdint.h>

static inline size_t tp_slot_of(uint64_t key, unsigned log2_slots)
{
    return (size_t)((key * UINT64_C(0x9E3779B97F4A7C15)) >> (64 - log2_slots));
}

/* Objects are 16-byte aligned: the low four bits say nothing. */
static inline size_t tp_slot_of_address(const void *p, unsigned log2_slots)
{
    return tp_slot_of((uintptr_t)p >> 4, log2_slots);
}

#endif
