#pragma once
// API users in database tables ([api] auth_user_table, auth_group_table and
// optionally auth_group_details_table, with the [database] section): SQLite
// or MySQL/MariaDB, through a connection pool. Safe to call from many
// threads at once.
#include <rport/plugin.hpp>

#include "DatabaseSettings.h"
#include "PooledDatabase.h"
#include "UserConnection.h"
#include "UserQueries.h"
#include "UserTables.h"

namespace rport::plugins::table {

class UserTableStore : public sdk::AuthStore {
public:
    // Connects, creates missing tables when create_tables is set, and probes
    // them; throws sdk::Error with the reason when any of that fails.
    explicit UserTableStore(sdk::Host host);

    // The user with their groups and the attribute password_expired.
    std::optional<sdk::AuthRecord> get(std::string_view username) override;
    sdk::ListPage list(const sdk::ListQuery& query) override;
    void add(const sdk::AuthRecord& record) override;
    void remove(std::string_view username) override;
    bool writable() const override { return true; }

private:
    using Access = PooledDatabase::Access;

    std::unique_ptr<UserConnection> connect();
    template <class Work>
    auto run(const char* action, Access access, Work&& work) {
        return _db.run<UserConnection>(action, access, std::forward<Work>(work));
    }

    sdk::Host _host;
    DatabaseSettings _settings;
    UserTables _tables;
    UserQueries _queries;  // before _db: connections refer to it
    PooledDatabase _db;
};

}  // namespace rport::plugins::table
