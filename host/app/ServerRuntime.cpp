#include "app/ServerRuntime.h"

#include <Poco/File.h>
#include <Poco/Logger.h>

#include <rport/plugin.h>

#include <set>
#include <stdexcept>

#include "api/handlers/ClientsAuthHandlers.h"
#include "api/handlers/StatusHandler.h"
#include "app/PasswordHashing.h"
#include "app/PluginDirectory.h"
#include "plugin_host/BackendError.h"
#include "util/Version.h"

namespace rportd::app {

namespace {

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
    return out.empty() ? "none" : out;
}

}  // namespace

std::string authSourceName(const std::string& plugin) {
    if (plugin == "static") return "Static Credentials";
    if (plugin == "file") return "File";
    if (plugin == "table") return "DB";
    return plugin;
}

ServerRuntime::ServerRuntime(config::Config cfg) : _cfg(std::move(cfg)) {}

ServerRuntime::~ServerRuntime() {
    try {
        stop();
    } catch (...) {
    }
}

std::shared_ptr<plugin_host::AuthBackend> ServerRuntime::createAuth(const char* kind,
                                                                    const config::PluginSelection& sel,
                                                                    bool createTables) {
    if (!_registry->find(kind, sel.plugin))
        throw plugin_host::BackendError(std::string(kind) + " plugin \"" + sel.plugin + "\" (selected by " + sel.origin +
                                        ") is not loaded; " + kind + " plugins available: " +
                                        joined(_registry->names(kind)));
    plugin_host::Settings settings = sel.settings;
    // Stores that keep credentials in a database understand create_tables;
    // others ignore settings they do not know.
    if (createTables) settings.emplace_back("create_tables", "true");
    return std::make_shared<plugin_host::AuthBackend>(*_registry, kind, sel.plugin, settings);
}

void ServerRuntime::prepare(bool createTables) {
    Poco::Logger& log = Poco::Logger::get("server");
    try {
        Poco::File(_cfg.server.data_dir).createDirectories();
    } catch (const Poco::Exception& e) {
        throw std::runtime_error("failed to create data dir " + _cfg.server.data_dir + ": " + e.displayText());
    }

    _services = std::make_unique<plugin_host::HostServices>(plugin_host::HostOptions{_cfg.server.data_dir});
    _registry = std::make_unique<plugin_host::PluginRegistry>(*_services);
    const std::string dir = _cfg.plugins.dir.empty() ? defaultPluginDirectory() : _cfg.plugins.dir;
    plugin_host::LoadReport report = _registry->loadDirectory(dir);
    if (report.directoryMissing || report.directoryRefused) {
        std::string why = report.failures.empty() ? "it does not exist" : report.failures.back().reason;
        throw std::runtime_error("plugin directory " + dir + " cannot be used: " + why);
    }
    log.debug("plugins loaded from %s: %z accepted, %z refused", dir, report.loaded.size(), report.failures.size());

    const auto& plugins = _cfg.plugins;
    // Before anything connects anywhere: a config that asks for HTTPS must
    // never end up serving the API over plain HTTP.
    if (plugins.api_cert)
        throw std::runtime_error("API TLS (" + plugins.api_cert->origin +
                                 ") is not available in this rportd build yet; refusing to serve the API over "
                                 "plain HTTP instead");
    if (plugins.client_auth)
        _clientAuth.set(createAuth(RPORT_KIND_CLIENT_AUTH, *plugins.client_auth, createTables));
    if (!_cfg.api.address.empty() && plugins.api_auth) {
        _apiAuth.set(createAuth(RPORT_KIND_API_AUTH, *plugins.api_auth, createTables));
        _apiUsers = std::make_unique<PluginApiUsers>(_apiAuth, &_apiLoginCache);
    }
    // Plugins no role uses, and the libraries they pulled in, leave memory.
    std::set<std::pair<std::string, std::string>> selected;
    if (auto c = _clientAuth.get()) selected.emplace(RPORT_KIND_CLIENT_AUTH, c->name());
    if (auto a = _apiAuth.get()) selected.emplace(RPORT_KIND_API_AUTH, a->name());
    _registry->retainOnly(selected);

    if (plugins.tunnel_cert)
        log.warning("the tunnel proxy is not available in this rportd build yet; %s is ignored",
                    plugins.tunnel_cert->origin);
    if (plugins.client_auth && plugins.client_auth->plugin == "static")
        log.warning("client authentication uses a single static credential ([server] auth); every client shares "
                    "it and none can be revoked alone. Prefer auth_file or auth_table in production.");
}

