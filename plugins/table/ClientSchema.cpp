#include "Schema.h"

#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include <rport/plugin.hpp>

#include "DbFailure.h"

namespace rport::plugins::table {

using namespace Poco::Data::Keywords;

namespace {

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The connection broke while we were checking: that is "cannot reach".
[[noreturn]] void throwFor(const DbFailure& f, const TableSettings& settings,
                           const std::string& problem) {
    if (f.kind == FailureKind::Unavailable)
        throw sdk::Error(RPORT_E_UNAVAILABLE,
                         "cannot use " + settings.describe() + ": " + f.reason);
    throw sdk::Error(RPORT_E_INVALID, problem + " (" + f.reason + ")");
}

}  // namespace

void prepareTable(Connection& connection, const TableSettings& settings, const Queries& queries) {
    const std::string table = settings.table.text();
    if (settings.createTables) {
        try {
            connection.execute(queries.createTable);
        } catch (const Poco::Exception& e) {
            throwFor(classify(e), settings,
                     "cannot create table '" + table + "' in " + settings.describe());
        }
    }
    try {
        connection.execute(queries.probe);
    } catch (const Poco::Exception& e) {
        throwFor(classify(e), settings,
                 "table '" + table + "' is missing from " + settings.describe() +
                     " or lacks the columns id and password: create it (the documentation has the "
                     "CREATE TABLE statement) or run 'rportd --create-tables'");
    }
}

bool idColumnSortsBinary(Connection& connection, const TableName& table) {
    std::string schema = table.schema();
    std::string name = table.table();
    Poco::Nullable<std::string> collation;
    try {
        connection.session() << "SELECT COLLATION_NAME FROM information_schema.COLUMNS"
                                " WHERE TABLE_SCHEMA = COALESCE(NULLIF(?, ''), DATABASE())"
                                " AND TABLE_NAME = ? AND COLUMN_NAME = 'id'",
            use(schema), use(name), into(collation), now;
    } catch (const Poco::Exception&) {
        return false;  // the byte-wise sort works whatever the collation
    }
    return !collation.isNull() && endsWith(collation.value(), "_bin");
}

}  // namespace rport::plugins::table
