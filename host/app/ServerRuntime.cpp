#include "app/ServerRuntime.h"

#include <Poco/File.h>
#include <Poco/Logger.h>
#include <openssl/ssl.h>
#include <rport/plugin.h>

#include <ctime>
#include <set>
#include <stdexcept>

#include "api/handlers/ClientsAuthHandlers.h"
#include "api/handlers/ClientsHandlers.h"
#include "api/handlers/LoginHandlers.h"
#include "api/handlers/StatusHandler.h"
#include "app/PasswordHashing.h"
#include "app/PluginDirectory.h"
#include "config/UrlCheck.h"
#include "net/FileLimit.h"
#include "plugin_host/BackendError.h"
#include "tls/TlsTransport.h"
#include "util/TimeText.h"
#include "util/TrustedProxies.h"
#include "util/Version.h"

namespace rportd::app {

namespace {

// Where the host key lives when no key_seed derives it.
constexpr const char* kHostKeyFile = "ssh_host_key.pem";

// "0.0.0.0:0" with the port actually bound: "0.0.0.0:43121".
std::string hostWithPort(const std::string& address, uint16_t port) {
    size_t colon = address.rfind(':');
    return (colon == std::string::npos ? address : address.substr(0, colon)) + ":" +
           std::to_string(port);
}

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

std::shared_ptr<plugin_host::AuthBackend> ServerRuntime::createAuth(
    const char* kind, const config::PluginSelection& sel, bool createTables) {
    if (!_registry->find(kind, sel.plugin))
        throw plugin_host::BackendError(
            std::string(kind) + " plugin \"" + sel.plugin + "\" (selected by " + sel.origin +
            ") is not loaded; " + kind + " plugins available: " + joined(_registry->names(kind)));
    plugin_host::Settings settings = sel.settings;
    // Stores that keep credentials in a database understand create_tables;
    // others ignore settings they do not know.
    if (createTables) settings.emplace_back("create_tables", "true");
    return std::make_shared<plugin_host::AuthBackend>(*_registry, kind, sel.plugin, settings);
}

void ServerRuntime::prepare(bool createTables, Purpose purpose) {
    Poco::Logger& log = Poco::Logger::get("server");
    _checkOnly = createTables || purpose == Purpose::Check;
    try {
        Poco::File(_cfg.server.data_dir).createDirectories();
    } catch (const Poco::Exception& e) {
        throw std::runtime_error("failed to create data dir " + _cfg.server.data_dir + ": " +
                                 e.displayText());
    }

    // The clients the server knows, before anything can connect or ask.
    // A clients.db that cannot be read stops the start (naming the file):
    // starting empty would drop every client without a word.
    clients::RegistryOptions registryOptions;
    if (_cfg.server.purge_disconnected_clients)
        registryOptions.keepDisconnected = _cfg.server.keep_disconnected_clients;
    _clients = std::make_unique<clients::ClientRegistry>(registryOptions);
    _clients->open(_cfg.server.data_dir + "/clients.db", _cfg.server.sqlite_wal);
    prepareHostKey();

    _services =
        std::make_unique<plugin_host::HostServices>(plugin_host::HostOptions{_cfg.server.data_dir});
    _registry = std::make_unique<plugin_host::PluginRegistry>(*_services);
    const std::string dir = _cfg.plugins.dir.empty() ? defaultPluginDirectory() : _cfg.plugins.dir;
    plugin_host::LoadReport report = _registry->loadDirectory(dir);
    if (report.directoryMissing || report.directoryRefused) {
        std::string why =
            report.failures.empty() ? "it does not exist" : report.failures.back().reason;
        throw std::runtime_error("plugin directory " + dir + " cannot be used: " + why);
    }
    log.debug("plugins examined in %s: %z accepted, %z refused", dir, report.loaded.size(),
              report.failures.size());

    const auto& plugins = _cfg.plugins;
    // Certificate providers that order certificates themselves may publish
    // an HTTP-01 challenge as soon as they exist: the challenge port listens
    // before them.
    if (!_checkOnly && _cfg.server.acme_http_port > 0) startChallengeListener();
    // Before anything connects anywhere: a config that asks for HTTPS must
    // never end up serving the API over plain HTTP, so a certificate problem
    // stops the start here.
    if (plugins.api_cert && !_cfg.api.address.empty()) {
        std::string expectedHost;
        if (!_cfg.api.base_url.empty()) {
            std::string error;
            if (auto url = config::parseUrl(_cfg.api.base_url, error))
                expectedHost = config::hostWithoutPort(url->host);
        }
        _tlsStore = makeTlsStore("API");
        answerTlsAlpnChallenges();
        addCertificateSource(*plugins.api_cert, "api", expectedHost, *_tlsStore);
        _tlsStore->setDefaultSource("api");
    }
    if (plugins.tunnel_cert) prepareTunnelCertificate(*plugins.tunnel_cert);
    if (plugins.client_cert) {
        _clientTlsStore = makeTlsStore("client listener");
        addCertificateSource(*plugins.client_cert, "clients", "", *_clientTlsStore);
    }
    if (plugins.client_auth)
        _clientAuth.set(createAuth(RPORT_KIND_CLIENT_AUTH, *plugins.client_auth, createTables));
    if (!_cfg.api.address.empty() && plugins.api_auth) {
        _apiAuth.set(createAuth(RPORT_KIND_API_AUTH, *plugins.api_auth, createTables));
        _apiUsers = std::make_unique<PluginApiUsers>(_apiAuth, &_apiLoginCache);
    }

    if (plugins.client_auth && plugins.client_auth->plugin == "static")
        log.warning(
            "client authentication uses a single static credential ([server] auth); every client "
            "shares "
            "it and none can be revoked alone. Prefer auth_file or auth_table in production.");
}

std::unique_ptr<tls::CertificateStore> ServerRuntime::makeTlsStore(const std::string& what) {
    // Before OpenSSL initialises itself implicitly: no openssl.cnf (the TLS
    // policy is ours, not the system's) and only the TLS error strings (the
    // reasons a handshake fails), not libcrypto's whole table: 0.3 MB less.
    OPENSSL_init_ssl(OPENSSL_INIT_NO_LOAD_CONFIG | OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS |
                         OPENSSL_INIT_LOAD_SSL_STRINGS,
                     nullptr);
    tls::TlsPolicy policy;
    policy.minVersion = _cfg.api.tls_min.empty() ? "1.2" : _cfg.api.tls_min;
    try {
        return std::make_unique<tls::CertificateStore>(policy);
    } catch (const std::exception& e) {
        throw std::runtime_error(what + ": TLS: " + e.what());
    }
}

void ServerRuntime::addCertificateSource(const config::PluginSelection& sel,
                                         const std::string& source, const std::string& expectedHost,
                                         tls::CertificateStore& store) {
    if (!_registry->find(RPORT_KIND_CERT_PROVIDER, sel.plugin))
        throw std::runtime_error("cert-provider plugin \"" + sel.plugin + "\" (selected by " +
                                 sel.origin + ") is not loaded; cert-provider plugins available: " +
                                 joined(_registry->names(RPORT_KIND_CERT_PROVIDER)));
    plugin_host::Settings settings = sel.settings;
    // What every certificate provider may want to know about the host;
    // explicit [plugin.NAME] settings win.
    auto addDefault = [&settings](const std::string& key, const std::string& value) {
        for (const auto& kv : settings)
            if (kv.first == key) return;
        settings.emplace_back(key, value);
    };
    addDefault("acme_http_port", std::to_string(_cfg.server.acme_http_port));
    addDefault("challenge_webroot", config::challengeWebroot(_cfg.server));
    // --check-config and --create-tables: read and check, order nothing.
    if (_checkOnly) addDefault("check_only", "true");
    auto backend = std::make_shared<plugin_host::CertBackend>(*_registry, sel.plugin, settings);
    if (!_certSources) _certSources = std::make_unique<certs::CertificateSources>();
    // A provider that orders its own certificates may have none yet: the
    // listener starts anyway and refuses handshakes until the first one.
    _certSources->add(source, std::move(backend), expectedHost, store,
                      certs::CertificateSources::Waiting::Allowed);
}

void ServerRuntime::prepareTunnelCertificate(const config::PluginSelection& sel) {
    Poco::Logger& log = Poco::Logger::get("server");
    const std::string& host = _cfg.server.tunnel_host;
    if (_tlsStore) {
        addCertificateSource(sel, "tunnel", host, *_tlsStore);
        log.information(
            "this rportd has no tunnel proxy yet: the certificate for tunnel_host \"%s\" (%s) is "
            "served on the API listener to clients that ask for that name",
            host, sel.origin);
        return;
    }
    _tunnelTlsStore = makeTlsStore("tunnel");
    addCertificateSource(sel, "tunnel", host, *_tunnelTlsStore);
    log.information(
        "this rportd has no tunnel proxy yet and the API has no TLS: the certificate for "
        "tunnel_host \"%s\" (%s) is kept up to date but not served",
        host, sel.origin);
}

void ServerRuntime::answerTlsAlpnChallenges() {
    tls::CertificateStore* store = _tlsStore.get();
    _services->tlsAlpn01Challenges().setListener(
        [this, store](const std::string& name, const std::string* certPem,
                      const rport::sdk::SecretString* keyPem) {
            Poco::Logger& log = Poco::Logger::get("acme");
            if (!certPem || !keyPem) {
                store->removeAcmeChallenge(name);
                log.debug("TLS-ALPN-01 challenge for %s withdrawn", name);
                return true;
            }
            auto loaded = store->loadAcmeChallenge(*certPem, *keyPem);
            if (!loaded.certificate) {
                log.error("TLS-ALPN-01 challenge certificate for %s cannot be used: %s", name,
                          loaded.error);
                return false;
            }
            // The CA connects right after the provider answers the
            // challenge: the API must accept connections by then.
            {
                std::unique_lock<std::mutex> lock(_gateMutex);
                _gateOpened.wait_for(lock, std::chrono::seconds(30), [this] { return _gateOpen; });
                if (!_apiListening) {
                    log.warning("TLS-ALPN-01 challenge for %s not answered: the API is not listening",
                                name);
                    return false;
                }
            }
            store->setAcmeChallenge(name, loaded.certificate);
            log.debug("TLS-ALPN-01 challenge for %s published", name);
            return true;
        });
}

void ServerRuntime::openChallengeGate(bool apiListening) {
    {
        std::lock_guard<std::mutex> lock(_gateMutex);
        _gateOpen = true;
        _apiListening = apiListening;
    }
    _gateOpened.notify_all();
}

api::StatusInfo ServerRuntime::statusInfo() const {
    api::StatusInfo info;
    info.version = RPORTD_VERSION;
    if (_hostKey) info.fingerprint = _hostKey->fingerprintMd5();
    info.connectUrl = _cfg.server.url;
    info.pairingUrl = _cfg.server.pairing_url;
    if (auto clientAuth = _clientAuth.get()) {
        info.clientsAuthSource = authSourceName(clientAuth->name());
        info.clientsAuthMode =
            (clientAuth->writable() && _cfg.server.auth_write) ? "Read Write" : "Read Only";
    }
    if (auto apiAuth = _apiAuth.get()) info.usersAuthSource = authSourceName(apiAuth->name());
    info.tunnelHost = _cfg.server.tunnel_host;
    info.tunnelProxyEnabled = _cfg.server.tunnel_proxy_enabled;
    info.usedPorts = _cfg.server.used_ports;
    info.excludedPorts = _cfg.server.excluded_ports;
    info.passwordMinLength = _cfg.api.password_min_length;
    if (_certSources) {
        for (const auto& c : _certSources->status()) {
            api::CertificateStatusInfo out;
            out.source = c.source;
            out.provider = c.provider;
            if (c.certificate) {
                const auto& i = c.certificate->info();
                out.subject = i.subjectCommonName;
                out.sans = i.dnsNames;
                out.sans.insert(out.sans.end(), i.ipAddresses.begin(), i.ipAddresses.end());
                out.issuer = i.issuer;
                out.serial = i.serialHex;
                out.notAfter = util::rfc3339Utc(i.notAfter);
            }
            out.lastReload = c.lastReload ? util::rfc3339Utc(c.lastReload) : "";
            out.lastError = c.lastError;
            out.lastErrorAt = c.lastErrorAt ? util::rfc3339Utc(c.lastErrorAt) : "";
            out.name = c.expectedHost;
            out.state = c.reported.state;
            out.detail = c.reported.detail;
            out.nextRenewal =
                c.reported.nextAttempt ? util::rfc3339Utc(c.reported.nextAttempt) : "";
            info.certificates.push_back(std::move(out));
        }
    }
    return info;
}

void ServerRuntime::start() {
    // Every connection is a descriptor: a soft limit of 1024 would cap the
    // server at about a thousand clients.
    const net::FileLimit files = net::raiseOpenFileLimit();
    Poco::Logger::get("server").information("open file limit: " + std::to_string(files.now) +
                                            " (was " + std::to_string(files.before) +
                                            ", hard limit " + std::to_string(files.hard) + ")");
    startClientListener();
    startPurging();
    if (_cfg.api.address.empty()) {
        Poco::Logger::get("server").information("API disabled: [api] address is empty");
        openChallengeGate(false);
        return;
    }
    api::addStatusRoute(
        _router, [this] { return statusInfo(); },
        [this] {
            auto c = _clients->counts();
            return api::ClientCounts{c.connected, c.disconnected};
        });
    api::addClientsRoutes(_router, *_clients);
    if (_clientAuth) {
        _clientAuthStore = std::make_unique<PluginClientAuthStore>(_clientAuth);
        api::ClientsAuthOptions options;
        options.authWrite = _cfg.server.auth_write;
        options.storeHashed = _cfg.server.auth_store_hashed;
        options.maxRequestBytes = static_cast<size_t>(_cfg.api.max_request_bytes);
        options.hashPassword = [](std::string_view plain) { return hashNewSecret(plain); };
        api::addClientsAuthRoutes(_router, *_clientAuthStore, *_clients, options);
    }
    startApiSessions();
    api::addLoginRoutes(_router, *_apiAuthenticator,
                        static_cast<size_t>(_cfg.api.max_request_bytes));
    _dispatcher = std::make_unique<api::RequestDispatcher>(_router, *_apiAuthenticator);
    Poco::Logger& apiLog = Poco::Logger::get("api-listener");
    if (apiLog.debug())
        for (const auto& route : _router.signatures()) apiLog.debug("API route " + route);
    // JSON answers are never to be sniffed as something else or framed; over
    // HTTPS, browsers are told to keep using HTTPS (the UI runs there).
    std::vector<std::pair<std::string, std::string>> securityHeaders{
        {"X-Content-Type-Options", "nosniff"}, {"X-Frame-Options", "DENY"}};
    if (_tlsStore) securityHeaders.emplace_back("Strict-Transport-Security", "max-age=31536000");
    _dispatcher->setResponseHeaders(std::move(securityHeaders));
    api::ApiServerOptions options;
    options.maxRequestBytes = static_cast<size_t>(_cfg.api.max_request_bytes);
    // Room for the descriptors that are not API connections (plugins,
    // databases, log files, the client listener's share later).
    const uint64_t fileLimit = files.now;
    options.maxConnections = static_cast<size_t>(fileLimit > 512 ? fileLimit - 256 : fileLimit / 2);
    if (_tlsStore) {
        tls::CertificateStore* store = _tlsStore.get();
        options.transport = [store](int fd) {
            return std::make_unique<tls::TlsTransport>(fd, *store);
        };
    }
    _api = std::make_unique<api::ApiServer>(*_dispatcher, options);
    std::string listening;
    try {
        listening = _api->listen(_cfg.api.address);
    } catch (const std::exception& e) {
        openChallengeGate(false);
        throw std::runtime_error(std::string("API: ") + e.what());
    }
    _api->start();
    openChallengeGate(true);
    Poco::Logger::get("api-listener")
        .information("API Listening on %s (%s)...", listening,
                     std::string(_tlsStore ? "HTTPS" : "HTTP"));
}

void ServerRuntime::startApiSessions() {
    Poco::Logger& log = Poco::Logger::get("api-listener");
    auto now = [] {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    };
    _apiSessions =
        std::make_unique<auth::ApiSessions>(_cfg.server.data_dir + "/api_sessions.db", now());
    const config::ApiConfig& api = _cfg.api;
    api::ApiAuthSettings settings;
    settings.jwtSecret = api.jwt_secret;
    if (settings.jwtSecret.empty()) {
        settings.jwtSecret = auth::randomTokenSecret();
        log.warning(
            "[api] jwt_secret is not set: tokens are signed with a random secret, so every token "
            "from /login stops working when rportd restarts. Set jwt_secret to keep them.");
    }
    settings.trustedProxies = util::TrustedProxies(api.trusted_proxies);
    // The original truncates the float to whole seconds.
    settings.throttle.loginWaitMillis = static_cast<int64_t>(api.user_login_wait) * 1000;
    settings.throttle.maxFailedLogins = api.max_failed_login;
    settings.throttle.banMillis = static_cast<int64_t>(api.ban_time) * 1000;
    settings.throttle.door = "the API";
    settings.maxTokenLifetimeSeconds = static_cast<int64_t>(api.max_token_lifetime) * 3600;
    _apiAuthenticator =
        std::make_unique<api::ApiAuthenticator>(*_apiUsers, *_apiSessions, std::move(settings));
    // Uses of a token (its sliding expiry) are written in batches.
    auth::ApiSessions* sessions = _apiSessions.get();
    _sessionFlushTimer = _services->timers().start(
        this, kSessionFlushInterval, kSessionFlushInterval, [sessions, now] {
            try {
                sessions->flush(now());
            } catch (const std::exception& e) {
                Poco::Logger::get("api-listener")
                    .error("cannot save API sessions: %s", std::string(e.what()));
            }
        });
}

void ServerRuntime::recreate(BackendSlot<plugin_host::AuthBackend>& slot, const char* kind,
                             const std::optional<config::PluginSelection>& sel) {
    if (!sel || !slot) return;
    try {
        slot.set(createAuth(kind, *sel, false));
        Poco::Logger::get("server").information("%s plugin \"%s\" reloaded", std::string(kind),
                                                sel->plugin);
    } catch (const std::exception& e) {
        Poco::Logger::get("server").error("%s reload failed, keeping the previous credentials: %s",
                                          std::string(kind), std::string(e.what()));
    }
}

void ServerRuntime::reload() {
    recreate(_clientAuth, RPORT_KIND_CLIENT_AUTH, _cfg.plugins.client_auth);
    recreate(_apiAuth, RPORT_KIND_API_AUTH, _cfg.plugins.api_auth);
    if (_certSources) _certSources->reloadAll();
}

void ServerRuntime::startChallengeListener() {
    Poco::Logger& log = Poco::Logger::get("acme");
    const std::string webroot = config::challengeWebroot(_cfg.server);
    try {
        Poco::File(webroot + acme::ChallengeResponder::kChallengePrefix).createDirectories();
    } catch (const Poco::Exception& e) {
        log.warning("cannot create the challenge webroot %s: %s", webroot, e.displayText());
    }
    _challengeResponder =
        std::make_unique<acme::ChallengeResponder>(_services->http01Tokens(), webroot);
    http::HttpServerOptions options;
    options.loops = 1;
    options.threads = 1;
    options.maxBodyBytes = 0;
    options.readTimeout = std::chrono::seconds(3);  // the original's read-header timeout here
    options.maxConnections = 1024;
    options.errorLog = [](const std::string& message) { Poco::Logger::get("acme").error(message); };
    options.warningLog = [](const std::string& message) {
        Poco::Logger::get("acme").warning(message);
    };
    const acme::ChallengeResponder* responder = _challengeResponder.get();
    _challengeServer = std::make_unique<http::HttpServer>(
        options,
        [responder](http::HttpRequest& rq, http::HttpResponse& rs) { responder->answer(rq, rs); },
        [responder](http::HttpRequest& rq, http::HttpResponse& rs) {
            return responder->answerWithoutDisk(rq, rs);
        });
    // Every address, like the original, unless acme_http_host narrows it.
    const std::string& host = _cfg.server.acme_http_host;
    const std::string address = (host.find(':') != std::string::npos ? "[" + host + "]" : host) +
                                ":" + std::to_string(_cfg.server.acme_http_port);
    try {
        _challengePort = _challengeServer->listen(address);
        _challengeServer->start();
        log.information("listening on %s (HTTP-01 challenges, webroot %s)", address, webroot);
    } catch (const std::exception& e) {
        // Like the original: the server keeps running without it.
        log.error("failed to listen on acme http port: %s", std::string(e.what()));
        _challengeServer.reset();
    }
}

void ServerRuntime::startPurging() {
    Poco::Logger& log = Poco::Logger::get("server");
    if (!_cfg.server.purge_disconnected_clients) {
        log.debug("Task to purge disconnected clients disabled");
        return;
    }
    _clients->purge();  // what expired while the server was down
    const auto interval = std::chrono::duration_cast<std::chrono::milliseconds>(
        _cfg.server.purge_disconnected_clients_interval);
    clients::ClientRegistry* registry = _clients.get();
    _purgeTimer =
        _services->timers().start(this, interval, interval, [registry] { registry->purge(); });
    log.information("Task to purge disconnected clients will run with interval %s",
                    std::to_string(interval.count()) + "ms");
}

void ServerRuntime::prepareHostKey() {
    Poco::Logger& log = Poco::Logger::get("server");
    if (!_cfg.server.key_seed.empty()) {
        _hostKey = std::make_unique<ssh::HostKey>(ssh::HostKey::fromSeed(_cfg.server.key_seed));
    } else {
        // Unlike the original, which makes a new key at every start and so
        // breaks every client that pinned the fingerprint, the key is made
        // once and kept.
        const std::string path = _cfg.server.data_dir + "/" + kHostKeyFile;
        bool created = false;
        _hostKey = std::make_unique<ssh::HostKey>(ssh::HostKey::loadOrCreate(path, &created));
        if (created) log.information("created the SSH host key %s", path);
    }
    log.information("Fingerprint %s", _hostKey->fingerprintMd5());
}

void ServerRuntime::startClientListener() {
    const config::ServerConfig& server = _cfg.server;
    client_listener::ClientListenerSettings settings;
    settings.timings.pingIntervalMillis = std::chrono::duration_cast<std::chrono::milliseconds>(
                                              server.check_clients_connection_interval)
                                              .count();
    settings.timings.pingTimeoutMillis = std::chrono::duration_cast<std::chrono::milliseconds>(
                                             server.check_clients_connection_timeout)
                                             .count();
    // The original truncates the float to whole seconds.
    settings.throttle.loginWaitMillis = static_cast<int64_t>(server.client_login_wait) * 1000;
    settings.throttle.maxFailedLogins = server.max_failed_login;
    settings.throttle.banMillis = static_cast<int64_t>(server.ban_time) * 1000;
    settings.throttle.door = "the client listener";
    settings.maxConcurrentHandshakes =
        static_cast<size_t>(std::max(1, server.max_concurrent_ssh_handshakes));
    settings.maxRequestBytes = static_cast<size_t>(server.max_request_bytes_client);
    settings.serverVersion = RPORTD_VERSION;
    settings.policy.authMultiuseCreds = server.auth_multiuse_creds;
    settings.policy.equateClientAuthIdClientId = server.equate_clientauthid_clientid;
    settings.currentAuth = [this] { return _clientAuth.get(); };
    settings.verificationCache = &_clientLoginCache;
    _clientListener =
        std::make_unique<client_listener::ClientListener>(*_hostKey, *_clients, settings);
    try {
        http::TransportFactory transport;
        if (_clientTlsStore) {
            tls::CertificateStore* store = _clientTlsStore.get();
            transport = [store](int fd) { return std::make_unique<tls::TlsTransport>(fd, *store); };
        }
        _clientPort = _clientListener->listen(server.address, std::move(transport));
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string("client listener: ") + e.what());
    }
    _clientListener->start();
    Poco::Logger::get("client-listener")
        .information("Listening on %s (%s)...", hostWithPort(server.address, _clientPort),
                     std::string(_clientTlsStore ? "HTTPS" : "HTTP"));
}

void ServerRuntime::stop() {
    // Nothing may wait for the API any more.
    if (_services) openChallengeGate(false);
    // The API first: its handlers reach live clients through the listener.
    if (_api) {
        _api->stop();
        _api.reset();
    }
    if (_clientListener) {
        _clientListener->stop();
        _clientListener.reset();
    }
    if (_purgeTimer || _sessionFlushTimer) {
        _services->timers().cancelAll(this);
        _purgeTimer = 0;
        _sessionFlushTimer = 0;
    }
    if (_apiSessions) {
        try {
            _apiSessions->flush(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count());
        } catch (const std::exception& e) {
            Poco::Logger::get("api-listener")
                .error("cannot save API sessions: %s", std::string(e.what()));
        }
    }
    if (_challengeServer) {
        _challengeServer->stop(std::chrono::milliseconds(1000));
        _challengeServer.reset();
    }
    _challengeResponder.reset();
    _certSources.reset();  // providers withdraw their challenges on the way out
    if (_services) _services->tlsAlpn01Challenges().setListener({});
    _tlsStore.reset();
    _tunnelTlsStore.reset();
    _clientTlsStore.reset();
    _dispatcher.reset();
    _apiAuthenticator.reset();
    _apiSessions.reset();
    _clientAuthStore.reset();
    _apiUsers.reset();
    _apiAuth.set(nullptr);
    _clientAuth.set(nullptr);
    _registry.reset();
    _services.reset();
    _clients.reset();
}

}  // namespace rportd::app
