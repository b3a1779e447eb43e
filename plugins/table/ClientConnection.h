#pragma once
// A connection of the client-auth backend: the statements on its one table,
// with the hot lookup kept prepared.
#include <Poco/Data/Statement.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <rport/types.hpp>
#include <string>
#include <string_view>

#include "ClientQueries.h"
#include "Connection.h"
#include "ListSql.h"

namespace rport::plugins::table {

class ClientConnection : public Connection {
public:
    // queries must outlive the connection.
    ClientConnection(Poco::Data::Session session, DbType type, const ClientQueries& queries);

    std::optional<sdk::AuthRecord> get(std::string_view id);
    void insert(std::string_view id, std::string_view secret);
    // False when no row had that id.
    bool remove(std::string_view id);
    sdk::ListPage list(const WhereClause& where, uint64_t offset, uint64_t limit);

private:
    const ClientQueries& _queries;

    // get is the hot path (every client login): its statement and the
    // variables bound to it live as long as the connection. On MySQL that
    // keeps the server-side prepared statement; Poco's SQLite connector
    // re-prepares on every execute either way.
    std::unique_ptr<Poco::Data::Statement> _get;
    std::string _getId;
    std::string _gotId;
    std::string _gotSecret;
};

}  // namespace rport::plugins::table
