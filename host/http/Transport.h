#pragma once
// The byte stream under one connection. The connection state machine only
// talks to this interface, so a TLS transport (OpenSSL with non-blocking
// SSL_do_handshake/SSL_read/SSL_write mapping SSL_ERROR_WANT_READ/WRITE to
// WantRead/WantWrite) can replace the plain socket without touching the
// parser, the connection logic or the handler API.
#include <cstddef>

namespace rportd::http {

enum class IoStatus {
    Done,       // `bytes` were transferred (always > 0 for read/write)
    WantRead,   // retry once the socket is readable
    WantWrite,  // retry once the socket is writable (TLS may need this even to read)
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

    // The socket, for epoll registration and for shutdown() by the timeout sweep.
    virtual int fd() const = 0;
    // Protocol setup before any HTTP byte (a TLS handshake). Plain sockets: Done at once.
    virtual IoResult handshake() = 0;
    virtual IoResult read(char* buffer, size_t capacity) = 0;
    virtual IoResult write(const char* data, size_t size) = 0;
    // Whether a read shorter than the buffer means the socket is drained, so
    // the connection can wait in epoll instead of trying another read. False
    // for TLS, which returns one record at a time and buffers the rest.
    virtual bool shortReadMeansDrained() const = 0;
    // Ends our direction of the stream after the last response (TLS: close_notify first).
    virtual void shutdownWrite() = 0;
};

}  // namespace rportd::http
