#include "Connection.h"

#include <limits>
#include <vector>

namespace rport::plugins::table {

using namespace Poco::Data::Keywords;

namespace {

// LIMIT and OFFSET are signed 64-bit in both databases; "no limit" is
// UINT64_MAX in the query.
Poco::Int64 clampToInt64(uint64_t v) {
    constexpr auto max = static_cast<uint64_t>(std::numeric_limits<Poco::Int64>::max());
    return static_cast<Poco::Int64>(v > max ? max : v);
}

}  // namespace

Connection::Connection(Poco::Data::Session session, const Queries& queries)
    : _session(std::move(session)), _queries(queries) {}

std::optional<sdk::AuthRecord> Connection::get(std::string_view id) {
    try {
        if (!_get) {
            _get = std::make_unique<Poco::Data::Statement>(_session);
            *_get << _queries.get, use(_getId), into(_gotId), into(_gotSecret);
        }
        _getId.assign(id.data(), id.size());
        // With no row Poco leaves the into() variables as they were.
        _gotId.clear();
        _gotSecret.clear();
        if (_get->execute() == 0) return std::nullopt;
    } catch (...) {
        _get.reset();  // its state after a failure is unknown: prepare afresh next time
        throw;
    }
    sdk::AuthRecord record;
    record.id = _gotId;
    record.secret = _gotSecret;
    record.secretKind = RPORT_SECRET_AUTO;  // plaintext, or a bcrypt hash kept verbatim
    return record;
}

void Connection::insert(std::string_view id, std::string_view secret) {
    std::string idValue(id);
    std::string secretValue(secret);
    Poco::Data::Statement insert(_session);
    insert << _queries.insert, use(idValue), use(secretValue);
    insert.execute();
}

bool Connection::remove(std::string_view id) {
    std::string idValue(id);
    Poco::Data::Statement remove(_session);
    remove << _queries.remove, use(idValue);
    return remove.execute() > 0;
}

sdk::ListPage Connection::list(const WhereClause& where, uint64_t offset, uint64_t limit) {
    // Poco binds by reference, so the values need a home that is not const.
    std::vector<std::string> params = where.params;
    Poco::Int64 limitValue = clampToInt64(limit);
    Poco::Int64 offsetValue = clampToInt64(offset);
    std::vector<std::string> ids;
    std::vector<std::string> secrets;

    Poco::Data::Statement select(_session);
    select << _queries.selectAll + where.sql + _queries.orderById + " LIMIT ? OFFSET ?";
    for (auto& p : params) select.addBind(use(p));
    select, use(limitValue), use(offsetValue), into(ids), into(secrets);
    select.execute();

    sdk::ListPage page;
    page.records.reserve(ids.size());
    for (size_t i = 0; i < ids.size() && i < secrets.size(); ++i) {
        sdk::AuthRecord r;
        r.id = std::move(ids[i]);
        r.secret = std::move(secrets[i]);
        r.secretKind = RPORT_SECRET_AUTO;
        page.records.push_back(std::move(r));
    }
    // A first page that is not full already holds every match.
    if (offset == 0 && page.records.size() < limit) {
        page.total = page.records.size();
        return page;
    }
    Poco::Int64 total = 0;
    Poco::Data::Statement count(_session);
    count << _queries.countAll + where.sql;
    for (auto& p : params) count.addBind(use(p));
    count, into(total);
    count.execute();
    page.total = total < 0 ? 0 : static_cast<uint64_t>(total);
    return page;
}

void Connection::ping() {
    int one = 0;
    _session << "SELECT 1", into(one), now;
}

void Connection::execute(const std::string& sql) { _session << sql, now; }

}  // namespace rport::plugins::table
