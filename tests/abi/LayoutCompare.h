#pragma once
// The rule a newer plugin.h must keep against an older one: every struct and
// member of the older header is still there, members at the same offset with
// the same size, structs at least as large (growth at the end only), constants
// and names unchanged.
#include <string>
#include <vector>

#include "LayoutTable.h"

namespace rport::test {

// One human-readable line per broken rule; empty when current keeps older's ABI.
std::vector<std::string> layoutDifferences(const rport_layout_table& older,
                                           const rport_layout_table& current);

}  // namespace rport::test
