#include "plugin_host/PluginLoader.h"

#include <filesystem>
#include <fstream>
#include <rport/types.hpp>

#include "plugin_host/DescriptorValidator.h"
#include "plugin_host/PluginAttribution.h"
#include "plugin_host/PluginFileCheck.h"

namespace rportd::plugin_host {

namespace {

bool startsWithElfMagic(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    char magic[4] = {};
    return in.read(magic, sizeof magic) && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' &&
           magic[3] == 'F';
}

// A plugin built for another major exports rport_plugin_entry_vN instead of
// ours; naming N tells the operator what to do about it.
std::string otherMajorEntry(const DynamicLibrary& library) {
    for (int major = 2; major <= 9; ++major) {
        const std::string symbol = "rport_plugin_entry_v" + std::to_string(major);
        if (library.symbol(symbol.c_str()))
            return "built for ABI major " + std::to_string(major) + " (exports " + symbol +
                   "), this rportd speaks " + std::to_string(RPORT_ABI_MAJOR);
    }
    return {};
}

std::string entryFailure(int32_t status) {
    std::string reason = std::string("entry failed: ") + rport::sdk::statusName(status);
    if (status == RPORT_E_UNSUPPORTED) reason += " (the plugin needs a newer rportd)";
    return reason;
}

PluginLoadResult refused(std::string reason) {
    PluginLoadResult result;
    result.refusal = std::move(reason);
    return result;
}

}  // namespace

PluginLoadResult PluginLoader::load(const std::string& path) const {
    if (std::string reason = refusePluginFile(path); !reason.empty()) return refused(reason);

    std::string dlError;
    DynamicLibrary library = DynamicLibrary::open(path, dlError);
    if (!library) {
        const char* what = startsWithElfMagic(path) ? "cannot be loaded" : "not a shared object";
        return refused(std::string(what) + " (" + dlError + ")");
    }

    auto entry = reinterpret_cast<rport_plugin_entry_v1_fn>(library.symbol(RPORT_ENTRY_SYMBOL));
    if (!entry) {
        std::string other = otherMajorEntry(library);
        return refused(other.empty() ? std::string("no entry symbol ") + RPORT_ENTRY_SYMBOL
                                     : other);
    }

    const rport_plugin_v1* descriptor = nullptr;
    int32_t status = RPORT_E_INTERNAL;
    {
        // The plugin's name is unknown until entry returns; until then its
        // log lines go under the file's stem.
        const std::string stem = std::filesystem::path(path).stem().string();
        PluginAttribution attribution(stem);
        try {
            status = entry(_host, &descriptor);
        } catch (...) {
            // No exception may cross the C boundary; a plugin that throws one
            // anyway gets refused rather than taking rportd down with it.
            return refused("entry threw an exception");
        }
    }
    if (status != RPORT_OK) return refused(entryFailure(status));

    DescriptorVerdict verdict = validateDescriptor(descriptor);
    if (!verdict.accepted()) return refused(verdict.refusal);

    auto plugin = std::make_shared<LoadedPlugin>();
    plugin->file = path;
    plugin->name = std::move(verdict.descriptor.name);
    plugin->version = std::move(verdict.descriptor.version);
    plugin->abiMinor = verdict.descriptor.abiMinor;
    plugin->backends = std::move(verdict.descriptor.backends);
    plugin->library = std::move(library);

    PluginLoadResult result;
    result.plugin = std::move(plugin);
    result.skipped = std::move(verdict.descriptor.skipped);
    return result;
}

}  // namespace rportd::plugin_host
