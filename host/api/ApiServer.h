#pragma once
// The API listener: rportd's event-driven HTTP server with the API's
// dispatcher as its handler. Listening is separate from starting so the app
// can report a bind failure before anything runs.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "api/RequestDispatcher.h"
#include "http/HttpServer.h"

namespace rportd::api {

// Workers: two per core, at least 4. Handlers run on them inline, so a handler
// waiting on a database holds one; more threads than that only add context
// switches (measured: 7.5 µs of CPU per request with 2 threads, 9.9 with 8).
int defaultApiThreads();

struct ApiServerOptions {
    int threads = defaultApiThreads();
    // [api] max_request_bytes: larger bodies are refused unread.
    size_t maxRequestBytes = 10240;
    std::chrono::milliseconds keepAliveTimeout{15000};
    size_t maxConnections = 10000;
    // TLS under every connection (HTTPS only); empty: plain HTTP.
    http::TransportFactory transport;
};

class ApiServer {
public:
    ApiServer(RequestDispatcher& dispatcher, const ApiServerOptions& options);
    ~ApiServer();

    // Binds "host:port" (port 0 picks one) and returns "host:actualport".
    // Throws std::runtime_error("cannot listen on <addr>: <reason>").
    std::string listen(const std::string& hostPort);
    void start();
    // Stops accepting, lets requests in flight finish (up to drain), closes
    // the remaining keep-alive connections.
    void stop(std::chrono::milliseconds drain = std::chrono::milliseconds(5000));
    uint16_t port() const { return _port; }

private:
    http::TransportFactory _transport;
    std::unique_ptr<http::HttpServer> _server;
    uint16_t _port = 0;
    bool _running = false;
};

}  // namespace rportd::api
