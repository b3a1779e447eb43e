#include "UserTableStore.h"

#include "ListSql.h"
#include "MySqlSession.h"
#include "Schema.h"
#include "SqliteSession.h"
#include "UserSchema.h"

namespace rport::plugins::table {

UserTableStore::UserTableStore(sdk::Host host)
    : _host(host),
      _settings(DatabaseSettings::read(host)),
      _tables(UserTables::read(host, _settings.dbType)),
      _queries(UserQueries::forTables(_tables, _settings.dbType)),
      _db(host, _settings.describe(), _tables.describe(), [this] { return connect(); }) {
    if (_settings.dbType == DbType::MySql) prepareMySqlClient(_settings);
    std::unique_ptr<Connection> first = _db.openFirst();
    prepareUserTables(*first, _settings, _tables);
    if (_settings.dbType == DbType::MySql && columnSortsBinary(*first, _tables.users, "username"))
        _queries.orderByUsername = " ORDER BY username";
    _host.debug("listing users with" + _queries.orderByUsername);
    _db.adopt(std::move(first));
    _host.info("connected to " + _settings.describe() + ", API users in " + _tables.describe());
}

std::unique_ptr<UserConnection> UserTableStore::connect() {
    Poco::Data::Session session =
        _settings.dbType == DbType::MySql ? openMySql(_settings) : openSqlite(_settings.name);
    return std::make_unique<UserConnection>(std::move(session), _settings.dbType, _queries);
}

std::optional<sdk::AuthRecord> UserTableStore::get(std::string_view username) {
    if (username.empty()) return std::nullopt;
    return run("get", Access::Read, [&](UserConnection& c) { return c.get(username); });
}

sdk::ListPage UserTableStore::list(const sdk::ListQuery& query) {
    WhereClause where = buildWhere(query, "username", _settings.dbType == DbType::Sqlite);
    return run("list", Access::Read,
               [&](UserConnection& c) { return c.list(where, query.offset, query.limit); });
}

void UserTableStore::add(const sdk::AuthRecord& record) {
    const UserRow row = rowToAdd(record);
    try {
        run("add", Access::Write, [&](UserConnection& c) {
            c.insert(row);
            return true;
        });
    } catch (const sdk::Error& e) {
        if (e.code() == RPORT_E_EXISTS)
            throw sdk::Error(RPORT_E_EXISTS, "user \"" + row.username + "\" already exists");
        throw;
    }
}

void UserTableStore::remove(std::string_view username) {
    bool removed =
        run("remove", Access::Write, [&](UserConnection& c) { return c.remove(username); });
    if (!removed)
        throw sdk::Error(RPORT_E_NOT_FOUND, "user \"" + std::string(username) + "\" not found");
}

}  // namespace rport::plugins::table
