#include "PoolTestDatabase.h"
#include "SqliteSession.h"
#include "TempDir.h"

namespace rport::test {
namespace {

class SqlitePoolTestDatabase : public PoolTestDatabase {
public:
    plugins::table::DbType type() const override { return plugins::table::DbType::Sqlite; }
    std::string description() const override { return "sqlite database '" + _path + "'"; }
    Poco::Data::Session open() override { return plugins::table::openSqlite(_path); }

private:
    TempDir _dir;
    std::string _path = _dir.file("pool.db");
};

}  // namespace

PoolTestDatabase& poolTestDatabase() {
    static SqlitePoolTestDatabase database;
    return database;
}

}  // namespace rport::test
