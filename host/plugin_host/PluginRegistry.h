#pragma once
// Every plugin rportd has loaded, indexed by backend kind and name.
//
// Loading is forgiving: a broken plugin costs one error line naming its file
// and the reason, and the others still load. Whether a failure matters is
// decided later, when the configuration selects a backend that is missing.
//
// Plugin images stay mapped while the registry or any backend instance made
// from it (which holds BackendInfo::plugin) is alive, so destruction order
// between the registry and the adapters does not matter.
#include <rport/plugin.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plugin_host/BackendEntry.h"
#include "plugin_host/LoadedPlugin.h"

namespace rportd::plugin_host {

class HostServices;

// What find() answers: one backend and the plugin that offers it.
struct BackendInfo {
    std::string kind;
    std::string name;
    uint32_t flags = 0;
    const void* vtable = nullptr;                // const rport_auth_v1* or const rport_cert_v1*
    std::shared_ptr<const LoadedPlugin> plugin;  // keeps the image mapped

    const std::string& pluginName() const noexcept { return plugin->name; }
    const std::string& pluginVersion() const noexcept { return plugin->version; }
    const std::string& file() const noexcept { return plugin->file; }
    bool threadSafe() const noexcept { return (flags & RPORT_BACKEND_THREADSAFE) != 0; }
};

// One row of `rportd --list-plugins`.
struct PluginInfo {
    std::string name;
    std::string version;
    std::string file;
    uint32_t abiMinor = 0;  // the SDK minor the plugin was built with
    std::vector<std::pair<std::string, std::string>> backends;  // kind, name
};

struct LoadFailure {
    std::string file;    // the plugin file, or the directory when it was refused
    std::string reason;  // e.g. "no entry symbol rport_plugin_entry_v1"
};

struct LoadReport {
    std::string directory;
    bool directoryMissing = false;      // nothing loaded; an error only if a plugin is needed
    bool directoryRefused = false;      // unsafe permissions or unreadable; see failures
    std::vector<std::string> loaded;    // files accepted, in load order
    std::vector<LoadFailure> failures;  // files refused (each also logged once)
    std::vector<std::string> warnings;  // backends skipped inside accepted plugins
};

class PluginRegistry {
public:
    // services must outlive the registry and every backend made from it.
    explicit PluginRegistry(HostServices& services);
    ~PluginRegistry();
    PluginRegistry(const PluginRegistry&) = delete;
    PluginRegistry& operator=(const PluginRegistry&) = delete;

    // Loads every *.so directly inside directory, in byte order of the names
    // (dot files excluded). Never throws for a bad plugin or a bad directory.
    LoadReport loadDirectory(const std::string& directory);
    // Loads one file (its directory must pass the same permission check).
    LoadReport loadFile(const std::string& path);

    // The backend of that kind and name, or null.
    std::shared_ptr<const BackendInfo> find(std::string_view kind, std::string_view name) const;
    // The names offered for a kind, sorted; for "no such backend" messages.
    std::vector<std::string> names(std::string_view kind) const;
    // Loaded plugins in load order.
    std::vector<PluginInfo> list() const;
    // Every refusal since construction.
    std::vector<LoadFailure> failures() const;

    // Forgets every plugin that offers none of the given (kind, name)
    // backends; the images are unmapped once no instance uses them. rportd
    // calls it after creating the configured backends, so plugins nobody
    // selected (and the libraries they pulled in) cost no memory. Returns how
    // many plugins were released.
    size_t retainOnly(const std::set<std::pair<std::string, std::string>>& selected);

    HostServices& services() const noexcept { return _services; }

private:
    using Key = std::pair<std::string, std::string>;  // kind, name

    // Loads path (already known to be in an acceptable directory); the lock is held.
    void loadOne(const std::string& path, LoadReport& report);
    void recordFailure(const std::string& file, const std::string& reason, LoadReport& report);
    void refuseDirectory(const std::string& directory, const std::string& reason,
                         LoadReport& report);

    HostServices& _services;
    mutable std::mutex _mutex;
    std::vector<std::shared_ptr<const LoadedPlugin>> _plugins;
    std::map<Key, std::shared_ptr<const BackendInfo>> _backends;
    std::set<std::string> _loadedPaths;  // canonical paths, so a file loads once
    std::vector<LoadFailure> _failures;
};

}  // namespace rportd::plugin_host
