#include "ApiUser.h"

namespace rport::plugins::file_auth {

sdk::AuthRecord recordOf(const ApiUser& u) {
    sdk::AuthRecord r;
    r.id = u.username;
    r.secret = u.passwordHash;
    // Only hashes get into the file's entries, so the host need not guess.
    r.secretKind = RPORT_SECRET_HASHED;
    r.groups = u.groups;
    r.attributes.emplace_back(kPasswordExpiredAttribute, u.passwordExpired ? "true" : "false");
    if (!u.twoFaSendTo.empty()) r.attributes.emplace_back(kTwoFaSendToAttribute, u.twoFaSendTo);
    return r;
}

}  // namespace rport::plugins::file_auth
