/* The pinned layout checked by a C compiler at build time: the build fails
 * when a struct of plugin.h moves, shrinks or grows without this file (and
 * the ABI changelog) being updated. */
#include <rport/plugin.h>
#include <stddef.h>

#if defined(__x86_64__) && defined(__LP64__)
#define RPORT_STRUCT(type, size, align)                                  \
    _Static_assert(sizeof(type) == (size), "sizeof(" #type ") changed"); \
    _Static_assert(_Alignof(type) == (align), "alignof(" #type ") changed");
#define RPORT_MEMBER(type, member, offset, size)                \
    _Static_assert(offsetof(type, member) == (offset),          \
                   "offsetof(" #type ", " #member ") changed"); \
    _Static_assert(sizeof(((type*)0)->member) == (size), "sizeof(" #type "." #member ") changed");
#include "layout_v1_0.inc"
#endif

/* A translation unit may not be empty in ISO C. */
int rport_abi_pins_c_checked(void) { return 1; }
