// The same pins for a C++ compiler, which might lay out the extern "C"
// structs differently if a C++-only construct ever slipped into plugin.h.
// Same rules as AbiPins.c: members exact, sizes exact for the newest minor.
#include <rport/plugin.h>

#include <cstddef>

#if defined(__x86_64__) && defined(__LP64__)
#define RPORT_MEMBER(type, member, offset, size)                                                   \
    static_assert(offsetof(type, member) == (offset), "offsetof(" #type ", " #member ") changed"); \
    static_assert(sizeof(static_cast<type*>(nullptr)->member) == (size),                           \
                  "sizeof(" #type "." #member ") changed");
#define RPORT_SIZE_AT_LEAST(type, size, align)                          \
    static_assert(sizeof(type) >= (size), "sizeof(" #type ") shrank"); \
    static_assert(alignof(type) == (align), "alignof(" #type ") changed");
#define RPORT_SIZE_EXACTLY(type, size, align)                           \
    static_assert(sizeof(type) == (size), "sizeof(" #type ") changed"); \
    static_assert(alignof(type) == (align), "alignof(" #type ") changed");

// Older minors.
#define RPORT_STRUCT RPORT_SIZE_AT_LEAST
#include "layout_v1_0.inc"
#undef RPORT_STRUCT

// The newest minor, which restates the size of every struct.
#define RPORT_STRUCT RPORT_SIZE_EXACTLY
#define RPORT_SIZE RPORT_SIZE_EXACTLY
#include "layout_v1_1.inc"
#endif

extern "C" int rport_abi_pins_cpp_checked() { return 1; }
