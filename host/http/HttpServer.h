#pragma once
// An HTTP/1.1 server on rportd's network core (net/Server): event loops that
// own the connections, HttpSession as the protocol each connection starts
// with, handlers inline on the loop or on the blocking pool (HttpHandler.h).
// A listener may put TLS under its connections (a transport factory).
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/HttpHandler.h"
#include "http/HttpServerOptions.h"
#include "net/Transport.h"

namespace rportd::net {
class Server;
}

namespace rportd::http {

using TransportFactory = std::function<std::unique_ptr<net::Transport>(int fd)>;

class HttpServer {
public:
    HttpServer(HttpServerOptions options, HttpHandler handler,
               InlineHttpHandler inlineHandler = {});
    ~HttpServer();  // stop()
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds and listens on "127.0.0.1:3000", "[::1]:0", "0.0.0.0:8080" (":8080"
    // means every address) with SO_REUSEADDR and a backlog of 1024, and returns
    // the bound port. Call before start(), once per address. A transport
    // factory (TLS) wraps each accepted socket; without one the socket is
    // plain. Throws std::runtime_error("cannot listen on <addr>: <reason>").
    uint16_t listen(const std::string& hostPort, TransportFactory transport = {});

    // Starts the event loops and begins accepting.
    void start();

    // Stops accepting at once, closes idle connections, lets requests in
    // flight finish and their answers go out (up to drain), then closes
    // everything and joins the threads. Throws std::logic_error when called
    // from a handler (it would wait for itself).
    void stop(std::chrono::milliseconds drain = std::chrono::milliseconds(5000));

    size_t openConnections() const;

private:
    struct Impl;
    std::unique_ptr<Impl> _impl;
};

}  // namespace rportd::http
