#pragma once
// The settings of one backend instance, as the plugin reads them through
// config_get/config_keys: its [plugin.NAME] table, or what the classic
// rportd.conf keys imply, in the order the configuration gave them.
#include <string>
#include <utility>
#include <vector>

namespace rportd::plugin_host {

using Settings = std::vector<std::pair<std::string, std::string>>;

}  // namespace rportd::plugin_host
