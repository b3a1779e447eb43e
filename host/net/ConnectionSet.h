#pragma once
// The connections of one event loop, by id, and the way other threads reach
// one of them: a ConnectionRef names a connection without pointing at it, so
// work posted to a connection that has closed meanwhile finds nothing and is
// dropped instead of touching freed memory.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <unordered_map>
#include <utility>

#include "net/Connection.h"
#include "net/EventLoop.h"
#include "net/Log.h"

namespace rportd::net {

class ConnectionSet {
public:
    // `open` counts the connections of every loop of a server, for its cap.
    ConnectionSet(EventLoop& loop, std::atomic<size_t>& open) : _loop(loop), _open(open) {}
    ~ConnectionSet();  // destroys what is left (the loop no longer runs)
    ConnectionSet(const ConnectionSet&) = delete;
    ConnectionSet& operator=(const ConnectionSet&) = delete;

    // Loop thread only.
    Connection* create(std::unique_ptr<Transport> transport, Peer peer, const FlowLimits& limits);
    void remove(Connection* connection);  // called by the connection as it dies
    Connection* find(uint64_t id) const;
    size_t size() const { return _connections.size(); }
    // Every session hears onShutdownRequested (graceful stop) ...
    void requestShutdown();
    // ... and what is still open after the drain time is aborted.
    void abortAll();

    EventLoop& loop() { return _loop; }
    // Where connections report (e.g. failed TLS handshakes, at debug level).
    void setLog(const LogSink* log) { _log = log; }
    void log(LogLevel level, const std::string& message) const {
        if (_log && *_log) (*_log)(level, message);
    }

private:
    EventLoop& _loop;
    std::atomic<size_t>& _open;
    std::unordered_map<uint64_t, Connection*> _connections;
    uint64_t _nextId = 1;
    const LogSink* _log = nullptr;
};

// A thread-safe handle to a connection that may have closed.
class ConnectionRef {
public:
    ConnectionRef() = default;
    explicit ConnectionRef(Connection& connection);

    // Runs f(connection) on the connection's loop if it is still open then.
    void post(std::function<void(Connection&)> f) const;
    // On the connection's own loop thread (a timer): runs f(connection) now,
    // guarded like an I/O event, if the connection is still open.
    template <typename F>
    void runNow(F&& f) const;
    bool valid() const { return _set != nullptr; }

private:
    ConnectionSet* _set = nullptr;
    uint64_t _id = 0;
};

template <typename F>
void ConnectionRef::runNow(F&& f) const {
    if (!_set) return;
    if (Connection* connection = _set->find(_id)) connection->runGuarded(f);
}

}  // namespace rportd::net
