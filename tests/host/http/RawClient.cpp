#include "RawClient.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

namespace rportd::http::test {

namespace {

int remainingMs(std::chrono::steady_clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

std::string lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

}  // namespace

RawClient::RawClient(uint16_t port, const std::string& host) {
    sockaddr_storage address{};
    socklen_t length = 0;
    auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
    if (::inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        length = sizeof *v4;
    } else if (::inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        length = sizeof *v6;
    } else {
        throw std::runtime_error("RawClient: not an address: " + host);
    }
    _fd = ::socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (_fd < 0 || ::connect(_fd, reinterpret_cast<sockaddr*>(&address), length) != 0) {
        std::string reason = std::strerror(errno);
        if (_fd >= 0) ::close(_fd);
        throw std::runtime_error("RawClient: connect to " + host + ":" + std::to_string(port) + ": " + reason);
    }
}

RawClient::~RawClient() { ::close(_fd); }

void RawClient::send(const std::string& bytes) {
    if (!trySend(bytes)) throw std::runtime_error(std::string("RawClient: send: ") + std::strerror(errno));
}

bool RawClient::trySend(const std::string& bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
        ssize_t n = ::send(_fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        sent += static_cast<size_t>(n);
    }
    return true;
}

bool RawClient::fill(int timeoutMs) {
    pollfd p{_fd, POLLIN, 0};
    if (::poll(&p, 1, timeoutMs) <= 0) return false;
    char chunk[65536];
    ssize_t n = ::recv(_fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    _buffered.append(chunk, static_cast<size_t>(n));
    return true;
}

std::string RawClient::readExactly(size_t size, int timeoutMs) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (_buffered.size() < size) {
        if (!fill(remainingMs(deadline))) {
            throw std::runtime_error("RawClient: connection closed or timed out after " +
                                     std::to_string(_buffered.size()) + " of " + std::to_string(size) + " bytes");
        }
    }
    std::string out = _buffered.substr(0, size);
    _buffered.erase(0, size);
    return out;
}

RawResponse RawClient::readResponse(bool expectBody, int timeoutMs) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    size_t end;
    while ((end = _buffered.find("\r\n\r\n")) == std::string::npos) {
        if (!fill(remainingMs(deadline))) {
            throw std::runtime_error("RawClient: no complete response head; got: " + _buffered);
        }
    }
    RawResponse response;
    response.head = _buffered.substr(0, end);
    _buffered.erase(0, end + 4);
    if (response.head.compare(0, 9, "HTTP/1.1 ") != 0 || response.head.size() < 12) {
        throw std::runtime_error("RawClient: bad status line: " + response.head);
    }
    response.status = std::stoi(response.head.substr(9, 3));
    size_t lineStart = response.head.find("\r\n");
    while (lineStart != std::string::npos) {
        lineStart += 2;
        size_t lineEnd = response.head.find("\r\n", lineStart);
        std::string line = response.head.substr(lineStart, lineEnd == std::string::npos ? std::string::npos
                                                                                         : lineEnd - lineStart);
        size_t colon = line.find(':');
        if (colon != std::string::npos) {
            size_t valueStart = line.find_first_not_of(' ', colon + 1);
            response.headers[lower(line.substr(0, colon))] =
                valueStart == std::string::npos ? "" : line.substr(valueStart);
        }
        lineStart = lineEnd;
    }
    std::string length = response.header("content-length");
    if (expectBody && !length.empty()) response.body = readExactly(std::stoul(length), remainingMs(deadline));
    return response;
}

bool RawClient::waitForClose(int timeoutMs) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    for (;;) {
        pollfd p{_fd, POLLIN, 0};
        int ready = ::poll(&p, 1, remainingMs(deadline));
        if (ready <= 0) return false;
        char chunk[65536];
        ssize_t n = ::recv(_fd, chunk, sizeof chunk, 0);
        if (n == 0) return true;
        if (n < 0) return errno == ECONNRESET || errno == EPIPE;
    }
}

void RawClient::shutdownWrite() { ::shutdown(_fd, SHUT_WR); }

uint16_t RawClient::localPort() const {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    ::getsockname(_fd, reinterpret_cast<sockaddr*>(&address), &length);
    if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
    return ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
}

std::string getRequest(const std::string& target, const std::string& extraHeaders) {
    return "GET " + target + " HTTP/1.1\r\nHost: test\r\n" + extraHeaders + "\r\n";
}

}  // namespace rportd::http::test
