#pragma once
// What every connection of one server shares: settings, the handler, the
// epoll instance, the registry and the stop flag. Owned by the server, which
// outlives all its connections.
#include <atomic>

#include "http/HttpHandler.h"
#include "http/HttpServerOptions.h"
#include "http/RequestParser.h"

namespace rportd::http {

class Poller;
class ConnectionRegistry;

struct ConnectionContext {
    const HttpServerOptions& options;
    const HttpHandler& handler;
    ParserLimits limits;
    Poller& poller;
    ConnectionRegistry& registry;
    // Set by stop(): answer what is in flight with "Connection: close", wait for no new request.
    std::atomic<bool> stopping{false};
};

}  // namespace rportd::http
