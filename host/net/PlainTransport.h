#pragma once
// Transport over a non-blocking TCP socket, no encryption.
#include "net/Transport.h"

namespace rportd::net {

class PlainTransport final : public Transport {
public:
    explicit PlainTransport(int fd) : _fd(fd) {}
    ~PlainTransport() override;
    PlainTransport(const PlainTransport&) = delete;
    PlainTransport& operator=(const PlainTransport&) = delete;

    int fd() const override { return _fd; }
    IoResult handshake() override { return {IoStatus::Done, 0}; }
    IoResult read(char* buffer, size_t capacity) override;
    IoResult write(const char* data, size_t size) override;
    bool shortReadMeansDrained() const override { return true; }
    IoResult shutdownWrite() override;

private:
    int _fd;
};

}  // namespace rportd::net
