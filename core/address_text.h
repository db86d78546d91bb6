/* An object's address as its repr shows it: what glibc's "%p" prints. */
#ifndef TP_ADDRESS_TEXT_H
#define TP_ADDRESS_TEXT_H

#include <stddef.h>

#define TP_ADDRESS_TEXT (2 + 16)   /* "0x" and a 64-bit address */

/* Writes the address at the end of `text` ("0x", lowercase hex, no
 * leading zeros); returns where it starts. Pure C: the trace writer uses
 * it too, off the GIL. */
size_t tp_format_address(char text[TP_ADDRESS_TEXT], const void *p);

#endif
