#include "PooledDatabase.h"

namespace rport::plugins::table {

namespace {

// Failures faster than this are taken for a connection that went stale.
constexpr std::chrono::milliseconds kStaleFailureLimit{1000};

}  // namespace

PooledDatabase::PooledDatabase(sdk::Host host, std::string description, std::string tables,
                               ConnectionPool::Opener open)
    : _host(host),
      _description(std::move(description)),
      _tables(std::move(tables)),
      _open(open),
      _pool(std::move(open), kMaxConnections, kWaitForConnection) {}

std::unique_ptr<Connection> PooledDatabase::openFirst() {
    try {
        return _open();
    } catch (const Poco::Exception& e) {
        throw sdk::Error(RPORT_E_UNAVAILABLE,
                         "cannot connect to " + _description + ": " + classify(e).reason);
    }
}

ConnectionPool::Lease PooledDatabase::acquire(const char* action) {
    try {
        return _pool.acquire();
    } catch (const ConnectionPool::Exhausted& e) {
        throw sdk::Error(RPORT_E_UNAVAILABLE,
                         std::string(action) + ": database busy: " + e.what() + where());
    } catch (const Poco::Exception& e) {
        sdk::Error error = toError(action, classify(e));
        if (error.code() == RPORT_E_UNAVAILABLE) noteUnreachable(error);
        throw error;
    }
}

bool PooledDatabase::retire(ConnectionPool::Lease& lease, bool mayRepeat,
                            std::chrono::steady_clock::time_point started) {
    lease.discard();
    _pool.invalidate();
    // A connection that died while idle fails at once. One that took a
    // while ran into a timeout: the database hangs, and trying again would
    // only double the caller's wait.
    return mayRepeat && std::chrono::steady_clock::now() - started <= kStaleFailureLimit;
}

void PooledDatabase::noteReachable() {
    if (_unreachable.load(std::memory_order_relaxed) && _unreachable.exchange(false))
        _host.info("database reachable again: " + _description);
}

void PooledDatabase::noteUnreachable(const sdk::Error& error) {
    if (!_unreachable.exchange(true))
        _host.warning(std::string(error.what()) + "; failing calls until it is back");
}

std::string PooledDatabase::where() const { return " (" + _description + ", " + _tables + ")"; }

sdk::Error PooledDatabase::toError(const char* action, const DbFailure& failure) const {
    switch (failure.kind) {
        case FailureKind::Unavailable:
            return sdk::Error(
                RPORT_E_UNAVAILABLE,
                std::string(action) + ": database unavailable: " + failure.reason + where());
        case FailureKind::Duplicate:
            return sdk::Error(RPORT_E_EXISTS, std::string(action) + ": the id already exists");
        case FailureKind::TooLong:
            return sdk::Error(RPORT_E_INVALID,
                              std::string(action) + ": " + failure.reason + where());
        case FailureKind::Other:
            break;
    }
    return sdk::Error(RPORT_E_INTERNAL,
                      std::string(action) + " failed: " + failure.reason + where());
}

}  // namespace rport::plugins::table
