#pragma once
// The [database] section as the host hands it to either backend of the
// table plugin: which server or file, and whether to create missing tables.
// Validated once, at create. The table names are read by each backend.
#include <rport/plugin.hpp>
#include <string>

namespace rport::plugins::table {

enum class DbType { MySql, Sqlite };

// Where a MySQL/MariaDB server listens, from db_host.
struct MySqlAddress {
    std::string host;        // empty: libmariadb's default (localhost, default socket)
    unsigned port = 0;       // 0: the default port
    std::string socketPath;  // set for "socket:/path"; host and port are then unused
};

struct DatabaseSettings {
    DbType dbType = DbType::Sqlite;
    MySqlAddress address;
    std::string dbHost;  // as written, for messages
    std::string user;
    std::string password;
    std::string name;  // mysql: the database; sqlite: the file path
    bool createTables = false;

    // Throws sdk::Error(RPORT_E_INVALID) naming the setting that is wrong.
    static DatabaseSettings read(const sdk::Host& host);

    // "mysql database 'rport' at 127.0.0.1:3306" - for messages; never the password.
    std::string describe() const;
};

}  // namespace rport::plugins::table
