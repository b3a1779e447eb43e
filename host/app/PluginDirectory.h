#pragma once
// Where rportd looks for plugins when [plugins] dir is empty: next to the
// binary, at ../lib/rportd/plugins, so a prefix install works wherever it lands.
#include <string>

namespace rportd::app {

std::string defaultPluginDirectory();

}  // namespace rportd::app
