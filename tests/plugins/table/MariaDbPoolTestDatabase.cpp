#include "MySqlSession.h"
#include "PoolTestDatabase.h"
#include "SharedMariaDb.h"

namespace rport::test {
namespace {

class MariaDbPoolTestDatabase : public PoolTestDatabase {
public:
    MariaDbPoolTestDatabase() {
        MariaDbServer& server = sharedMariaDb();
        _settings.dbType = plugins::table::DbType::MySql;
        _settings.address.host = "127.0.0.1";
        _settings.address.port = server.port();
        _settings.dbHost = server.hostPort();
        _settings.user = server.user();
        _settings.password = server.password();
        _settings.name = server.database();
        plugins::table::prepareMySqlClient(_settings);
    }
    plugins::table::DbType type() const override { return plugins::table::DbType::MySql; }
    std::string description() const override { return _settings.describe(); }
    Poco::Data::Session open() override { return plugins::table::openMySql(_settings); }

private:
    plugins::table::DatabaseSettings _settings;
};

}  // namespace

PoolTestDatabase& poolTestDatabase() {
    static MariaDbPoolTestDatabase database;
    return database;
}

}  // namespace rport::test
