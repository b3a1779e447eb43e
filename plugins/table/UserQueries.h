#pragma once
// Every SQL text the api-auth backend runs on the users and groups tables.
// Built once at create; values always travel as bound parameters, only the
// validated and quoted table names are spliced in. totp_secret (and the
// other 2FA columns) are never read.
#include <string>

#include "DatabaseSettings.h"
#include "UserTables.h"

namespace rport::plugins::table {

struct UserQueries {
    std::string getUser;       // ? = username; username, password, password_expired
    std::string groupsOf;      // ? = username; group
    std::string insertUser;    // ? = username, password, password_expired
    std::string insertGroup;   // ? = username, group
    std::string removeUser;    // ? = username
    std::string removeGroups;  // ? = username
    std::string selectUsers;   // + WHERE + orderByUsername + " LIMIT ? OFFSET ?"
    std::string countUsers;    // + WHERE
    std::string orderByUsername;  // must give byte order, as the other stores do

    static UserQueries forTables(const UserTables& tables, DbType type);
};

}  // namespace rport::plugins::table
