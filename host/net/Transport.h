#pragma once
// The byte stream under one connection: a plain socket or TLS over it. The
// connection state machine (net/Connection) only talks to this interface, so
// TLS, a plain socket and the tests' scripted fake are interchangeable.
//
// Every call is non-blocking. WantRead/WantWrite say which readiness of the
// socket the call is waiting for; TLS may want to write while reading (a
// key update) or read while writing (a renegotiation attempt, refused), so
// the caller must wait for exactly what is asked, not for what it was doing.
#include <cstddef>
#include <string>
#include <string_view>

namespace rportd::net {

enum class IoStatus {
    Done,       // `bytes` were transferred (always > 0 for read/write)
    WantRead,   // retry the same call once the socket is readable
    WantWrite,  // retry the same call once the socket is writable
    Closed,     // the peer ended the stream in order (read only)
    Failed,     // reset, broken pipe, protocol error: drop the connection
};

struct IoResult {
    IoStatus status;
    size_t bytes = 0;
};

class Transport {
public:
    virtual ~Transport() = default;  // releases the socket if still open

    // The socket, for epoll registration.
    virtual int fd() const = 0;

    // Protocol setup before any application byte (the TLS handshake). Done at
    // once for plain sockets. Failed means the peer is not speaking the
    // protocol; handshakeFailure() then says why, and earlyResponse() may hold
    // bytes worth sending before closing (a 400 for plain HTTP on a TLS port).
    virtual IoResult handshake() = 0;
    virtual std::string handshakeFailure() const { return std::string(); }
    virtual std::string_view earlyResponse() const { return std::string_view(); }
    // After a handshake that was the whole exchange, with no application
    // byte allowed to follow (an ACME TLS-ALPN-01 validation, RFC 8737
    // section 3): what it was, for the debug log. The connection then closes
    // at once without starting its session. "" for every other handshake.
    virtual std::string handshakeOnlyExchange() const { return std::string(); }

    virtual IoResult read(char* buffer, size_t capacity) = 0;

    // A retried write must be given the same bytes again (at least the same
    // first `size` bytes): TLS may have consumed part of them already. The
    // connection's output queue guarantees that its front chunk never moves.
    virtual IoResult write(const char* data, size_t size) = 0;

    // Whether a read shorter than the buffer means the socket is drained, so
    // the connection can wait for readiness instead of trying another read.
    // False for TLS, which returns one record at a time and buffers the rest.
    virtual bool shortReadMeansDrained() const = 0;

    // Ends our direction of the stream (TLS: sends close_notify, then the
    // TCP FIN). May want to write (the alert does not fit the socket buffer):
    // the caller retries on writability. Done once our side is closed.
    virtual IoResult shutdownWrite() = 0;
};

}  // namespace rportd::net
