#pragma once
// What runs on top of a WebSocket that carries a byte stream (an rport
// client's SSH connection): the handler sees the binary payload as one
// stream of bytes, with no message boundaries, and writes bytes back, each
// write going out as one binary message.
//
// All calls come on the connection's loop thread. A handler that works
// elsewhere comes back through net::ConnectionRef::post.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ws/Frame.h"

namespace rportd::net {
class Connection;
}

namespace rportd::ws {

// The server's end of the stream, as the handler uses it.
class ByteStream {
public:
    // Sends the bytes as one binary message (ignored once the stream is closing).
    virtual void write(std::string_view bytes) = 0;
    // Output not on the wire yet: a handler relaying another source stops
    // reading it while this is high and resumes in onWritable.
    virtual size_t queuedBytes() const = 0;
    // Holds back input (onData) until resumeInput; what arrives meanwhile is
    // left unread in the kernel, so the peer is slowed by TCP.
    virtual void pauseInput() = 0;
    virtual void resumeInput() = 0;
    // Starts the closing handshake with this code, then closes the connection.
    virtual void closeWith(uint16_t code) = 0;
    void close() { closeWith(close_code::kNormal); }
    // Drops the connection at once, queued output included (a broken peer).
    virtual void abort() = 0;
    // The connection under the stream: deadlines, its loop, the peer's address.
    virtual net::Connection& connection() = 0;

protected:
    ~ByteStream() = default;
};

class StreamHandler {
public:
    virtual ~StreamHandler() = default;

    // The stream is open; nothing has been received yet.
    virtual void onStart(ByteStream&) {}
    // Payload bytes from the peer, valid during the call only. The handler
    // takes them all (it buffers what it cannot use yet, or pauses input).
    virtual void onData(ByteStream& stream, std::string_view bytes) = 0;
    // Output that had piled up drained below the low-water mark.
    virtual void onWritable(ByteStream&) {}
    // The deadline set on connection() passed (the default lets it pass).
    virtual void onDeadline(ByteStream&) {}
    // The peer broke the framing rules, sent text or a message beyond the
    // bound; the stream is being closed with `closeCode` and onEnd follows.
    // Only so that the handler, which knows who the peer is, can say so once.
    virtual void onProtocolError(ByteStream&, uint16_t /*closeCode*/) {}
    // The server is stopping.
    virtual void onShutdownRequested(ByteStream& stream) {
        stream.closeWith(close_code::kGoingAway);
    }
    // The stream is over: the peer closed, the protocol broke, the handler
    // closed it or the connection died. The last call, after which the
    // ByteStream must not be touched. Never made from inside another of
    // these calls (it follows when that one returns); an abort() from the
    // handler's own posted work, though, delivers it before returning.
    virtual void onEnd() {}
};

}  // namespace rportd::ws
