#include "SqliteTestDatabase.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Statement.h>

namespace rport::test {

using namespace Poco::Data::Keywords;

SqliteTestDatabase::SqliteTestDatabase() : _path(_dir.file("auth.db")) {
    Poco::Data::SQLite::Connector::registerConnector();
    _session = std::make_unique<Poco::Data::Session>(Poco::Data::SQLite::Connector::KEY, _path);
}

std::map<std::string, std::string> SqliteTestDatabase::settings(const std::string& table) const {
    return {{"table", table}, {"db_type", "sqlite"}, {"db_name", _path}, {"write", "true"}};
}

void SqliteTestDatabase::exec(const std::string& sql) { *_session << sql, now; }

std::string SqliteTestDatabase::scalar(const std::string& sql) {
    Poco::Data::Statement select(*_session);
    select << sql;
    select.execute();
    Poco::Data::RecordSet rows(select);
    if (rows.rowCount() == 0) return "";
    return rows.value(0, 0).convert<std::string>();
}

}  // namespace rport::test
