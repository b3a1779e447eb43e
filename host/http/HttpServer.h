#pragma once
// An event-driven HTTP/1.1 server: one epoll instance shared by a few worker
// threads, each connection owned by one worker at a time (EPOLLONESHOT), the
// handler run inline on that worker. See docs in HttpServer.cpp.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "http/HttpHandler.h"
#include "http/HttpServerOptions.h"

namespace rportd::http {

class HttpServer {
public:
    HttpServer(HttpServerOptions options, HttpHandler handler);
    ~HttpServer();  // stop()
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds and listens on "127.0.0.1:3000", "[::1]:0", "0.0.0.0:8080" (":8080"
    // means every address) with SO_REUSEADDR and a backlog of 1024, and returns
    // the bound port. Call before start(), once per address. Throws
    // std::runtime_error("cannot listen on <addr>: <reason>").
    uint16_t listen(const std::string& hostPort);

    // Starts the worker threads and begins accepting.
    void start();

    // Stops accepting at once, closes idle connections, lets handlers in flight
    // finish and their responses go out (up to drain), then closes everything
    // and joins the threads. Returns within drain + a few ms unless a handler
    // itself runs longer than drain: a thread running user code cannot be
    // abandoned safely, so stop() then waits for that handler to return.
    void stop(std::chrono::milliseconds drain = std::chrono::milliseconds(5000));

private:
    class Impl;
    std::unique_ptr<Impl> _impl;
};

}  // namespace rportd::http
