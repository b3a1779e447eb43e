#pragma once
// One open database session and the statements it keeps prepared. Used by
// one thread at a time (the pool hands it out); Poco exceptions pass through
// to the caller, which classifies them (DbFailure).
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <rport/types.hpp>
#include <string>
#include <string_view>

#include "ListSql.h"
#include "Queries.h"

namespace rport::plugins::table {

class Connection {
public:
    // queries must outlive the connection.
    Connection(Poco::Data::Session session, const Queries& queries);
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    std::optional<sdk::AuthRecord> get(std::string_view id);
    void insert(std::string_view id, std::string_view secret);
    // False when no row had that id.
    bool remove(std::string_view id);
    sdk::ListPage list(const WhereClause& where, uint64_t offset, uint64_t limit);

    // A round trip that fails when the link is dead.
    void ping();
    // Runs a statement without parameters or results (DDL, probes).
    void execute(const std::string& sql);
    Poco::Data::Session& session() { return _session; }

private:
    Poco::Data::Session _session;
    const Queries& _queries;

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
