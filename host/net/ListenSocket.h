#pragma once
// Opening listening sockets from "host:port" text, and naming peers.
#include <sys/socket.h>

#include <cstdint>
#include <string>

namespace rportd::net {

// Splits "127.0.0.1:3000", "[::1]:0", ":8080" into host ("" = every address)
// and port. False if the text has no port or unbalanced brackets.
bool splitHostPort(const std::string& hostPort, std::string& host, std::string& port);

struct ListeningSocket {
    int fd = -1;
    uint16_t port = 0;
};

// A bound, listening, non-blocking, close-on-exec TCP socket with SO_REUSEADDR
// on the first address the host resolves to (a name such as "localhost" is
// looked up once; a bracketed host must be an IPv6 literal)
// (never SO_REUSEPORT: a second server on the same port must fail, not share).
// Throws std::runtime_error("cannot listen on <hostPort>: <reason>").
ListeningSocket openListeningSocket(const std::string& hostPort, int backlog = 1024);

// The peer of an accepted socket as text ("127.0.0.1", "::1"); IPv4-mapped
// IPv6 addresses from a dual-stack listener are shown as plain IPv4.
void describePeer(const sockaddr_storage& address, std::string& host, uint16_t& port);

}  // namespace rportd::net
