#include "plugin_host/PluginRegistry.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "plugin_host/HostServices.h"
#include "plugin_host/PluginFileCheck.h"
#include "plugin_host/PluginLoader.h"
#include "plugin_host/PluginProbe.h"

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

std::string describeBackends(const std::vector<BackendEntry>& backends) {
    std::string text;
    for (const BackendEntry& b : backends)
        text += (text.empty() ? "" : ", ") + b.kind + "/" + b.name;
    return text.empty() ? "no backends" : text;
}

std::string describePlugin(const std::string& name, const std::string& version, uint32_t abiMinor,
                           const std::vector<BackendEntry>& backends) {
    return name + " " + version + " (ABI " + std::to_string(RPORT_ABI_MAJOR) + "." +
           std::to_string(abiMinor) + "), " + describeBackends(backends);
}

bool sameBackends(const std::vector<BackendEntry>& a, const std::vector<BackendEntry>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](const BackendEntry& x, const BackendEntry& y) {
                          return x.kind == y.kind && x.name == y.name && x.flags == y.flags;
                      });
}

}  // namespace

PluginRegistry::PluginRegistry(HostServices& services, ProbeLimits limits)
    : _services(services), _limits(limits) {}

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
    examine(files, report);
    return report;
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
    examine({path}, report);
    return report;
}

void PluginRegistry::examine(const std::vector<std::string>& files, LoadReport& report) {
    std::vector<std::string> fresh;
    for (const std::string& file : files) {
        if (_examinedPaths.insert(canonical(file)).second)
            fresh.push_back(file);
        else
            pluginsLogger().debug("plugin " + file + " is already known");
    }
    if (fresh.empty()) return;
    for (ProbeVerdict& verdict : probePlugins(fresh, _services.table(), _limits))
        accept(std::move(verdict), report);
}

void PluginRegistry::accept(ProbeVerdict verdict, LoadReport& report) {
    if (!verdict.accepted()) {
        recordFailure(verdict.file, verdict.refusal, report);
        return;
    }
    // First come, first served: the later of two plugins offering the same
    // kind and name is refused as a whole, so what is in force never depends
    // on a half-accepted plugin.
    for (const BackendEntry& b : verdict.backends) {
        auto taken = _offers.find(Key(b.kind, b.name));
        if (taken != _offers.end()) {
            recordFailure(verdict.file,
                          "backend " + b.kind + "/" + b.name + " already provided by " +
                              taken->second->examined.file,
                          report);
            return;
        }
    }
    for (const std::string& skipped : verdict.skipped) {
        pluginsLogger().warning("plugin " + verdict.file + ": " + skipped);
        report.warnings.push_back(verdict.file + ": " + skipped);
    }
    pluginsLogger().information(
        "plugin " + verdict.file + " accepted: " +
        describePlugin(verdict.name, verdict.version, verdict.abiMinor, verdict.backends));
    report.loaded.push_back(verdict.file);
    auto known = std::make_shared<KnownPlugin>();
    known->examined = std::move(verdict);
    for (const BackendEntry& b : known->examined.backends)
        _offers.emplace(Key(b.kind, b.name), known);
    _plugins.push_back(std::move(known));
}

bool PluginRegistry::map(KnownPlugin& plugin) {
    const ProbeVerdict& examined = plugin.examined;
    PluginLoader loader(_services.table());
    PluginLoadResult result = loader.load(examined.file);
    std::string refusal = result.refusal;
    if (result.plugin &&
        (result.plugin->name != examined.name || result.plugin->version != examined.version ||
         !sameBackends(result.plugin->backends, examined.backends)))
        refusal = "changed since it was examined (now " +
                  describePlugin(result.plugin->name, result.plugin->version,
                                 result.plugin->abiMinor, result.plugin->backends) +
                  ")";
    if (!refusal.empty()) {
        recordFailure(examined.file, refusal);
        forget(plugin);
        return false;
    }
    std::shared_ptr<const LoadedPlugin> image = std::move(result.plugin);
    for (const BackendEntry& b : image->backends) {
        auto info = std::make_shared<BackendInfo>();
        info->kind = b.kind;
        info->name = b.name;
        info->flags = b.flags;
        info->vtable = b.vtable;
        info->plugin = image;
        _backends.emplace(Key(b.kind, b.name), std::move(info));
    }
    pluginsLogger().information(
        "plugin " + examined.file + " loaded: " +
        describePlugin(image->name, image->version, image->abiMinor, image->backends));
    plugin.image = std::move(image);
    return true;
}

void PluginRegistry::forget(const KnownPlugin& plugin) {
    for (auto it = _offers.begin(); it != _offers.end();)
        it = it->second.get() == &plugin ? _offers.erase(it) : std::next(it);
    _plugins.erase(std::remove_if(_plugins.begin(), _plugins.end(),
                                  [&](const auto& p) { return p.get() == &plugin; }),
                   _plugins.end());
}

void PluginRegistry::recordFailure(const std::string& file, const std::string& reason) {
    pluginsLogger().error("plugin " + file + " refused: " + reason);
    _failures.push_back({file, reason});
}

void PluginRegistry::recordFailure(const std::string& file, const std::string& reason,
                                   LoadReport& report) {
    recordFailure(file, reason);
    report.failures.push_back({file, reason});
}

void PluginRegistry::refuseDirectory(const std::string& directory, const std::string& reason,
                                     LoadReport& report) {
    pluginsLogger().error("plugin directory " + directory + " refused: " + reason);
    report.directoryRefused = true;
    report.failures.push_back({directory, reason});
    _failures.push_back({directory, reason});
}

std::shared_ptr<const BackendInfo> PluginRegistry::find(std::string_view kind,
                                                        std::string_view name) {
    std::lock_guard<std::mutex> lock(_mutex);
    const Key key{std::string(kind), std::string(name)};
    if (auto mapped = _backends.find(key); mapped != _backends.end()) return mapped->second;
    auto offered = _offers.find(key);
    if (offered == _offers.end()) return nullptr;
    std::shared_ptr<KnownPlugin> plugin = offered->second;  // forget() may drop the map's copy
    if (!map(*plugin)) return nullptr;
    auto mapped = _backends.find(key);
    return mapped == _backends.end() ? nullptr : mapped->second;
}

std::vector<std::string> PluginRegistry::names(std::string_view kind) const {
    std::lock_guard<std::mutex> lock(_mutex);
    std::vector<std::string> out;
    for (const auto& entry : _offers)
        if (entry.first.first == kind) out.push_back(entry.first.second);
    return out;  // already sorted: the map orders by kind, then name
}

std::vector<PluginInfo> PluginRegistry::list() const {
    std::lock_guard<std::mutex> lock(_mutex);
    std::vector<PluginInfo> out;
    for (const auto& plugin : _plugins) {
        const ProbeVerdict& p = plugin->examined;
        PluginInfo info{p.name, p.version, p.file, p.abiMinor, {}};
        for (const BackendEntry& b : p.backends) info.backends.emplace_back(b.kind, b.name);
        out.push_back(std::move(info));
    }
    return out;
}

std::vector<LoadFailure> PluginRegistry::failures() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _failures;
}

}  // namespace rportd::plugin_host
