#pragma once
// HTTP/1.x on one connection: parses requests as bytes arrive, runs the
// handler (inline on the loop when it can answer at once, otherwise on the
// blocking pool with the connection's input paused meanwhile), frames the
// answers, keeps the connection alive between requests, enforces the
// request and keep-alive timeouts, and hands the connection to another
// session after a 101.
#include <memory>
#include <string>

#include "http/HttpHandler.h"
#include "http/HttpServerOptions.h"
#include "http/RequestParser.h"
#include "net/BlockingPool.h"
#include "net/Session.h"

namespace rportd::http {

// What every HTTP session of one server shares; owned by the server.
struct HttpSessionContext {
    const HttpServerOptions& options;
    ParserLimits limits;
    HttpHandler handler;
    InlineHttpHandler inlineHandler;
    net::BlockingPool& pool;
};

class HttpSession final : public net::Session {
public:
    explicit HttpSession(const HttpSessionContext& context)
        : _context(context), _parser(context.limits) {}

    void onOpen(net::Connection& connection) override;
    size_t onInput(net::Connection& connection, const char* data, size_t size) override;
    void onPeerClosed(net::Connection& connection) override;
    void onDeadline(net::Connection& connection) override;
    void onShutdownRequested(net::Connection& connection) override;

private:
    struct Exchange;

    void dispatch(net::Connection& connection);
    void runOnPool(net::Connection& connection);
    void onPoolAnswer(net::Connection& connection, Exchange& exchange);
    void answer(net::Connection& connection, const HttpRequest& request, HttpResponse& response,
                bool failed);
    void answerProtocolError(net::Connection& connection);
    void waitForNextRequest(net::Connection& connection);
    void log(const std::string& message) const;

    const HttpSessionContext& _context;
    RequestParser _parser;
    bool _busy = false;           // the handler runs on the pool
    bool _closeWhenDone = false;  // the peer half-closed or the server stops
    bool _upgraded = false;       // replaced by another session: parse no more
};

}  // namespace rportd::http
