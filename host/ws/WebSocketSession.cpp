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
    startClosing(close_code::kInternalError);
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

bool WebSocketSession::keepParsing() const {
    return _state != State::Closed && !_connection->inputPaused() && !_connection->closing();
}

// ---- net::Session ----

void WebSocketSession::onOpen(net::Connection& connection) {
    _connection = &connection;
    callHandler([&] { _handler->onStart(*this); });
}

size_t WebSocketSession::onInput(net::Connection& connection, const char* data, size_t size) {
    if (_state == State::Closed) return size;
    const size_t used = _decoder.feed(data, size, *this);
    if (_decoder.error() != 0) {
        // Fail the connection (RFC 6455 7.1.7): the decoder cannot go on, so
        // there is no waiting for the peer's close frame either.
        if (open()) {
            callHandler([&] { _handler->onProtocolError(*this, _decoder.error()); });
            closeNow(closePayload(_decoder.error()), net::Connection::CloseMode::Linger);
        } else {
            _state = State::Closed;
            connection.close(net::Connection::CloseMode::Linger);
        }
        return size;
    }
    return _state == State::Closed ? size : used;
}

void WebSocketSession::onPeerClosed(net::Connection& connection) {
    // The TCP stream ended without a close frame: nothing more can arrive,
    // so the stream is over; what we queued still goes out.
    _state = State::Closed;
    connection.close();
}

void WebSocketSession::onOutputDrained(net::Connection&) {
    if (open()) callHandler([&] { _handler->onWritable(*this); });
}

void WebSocketSession::onDeadline(net::Connection& connection) {
    if (open()) return callHandler([&] { _handler->onDeadline(*this); });
    // The peer never answered our close frame.
    _state = State::Closed;
    connection.close(net::Connection::CloseMode::Linger);
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

void WebSocketSession::pauseInput() {
    if (open()) _connection->pauseInput();
}

void WebSocketSession::resumeInput() {
    if (open()) _connection->resumeInput();
}

void WebSocketSession::closeWith(uint16_t code) { startClosing(code); }

void WebSocketSession::abort() {
    if (_state == State::Closed) return;
    _state = State::Closed;
    _connection->abort();
}

void WebSocketSession::startClosing(uint16_t code) {
    if (!open() || _connection->closing()) return;
    _state = State::CloseSent;
    std::string frame;
    appendFrame(frame, Opcode::Close, closePayload(code));
    _connection->send(std::move(frame));
    // The peer's close frame must be read even if the handler had paused input.
    _connection->setDeadline(_connection->loop().now() + _options.closeTimeoutMillis);
    _connection->resumeInput();
}

void WebSocketSession::closeNow(std::string_view payload, net::Connection::CloseMode mode) {
    if (_state == State::Closed) return;
    const bool sendFrame = open();  // in CloseSent ours is out already
    _state = State::Closed;
    if (sendFrame) {
        std::string frame;
        appendFrame(frame, Opcode::Close, payload);
        _connection->send(std::move(frame));
    }
    _connection->close(mode);
}

// ---- FrameSink ----

bool WebSocketSession::onMessageStart(Opcode op) {
    if (open() && op == Opcode::Text) {
        // Not a broken peer, only one we cannot serve: a regular close.
        callHandler([&] { _handler->onProtocolError(*this, close_code::kUnsupportedData); });
        startClosing(close_code::kUnsupportedData);
    }
    return keepParsing();
}

bool WebSocketSession::onMessageTooBig() {
    // The decoder skips the rest of the message, so the peer's answer to
    // our close frame can still be read behind it.
    if (open()) {
        callHandler([&] { _handler->onProtocolError(*this, close_code::kTooBig); });
        startClosing(close_code::kTooBig);
    }
    return keepParsing();
}

bool WebSocketSession::onMessageData(std::string_view bytes) {
    // After our close frame the peer's data is read only to reach its close frame.
    if (!open()) return _state == State::CloseSent;
    callHandler([&] { _handler->onData(*this, bytes); });
    return keepParsing();
}

bool WebSocketSession::onControl(Opcode op, std::string_view payload) {
    if (op == Opcode::Close) {
        // The peer's answer to ours (7.1.2), or its own close, echoed with
        // its code (5.5.1). The peer sends nothing after a close frame, so
        // the server closes the TCP connection first (7.1.1).
        closeNow(closePayload(FrameDecoder::closeCode(payload)),
                 net::Connection::CloseMode::Graceful);
        return false;
    }
    if (op == Opcode::Ping && open()) {
        std::string pong;
        appendFrame(pong, Opcode::Pong, payload);
        _connection->send(std::move(pong));
    }
    return keepParsing();
}

}  // namespace rportd::ws
