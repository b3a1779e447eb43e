#include "ClientTableStore.h"

#include "ClientSchema.h"
#include "ListSql.h"
#include "MySqlSession.h"
#include "Schema.h"
#include "SqliteSession.h"
#include "TableSetting.h"

namespace rport::plugins::table {

ClientTableStore::ClientTableStore(sdk::Host host)
    : _host(host),
      _settings(DatabaseSettings::read(host)),
      _table(requiredTableSetting(host, _settings.dbType, "table", "[server] auth_table")),
      _queries(ClientQueries::forTable(_table, _settings.dbType)),
      _db(host, _settings.describe(), "table '" + _table.text() + "'",
          [this] { return connect(); }) {
    if (_settings.dbType == DbType::MySql) prepareMySqlClient(_settings);
    std::unique_ptr<Connection> first = _db.openFirst();
    prepareClientTable(*first, _settings, _table, _queries);
    if (_settings.dbType == DbType::MySql && columnSortsBinary(*first, _table, "id"))
        _queries.orderById = " ORDER BY id";
    _host.debug("listing with" + _queries.orderById);
    _db.adopt(std::move(first));
    _host.info("connected to " + _settings.describe() + ", client credentials in table '" +
               _table.text() + "'");
}

std::unique_ptr<ClientConnection> ClientTableStore::connect() {
    Poco::Data::Session session =
        _settings.dbType == DbType::MySql ? openMySql(_settings) : openSqlite(_settings.name);
    return std::make_unique<ClientConnection>(std::move(session), _settings.dbType, _queries);
}

std::optional<sdk::AuthRecord> ClientTableStore::get(std::string_view id) {
    return run("get", Access::Read, [&](ClientConnection& c) { return c.get(id); });
}

sdk::ListPage ClientTableStore::list(const sdk::ListQuery& query) {
    WhereClause where = buildWhere(query, "id", _settings.dbType == DbType::Sqlite);
    return run("list", Access::Read,
               [&](ClientConnection& c) { return c.list(where, query.offset, query.limit); });
}

void ClientTableStore::add(const sdk::AuthRecord& record) {
    if (record.id.empty()) throw sdk::Error(RPORT_E_INVALID, "add: the id is empty");
    if (record.secretKind == RPORT_SECRET_WITHHELD)
        throw sdk::Error(RPORT_E_INVALID, "add: a table entry needs its secret");
    try {
        run("add", Access::Write, [&](ClientConnection& c) {
            c.insert(record.id, record.secret);
            return true;
        });
    } catch (const sdk::Error& e) {
        if (e.code() == RPORT_E_EXISTS)
            throw sdk::Error(RPORT_E_EXISTS, "client auth id \"" + record.id + "\" already exists");
        throw;
    }
}

void ClientTableStore::remove(std::string_view id) {
    bool removed = run("remove", Access::Write, [&](ClientConnection& c) { return c.remove(id); });
    if (!removed)
        throw sdk::Error(RPORT_E_NOT_FOUND, "client auth id \"" + std::string(id) + "\" not found");
}

}  // namespace rport::plugins::table
