#include "UserQueries.h"

namespace rport::plugins::table {

UserQueries UserQueries::forTables(const UserTables& tables, DbType type) {
    const std::string users = tables.users.quoted();
    const std::string groups = tables.groups.quoted();
    const std::string userColumns = "SELECT username, password, password_expired FROM " + users;
    UserQueries q;
    q.getUser = userColumns + " WHERE username = ? LIMIT 1";
    // Sorted, so that a user's groups always come in the same order.
    q.groupsOf = "SELECT DISTINCT `group` FROM " + groups + " WHERE username = ? ORDER BY `group`";
    q.insertUser = "INSERT INTO " + users + " (username, password, password_expired) VALUES (?, ?, ?)";
    q.insertGroup = "INSERT INTO " + groups + " (username, `group`) VALUES (?, ?)";
    q.removeUser = "DELETE FROM " + users + " WHERE username = ?";
    q.removeGroups = "DELETE FROM " + groups + " WHERE username = ?";
    q.selectUsers = userColumns;
    q.countUsers = "SELECT COUNT(*) FROM " + users;
    // As for client ids: SQLite compares bytes; a MySQL table made from the
    // original's DDL collates without regard to case, so sort by the bytes
    // unless UserTableStore finds a binary collation.
    q.orderByUsername =
        type == DbType::MySql ? " ORDER BY CAST(username AS BINARY)" : " ORDER BY username";
    return q;
}

}  // namespace rport::plugins::table
