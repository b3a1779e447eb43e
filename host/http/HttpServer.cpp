#include "http/HttpServer.h"

#include <stdexcept>

#include "http/ErrorBody.h"
#include "http/HttpSession.h"
#include "net/EventLoop.h"
#include "net/Server.h"

namespace rportd::http {

namespace {

ParserLimits limitsFrom(const HttpServerOptions& options) {
    ParserLimits limits;
    limits.maxHeaderBytes = options.maxHeaderBytes;
    limits.maxBodyBytes = options.maxBodyBytes;
    return limits;
}

net::ServerOptions netOptions(const HttpServerOptions& options) {
    net::ServerOptions net;
    net.loops = options.loops;
    net.maxConnections = options.maxConnections;
    net.blockingThreads = static_cast<size_t>(options.threads > 0 ? options.threads : 1);
    auto error = options.errorLog;
    auto warning = options.warningLog;
    auto debug = options.debugLog;
    net.log = [error, warning, debug](net::LogLevel level, const std::string& message) {
        if (level == net::LogLevel::Error && error) error(message);
        if (level == net::LogLevel::Warning && warning) warning(message);
        if (level == net::LogLevel::Debug && debug) debug(message);
    };
    return net;
}

// Sent to a plain-HTTP client refused because the server is full.
std::string busyRefusal() {
    const std::string body =
        jsonErrorBody("ERR_CODE_SERVER_BUSY", "too many connections, try again later");
    return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: "
           "application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\nRetry-After: 5\r\nConnection: close\r\n\r\n" + body;
}

}  // namespace

struct HttpServer::Impl {
    Impl(HttpServerOptions o, HttpHandler handler, InlineHttpHandler inlineHandler)
        : options(std::move(o)),
          server(netOptions(options)),
          context{options, limitsFrom(options), std::move(handler), std::move(inlineHandler),
                  server.blockingPool()} {}

    HttpServerOptions options;
    net::Server server;
    HttpSessionContext context;
};

HttpServer::HttpServer(HttpServerOptions options, HttpHandler handler,
                       InlineHttpHandler inlineHandler)
    : _impl(std::make_unique<Impl>(std::move(options), std::move(handler),
                                   std::move(inlineHandler))) {}

HttpServer::~HttpServer() {
    try {
        stop(std::chrono::milliseconds(5000));
    } catch (...) {
    }
}

uint16_t HttpServer::listen(const std::string& hostPort, TransportFactory transport) {
    net::ListenerSpec spec;
    spec.name = "http " + hostPort;
    // Plain text cannot be spoken on a TLS port: refused TLS clients are just closed.
    if (!transport) spec.refusal = busyRefusal();
    spec.makeTransport = std::move(transport);
    const HttpSessionContext* context = &_impl->context;
    spec.makeSession = [context](net::Connection&) {
        return std::make_unique<HttpSession>(*context);
    };
    return _impl->server.listen(hostPort, std::move(spec));
}

void HttpServer::start() { _impl->server.start(); }

void HttpServer::stop(std::chrono::milliseconds drain) {
    if (_impl->server.blockingPool().onPoolThread() || net::EventLoop::current())
        throw std::logic_error("HttpServer::stop called from a handler");
    _impl->server.stop(drain);
}

size_t HttpServer::openConnections() const { return _impl->server.openConnections(); }

}  // namespace rportd::http
