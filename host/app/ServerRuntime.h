#pragma once
// Everything rportd runs, built from a validated config: the data dir, the
// plugins and the backends they provide, and the API listener.
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>

#include "acme/ChallengeResponder.h"
#include "api/ApiAuthenticator.h"
#include "api/ApiServer.h"
#include "api/Router.h"
#include "api/handlers/StatusHandler.h"
#include "app/BackendSlot.h"
#include "app/PluginApiUsers.h"
#include "app/PluginClientAuthStore.h"
#include "auth/ApiSessions.h"
#include "auth/VerificationCache.h"
#include "certs/CertificateSources.h"
#include "client_listener/ClientListener.h"
#include "clients/ClientRegistry.h"
#include "config/Config.h"
#include "http/HttpServer.h"
#include "plugin_host/AuthBackend.h"
#include "plugin_host/CertBackend.h"
#include "plugin_host/HostServices.h"
#include "plugin_host/PluginRegistry.h"
#include "ssh/HostKey.h"
#include "tls/CertificateStore.h"

namespace rportd::app {

class ServerRuntime {
public:
    explicit ServerRuntime(config::Config cfg);
    ~ServerRuntime();

    // What prepare() is for: serving, or only checking (--check-config,
    // --create-tables), where certificate providers must not order anything
    // and no port is bound.
    enum class Purpose { Serve, Check };
    // Creates the data dir, loads plugins, creates the selected backends.
    // createTables asks database-backed stores to create missing tables.
    // Throws std::runtime_error with a message naming what failed.
    void prepare(bool createTables = false, Purpose purpose = Purpose::Serve);
    // Opens the listeners. Throws when an address cannot be bound.
    void start();
    // SIGHUP: the credential stores are created anew from the same settings
    // (re-reading files, reconnecting databases) and swapped in; requests in
    // flight finish on the instance they started with.
    void reload();
    // Graceful: stops accepting, finishes requests in flight, then tears down.
    void stop();

    uint16_t apiPort() const { return _api ? _api->port() : 0; }
    uint16_t challengePort() const { return _challengePort; }
    uint16_t clientPort() const { return _clientPort; }
    // The client listener, once started (the data path's tests reach live
    // clients through it).
    client_listener::ClientListener* clientListener() { return _clientListener.get(); }
    // The clients the server knows, loaded from clients.db by prepare().
    clients::ClientRegistry& clientRegistry() { return *_clients; }

private:
    std::shared_ptr<plugin_host::AuthBackend> createAuth(const char* kind,
                                                         const config::PluginSelection& sel,
                                                         bool createTables);
    // SIGHUP for one role: a fresh instance replaces the current one; when
    // it cannot be created the current one stays and the reason is logged.
    void recreate(BackendSlot<plugin_host::AuthBackend>& slot, const char* kind,
                  const std::optional<config::PluginSelection>& sel);
    api::StatusInfo statusInfo() const;
    // An empty TLS store with the configured policy; `what` names it in errors.
    std::unique_ptr<tls::CertificateStore> makeTlsStore(const std::string& what);
    // Feeds `store` from the certificate provider `sel` as /status source
    // `source` ("api", "tunnel", "clients").
    void addCertificateSource(const config::PluginSelection& sel, const std::string& source,
                              const std::string& expectedHost, tls::CertificateStore& store);
    // The tunnel_host certificate: served on the API listener by SNI while
    // this build has no tunnel proxy of its own.
    void prepareTunnelCertificate(const config::PluginSelection& sel);
    // TLS-ALPN-01 challenge certificates that providers publish go into the
    // API's TLS store. A publish made before the API listens waits for it,
    // since the CA may connect the moment the challenge is answered.
    void answerTlsAlpnChallenges();
    // The start of start(): the API can be reached (or the server is
    // stopping); publishes waiting in answerTlsAlpnChallenges go on.
    void openChallengeGate(bool apiListening);
    void startChallengeListener();
    // The SSH host key: derived from [server] key_seed, or kept in data_dir.
    void prepareHostKey();
    void startClientListener();
    // The periodic purge of disconnected clients, when configured.
    void startPurging();
    // api_sessions.db, the token signer and the login throttle of the API.
    void startApiSessions();
    static constexpr std::chrono::milliseconds kSessionFlushInterval{5000};

    config::Config _cfg;
    std::unique_ptr<plugin_host::HostServices> _services;
    std::unique_ptr<plugin_host::PluginRegistry> _registry;
    BackendSlot<plugin_host::AuthBackend> _clientAuth;
    BackendSlot<plugin_host::AuthBackend> _apiAuth;
    std::unique_ptr<PluginApiUsers> _apiUsers;
    std::unique_ptr<PluginClientAuthStore> _clientAuthStore;
    std::unique_ptr<clients::ClientRegistry> _clients;
    uint64_t _purgeTimer = 0;
    auth::VerificationCache _apiLoginCache;     // bcrypt results for API users
    auth::VerificationCache _clientLoginCache;  // ... and for rport clients
    std::unique_ptr<ssh::HostKey> _hostKey;
    std::unique_ptr<client_listener::ClientListener> _clientListener;
    uint16_t _clientPort = 0;
    api::Router _router;
    std::unique_ptr<auth::ApiSessions> _apiSessions;
    std::unique_ptr<api::ApiAuthenticator> _apiAuthenticator;
    uint64_t _sessionFlushTimer = 0;
    std::unique_ptr<api::RequestDispatcher> _dispatcher;
    std::unique_ptr<tls::CertificateStore> _tlsStore;  // the API's
    std::unique_ptr<tls::CertificateStore>
        _clientTlsStore;  // the client listener's, when it has TLS
    // tunnel_host's certificate when the API has no TLS store to serve it from
    std::unique_ptr<tls::CertificateStore> _tunnelTlsStore;
    bool _checkOnly = false;
    std::mutex _gateMutex;
    std::condition_variable _gateOpened;
    bool _gateOpen = false;
    bool _apiListening = false;
    std::unique_ptr<certs::CertificateSources> _certSources;
    std::unique_ptr<api::ApiServer> _api;
    std::unique_ptr<acme::ChallengeResponder> _challengeResponder;
    std::unique_ptr<http::HttpServer> _challengeServer;
    uint16_t _challengePort = 0;
};

// How /status names a credential source: the original's words for the
// built-in plugins, the plugin name for any other.
std::string authSourceName(const std::string& plugin);

}  // namespace rportd::app
