#pragma once
// Every plugin rportd knows, indexed by backend kind and name.
//
// Plugin files are examined in a child process (PluginProbe.h); a file is
// mapped into rportd only when find() asks for a backend it offers, so the
// plugins no configured role selects cost no memory. Examination is
// forgiving: a broken plugin costs one error line naming its file and the
// reason, and the others are still accepted. Whether a failure matters is
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
#include "plugin_host/PluginProbe.h"

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
    std::vector<std::string> loaded;    // files accepted, in order (mapped only once selected)
    std::vector<LoadFailure> failures;  // files refused (each also logged once)
    std::vector<std::string> warnings;  // backends skipped inside accepted plugins
};

class PluginRegistry {
public:
    // services must outlive the registry and every backend made from it.
    explicit PluginRegistry(HostServices& services, ProbeLimits limits = {});
    ~PluginRegistry();
    PluginRegistry(const PluginRegistry&) = delete;
    PluginRegistry& operator=(const PluginRegistry&) = delete;

    // Examines every *.so directly inside directory, in byte order of the
    // names (dot files excluded). Never throws for a bad plugin or a bad
    // directory.
    LoadReport loadDirectory(const std::string& directory);
    // Examines one file (its directory must pass the same permission check).
    LoadReport loadFile(const std::string& path);

    // The backend of that kind and name, or null. Maps the plugin offering it
    // on first use; a plugin that no longer loads as it was examined (it was
    // replaced meanwhile) is refused then, with its error line.
    std::shared_ptr<const BackendInfo> find(std::string_view kind, std::string_view name);
    // The names offered for a kind, sorted; for "no such backend" messages.
    std::vector<std::string> names(std::string_view kind) const;
    // Accepted plugins in examination order, mapped or not.
    std::vector<PluginInfo> list() const;
    // Every refusal since construction.
    std::vector<LoadFailure> failures() const;

    HostServices& services() const noexcept { return _services; }

private:
    using Key = std::pair<std::string, std::string>;  // kind, name

    // An accepted plugin file: what its examination found and, once a role
    // selected one of its backends, its image.
    struct KnownPlugin {
        ProbeVerdict examined;
        std::shared_ptr<const LoadedPlugin> image;  // null until mapped
    };

    // Examines files (already known to be in an acceptable directory); the
    // lock is held.
    void examine(const std::vector<std::string>& files, LoadReport& report);
    void accept(ProbeVerdict verdict, LoadReport& report);
    // Maps plugin and publishes its backends; false (and logged) if refused.
    bool map(KnownPlugin& plugin);
    void forget(const KnownPlugin& plugin);
    void recordFailure(const std::string& file, const std::string& reason);
    void recordFailure(const std::string& file, const std::string& reason, LoadReport& report);
    void refuseDirectory(const std::string& directory, const std::string& reason,
                         LoadReport& report);

    HostServices& _services;
    const ProbeLimits _limits;
    mutable std::mutex _mutex;
    std::vector<std::shared_ptr<KnownPlugin>> _plugins;
    std::map<Key, std::shared_ptr<KnownPlugin>> _offers;           // who offers each backend
    std::map<Key, std::shared_ptr<const BackendInfo>> _backends;  // of mapped plugins
    std::set<std::string> _examinedPaths;  // canonical paths, so a file is examined once
    std::vector<LoadFailure> _failures;
};

}  // namespace rportd::plugin_host
