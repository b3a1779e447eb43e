#pragma once
// The listener on [server] address that rport clients dial: HTTP/1.1 whose
// only useful request is the WebSocket upgrade with subprotocol rport-v1
// (rport-behaviour §6.2). Banned addresses get 423 before any upgrade,
// everything else 404 with an empty body, as the original answers. Each
// upgraded connection runs a ClientSession. TLS under it is optional.
#include <Poco/Logger.h>

#include <memory>
#include <string>

#include "auth/LoginThrottle.h"
#include "client_listener/HandshakeGate.h"
#include "client_listener/ListenerContext.h"
#include "client_listener/LiveClients.h"
#include "http/HttpServer.h"
#include "net/BlockingPool.h"
#include "ws/WebSocketSession.h"

namespace rportd::client_listener {

struct ClientListenerSettings {
    ssh::ServerSettings ssh;
    SessionTimings timings;
    auth::LoginThrottle::Settings throttle;
    size_t maxConcurrentHandshakes = 1;
    size_t maxRequestBytes = 524288;
    size_t maxConnections = 10000;
    size_t loops = 0;  // 0: one per core
    std::string serverVersion;
    clients::ConnectPolicy policy;
    std::function<std::shared_ptr<plugin_host::AuthBackend>()> currentAuth;
    auth::VerificationCache* verificationCache = nullptr;
};

class ClientListener {
public:
    ClientListener(const ssh::HostKey& hostKey, clients::ClientRegistry& registry,
                   ClientListenerSettings settings);
    ~ClientListener();  // stop()

    // Binds (throws std::runtime_error naming the address); returns the port.
    uint16_t listen(const std::string& hostPort, http::TransportFactory transport = {});
    void start();
    // Clients hear a DISCONNECT, then the connections close.
    void stop();

    LiveClients& liveClients() { return _live; }

private:
    bool answer(http::HttpRequest& request, http::HttpResponse& response);

    ClientListenerSettings _settings;
    Poco::Logger& _log;
    auth::LoginThrottle _throttle;
    HandshakeGate _gate;
    net::BlockingPool _pool;
    LiveClients _live;
    ListenerContext _context;
    ws::WebSocketOptions _webSocket;
    std::unique_ptr<http::HttpServer> _http;
};

}  // namespace rportd::client_listener
