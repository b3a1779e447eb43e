#include "UserRecord.h"

#include <algorithm>
#include <rport/password.hpp>

namespace rport::plugins::table {

namespace {

[[noreturn]] void refuse(const std::string& why) { throw sdk::Error(RPORT_E_INVALID, why); }

bool hasNul(const std::string& s) { return s.find('\0') != std::string::npos; }

// Stored values are read back with secret kind AUTO, so what goes in must
// read back as what it was meant to be.
void checkSecret(const sdk::AuthRecord& record) {
    const bool looksHashed = sdk::password::isBcryptHash(record.secret);
    switch (record.secretKind) {
        case RPORT_SECRET_AUTO:
            break;
        case RPORT_SECRET_PLAIN:
            if (looksHashed)
                refuse("user \"" + record.id +
                       "\": a plaintext password that looks like a bcrypt hash would be read "
                       "back as a hash");
            break;
        case RPORT_SECRET_HASHED:
            if (!looksHashed)
                refuse("user \"" + record.id +
                       "\": only bcrypt hashes ($2y$, $2b$, $2a$) can be stored as hashes");
            break;
        case RPORT_SECRET_WITHHELD:
            refuse("user \"" + record.id + "\": a table entry needs its password");
        default:
            refuse("unknown secret kind " + std::to_string(record.secretKind));
    }
    if (record.secret.empty()) refuse("password can not be empty");
    if (hasNul(record.secret)) refuse("the password must not contain NUL characters");
}

bool expiredFlag(const std::string& value) {
    if (value == "true") return true;
    if (value == "false") return false;
    refuse(std::string("attribute '") + kPasswordExpiredAttribute +
           "' must be \"true\" or \"false\", got \"" + value + "\"");
}

}  // namespace

sdk::AuthRecord recordOf(UserRow row) {
    sdk::AuthRecord r;
    r.id = std::move(row.username);
    r.secret = std::move(row.password);
    r.secretKind = RPORT_SECRET_AUTO;
    r.groups = std::move(row.groups);
    r.attributes.emplace_back(kPasswordExpiredAttribute, row.passwordExpired ? "true" : "false");
    return r;
}

UserRow rowToAdd(const sdk::AuthRecord& record) {
    if (record.id.empty()) refuse("username can not be empty");
    if (hasNul(record.id)) refuse("the username must not contain NUL characters");
    checkSecret(record);
    UserRow row;
    row.username = record.id;
    row.password = record.secret;
    for (const auto& group : record.groups) {
        if (group.empty() || hasNul(group))
            refuse("user \"" + record.id + "\": group names must be non-empty text");
        if (std::find(row.groups.begin(), row.groups.end(), group) == row.groups.end())
            row.groups.push_back(group);
    }
    for (const auto& [key, value] : record.attributes)
        if (key == kPasswordExpiredAttribute) row.passwordExpired = expiredFlag(value);
    return row;
}

}  // namespace rport::plugins::table
