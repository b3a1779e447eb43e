#pragma once
// Tunables of HttpServer. The defaults suit the rportd API: small JSON bodies,
// handlers that may wait on a database, and clients that keep connections open.
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

namespace rportd::http {

struct HttpServerOptions {
    // Event loops (threads that do all socket I/O); 0: one per core.
    size_t loops = 0;
    // Threads of the blocking pool that runs HttpHandler: the number of
    // handlers that can block at the same time.
    int threads = 8;
    size_t maxHeaderBytes =
        16384;  // request line + header fields (and chunked trailers); beyond: 431
    size_t maxBodyBytes = 10240;  // beyond: the handler sees bodyTooLarge
    // A connection with no bytes of a new request for this long is closed.
    std::chrono::milliseconds keepAliveTimeout{15000};
    // A request whose head and body do not arrive completely within this time
    // after its first byte is dropped (slowloris).
    std::chrono::milliseconds readTimeout{10000};
    // Connections beyond this are refused with a 503 and closed; the refusals
    // are logged once per interval, not once each.
    size_t maxConnections = 10000;
    // Called (from any thread, so it must be thread-safe) with handler
    // exceptions and unexpected socket errors. May be empty.
    std::function<void(const std::string&)> errorLog;
    // Warnings about the server as a whole (connection limit reached). May be empty.
    std::function<void(const std::string&)> warningLog;
    // Per-connection events worth seeing only when debugging (failed TLS handshakes). May be empty.
    std::function<void(const std::string&)> debugLog;
};

}  // namespace rportd::http
