#include "plugin_host/PluginAttribution.h"

namespace rportd::plugin_host {

namespace {
thread_local const std::string* tCurrentPlugin = nullptr;
}

PluginAttribution::PluginAttribution(const std::string& pluginName) noexcept
    : _previous(tCurrentPlugin) {
    tCurrentPlugin = &pluginName;
}

PluginAttribution::~PluginAttribution() { tCurrentPlugin = _previous; }

const std::string* PluginAttribution::current() noexcept { return tCurrentPlugin; }

}  // namespace rportd::plugin_host
