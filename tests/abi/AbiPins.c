/* The pinned layout checked by a C compiler at build time: the build fails
 * when a struct of plugin.h moves, shrinks or grows without these pins (and
 * the ABI changelog) being updated. Members of every minor are exact. Struct
 * sizes are exact for the newest minor; those of older minors are lower
 * bounds, since a struct may grow at its end. */
#include <rport/plugin.h>
#include <stddef.h>

/* A new minor needs its layout_v1_<minor>.inc below, a frozen copy under
 * tests/abi/v1.<minor> and a changelog line, before anything else builds. */
_Static_assert(RPORT_ABI_MAJOR == 1 && RPORT_ABI_MINOR == 1,
               "plugin.h has a new ABI version: pin its layout in tests/abi");

#if defined(__x86_64__) && defined(__LP64__)
#define RPORT_MEMBER(type, member, offset, size)                \
    _Static_assert(offsetof(type, member) == (offset),          \
                   "offsetof(" #type ", " #member ") changed"); \
    _Static_assert(sizeof(((type*)0)->member) == (size), "sizeof(" #type "." #member ") changed");
#define RPORT_SIZE_AT_LEAST(type, size, align)                        \
    _Static_assert(sizeof(type) >= (size), "sizeof(" #type ") shrank"); \
    _Static_assert(_Alignof(type) == (align), "alignof(" #type ") changed");
#define RPORT_SIZE_EXACTLY(type, size, align)                            \
    _Static_assert(sizeof(type) == (size), "sizeof(" #type ") changed"); \
    _Static_assert(_Alignof(type) == (align), "alignof(" #type ") changed");

/* Older minors. */
#define RPORT_STRUCT RPORT_SIZE_AT_LEAST
#include "layout_v1_0.inc"
#undef RPORT_STRUCT

/* The newest minor, which restates the size of every struct. */
#define RPORT_STRUCT RPORT_SIZE_EXACTLY
#define RPORT_SIZE RPORT_SIZE_EXACTLY
#include "layout_v1_1.inc"
#endif

/* A translation unit may not be empty in ISO C. */
int rport_abi_pins_c_checked(void) { return 1; }
