#pragma once
// The protocol a connection runs: an HTTP/1 session first, then, after an
// upgrade, a WebSocket session. The connection (net/Connection.h) moves bytes
// and owns the socket; the session turns bytes into meaning. Every call comes
// on the connection's loop thread, and a session may call back into the
// connection (send, close, setDeadline, replaceSession) from any of them.
#include <cstddef>

namespace rportd::net {

class Connection;

class Session {
public:
    virtual ~Session() = default;

    // The transport is ready (after a TLS handshake); nothing has been read yet.
    virtual void onOpen(Connection&) {}

    // Bytes from the peer. Returns how many it used. What it leaves is kept by
    // the connection and offered again, in front of newer bytes, at the next
    // call; a session that needs more bytes before it can use any returns 0,
    // and the connection drops the peer once that backlog exceeds its bound.
    virtual size_t onInput(Connection&, const char* data, size_t size) = 0;

    // The peer ended its direction in order. Default: close ours too.
    virtual void onPeerClosed(Connection& connection);

    // The output queue went from above the high-water mark to below the low
    // one: a session that was holding back data (a tunnel) may send again.
    virtual void onOutputDrained(Connection&) {}

    // The deadline set with Connection::setDeadline has passed. Default: abort.
    virtual void onDeadline(Connection& connection);

    // The server is stopping. Default: close gracefully (output is flushed).
    virtual void onShutdownRequested(Connection& connection);

    // The last call; the connection is going away. No more sending.
    virtual void onClosed(Connection&) {}
};

}  // namespace rportd::net
