#pragma once
// An HttpServer on 127.0.0.1, port 0, for the length of one test, and the
// echo handler most tests use.
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "http/HttpServer.h"

namespace rportd::http::test {

class TestServer {
    struct Log {
        std::mutex mutex;
        std::vector<std::string> lines;
    };
    // Declared first: the server's options capture it.
    std::shared_ptr<Log> _log = std::make_shared<Log>();

public:
    explicit TestServer(HttpHandler handler, HttpServerOptions options = HttpServerOptions(),
                        const std::string& address = "127.0.0.1:0")
        : server(withLogCapture(std::move(options)), std::move(handler)) {
        port = server.listen(address);
        server.start();
    }
    ~TestServer() { server.stop(std::chrono::milliseconds(2000)); }

    // What the server reported through errorLog so far.
    std::vector<std::string> logLines() {
        std::lock_guard<std::mutex> lock(_log->mutex);
        return _log->lines;
    }

    HttpServer server;
    uint16_t port = 0;

private:
    HttpServerOptions withLogCapture(HttpServerOptions options) {
        auto log = _log;
        options.errorLog = [log](const std::string& line) {
            std::lock_guard<std::mutex> lock(log->mutex);
            log->lines.push_back(line);
        };
        return options;
    }
};

// Answers "<METHOD> <target>|<body>" as text/plain, with the peer in X-Peer
// and X-Body-Too-Large: 1 when the server flagged the body.
inline void echoHandler(HttpRequest& request, HttpResponse& response) {
    response.headers.emplace_back("Content-Type", "text/plain");
    response.headers.emplace_back("X-Peer", request.peerAddress + " " + std::to_string(request.peerPort));
    if (request.bodyTooLarge) {
        response.status = 413;
        response.headers.emplace_back("X-Body-Too-Large", "1");
    }
    response.body = request.method + " " + request.target + "|" + request.body;
}

}  // namespace rportd::http::test
