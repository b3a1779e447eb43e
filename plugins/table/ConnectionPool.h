#pragma once
// A bounded, thread-safe pool of open connections. A connection that failed
// (or says it is broken) is closed rather than returned; after a link failure invalidate() retires
// every connection opened before it, so a database that comes back is used
// again without restarting anything.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "Connection.h"

namespace rport::plugins::table {

class ConnectionPool {
public:
    // Opens a connection or throws (Poco exceptions, sdk::Error).
    using Opener = std::function<std::unique_ptr<Connection>()>;

    // Every connection stayed in use for as long as a caller would wait: the
    // database may be perfectly well, there are more callers than connections.
    class Exhausted : public std::runtime_error {
    public:
        using std::runtime_error::runtime_error;
    };

    // maxOpen counts idle connections, those in use and those being opened;
    // patience is how long acquire() waits for one of them to come back.
    ConnectionPool(Opener open, size_t maxOpen, std::chrono::milliseconds patience);
    ConnectionPool(const ConnectionPool&) = delete;
    ConnectionPool& operator=(const ConnectionPool&) = delete;

    class Lease {
    public:
        Lease(Lease&& other) noexcept;
        Lease& operator=(Lease&&) = delete;
        ~Lease();
        Connection& operator*() const { return *_connection; }
        Connection* operator->() const { return _connection.get(); }
        // True when the connection served earlier calls, so the link may
        // have died while it sat idle.
        bool reused() const { return _reused; }
        // Close the connection instead of returning it.
        void discard() { _discarded = true; }

    private:
        friend class ConnectionPool;
        Lease(ConnectionPool* pool, std::unique_ptr<Connection> c, uint64_t generation,
              bool reused);
        ConnectionPool* _pool;
        std::unique_ptr<Connection> _connection;
        uint64_t _generation;
        bool _reused;
        bool _discarded = false;
    };

    // An idle connection, or a new one. Waits up to patience while maxOpen
    // are in use, then throws Exhausted. Right after a failed attempt to open
    // one it fails at once, for a moment, so that a down database is not
    // hammered by every caller: throws like the opener, or
    // Poco::Data::ConnectionFailedException.
    Lease acquire();
    // Hands over a connection opened elsewhere (the one create checked with)
    // and wakes a caller waiting for one. It counts against maxOpen: a full
    // pool closes it instead and returns false.
    bool adopt(std::unique_ptr<Connection> connection);
    // The link failed: close the idle connections, and those in use when
    // they come back.
    void invalidate();

private:
    void giveBack(std::unique_ptr<Connection> connection, uint64_t generation, bool discarded);
    std::unique_ptr<Connection> openNew();

    const Opener _open;
    const size_t _maxOpen;
    const std::chrono::milliseconds _patience;
    std::mutex _mutex;
    std::condition_variable _released;
    std::vector<std::unique_ptr<Connection>> _idle;
    size_t _inUseOrOpening = 0;
    uint64_t _generation = 0;
    std::chrono::steady_clock::time_point _lastOpenFailure{};
    std::string _lastOpenFailureReason;
};

}  // namespace rport::plugins::table
