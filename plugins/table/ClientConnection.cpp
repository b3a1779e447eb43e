#include "ClientConnection.h"

#include <vector>

#include "ListPaging.h"

namespace rport::plugins::table {

using namespace Poco::Data::Keywords;

ClientConnection::ClientConnection(Poco::Data::Session session, DbType type,
                                   const ClientQueries& queries)
    : Connection(std::move(session), type), _queries(queries) {}

std::optional<sdk::AuthRecord> ClientConnection::get(std::string_view id) {
    try {
        if (!_get) {
            _get = std::make_unique<Poco::Data::Statement>(session());
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

void ClientConnection::insert(std::string_view id, std::string_view secret) {
    std::string idValue(id);
    std::string secretValue(secret);
    Poco::Data::Statement insert(session());
    insert << _queries.insert, use(idValue), use(secretValue);
    insert.execute();
}

bool ClientConnection::remove(std::string_view id) {
    std::string idValue(id);
    Poco::Data::Statement remove(session());
    remove << _queries.remove, use(idValue);
    return remove.execute() > 0;
}

sdk::ListPage ClientConnection::list(const WhereClause& where, uint64_t offset, uint64_t limit) {
    // Poco binds by reference, so the values need a home that is not const.
    std::vector<std::string> params = where.params;
    Poco::Int64 limitValue = clampToInt64(limit);
    Poco::Int64 offsetValue = clampToInt64(offset);
    std::vector<std::string> ids;
    std::vector<std::string> secrets;

    Poco::Data::Statement select(session());
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
    page.total =
        totalOfListing(session(), _queries.countAll, where, offset, limit, page.records.size());
    return page;
}

}  // namespace rport::plugins::table
