#include "api/ApiServer.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <thread>

namespace rportd::api {

int defaultApiThreads() {
    unsigned cores = std::thread::hardware_concurrency();
    return static_cast<int>(std::clamp(2 * (cores ? cores : 1), 4u, 16u));
}

ApiServer::ApiServer(RequestDispatcher& dispatcher, const ApiServerOptions& options) {
    http::HttpServerOptions http;
    http.threads = options.threads;
    http.maxBodyBytes = options.maxRequestBytes;
    http.keepAliveTimeout = options.keepAliveTimeout;
    http.maxConnections = options.maxConnections;
    _transport = options.transport;
    http.errorLog = [](const std::string& message) { Poco::Logger::get("api-listener").error(message); };
    http.warningLog = [](const std::string& message) { Poco::Logger::get("api-listener").warning(message); };
    http.debugLog = [](const std::string& message) {
        Poco::Logger& log = Poco::Logger::get("api-listener");
        if (log.debug()) log.debug(message);
    };
    _server = std::make_unique<http::HttpServer>(
        http,
        [&dispatcher](http::HttpRequest& request, http::HttpResponse& response) {
            dispatcher.dispatch(request, response);
        },
        [&dispatcher](http::HttpRequest& request, http::HttpResponse& response) {
            return dispatcher.dispatchInline(request, response);
        });
}

ApiServer::~ApiServer() {
    try {
        stop(std::chrono::milliseconds(0));
    } catch (...) {
    }
}

std::string ApiServer::listen(const std::string& hostPort) {
    _port = _server->listen(hostPort, _transport);
    size_t colon = hostPort.rfind(':');
    return (colon == std::string::npos ? hostPort : hostPort.substr(0, colon)) + ":" + std::to_string(_port);
}

void ApiServer::start() {
    _server->start();
    _running = true;
}

void ApiServer::stop(std::chrono::milliseconds drain) {
    if (!_running) return;
    _running = false;
    _server->stop(drain);
}

}  // namespace rportd::api
