#pragma once
// What an API add may put into the API users file.
#include <rport/types.hpp>

#include "ApiUser.h"

namespace rport::plugins::file_auth {

// The user to write for record, or rport::sdk::Error(RPORT_E_INVALID) when the
// file could not hold it faithfully or would refuse to load with it: an empty
// username, a username or secret with white space around it (loading trims
// it), text that is not UTF-8 or contains NUL, a secret that is not a bcrypt
// hash (the file holds no plaintext passwords; the host hashes first), a
// password_expired attribute other than "true"/"false". Groups are kept, and
// so are the password_expired and two_fa_send_to attributes; other
// attributes are not part of the file and are left out.
ApiUser userToStore(const sdk::AuthRecord& record);

}  // namespace rport::plugins::file_auth
