#include "ws/WebSocketSession.h"

#include <exception>
#include <utility>

#include "ws/FrameEncoder.h"

namespace rportd::ws {

namespace {

DecoderLimits decoderLimits(const WebSocketOptions& options) {
    DecoderLimits limits;
    limits.maxMessageBytes = options.maxMessageBytes;
    limits.requireMask = true;
    return limits;
}

}  // namespace

WebSocketSession::WebSocketSession(std::unique_ptr<StreamHandler> handler,
                                   const WebSocketOptions& options)
    : _handler(std::move(handler)), _options(options), _decoder(decoderLimits(options)) {}

template <typename F>
void WebSocketSession::callHandler(F f) {
    ++_handlerDepth;
    try {
        f();
    } catch (const std::exception& e) {
        report(e.what());
    } catch (...) {
        report("unknown exception");
    }
    --_handlerDepth;
    if (_handlerDepth == 0 && _endPending) end();
}

void WebSocketSession::report(const char* what) {
    if (_options.errorLog) {
        try {
            _options.errorLog(std::string("websocket: stream handler failed: ") + what);
        } catch (...) {
            // A failing logger must not take the loop down with it.
        }
    }
    sendCloseAndFinish(closePayload(close_code::kInternalError),
                       net::Connection::CloseMode::Linger);
}

void WebSocketSession::end() {
    if (_ended) return;
    if (_handlerDepth > 0) {
        _endPending = true;
        return;
    }
    _ended = true;
    _endPending = false;
    try {
        _handler->onEnd();
    } catch (...) {
        // The stream is gone already; there is nothing left to close.
    }
}

bool WebSocketSession::mayGoOn() const {
    return open() && !_connection->inputPaused() && !_connection->closing();
}

// ---- net::Session ----

void WebSocketSession::onOpen(net::Connection& connection) {
    _connection = &connection;
    callHandler([&] { _handler->onStart(*this); });
}

size_t WebSocketSession::onInput(net::Connection&, const char* data, size_t size) {
    // After a close frame either way nothing the peer sends matters.
    if (!open()) return size;
    const size_t used = _decoder.feed(data, size, *this);
    if (_decoder.error() != 0) {
        sendCloseAndFinish(closePayload(_decoder.error()), net::Connection::CloseMode::Linger);
        return size;
    }
    return open() ? used : size;
}

void WebSocketSession::onPeerClosed(net::Connection& connection) {
    // The TCP stream ended without a close frame: nothing more can arrive,
    // so the stream is over; what we queued still goes out.
    if (open()) _state = State::Closing;
    connection.close();
}

void WebSocketSession::onOutputDrained(net::Connection&) {
    if (open()) callHandler([&] { _handler->onWritable(*this); });
}

void WebSocketSession::onDeadline(net::Connection& connection) {
    if (!open()) return connection.abort();
    callHandler([&] { _handler->onDeadline(*this); });
}

void WebSocketSession::onShutdownRequested(net::Connection&) {
    if (open()) callHandler([&] { _handler->onShutdownRequested(*this); });
}

void WebSocketSession::onClosed(net::Connection&) {
    _state = State::Closed;
    end();
}

// ---- ByteStream ----

void WebSocketSession::write(std::string_view bytes) {
    if (!open() || bytes.empty() || _connection->closing()) return;
    std::string frame;
    frame.reserve(bytes.size() + 10);
    appendFrame(frame, Opcode::Binary, bytes);
    _connection->send(std::move(frame));
}

size_t WebSocketSession::queuedBytes() const { return _connection->queuedBytes(); }

void WebSocketSession::pauseInput() { _connection->pauseInput(); }

void WebSocketSession::resumeInput() {
    if (open()) _connection->resumeInput();
}

void WebSocketSession::closeWith(uint16_t code) {
    // Linger: the peer may still be sending until it sees our close frame,
    // and a reset caused by those bytes could destroy the close on its way.
    sendCloseAndFinish(closePayload(code), net::Connection::CloseMode::Linger);
}

void WebSocketSession::abort() {
    if (_state == State::Closed) return;
    _state = State::Closing;
    _connection->abort();
}

void WebSocketSession::sendCloseAndFinish(std::string_view payload,
                                          net::Connection::CloseMode mode) {
    if (!open()) return;
    _state = State::Closing;
    std::string frame;
    appendFrame(frame, Opcode::Close, payload);
    _connection->send(std::move(frame));
    _connection->close(mode);
}

// ---- FrameSink ----

bool WebSocketSession::onMessageStart(Opcode op) {
    if (op == Opcode::Text) {
        sendCloseAndFinish(closePayload(close_code::kUnsupportedData),
                           net::Connection::CloseMode::Linger);
        return false;
    }
    return true;
}

bool WebSocketSession::onMessageData(std::string_view bytes) {
    callHandler([&] { _handler->onData(*this, bytes); });
    return mayGoOn();
}

bool WebSocketSession::onControl(Opcode op, std::string_view payload) {
    if (op == Opcode::Ping) {
        std::string pong;
        appendFrame(pong, Opcode::Pong, payload);
        _connection->send(std::move(pong));
    } else if (op == Opcode::Close) {
        // Echo the peer's code (RFC 6455 5.5.1); the peer has finished
        // sending, so the server closes the TCP connection first (7.1.1).
        const uint16_t code = FrameDecoder::closeCode(payload);
        sendCloseAndFinish(closePayload(code), net::Connection::CloseMode::Graceful);
        return false;
    }
    return mayGoOn();
}

}  // namespace rportd::ws
