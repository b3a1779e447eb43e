#pragma once
// Client credentials in a database table ([server] auth_table with the
// [database] section): SQLite or MySQL/MariaDB, through a connection pool.
// Safe to call from many threads at once.
#include <atomic>
#include <rport/plugin.hpp>

#include "ConnectionPool.h"
#include "DbFailure.h"
#include "Queries.h"
#include "TableSettings.h"

namespace rport::plugins::table {

class TableStore : public sdk::AuthStore {
public:
    // Connects, creates the table when create_tables is set, and checks it;
    // throws sdk::Error with the reason when any of that fails.
    explicit TableStore(sdk::Host host);

    std::optional<sdk::AuthRecord> get(std::string_view id) override;
    sdk::ListPage list(const sdk::ListQuery& query) override;
    void add(const sdk::AuthRecord& record) override;
    void remove(std::string_view id) override;
    // The host enforces [server] auth_write; the table itself takes writes.
    bool writable() const override { return true; }

private:
    enum class Access { Read, Write };

    std::unique_ptr<Connection> connect();
    // Runs work on a pooled connection and turns database failures into
    // sdk::Error. A read that failed on a connection which had sat idle is
    // repeated once on a new one: the database may have restarted meanwhile.
    // Writes are never repeated (the first may have gone through), so an
    // idle connection is pinged before a write instead.
    template <class Work>
    auto run(const char* action, Access access, Work&& work);
    sdk::Error toError(const char* action, const DbFailure& failure) const;
    // Logs when the database stops and starts answering, once each way,
    // rather than once per failed call.
    void noteReachable();
    void noteUnreachable(const sdk::Error& error);

    sdk::Host _host;
    TableSettings _settings;
    Queries _queries;  // before _pool: connections refer to it
    ConnectionPool _pool;
    std::atomic<bool> _unreachable{false};
};

}  // namespace rport::plugins::table
