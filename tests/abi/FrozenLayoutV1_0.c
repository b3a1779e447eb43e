/* The layout as the frozen v1.0 header defines it. This target's include
 * path has tests/abi/v1.0 and not sdk/include, so <rport/plugin.h> below is
 * the frozen copy. */
#define RPORT_LAYOUT_TABLE_NAME rport_frozen_v1_0_layout
#include "LayoutTableBody.inc"
