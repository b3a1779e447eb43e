// The same pins for a C++ compiler, which might lay out the extern "C"
// structs differently if a C++-only construct ever slipped into plugin.h.
#include <rport/plugin.h>

#include <cstddef>

#if defined(__x86_64__) && defined(__LP64__)
#define RPORT_STRUCT(type, size, align)                                 \
    static_assert(sizeof(type) == (size), "sizeof(" #type ") changed"); \
    static_assert(alignof(type) == (align), "alignof(" #type ") changed");
#define RPORT_MEMBER(type, member, offset, size)                                                   \
    static_assert(offsetof(type, member) == (offset), "offsetof(" #type ", " #member ") changed"); \
    static_assert(sizeof(static_cast<type*>(nullptr)->member) == (size),                           \
                  "sizeof(" #type "." #member ") changed");
#include "layout_v1_0.inc"
#endif

extern "C" int rport_abi_pins_cpp_checked() { return 1; }
