#include "NewApiUser.h"

#include <rport/password.hpp>

#include "Utf8.h"
#include "Whitespace.h"

namespace rport::plugins::file_auth {
namespace {

[[noreturn]] void refuse(const std::string& why) { throw sdk::Error(RPORT_E_INVALID, why); }

void requireStorable(const std::string& text, const std::string& what) {
    if (!isStorableText(text)) refuse(what + " must be UTF-8 text without NUL characters");
}

void requireTrimmed(const std::string& text, const std::string& what) {
    if (trimSpace(text).size() != text.size())
        refuse(what + " must not begin or end with white space");
}

// The secret must be a bcrypt hash, and be meant as one: a plaintext password
// that happens to look like a hash would never match at login.
void checkSecret(const sdk::AuthRecord& record) {
    if (record.secretKind == RPORT_SECRET_WITHHELD)
        refuse("a withheld secret cannot be stored in an API users file");
    if (record.secretKind > RPORT_SECRET_WITHHELD)
        refuse("unknown secret kind " + std::to_string(record.secretKind));
    if (record.secret.empty()) refuse("password can not be empty");
    requireStorable(record.secret, "the password");
    requireTrimmed(record.secret, "the password");
    if (record.secretKind == RPORT_SECRET_PLAIN || !sdk::password::isBcryptHash(record.secret))
        // Same wording as a file with a plaintext password gets when it is loaded.
        refuse("username \"" + record.id +
               "\": require passwords to be bcrypt hashed ($2y$, $2b$ or $2a$); hash it before "
               "adding the user");
}

bool expiredFlag(const std::string& value) {
    if (value == "true") return true;
    if (value == "false") return false;
    refuse(std::string("attribute '") + kPasswordExpiredAttribute +
           "' must be \"true\" or \"false\", got \"" + value + "\"");
}

}  // namespace

ApiUser userToStore(const sdk::AuthRecord& record) {
    if (record.id.empty()) refuse("username can not be empty");
    requireStorable(record.id, "the username");
    requireTrimmed(record.id, "the username");
    checkSecret(record);

    ApiUser user;
    user.username = record.id;
    user.passwordHash = record.secret;
    for (const auto& group : record.groups) {
        requireStorable(group, "a group name");
        user.groups.push_back(group);
    }
    for (const auto& [key, value] : record.attributes) {
        if (key == kPasswordExpiredAttribute) {
            user.passwordExpired = expiredFlag(value);
        } else if (key == kTwoFaSendToAttribute) {
            requireStorable(value, std::string("attribute '") + kTwoFaSendToAttribute + "'");
            user.twoFaSendTo = value;
        }
    }
    return user;
}

}  // namespace rport::plugins::file_auth
