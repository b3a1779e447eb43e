#pragma once
// What every client connection of the listener shares: the host key, the
// credential store of the moment, the login protections, the registry, the
// pool for blocking work and the settings from [server]. Built once by the
// ClientListener; sessions hold a reference to it.
#include <Poco/Logger.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "auth/LoginThrottle.h"
#include "auth/VerificationCache.h"
#include "client_listener/HandshakeGate.h"
#include "clients/ClientRegistry.h"
#include "net/BlockingPool.h"
#include "plugin_host/AuthBackend.h"
#include "ssh/HostKey.h"
#include "ssh/ServerConnection.h"

namespace rportd::client_listener {

class LiveClients;

struct SessionTimings {
    int64_t handshakeMillis = 30 * 1000;  // upgrade to authenticated
    int64_t connectionRequestMillis =
        5 * 60 * 1000;  // authenticated to new_connection (the original's 5 min)
    int64_t pingIntervalMillis = 5 * 60 * 1000;  // check_clients_connection_interval
    int64_t pingTimeoutMillis = 30 * 1000;       // check_clients_connection_timeout
};

struct ListenerContext {
    const ssh::HostKey& hostKey;
    ssh::ServerSettings ssh;
    SessionTimings timings;
    size_t maxRequestBytes = 524288;  // max_request_bytes_client
    std::string serverVersion;
    // The client-auth backend in force (SIGHUP may swap it).
    std::function<std::shared_ptr<plugin_host::AuthBackend>()> currentAuth;
    auth::VerificationCache* verificationCache = nullptr;
    auth::LoginThrottle& throttle;
    HandshakeGate& gate;
    net::BlockingPool& pool;
    clients::ClientRegistry& registry;
    clients::ConnectPolicy policy;
    LiveClients& live;
    Poco::Logger& log;
};

}  // namespace rportd::client_listener
