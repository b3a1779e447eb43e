#pragma once
// Client credentials in a database table ([server] auth_table with the
// [database] section): SQLite or MySQL/MariaDB, through a connection pool.
// Safe to call from many threads at once.
#include <rport/plugin.hpp>

#include "ClientConnection.h"
#include "ClientQueries.h"
#include "DatabaseSettings.h"
#include "PooledDatabase.h"
#include "TableName.h"

namespace rport::plugins::table {

class ClientTableStore : public sdk::AuthStore {
public:
    // Connects, creates the table when create_tables is set, and checks it;
    // throws sdk::Error with the reason when any of that fails.
    explicit ClientTableStore(sdk::Host host);

    std::optional<sdk::AuthRecord> get(std::string_view id) override;
    sdk::ListPage list(const sdk::ListQuery& query) override;
    void add(const sdk::AuthRecord& record) override;
    void remove(std::string_view id) override;
    // The host enforces [server] auth_write; the table itself takes writes.
    bool writable() const override { return true; }

private:
    using Access = PooledDatabase::Access;

    std::unique_ptr<ClientConnection> connect();
    template <class Work>
    auto run(const char* action, Access access, Work&& work) {
        return _db.run<ClientConnection>(action, access, std::forward<Work>(work));
    }

    sdk::Host _host;
    DatabaseSettings _settings;
    TableName _table;
    ClientQueries _queries;  // before _db: connections refer to it
    PooledDatabase _db;
};

}  // namespace rport::plugins::table
