#pragma once
// The API listener: a Poco HTTPServer on a socket the app opens. The socket is
// passed in so the HTTPS issue can hand over a SecureServerSocket without
// touching anything here.
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timespan.h>

#include <atomic>
#include <memory>

#include "api/RequestDispatcher.h"

namespace rportd::api {

struct ApiServerOptions {
    // Poco serves a keep-alive connection on one thread for its whole life, so
    // the pool must be larger than the number of concurrent clients.
    int maxThreads = 256;
    int maxQueued = 1024;
    Poco::Timespan keepAliveTimeout = Poco::Timespan(15, 0);
};

class ApiServer {
public:
    ApiServer(Poco::Net::ServerSocket socket, RequestDispatcher& dispatcher, const ApiServerOptions& options);
    ~ApiServer();

    void start();
    // Stops accepting, lets requests in flight finish (up to drain), then
    // closes the remaining idle keep-alive connections.
    void stop(Poco::Timespan drain = Poco::Timespan(5, 0));
    uint16_t port() const { return _port; }

private:
    class HandlerFactory;

    std::atomic<int> _inFlight{0};
    Poco::ThreadPool _pool;
    std::unique_ptr<Poco::Net::HTTPServer> _server;
    uint16_t _port;
    bool _running = false;
};

}  // namespace rportd::api
