#pragma once
// Which plugin the current thread is running code of, for log lines that
// arrive without an instance context (rport_host_v1.log with ctx == NULL):
// during the entry call, and inside timer callbacks.
#include <string>

namespace rportd::plugin_host {

class PluginAttribution {
public:
    // Attributes this thread to pluginName until the object goes out of scope.
    // Scopes nest; the innermost wins. pluginName must outlive the scope.
    explicit PluginAttribution(const std::string& pluginName) noexcept;
    ~PluginAttribution();
    PluginAttribution(const PluginAttribution&) = delete;
    PluginAttribution& operator=(const PluginAttribution&) = delete;

    // The plugin this thread is in, or nullptr outside every scope.
    static const std::string* current() noexcept;

private:
    const std::string* _previous;
};

}  // namespace rportd::plugin_host
