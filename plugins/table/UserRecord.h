#pragma once
// An API user as the tables hold it, and its conversion to and from the
// records the host exchanges with the plugin.
#include <rport/types.hpp>
#include <string>
#include <vector>

namespace rport::plugins::table {

// The record attribute that carries the users.password_expired column;
// the host refuses the login ("password has expired") when it is "true".
inline constexpr const char* kPasswordExpiredAttribute = "password_expired";

struct UserRow {
    std::string username;
    std::string password;  // plaintext or a bcrypt hash, as stored
    bool passwordExpired = false;
    std::vector<std::string> groups;  // each once
};

// The record for a stored row: secret kind AUTO (the original compared
// plaintext unless the value looked like a bcrypt hash), password_expired
// as "true" or "false".
sdk::AuthRecord recordOf(UserRow row);

// The row to store for a record the host adds. Throws
// sdk::Error(RPORT_E_INVALID) when the record cannot be stored faithfully.
UserRow rowToAdd(const sdk::AuthRecord& record);

}  // namespace rport::plugins::table
