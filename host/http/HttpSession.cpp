#include "http/HttpSession.h"

#include <utility>

#include "http/ResponseWriter.h"
#include "net/Connection.h"
#include "net/ConnectionSet.h"

namespace rportd::http {

// A request on its way through the pool and back. Shared by the pool task and
// the answer posted to the loop; the session may be gone when it returns.
struct HttpSession::Exchange {
    HttpRequest request;
    HttpResponse response;
    bool failed = false;
};

namespace {

std::string describeFailure(const HttpRequest& request, const char* what) {
    return "http: handler failed on " + request.method + " " + std::string(request.path()) + ": " +
           what;
}

}  // namespace

void HttpSession::onOpen(net::Connection& connection) {
    connection.setWriteStallTimeout(_context.options.readTimeout.count());
    // A new connection must bring its first request within the read timeout;
    // only a connection that has been useful gets the longer keep-alive wait.
    connection.setDeadline(connection.loop().now() + _context.options.readTimeout.count());
}

void HttpSession::waitForNextRequest(net::Connection& connection) {
    connection.setDeadline(connection.loop().now() + _context.options.keepAliveTimeout.count());
}

size_t HttpSession::onInput(net::Connection& connection, const char* data, size_t size) {
    size_t total = 0;
    // After an upgrade (an inline 101) the bytes that follow the request
    // belong to the new session: stop here and leave them unused, and the
    // connection offers them to it. Parsing on would swallow them.
    while (total < size && !_busy && !_upgraded && !connection.closing()) {
        const bool wasStarted = _parser.started();
        size_t used = 0;
        ParseStatus status = _parser.parse(data + total, size - total, used);
        total += used;
        if (!wasStarted && _parser.started()) {
            // The whole request must arrive within the read timeout from its
            // first byte, however slowly it trickles (slowloris).
            connection.setDeadline(connection.loop().now() + _context.options.readTimeout.count());
        }
        switch (status) {
            case ParseStatus::NeedMore:
                return total;
            case ParseStatus::ExpectContinue:
                // A client that sent its body anyway does not need the go-ahead.
                if (total == size) {
                    std::string interim;
                    appendContinue(interim);
                    connection.send(interim);
                }
                break;
            case ParseStatus::Complete:
                dispatch(connection);
                break;
            case ParseStatus::Failed:
                answerProtocolError(connection);
                return size;
        }
    }
    return total;
}

void HttpSession::dispatch(net::Connection& connection) {
    HttpRequest& request = _parser.request();
    request.peerAddress = connection.peer().address;
    request.peerPort = connection.peer().port;
    if (_context.inlineHandler) {
        HttpResponse response;
        bool answered = false;
        bool failed = false;
        try {
            answered = _context.inlineHandler(request, response);
        } catch (const std::exception& e) {
            answered = failed = true;
            log(describeFailure(request, e.what()));
        } catch (...) {
            answered = failed = true;
            log(describeFailure(request, "unknown exception"));
        }
        if (answered) {
            answer(connection, request, response, failed);
            return;
        }
    }
    runOnPool(connection);
}

void HttpSession::runOnPool(net::Connection& connection) {
    auto exchange = std::make_shared<Exchange>();
    std::swap(exchange->request, _parser.request());
    _busy = true;
    connection.pauseInput();
    connection.setDeadline(0);  // the handler's own timeouts bound it
    net::ConnectionRef ref(connection);
    const HttpSessionContext* context = &_context;
    const bool queued = _context.pool.submit([exchange, ref, context] {
        try {
            context->handler(exchange->request, exchange->response);
        } catch (const std::exception& e) {
            exchange->failed = true;
            if (context->options.errorLog)
                context->options.errorLog(describeFailure(exchange->request, e.what()));
        } catch (...) {
            exchange->failed = true;
            if (context->options.errorLog)
                context->options.errorLog(describeFailure(exchange->request, "unknown exception"));
        }
        ref.post([exchange](net::Connection& c) {
            // Input stays paused while the pool works, so no upgrade can have
            // replaced this session meanwhile.
            if (auto* session = dynamic_cast<HttpSession*>(c.session()))
                session->onPoolAnswer(c, *exchange);
        });
    });
    if (!queued) {
        // Every pool thread is busy and the queue is full: say so at once.
        _busy = false;
        connection.resumeInput();
        HttpResponse busy;
        busy.status = 503;
        busy.headers.emplace_back("Content-Type", "application/json");
        busy.headers.emplace_back("Retry-After", "1");
        busy.body =
            R"({"errors":[{"code":"ERR_CODE_SERVER_BUSY","title":"server busy, try again","detail":""}]})";
        answer(connection, exchange->request, busy, false);
    }
}

void HttpSession::onPoolAnswer(net::Connection& connection, Exchange& exchange) {
    _busy = false;
    answer(connection, exchange.request, exchange.response, exchange.failed);
    if (!connection.closing()) connection.resumeInput();
}

void HttpSession::answer(net::Connection& connection, const HttpRequest& request,
                         HttpResponse& response, bool failed) {
    std::string out;
    if (!failed && response.status == 101 && response.upgrade) {
        if (appendSwitchingProtocols(out, response)) {
            std::unique_ptr<net::Session> next = response.upgrade();
            if (next) {
                connection.send(std::move(out));
                _parser.reset();
                connection.setDeadline(0);
                _upgraded = true;
                connection.replaceSession(std::move(next));
                return;
            }
        }
        log("http: could not switch protocols on " + request.method + " " +
            std::string(request.path()));
        out.clear();
        failed = true;
    }
    const bool close = !_parser.keepAlive() || request.bodyTooLarge || response.closeConnection ||
                       handlerAsksToClose(response) || _closeWhenDone;
    ResponseFraming framing;
    framing.headRequest = request.method == "HEAD";
    framing.close = close;
    framing.http10KeepAlive = !close && request.versionMinor == 0;
    if (!failed && !appendResponse(out, response, framing)) {
        failed = true;
        log("http: handler answered " + request.method + " " + std::string(request.path()) +
            " with status " + std::to_string(response.status) + " or a header that cannot be sent");
    }
    if (failed) {
        out.clear();
        appendErrorResponse(out, 500, "ERR_CODE_INTERNAL", "internal server error", framing);
    }
    connection.send(std::move(out));
    const bool bodyUnread = request.bodyTooLarge;
    _parser.reset();
    if (close) {
        // A body we did not read may still be arriving: linger so that the
        // peer reads our answer before a reset destroys it.
        connection.close(bodyUnread ? net::Connection::CloseMode::Linger
                                    : net::Connection::CloseMode::Graceful);
        return;
    }
    waitForNextRequest(connection);
}

void HttpSession::answerProtocolError(net::Connection& connection) {
    ResponseFraming framing;
    framing.close = true;
    std::string out;
    appendErrorResponse(out, _parser.errorStatus(), "ERR_CODE_BAD_REQUEST", _parser.errorTitle(),
                        framing);
    connection.send(std::move(out));
    // The rest of the bad request may still be arriving.
    connection.close(net::Connection::CloseMode::Linger);
}

void HttpSession::onPeerClosed(net::Connection& connection) {
    // A client may half-close after its request and still read the answer.
    if (_busy) {
        _closeWhenDone = true;
        return;
    }
    connection.close();
}

void HttpSession::onDeadline(net::Connection& connection) {
    // A request that did not arrive in time, or a client that does not read
    // what we sent: drop it. An idle keep-alive connection closes politely.
    if (_parser.started() || connection.queuedBytes() > 0) return connection.abort();
    connection.close();
}

void HttpSession::onShutdownRequested(net::Connection& connection) {
    if (_busy) {
        _closeWhenDone = true;  // the answer goes out with "Connection: close"
        return;
    }
    connection.close();
}

void HttpSession::log(const std::string& message) const {
    if (!_context.options.errorLog) return;
    try {
        _context.options.errorLog(message);
    } catch (...) {
        // A failing logger must not take the loop down with it.
    }
}

}  // namespace rportd::http
