#pragma once
// The database behind one backend instance: a pool of connections, the
// rule for repeating a call after the link died, the translation of
// database failures into plugin status codes, and one log line each time
// the database stops or starts answering. Safe to call from many threads.
#include <atomic>
#include <chrono>
#include <rport/plugin.hpp>
#include <string>

#include "ConnectionPool.h"
#include "DbFailure.h"

namespace rport::plugins::table {

class PooledDatabase {
public:
    enum class Access { Read, Write };

    // Enough for the host's worker threads; a MySQL server allows 151 by default.
    static constexpr size_t kMaxConnections = 16;
    // How long a call waits for a connection while all are in use.
    static constexpr std::chrono::milliseconds kWaitForConnection{5000};

    // description: DatabaseSettings::describe(); tables: what the backend
    // works on, for messages ("table 'clients'"). open makes connections,
    // all of the one class the backend passes to run().
    PooledDatabase(sdk::Host host, std::string description, std::string tables,
                   ConnectionPool::Opener open);

    // The connection create checks the schema with; RPORT_E_UNAVAILABLE
    // ("cannot connect to ...") when there is none to be had. rportd exits
    // at start when this fails, as the original does when its first ping does.
    std::unique_ptr<Connection> openFirst();
    // Hands that connection to the pool once the checks passed.
    void adopt(std::unique_ptr<Connection> connection) { _pool.adopt(std::move(connection)); }

    // Runs work(C&) on a pooled connection (C: the class open makes) and
    // turns database failures into sdk::Error. A read that failed on a
    // connection which had sat idle is repeated once on a new one: the
    // database may have restarted meanwhile. Writes are never repeated (the
    // first may have gone through), so an idle connection is pinged before
    // a write instead.
    template <class C, class Work>
    auto run(const char* action, Access access, Work&& work);

    sdk::Error toError(const char* action, const DbFailure& failure) const;

private:
    // A pooled connection; RPORT_E_UNAVAILABLE when the database cannot be
    // reached, and also, with a message saying "busy", when every connection
    // stayed in use: the caller may retry either, but only the first is an
    // outage worth a warning.
    ConnectionPool::Lease acquire(const char* action);
    // " (<description>, <tables>)", for messages.
    std::string where() const;
    // A link failure during work: retire the pool's connections and say
    // whether the call may be repeated.
    bool retire(ConnectionPool::Lease& lease, bool mayRepeat,
                std::chrono::steady_clock::time_point started);
    void noteReachable();
    void noteUnreachable(const sdk::Error& error);

    sdk::Host _host;
    const std::string _description;
    const std::string _tables;
    const ConnectionPool::Opener _open;
    ConnectionPool _pool;
    std::atomic<bool> _unreachable{false};
};

template <class C, class Work>
auto PooledDatabase::run(const char* action, Access access, Work&& work) {
    for (int attempt = 1;; ++attempt) {
        ConnectionPool::Lease lease = acquire(action);
        bool mayRepeat = attempt == 1 && lease.reused();
        const auto started = std::chrono::steady_clock::now();
        try {
            if (access == Access::Write && mayRepeat) {
                lease->ping();
                mayRepeat = false;
            }
            auto result = work(static_cast<C&>(*lease));
            noteReachable();
            return result;
        } catch (const Poco::Exception& e) {
            DbFailure failure = classify(e);
            if (failure.kind != FailureKind::Unavailable) throw toError(action, failure);
            if (!retire(lease, mayRepeat, started)) {
                sdk::Error error = toError(action, failure);
                noteUnreachable(error);
                throw error;
            }
            _host.debug(std::string(action) +
                        ": retrying on a new connection after: " + failure.reason);
        }
    }
}

}  // namespace rport::plugins::table
