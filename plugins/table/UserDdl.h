#pragma once
// CREATE TABLE statements for the API user tables: the schema the original
// rportd documents, with these changes. Every statement is idempotent
// (IF NOT EXISTS), so create_tables never touches a table that is there.
//  - MySQL: totp_secret and permissions are MEDIUMTEXT, not LONGTEXT (Poco
//    1.11's MySQL connector cannot read LONGTEXT; 16 MB is plenty). Tables
//    are utf8mb4 with binary collation: user and group names compare
//    exactly, as in SQLite and the users file, so "Admin" is not "admin".
//  - SQLite: uniqueness is declared inside the table rather than with the
//    documented named indexes, whose names are global to the database file
//    and would clash between two sets of tables.
#include <string>

#include "DatabaseSettings.h"
#include "TableName.h"

namespace rport::plugins::table {

std::string createUsersTableSql(const TableName& table, DbType type);
std::string createGroupsTableSql(const TableName& table, DbType type);
std::string createGroupDetailsTableSql(const TableName& table, DbType type);

}  // namespace rport::plugins::table
