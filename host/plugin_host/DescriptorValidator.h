#pragma once
// Decides whether the descriptor a plugin's entry function returned can be
// used, without trusting any of it: sizes, ABI major, names, the backend
// array and each backend's required slots. Pure: no I/O, no logging, so the
// rules are testable with hand-made descriptors.
#include <rport/plugin.h>

#include <cstdint>
#include <string>
#include <vector>

#include "plugin_host/BackendEntry.h"

namespace rportd::plugin_host {

struct ValidatedDescriptor {
    std::string name;
    std::string version;
    uint32_t abiMinor = 0;
    std::vector<BackendEntry> backends;  // the usable ones, in declaration order
    // Backends left out without refusing the plugin (unknown kind, unknown
    // vtable version), one human-readable line each.
    std::vector<std::string> skipped;
};

struct DescriptorVerdict {
    ValidatedDescriptor descriptor;
    std::string refusal;  // empty when the plugin is accepted
    bool accepted() const noexcept { return refusal.empty(); }
};

// Limits past which a size or count is a broken plugin, not a newer one.
inline constexpr uint32_t kMaxPluginStructSize = 64 * 1024;
inline constexpr size_t kMaxBackendsPerPlugin = 256;
inline constexpr size_t kMaxNameLength = 128;

// Names (plugin and backend) are 1..128 of [A-Za-z0-9._-]: they become
// configuration keys, logger names and parts of log lines.
bool isValidName(const char* name) noexcept;

DescriptorVerdict validateDescriptor(const rport_plugin_v1* descriptor);

}  // namespace rportd::plugin_host
