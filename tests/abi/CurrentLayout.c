/* The layout as today's sdk/include/rport/plugin.h defines it. */
#define RPORT_LAYOUT_TABLE_NAME rport_current_layout
#include "LayoutTableBody.inc"
