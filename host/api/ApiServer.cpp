#include "api/ApiServer.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Thread.h>

namespace rportd::api {

namespace {

// Counts requests in flight so stop() knows when the server is quiet.
class DispatchingHandler : public Poco::Net::HTTPRequestHandler {
public:
    DispatchingHandler(RequestDispatcher& d, std::atomic<int>& inFlight) : _d(d), _inFlight(inFlight) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        ++_inFlight;
        _d.dispatch(request, response);
        --_inFlight;
    }

private:
    RequestDispatcher& _d;
    std::atomic<int>& _inFlight;
};

}  // namespace

class ApiServer::HandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    HandlerFactory(RequestDispatcher& d, std::atomic<int>& inFlight) : _d(d), _inFlight(inFlight) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new DispatchingHandler(_d, _inFlight);
    }

private:
    RequestDispatcher& _d;
    std::atomic<int>& _inFlight;
};

ApiServer::ApiServer(Poco::Net::ServerSocket socket, RequestDispatcher& dispatcher,
                     const ApiServerOptions& options)
    : _pool(2, options.maxThreads), _port(socket.address().port()) {
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(options.maxThreads);
    params->setMaxQueued(options.maxQueued);
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(options.keepAliveTimeout);
    params->setMaxKeepAliveRequests(0);  // unlimited, like Go's net/http
    _server = std::make_unique<Poco::Net::HTTPServer>(new HandlerFactory(dispatcher, _inFlight), _pool, socket,
                                                      params);
}

ApiServer::~ApiServer() {
    try {
        stop(Poco::Timespan(0));
    } catch (...) {
    }
}

void ApiServer::start() {
    _server->start();
    _running = true;
}

void ApiServer::stop(Poco::Timespan drain) {
    if (!_running) return;
    _running = false;
    _server->stop();  // no new connections
    Poco::Timestamp started;
    while (_inFlight.load() > 0 && !started.isElapsed(drain.totalMicroseconds())) Poco::Thread::sleep(10);
    _server->stopAll(true);  // close idle keep-alive connections now
    _pool.joinAll();
}

}  // namespace rportd::api
