#include "net/ListenSocket.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace rportd::net {

bool splitHostPort(const std::string& hostPort, std::string& host, std::string& port) {
    size_t colon;
    if (!hostPort.empty() && hostPort.front() == '[') {
        size_t close = hostPort.find(']');
        if (close == std::string::npos || close + 1 >= hostPort.size() ||
            hostPort[close + 1] != ':')
            return false;
        host = hostPort.substr(1, close - 1);
        colon = close + 1;
    } else {
        colon = hostPort.rfind(':');
        if (colon == std::string::npos) return false;
        host = hostPort.substr(0, colon);
        if (host.find(':') != std::string::npos)
            return false;  // a bare IPv6 address needs brackets
    }
    port = hostPort.substr(colon + 1);
    return !port.empty();
}

namespace {

[[noreturn]] void failListen(const std::string& hostPort, const std::string& reason) {
    throw std::runtime_error("cannot listen on " + hostPort + ": " + reason);
}

bool parsePort(const std::string& text, uint16_t& port) {
    if (text.empty() || text.size() > 5) return false;
    unsigned value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return false;
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (value > 65535) return false;
    port = static_cast<uint16_t>(value);
    return true;
}

uint16_t boundPort(int fd) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return 0;
    if (address.ss_family == AF_INET6)
        return ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
    return ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
}

}  // namespace

ListeningSocket openListeningSocket(const std::string& hostPort, int backlog) {
    std::string host;
    std::string portText;
    uint16_t port = 0;
    if (!splitHostPort(hostPort, host, portText)) failListen(hostPort, "expected host:port");
    const bool bracketed = hostPort.front() == '[';
    if (!parsePort(portText, port)) failListen(hostPort, "invalid port");

    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV | (bracketed ? AI_NUMERICHOST : 0);
    addrinfo* found = nullptr;
    int lookup =
        ::getaddrinfo(host.empty() ? nullptr : host.c_str(), portText.c_str(), &hints, &found);
    if (lookup != 0) failListen(hostPort, ::gai_strerror(lookup));
    std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, &::freeaddrinfo);

    int fd = ::socket(found->ai_family, found->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                      found->ai_protocol);
    if (fd < 0) failListen(hostPort, std::strerror(errno));
    int one = 1;
    if (::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        ::bind(fd, found->ai_addr, found->ai_addrlen) != 0 || ::listen(fd, backlog) != 0) {
        int error = errno;
        ::close(fd);
        failListen(hostPort, std::strerror(error));
    }
    return ListeningSocket{fd, boundPort(fd)};
}

void describePeer(const sockaddr_storage& address, std::string& host, uint16_t& port) {
    char text[INET6_ADDRSTRLEN] = "";
    if (address.ss_family == AF_INET6) {
        const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
        port = ntohs(v6.sin6_port);
        if (IN6_IS_ADDR_V4MAPPED(&v6.sin6_addr)) {
            ::inet_ntop(AF_INET, &v6.sin6_addr.s6_addr[12], text, sizeof text);
        } else {
            ::inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
        }
    } else if (address.ss_family == AF_INET) {
        const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
        port = ntohs(v4.sin_port);
        ::inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
    } else {
        port = 0;
    }
    host = text;
}

}  // namespace rportd::net
