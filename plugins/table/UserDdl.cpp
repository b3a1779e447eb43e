#include "UserDdl.h"

namespace rport::plugins::table {

namespace {

constexpr const char* kMySqlTableOptions =
    " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";

}  // namespace

std::string createUsersTableSql(const TableName& table, DbType type) {
    if (type == DbType::MySql)
        return "CREATE TABLE IF NOT EXISTS " + table.quoted() +
               " (`username` varchar(150) NOT NULL,"
               " `password` varchar(255) NOT NULL,"
               " `password_expired` bool NOT NULL DEFAULT false,"
               " `two_fa_send_to` varchar(150),"
               " `token` varchar(128) DEFAULT NULL,"
               " `totp_secret` mediumtext,"
               " UNIQUE KEY `username` (`username`))" +
               kMySqlTableOptions;
    return "CREATE TABLE IF NOT EXISTS " + table.quoted() +
           " (`username` TEXT(150) NOT NULL UNIQUE,"
           " `password` TEXT(255) NOT NULL,"
           " `password_expired` BOOLEAN NOT NULL CHECK (`password_expired` IN (0, 1)) DEFAULT 0,"
           " `token` TEXT(36) DEFAULT NULL,"
           " `two_fa_send_to` TEXT(150),"
           " `totp_secret` TEXT)";
}

std::string createGroupsTableSql(const TableName& table, DbType type) {
    if (type == DbType::MySql)
        return "CREATE TABLE IF NOT EXISTS " + table.quoted() +
               " (`username` varchar(150) NOT NULL,"
               " `group` varchar(150) NOT NULL,"
               " UNIQUE KEY `username_group` (`username`, `group`))" +
               kMySqlTableOptions;
    return "CREATE TABLE IF NOT EXISTS " + table.quoted() +
           " (`username` TEXT(150) NOT NULL,"
           " `group` TEXT(150) NOT NULL,"
           " UNIQUE (`username`, `group`))";
}

std::string createGroupDetailsTableSql(const TableName& table, DbType type) {
    // A TEXT column takes a default in MariaDB from 10.2 on; MySQL (8.0.13
    // on) takes it only as an expression in parentheses, which MariaDB
    // accepts as well.
    if (type == DbType::MySql)
        return "CREATE TABLE IF NOT EXISTS " + table.quoted() +
               " (`name` varchar(150) NOT NULL,"
               " `permissions` mediumtext DEFAULT ('{}'),"
               " UNIQUE KEY `name` (`name`))" +
               kMySqlTableOptions;
    return "CREATE TABLE IF NOT EXISTS " + table.quoted() +
           " (`name` TEXT(150) NOT NULL UNIQUE,"
           " `permissions` TEXT DEFAULT '{}')";
}

}  // namespace rport::plugins::table
