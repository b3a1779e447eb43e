#pragma once
// Opens the SQLite database file as a Poco session tuned for the plugin.
#include <Poco/Data/Session.h>

#include <string>

namespace rport::plugins::table {

// Throws Poco exceptions (see DbFailure) when the file cannot be opened.
Poco::Data::Session openSqlite(const std::string& path);

}  // namespace rport::plugins::table
