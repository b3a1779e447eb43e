#pragma once
// The database the pool tests open real connections to: a SQLite file or the
// shared MariaDB server, whichever source the test program is built with.
#include <Poco/Data/Session.h>

#include <string>

#include "DatabaseSettings.h"

namespace rport::test {

class PoolTestDatabase {
public:
    virtual ~PoolTestDatabase() = default;
    virtual plugins::table::DbType type() const = 0;
    // For messages: what PooledDatabase is told it works on.
    virtual std::string description() const = 0;
    // A new session; throws Poco exceptions like the plugin's openers.
    virtual Poco::Data::Session open() = 0;
};

// Defined once per test program (SqlitePoolTestDatabase.cpp or
// MariaDbPoolTestDatabase.cpp); lives as long as the program.
PoolTestDatabase& poolTestDatabase();

}  // namespace rport::test
