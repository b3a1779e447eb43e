#pragma once
// Every open connection, for the three things that need to see them all: the
// connection limit, the timeout sweep and stop(). Removal takes the same lock
// as a sweep, and a connection's socket is closed only after its removal, so a
// sweep may shutdown() any socket it finds here without racing with a close.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <unordered_set>
#include <vector>

namespace rportd::http {

class Connection;

class ConnectionRegistry {
public:
    explicit ConnectionRegistry(size_t maxConnections) : _max(maxConnections) {}

    // False when the limit is reached or the server is stopping; the caller then closes it.
    bool add(Connection* connection);
    void remove(Connection* connection);

    // The timeout sweep: expires connections waiting in epoll past their deadline.
    void expireOverdue(int64_t nowMillis);

    // stop(), step by step: refuse new connections; expire those waiting for a
    // request; wait for the rest to finish; interrupt whatever is left.
    void refuseNew();
    void expireWaitingForInput();
    bool waitUntilEmpty(std::chrono::steady_clock::time_point deadline);
    void interruptAll();
    // After the workers are joined: the connections nobody will close now.
    std::vector<Connection*> takeAll();

private:
    const size_t _max;
    std::mutex _mutex;
    std::condition_variable _emptied;
    std::unordered_set<Connection*> _connections;
    bool _refusing = false;
};

}  // namespace rportd::http
