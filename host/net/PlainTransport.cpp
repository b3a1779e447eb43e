#include "net/PlainTransport.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace rportd::net {

PlainTransport::~PlainTransport() {
    if (_fd >= 0) ::close(_fd);
}

IoResult PlainTransport::read(char* buffer, size_t capacity) {
    for (;;) {
        ssize_t n = ::recv(_fd, buffer, capacity, 0);
        if (n > 0) return {IoStatus::Done, static_cast<size_t>(n)};
        if (n == 0) return {IoStatus::Closed, 0};
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return {IoStatus::WantRead, 0};
        return {IoStatus::Failed, 0};
    }
}

IoResult PlainTransport::write(const char* data, size_t size) {
    for (;;) {
        // MSG_NOSIGNAL: a client that went away must not raise SIGPIPE in the host.
        ssize_t n = ::send(_fd, data, size, MSG_NOSIGNAL);
        if (n >= 0) return {IoStatus::Done, static_cast<size_t>(n)};
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return {IoStatus::WantWrite, 0};
        return {IoStatus::Failed, 0};
    }
}

IoResult PlainTransport::shutdownWrite() {
    ::shutdown(_fd, SHUT_WR);
    return {IoStatus::Done, 0};
}

}  // namespace rportd::net