api::StatusInfo ServerRuntime::statusInfo() const {
    api::StatusInfo info;
    info.version = RPORTD_VERSION;
    info.connectUrl = _cfg.server.url;
    info.pairingUrl = _cfg.server.pairing_url;
    if (auto clientAuth = _clientAuth.get()) {
        info.clientsAuthSource = authSourceName(clientAuth->name());
        info.clientsAuthMode = (clientAuth->writable() && _cfg.server.auth_write) ? "Read Write" : "Read Only";
    }
    if (auto apiAuth = _apiAuth.get()) info.usersAuthSource = authSourceName(apiAuth->name());
    info.tunnelHost = _cfg.server.tunnel_host;
    info.tunnelProxyEnabled = _cfg.server.tunnel_proxy_enabled;
    info.usedPorts = _cfg.server.used_ports;
    info.excludedPorts = _cfg.server.excluded_ports;
    info.passwordMinLength = _cfg.api.password_min_length;
    return info;
}

void ServerRuntime::start() {
    if (_cfg.api.address.empty()) {
        Poco::Logger::get("server").information("API disabled: [api] address is empty");
        return;
    }
    api::addStatusRoute(
        _router, [this] { return statusInfo(); },
        [this] {
            auto c = _clients.counts();
            return api::ClientCounts{c.connected, c.disconnected};
        });
    if (_clientAuth) {
        _clientAuthStore = std::make_unique<PluginClientAuthStore>(_clientAuth);
        api::ClientsAuthOptions options;
        options.authWrite = _cfg.server.auth_write;
        options.storeHashed = _cfg.server.auth_store_hashed;
        options.maxRequestBytes = static_cast<size_t>(_cfg.api.max_request_bytes);
        options.hashPassword = [](std::string_view plain) { return hashNewSecret(plain); };
        api::addClientsAuthRoutes(_router, *_clientAuthStore, _clients, options);
    }
    _dispatcher = std::make_unique<api::RequestDispatcher>(_router, *_apiUsers);
    api::ApiServerOptions options;
    options.maxRequestBytes = static_cast<size_t>(_cfg.api.max_request_bytes);
    _api = std::make_unique<api::ApiServer>(*_dispatcher, options);
    std::string listening;
    try {
        listening = _api->listen(_cfg.api.address);
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string("API: ") + e.what());
    }
    _api->start();
    Poco::Logger::get("api-listener").information("API Listening on %s...", listening);
}

void ServerRuntime::recreate(BackendSlot<plugin_host::AuthBackend>& slot, const char* kind,
                             const std::optional<config::PluginSelection>& sel) {
    if (!sel || !slot) return;
    try {
        slot.set(createAuth(kind, *sel, false));
        Poco::Logger::get("server").information("%s plugin \"%s\" reloaded", std::string(kind), sel->plugin);
    } catch (const std::exception& e) {
        Poco::Logger::get("server").error("%s reload failed, keeping the previous credentials: %s",
                                          std::string(kind), std::string(e.what()));
    }
}

void ServerRuntime::reload() {
    recreate(_clientAuth, RPORT_KIND_CLIENT_AUTH, _cfg.plugins.client_auth);
    recreate(_apiAuth, RPORT_KIND_API_AUTH, _cfg.plugins.api_auth);
}

void ServerRuntime::stop() {
    if (_api) {
        _api->stop();
        _api.reset();
    }
    _dispatcher.reset();
    _clientAuthStore.reset();
    _apiUsers.reset();
    _apiAuth.set(nullptr);
    _clientAuth.set(nullptr);
    _registry.reset();
    _services.reset();
}

}  // namespace rportd::app
