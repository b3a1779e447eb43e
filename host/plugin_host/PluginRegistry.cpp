#include "plugin_host/PluginRegistry.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "plugin_host/HostServices.h"
#include "plugin_host/PluginFileCheck.h"
#include "plugin_host/PluginLoader.h"

namespace fs = std::filesystem;

namespace rportd::plugin_host {

namespace {

Poco::Logger& pluginsLogger() { return Poco::Logger::get("plugins"); }

bool isPluginFileName(const std::string& name) {
    // Like the shell's *.so: hidden files (editor backups, half-copied files)
    // are not plugins.
    return name.size() > 3 && name[0] != '.' && name.compare(name.size() - 3, 3, ".so") == 0;
}

std::string canonical(const std::string& path) {
    std::error_code ec;
    fs::path p = fs::weakly_canonical(path, ec);
    return ec ? path : p.string();
}

std::string describeBackends(const LoadedPlugin& plugin) {
    std::string text;
    for (const BackendEntry& b : plugin.backends)
        text += (text.empty() ? "" : ", ") + b.kind + "/" + b.name;
    return text.empty() ? "no backends" : text;
}

}  // namespace

PluginRegistry::PluginRegistry(HostServices& services) : _services(services) {}

// Backend instances hold their own reference to the image, so dropping ours
// unmaps only the plugins nobody uses any more.
PluginRegistry::~PluginRegistry() = default;

LoadReport PluginRegistry::loadDirectory(const std::string& directory) {
    LoadReport report;
    report.directory = directory;
    std::lock_guard<std::mutex> lock(_mutex);

    std::error_code ec;
    const bool exists = fs::exists(directory, ec);
    if (ec) {
        refuseDirectory(directory, "cannot be read (" + ec.message() + ")", report);
        return report;
    }
    if (!exists) {
        report.directoryMissing = true;
        pluginsLogger().debug("plugin directory " + directory + " does not exist");
        return report;
    }
    if (std::string reason = refusePluginDirectory(directory); !reason.empty()) {
        refuseDirectory(directory, reason, report);
        return report;
    }

    std::vector<std::string> files;
    fs::directory_iterator it(directory, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (isPluginFileName(name)) files.push_back((fs::path(directory) / name).string());
    }
    if (ec) {
        refuseDirectory(directory, "cannot be read (" + ec.message() + ")", report);
        return report;
    }
    // Byte order, so the first of two plugins offering the same backend is
    // the same one on every start.
    std::sort(files.begin(), files.end());
    for (const std::string& file : files) loadOne(file, report);
    return report;
}

size_t PluginRegistry::retainOnly(const std::set<std::pair<std::string, std::string>>& selected) {
    std::lock_guard<std::mutex> lock(_mutex);
    size_t released = 0;
    for (auto it = _plugins.begin(); it != _plugins.end();) {
        const LoadedPlugin& plugin = **it;
        bool used = std::any_of(plugin.backends.begin(), plugin.backends.end(),
                                [&](const BackendEntry& b) { return selected.count(Key(b.kind, b.name)) > 0; });
        if (used) {
            ++it;
            continue;
        }
        for (const BackendEntry& b : plugin.backends) _backends.erase(Key(b.kind, b.name));
        _loadedPaths.erase(canonical(plugin.file));
        pluginsLogger().debug("plugin " + plugin.file + " released: no configured role uses it");
        it = _plugins.erase(it);
        ++released;
    }
    return released;
}

LoadReport PluginRegistry::loadFile(const std::string& path) {
    LoadReport report;
    const fs::path parent = fs::path(path).parent_path();
    report.directory = parent.empty() ? std::string(".") : parent.string();
    std::lock_guard<std::mutex> lock(_mutex);
    if (std::string reason = refusePluginDirectory(report.directory); !reason.empty()) {
        refuseDirectory(report.directory, reason, report);
        return report;
    }
    loadOne(path, report);
    return report;
}

void PluginRegistry::loadOne(const std::string& path, LoadReport& report) {
    const std::string canonicalPath = canonical(path);
    if (_loadedPaths.count(canonicalPath)) {
        pluginsLogger().debug("plugin " + path + " is already loaded");
        return;
    }

    PluginLoader loader(_services.table());
    PluginLoadResult result = loader.load(path);
    if (!result.plugin) {
        recordFailure(path, result.refusal, report);
        return;
    }
    const LoadedPlugin& plugin = *result.plugin;

    // First come, first served: the later of two plugins offering the same
    // kind and name is refused as a whole, so what is in force never depends
    // on a half-loaded plugin.
    for (const BackendEntry& b : plugin.backends) {
        auto taken = _backends.find(Key(b.kind, b.name));
        if (taken != _backends.end()) {
            recordFailure(path,
                          "backend " + b.kind + "/" + b.name + " already provided by " +
                              taken->second->file(),
                          report);
            return;
        }
    }

    for (const std::string& skipped : result.skipped) {
        pluginsLogger().warning("plugin " + path + ": " + skipped);
        report.warnings.push_back(path + ": " + skipped);
    }
    std::shared_ptr<const LoadedPlugin> shared = std::move(result.plugin);
    for (const BackendEntry& b : shared->backends) {
        auto info = std::make_shared<BackendInfo>();
        info->kind = b.kind;
        info->name = b.name;
        info->flags = b.flags;
        info->vtable = b.vtable;
        info->plugin = shared;
        _backends.emplace(Key(b.kind, b.name), std::move(info));
    }
    pluginsLogger().information("plugin " + path + " loaded: " + shared->name + " " +
                                shared->version + " (ABI " + std::to_string(RPORT_ABI_MAJOR) + "." +
                                std::to_string(shared->abiMinor) + "), " +
                                describeBackends(*shared));
    _plugins.push_back(shared);
    _loadedPaths.insert(canonicalPath);
    report.loaded.push_back(path);
}

void PluginRegistry::recordFailure(const std::string& file, const std::string& reason,
                                   LoadReport& report) {
    pluginsLogger().error("plugin " + file + " refused: " + reason);
    report.failures.push_back({file, reason});
    _failures.push_back({file, reason});
}

void PluginRegistry::refuseDirectory(const std::string& directory, const std::string& reason,
                                     LoadReport& report) {
    pluginsLogger().error("plugin directory " + directory + " refused: " + reason);
    report.directoryRefused = true;
    report.failures.push_back({directory, reason});
    _failures.push_back({directory, reason});
}

std::shared_ptr<const BackendInfo> PluginRegistry::find(std::string_view kind,
                                                        std::string_view name) const {
    std::lock_guard<std::mutex> lock(_mutex);
    auto it = _backends.find(Key(std::string(kind), std::string(name)));
    return it == _backends.end() ? nullptr : it->second;
}

std::vector<std::string> PluginRegistry::names(std::string_view kind) const {
    std::lock_guard<std::mutex> lock(_mutex);
    std::vector<std::string> out;
    for (const auto& entry : _backends)
        if (entry.first.first == kind) out.push_back(entry.first.second);
    return out;  // already sorted: the map orders by kind, then name
}

std::vector<PluginInfo> PluginRegistry::list() const {
    std::lock_guard<std::mutex> lock(_mutex);
    std::vector<PluginInfo> out;
    for (const auto& plugin : _plugins) {
        PluginInfo info{plugin->name, plugin->version, plugin->file, plugin->abiMinor, {}};
        for (const BackendEntry& b : plugin->backends) info.backends.emplace_back(b.kind, b.name);
        out.push_back(std::move(info));
    }
    return out;
}

std::vector<LoadFailure> PluginRegistry::failures() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _failures;
}

}  // namespace rportd::plugin_host
