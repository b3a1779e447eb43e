/* One row per struct and per member of plugin.h, as a translation unit
 * computed it with offsetof/sizeof against the header it was compiled with.
 * FrozenHeaderTest compares the table of each frozen header (tests/abi/v1.*)
 * with the table of the current header. Plain C so both sides are C. */
#ifndef RPORT_ABI_LAYOUT_TABLE_H
#define RPORT_ABI_LAYOUT_TABLE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rport_layout_row {
    const char* type;
    const char* member; /* NULL for the row describing the struct itself */
    size_t offset;      /* 0 for the struct row */
    size_t size;
    size_t align; /* struct rows only */
} rport_layout_row;

typedef struct rport_constant_row {
    const char* name;
    long long value;
} rport_constant_row;

typedef struct rport_layout_table {
    const rport_layout_row* rows;
    size_t row_count;
    const rport_constant_row* constants;
    size_t constant_count;
    const char* const* strings; /* kind names and the entry symbol */
    size_t string_count;
    int abi_major, abi_minor;
} rport_layout_table;

/* FrozenLayoutV1_0.c: computed against tests/abi/v1.0/rport/plugin.h */
extern const rport_layout_table rport_frozen_v1_0_layout;
/* FrozenLayoutV1_1.c: computed against tests/abi/v1.1/rport/plugin.h */
extern const rport_layout_table rport_frozen_v1_1_layout;
/* CurrentLayout.c: computed against sdk/include/rport/plugin.h */
extern const rport_layout_table rport_current_layout;

#ifdef __cplusplus
}
#endif

#endif
