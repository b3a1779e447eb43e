#pragma once
// The session a connection runs after a 101 to a WebSocket (ws/Handshake.h):
// frames in, a byte stream to the StreamHandler it owns; the handler's writes
// out as binary frames. Pings are answered; a peer's close frame is echoed
// and the connection closed; our own close (the handler's, or a text
// message, which a byte stream has no use for, or one beyond the size
// bound) waits for the peer's answer
// before closing (RFC 6455 7.1.2); a breach of the framing rules ends the
// connection at once after a close frame with the matching code.
//
// Memory: payload is never collected (FrameDecoder hands it on as it
// arrives), input is taken as it is offered, and output goes straight into
// the connection's queue, which pushes back above its high-water mark. An
// idle session is this object alone: a few hundred bytes, no buffers.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "net/Connection.h"
#include "net/Session.h"
#include "ws/FrameDecoder.h"
#include "ws/StreamHandler.h"

namespace rportd::ws {

struct WebSocketOptions {
    // The largest data message a peer may send (1009 beyond it).
    uint64_t maxMessageBytes = 1 << 20;
    // How long our close frame waits for the peer's before we close anyway.
    int64_t closeTimeoutMillis = 5000;
    // Where a handler's exception is reported (the stream then closes with 1011).
    std::function<void(const std::string&)> errorLog;
};

class WebSocketSession final : public net::Session, private ByteStream, private FrameSink {
public:
    // `options` must outlive the session (the listener owns it).
    WebSocketSession(std::unique_ptr<StreamHandler> handler, const WebSocketOptions& options);

    void onOpen(net::Connection& connection) override;
    size_t onInput(net::Connection& connection, const char* data, size_t size) override;
    void onPeerClosed(net::Connection& connection) override;
    void onOutputDrained(net::Connection& connection) override;
    void onDeadline(net::Connection& connection) override;
    void onShutdownRequested(net::Connection& connection) override;
    void onClosed(net::Connection& connection) override;

private:
    // ByteStream
    void write(std::string_view bytes) override;
    size_t queuedBytes() const override;
    void pauseInput() override;
    void resumeInput() override;
    void closeWith(uint16_t code) override;
    void abort() override;
    net::Connection& connection() override { return *_connection; }

    // FrameSink
    bool onMessageStart(Opcode op) override;
    bool onMessageData(std::string_view bytes) override;
    bool onMessageEnd() override { return true; }  // a byte stream has no message boundaries
    bool onMessageTooBig() override;
    bool onControl(Opcode op, std::string_view payload) override;

    // Our close frame, then the peer's is awaited (input goes on, unused).
    void startClosing(uint16_t code);
    // Our close frame (or the echo of the peer's), then the TCP close.
    void closeNow(std::string_view payload, net::Connection::CloseMode mode);
    bool open() const { return _state == State::Open; }
    // Whether the decoder should go on with the input it has.
    bool keepParsing() const;
    // Runs a handler call: catches what it throws, and delivers onEnd once
    // the outermost call returns.
    template <typename F>
    void callHandler(F f);
    void report(const char* what);
    void end();

    enum class State : uint8_t {
        Open,
        CloseSent,  // our close frame is out; the peer's has not come yet
        Closed,     // the connection is closing or gone
    };

    std::unique_ptr<StreamHandler> _handler;
    const WebSocketOptions& _options;
    net::Connection* _connection = nullptr;
    FrameDecoder _decoder;
    State _state = State::Open;
    uint8_t _handlerDepth = 0;
    bool _endPending = false;  // onEnd waits for the handler call under way
    bool _ended = false;       // onEnd was delivered
};

}  // namespace rportd::ws
