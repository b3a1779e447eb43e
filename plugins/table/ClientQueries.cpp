#include "ClientQueries.h"

namespace rport::plugins::table {

std::string createTableSql(const TableName& table, DbType type) {
    // password is wider than the original's varchar(100) so that bcrypt
    // hashes (60 chars, more for other crypt schemes) fit. For MySQL the id
    // column is binary-collated: ids compare exactly (as in SQLite and the
    // file store) and the primary key index already yields byte order.
    // utf8mb4 rather than utf8: the latter is 3-byte utf8mb3.
    if (type == DbType::MySql)
        return "CREATE TABLE IF NOT EXISTS " + table.quoted() +
               " (`id` varchar(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PRIMARY KEY,"
               " `password` varchar(255) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
    return "CREATE TABLE IF NOT EXISTS " + table.quoted() +
           " (`id` varchar(100) PRIMARY KEY, `password` varchar(255) NOT NULL)";
}

ClientQueries ClientQueries::forTable(const TableName& table, DbType type) {
    const std::string t = table.quoted();
    ClientQueries q;
    q.get = "SELECT id, password FROM " + t + " WHERE id = ?";
    q.insert = "INSERT INTO " + t + " (id, password) VALUES (?, ?)";
    q.remove = "DELETE FROM " + t + " WHERE id = ?";
    q.probe = "SELECT id, password FROM " + t + " WHERE 1 = 0";
    q.createTable = createTableSql(table, type);
    q.selectAll = "SELECT id, password FROM " + t;
    q.countAll = "SELECT COUNT(*) FROM " + t;
    // SQLite compares text with memcmp by default. A MySQL table made from
    // the original's DDL uses a case-insensitive collation, so sort by the
    // bytes; ClientTableStore switches to plain "ORDER BY id" (index order) when the
    // column's collation is already binary.
    q.orderById = type == DbType::MySql ? " ORDER BY CAST(id AS BINARY)" : " ORDER BY id";
    return q;
}

}  // namespace rport::plugins::table
