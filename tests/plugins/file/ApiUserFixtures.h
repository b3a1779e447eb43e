#pragma once
// Helpers for the API users file tests: real bcrypt hashes, user records, and
// reading the file back with an independent JSON parser.
#include <Poco/JSON/Array.h>

#include <optional>
#include <rport/types.hpp>
#include <string>
#include <vector>

namespace rport::test::file_plugin {

// A bcrypt hash of password (cost 4, for speed) with the given variant prefix.
std::string bcryptOf(const std::string& password, const char* prefix = "$2y$");

// One user as a JSON object for a users file; extraFields (e.g.
// R"("password_expired": true)") go in verbatim after the groups.
std::string userJson(const std::string& username, const std::string& password,
                     const std::vector<std::string>& groups = {},
                     const std::string& extraFields = "");
// A users file: the objects joined into a JSON array.
std::string usersJson(const std::vector<std::string>& users);

sdk::AuthRecord userRecord(const std::string& username, const std::string& secret,
                           const std::vector<std::string>& groups = {},
                           uint32_t kind = RPORT_SECRET_HASHED);

// The value of an attribute of a record, nullopt when it has none by that key.
std::optional<std::string> attributeOf(const sdk::AuthRecord& record, const std::string& key);

// The users file at path as Poco reads it; throws when it is not a JSON array.
Poco::JSON::Array::Ptr readUsersFile(const std::string& path);

}  // namespace rport::test::file_plugin
