#include "TableStore.h"

#include <chrono>

#include "ListSql.h"
#include "MySqlSession.h"
#include "Schema.h"
#include "SqliteSession.h"

namespace rport::plugins::table {

namespace {

// Enough for the host's worker threads; a MySQL server allows 151 by default.
constexpr size_t kMaxConnections = 16;
// Failures faster than this are taken for a connection that went stale.
constexpr std::chrono::milliseconds kStaleFailureLimit{1000};

}  // namespace

TableStore::TableStore(sdk::Host host)
    : _host(host),
      _settings(TableSettings::read(host)),
      _queries(Queries::forTable(_settings.table, _settings.dbType)),
      _pool([this] { return connect(); }, kMaxConnections) {
    if (_settings.dbType == DbType::MySql) prepareMySqlClient(_settings);
    std::unique_ptr<Connection> first;
    try {
        first = connect();
    } catch (const Poco::Exception& e) {
        // rportd exits at start when this fails, as the original does when
        // its first ping fails.
        throw sdk::Error(RPORT_E_UNAVAILABLE,
                         "cannot connect to " + _settings.describe() + ": " + classify(e).reason);
    }
    prepareTable(*first, _settings, _queries);
    if (_settings.dbType == DbType::MySql && idColumnSortsBinary(*first, _settings.table))
        _queries.orderById = " ORDER BY id";
    _host.debug("listing with" + _queries.orderById);
    _pool.adopt(std::move(first));
    _host.info("connected to " + _settings.describe() + ", client credentials in table '" +
               _settings.table.text() + "'");
}

std::unique_ptr<Connection> TableStore::connect() {
    Poco::Data::Session session =
        _settings.dbType == DbType::MySql ? openMySql(_settings) : openSqlite(_settings.name);
    return std::make_unique<Connection>(std::move(session), _queries);
}

template <class Work>
auto TableStore::run(const char* action, Access access, Work&& work) {
    for (int attempt = 1;; ++attempt) {
        ConnectionPool::Lease lease = [&] {
            try {
                return _pool.acquire();
            } catch (const Poco::Exception& e) {
                sdk::Error error = toError(action, classify(e));
                if (error.code() == RPORT_E_UNAVAILABLE) noteUnreachable(error);
                throw error;
            }
        }();
        bool mayRepeat = attempt == 1 && lease.reused();
        const auto started = std::chrono::steady_clock::now();
        try {
            if (access == Access::Write && mayRepeat) {
                lease->ping();
                mayRepeat = false;
            }
            auto result = work(*lease);
            noteReachable();
            return result;
        } catch (const Poco::Exception& e) {
            DbFailure failure = classify(e);
            if (failure.kind != FailureKind::Unavailable) throw toError(action, failure);
            lease.discard();
            _pool.invalidate();
            // A connection that died while idle fails at once. One that took
            // a while ran into a timeout: the database hangs, and trying
            // again would only double the caller's wait.
            if (std::chrono::steady_clock::now() - started > kStaleFailureLimit) mayRepeat = false;
            if (!mayRepeat) {
                sdk::Error error = toError(action, failure);
                noteUnreachable(error);
                throw error;
            }
            _host.debug(std::string(action) +
                        ": retrying on a new connection after: " + failure.reason);
        }
    }
}

void TableStore::noteReachable() {
    if (_unreachable.load(std::memory_order_relaxed) && _unreachable.exchange(false))
        _host.info("database reachable again: " + _settings.describe());
}

void TableStore::noteUnreachable(const sdk::Error& error) {
    if (!_unreachable.exchange(true))
        _host.warning(std::string(error.what()) + "; failing calls until it is back");
}

sdk::Error TableStore::toError(const char* action, const DbFailure& failure) const {
    const std::string where =
        " (" + _settings.describe() + ", table '" + _settings.table.text() + "')";
    switch (failure.kind) {
        case FailureKind::Unavailable:
            return sdk::Error(
                RPORT_E_UNAVAILABLE,
                std::string(action) + ": database unavailable: " + failure.reason + where);
        case FailureKind::Duplicate:
            return sdk::Error(RPORT_E_EXISTS, std::string(action) + ": the id already exists");
        case FailureKind::TooLong:
            return sdk::Error(RPORT_E_INVALID, std::string(action) + ": " + failure.reason + where);
        case FailureKind::Other:
            break;
    }
    return sdk::Error(RPORT_E_INTERNAL, std::string(action) + " failed: " + failure.reason + where);
}

std::optional<sdk::AuthRecord> TableStore::get(std::string_view id) {
    return run("get", Access::Read, [&](Connection& c) { return c.get(id); });
}

sdk::ListPage TableStore::list(const sdk::ListQuery& query) {
    WhereClause where = buildWhere(query, _settings.dbType == DbType::Sqlite);
    return run("list", Access::Read,
               [&](Connection& c) { return c.list(where, query.offset, query.limit); });
}

void TableStore::add(const sdk::AuthRecord& record) {
    if (record.id.empty()) throw sdk::Error(RPORT_E_INVALID, "add: the id is empty");
    if (record.secretKind == RPORT_SECRET_WITHHELD)
        throw sdk::Error(RPORT_E_INVALID, "add: a table entry needs its secret");
    try {
        run("add", Access::Write, [&](Connection& c) {
            c.insert(record.id, record.secret);
            return true;
        });
    } catch (const sdk::Error& e) {
        if (e.code() == RPORT_E_EXISTS)
            throw sdk::Error(RPORT_E_EXISTS, "client auth id \"" + record.id + "\" already exists");
        throw;
    }
}

void TableStore::remove(std::string_view id) {
    bool removed = run("remove", Access::Write, [&](Connection& c) { return c.remove(id); });
    if (!removed)
        throw sdk::Error(RPORT_E_NOT_FOUND, "client auth id \"" + std::string(id) + "\" not found");
}

}  // namespace rport::plugins::table
