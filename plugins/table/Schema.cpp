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

}  // namespace

void runSchemaStatement(Connection& connection, const DatabaseSettings& settings,
                        const std::string& sql, const std::string& problem) {
    try {
        connection.execute(sql);
    } catch (const Poco::Exception& e) {
        DbFailure f = classify(e);
        // The connection broke while we were checking: that is "cannot reach".
        if (f.kind == FailureKind::Unavailable)
            throw sdk::Error(RPORT_E_UNAVAILABLE,
                             "cannot use " + settings.describe() + ": " + f.reason);
        throw sdk::Error(RPORT_E_INVALID, problem + " (" + f.reason + ")");
    }
}

bool columnSortsBinary(Connection& connection, const TableName& table, const std::string& column) {
    std::string schema = table.schema();
    std::string name = table.table();
    std::string columnName = column;
    Poco::Nullable<std::string> collation;
    try {
        connection.session() << "SELECT COLLATION_NAME FROM information_schema.COLUMNS"
                                " WHERE TABLE_SCHEMA = COALESCE(NULLIF(?, ''), DATABASE())"
                                " AND TABLE_NAME = ? AND COLUMN_NAME = ?",
            use(schema), use(name), use(columnName), into(collation), now;
    } catch (const Poco::Exception&) {
        return false;  // the byte-wise sort works whatever the collation
    }
    return !collation.isNull() && endsWith(collation.value(), "_bin");
}

}  // namespace rport::plugins::table
