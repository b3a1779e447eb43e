#include "ConnectionPool.h"

#include <Poco/Data/DataException.h>

#include "DbFailure.h"

namespace rport::plugins::table {

namespace {

// After a failed open, callers within this window get the same failure
// without another attempt.
constexpr std::chrono::milliseconds kFailFastWindow{1000};

}  // namespace

ConnectionPool::Lease::Lease(ConnectionPool* pool, std::unique_ptr<Connection> c,
                             uint64_t generation, bool reused)
    : _pool(pool), _connection(std::move(c)), _generation(generation), _reused(reused) {}

ConnectionPool::Lease::Lease(Lease&& other) noexcept
    : _pool(other._pool),
      _connection(std::move(other._connection)),
      _generation(other._generation),
      _reused(other._reused),
      _discarded(other._discarded) {
    other._pool = nullptr;
}

ConnectionPool::Lease::~Lease() {
    if (_pool && _connection) _pool->giveBack(std::move(_connection), _generation, _discarded);
}

ConnectionPool::ConnectionPool(Opener open, size_t maxOpen, std::chrono::milliseconds patience)
    : _open(std::move(open)), _maxOpen(maxOpen), _patience(patience) {}

ConnectionPool::Lease ConnectionPool::acquire() {
    std::unique_lock<std::mutex> lock(_mutex);
    for (;;) {
        if (!_idle.empty()) {
            std::unique_ptr<Connection> c = std::move(_idle.back());
            _idle.pop_back();
            ++_inUseOrOpening;
            return Lease(this, std::move(c), _generation, true);
        }
        if (_idle.size() + _inUseOrOpening < _maxOpen) break;
        if (!_released.wait_for(lock, _patience, [&] {
                return !_idle.empty() || _idle.size() + _inUseOrOpening < _maxOpen;
            }))
            throw Exhausted("all " + std::to_string(_maxOpen) +
                            " database connections stayed in use for " +
                            std::to_string(_patience.count()) + " ms");
    }
    if (std::chrono::steady_clock::now() - _lastOpenFailure < kFailFastWindow)
        throw Poco::Data::ConnectionFailedException(_lastOpenFailureReason);
    ++_inUseOrOpening;
    uint64_t generation = _generation;
    lock.unlock();
    return Lease(this, openNew(), generation, false);
}

std::unique_ptr<Connection> ConnectionPool::openNew() {
    try {
        return _open();
    } catch (const Poco::Exception& e) {
        std::lock_guard<std::mutex> g(_mutex);
        --_inUseOrOpening;
        _lastOpenFailure = std::chrono::steady_clock::now();
        _lastOpenFailureReason = classify(e).reason;
        _released.notify_one();
        throw;
    } catch (...) {
        std::lock_guard<std::mutex> g(_mutex);
        --_inUseOrOpening;
        _released.notify_one();
        throw;
    }
}

bool ConnectionPool::adopt(std::unique_ptr<Connection> connection) {
    {
        std::lock_guard<std::mutex> g(_mutex);
        if (_idle.size() + _inUseOrOpening < _maxOpen) {
            _idle.push_back(std::move(connection));
            _released.notify_one();
            return true;
        }
    }
    return false;  // closed here, outside the lock: closing may talk to the server
}

void ConnectionPool::invalidate() {
    std::vector<std::unique_ptr<Connection>> retired;
    {
        std::lock_guard<std::mutex> g(_mutex);
        ++_generation;
        retired.swap(_idle);
        _released.notify_all();
    }
    // Closed outside the lock: closing may talk to the server.
}

void ConnectionPool::giveBack(std::unique_ptr<Connection> connection, uint64_t generation,
                              bool discarded) {
    {
        std::lock_guard<std::mutex> g(_mutex);
        --_inUseOrOpening;
        if (!discarded && !connection->broken() && generation == _generation)
            _idle.push_back(std::move(connection));
        _released.notify_one();
    }
    // A connection not kept is closed here, outside the lock.
}

}  // namespace rport::plugins::table
