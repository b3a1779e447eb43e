#pragma once
// One open database session, handed out by the pool to one thread at a time.
// The backends derive from it to keep their own prepared statements. Poco
// exceptions pass through to the caller, which classifies them (DbFailure).
#include <Poco/Data/Session.h>

#include <string>

#include "DatabaseSettings.h"

namespace rport::plugins::table {

class Connection {
public:
    Connection(Poco::Data::Session session, DbType type);
    virtual ~Connection() = default;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // A round trip that fails when the link is dead.
    void ping();
    // Runs a statement without parameters or results (DDL, probes).
    void execute(const std::string& sql);
    Poco::Data::Session& session() { return _session; }
    DbType type() const { return _type; }

    // The session is in a state nobody can vouch for (a rollback failed):
    // the pool closes it instead of handing it out again.
    void markBroken() { _broken = true; }
    bool broken() const { return _broken; }

private:
    Poco::Data::Session _session;
    DbType _type;
    bool _broken = false;
};

}  // namespace rport::plugins::table
