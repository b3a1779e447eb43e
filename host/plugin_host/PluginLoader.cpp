#include "plugin_host/PluginLoader.h"

#include <unistd.h>

#include <filesystem>
#include <rport/types.hpp>

#include "plugin_host/DescriptorValidator.h"
#include "plugin_host/PluginAttribution.h"
#include "plugin_host/PluginFileCheck.h"

namespace rportd::plugin_host {

namespace {

bool startsWithElfMagic(const OpenPluginFile& file) {
    char magic[4] = {};
    return ::pread(file.descriptor(), magic, sizeof magic, 0) == sizeof magic && magic[0] == 0x7f &&
           magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
}

// dlerror() names the descriptor path; the operator knows the file by its name.
std::string inTermsOfFile(std::string text, const std::string& mapPath, const std::string& path) {
    for (std::string::size_type at = text.find(mapPath); at != std::string::npos;
         at = text.find(mapPath, at + path.size()))
        text.replace(at, mapPath.size(), path);
    return text;
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
    OpenPluginFile file = OpenPluginFile::open(path);
    if (!file.accepted()) return refused(file.refusal());

    std::string dlError;
    DynamicLibrary library = DynamicLibrary::open(file.mapPath(), dlError);
    if (!library) {
        const char* what = startsWithElfMagic(file) ? "cannot be loaded" : "not a shared object";
        return refused(std::string(what) + " (" + inTermsOfFile(dlError, file.mapPath(), path) +
                       ")");
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
    plugin->source = std::move(file);
    plugin->library = std::move(library);

    PluginLoadResult result;
    result.plugin = std::move(plugin);
    result.skipped = std::move(verdict.descriptor.skipped);
    return result;
}

}  // namespace rportd::plugin_host
