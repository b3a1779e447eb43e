#pragma once
// Loads one plugin file: file checks, dlopen(RTLD_NOW | RTLD_LOCAL), the entry
// symbol, the entry call and the descriptor checks. It never throws for a bad
// plugin and never logs; it says why, and the registry writes the one log line.
#include <rport/plugin.h>

#include <memory>
#include <string>
#include <vector>

#include "plugin_host/LoadedPlugin.h"

namespace rportd::plugin_host {

struct PluginLoadResult {
    std::shared_ptr<LoadedPlugin> plugin;  // null when refused
    std::string refusal;                   // why, without the file name
    std::vector<std::string> skipped;      // backends left out of an accepted plugin
};

class PluginLoader {
public:
    // host is the table handed to the entry function; it must outlive every
    // plugin loaded with it.
    explicit PluginLoader(const rport_host_v1* host) noexcept : _host(host) {}

    PluginLoadResult load(const std::string& path) const;

private:
    const rport_host_v1* _host;
};

}  // namespace rportd::plugin_host
