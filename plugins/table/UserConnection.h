#pragma once
// A connection of the api-auth backend: reads a user with their groups,
// lists users, and adds or removes a user together with their group rows.
#include <cstdint>
#include <optional>
#include <rport/types.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "Connection.h"
#include "ListSql.h"
#include "UserQueries.h"
#include "UserRecord.h"

namespace rport::plugins::table {

class UserConnection : public Connection {
public:
    // queries must outlive the connection.
    UserConnection(Poco::Data::Session session, DbType type, const UserQueries& queries);

    std::optional<sdk::AuthRecord> get(std::string_view username);
    sdk::ListPage list(const WhereClause& where, uint64_t offset, uint64_t limit);
    // One transaction: the user row, then a group row per group. A group row
    // left behind for this name by an earlier removal elsewhere is dropped
    // first, so the new user gets exactly the groups asked for.
    void insert(const UserRow& row);
    // One transaction: the user row and their group rows. False (nothing
    // changed) when there was no such user.
    bool remove(std::string_view username);

private:
    std::vector<std::string> groupsOf(const std::string& username);
    void insertGroup(const std::string& username, const std::string& group);

    const UserQueries& _queries;
};

}  // namespace rport::plugins::table
