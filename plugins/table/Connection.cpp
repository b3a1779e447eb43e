#include "Connection.h"

#include <Poco/Data/Statement.h>

namespace rport::plugins::table {

using namespace Poco::Data::Keywords;

Connection::Connection(Poco::Data::Session session, DbType type)
    : _session(std::move(session)), _type(type) {}

void Connection::ping() {
    int one = 0;
    _session << "SELECT 1", into(one), now;
}

void Connection::execute(const std::string& sql) { _session << sql, now; }

}  // namespace rport::plugins::table
