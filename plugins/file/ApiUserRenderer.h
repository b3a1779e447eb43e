#pragma once
// Turns API users into the text of an API users file.
#include <string>
#include <vector>

#include "ApiUser.h"

namespace rport::plugins::file_auth {

// The layout the original server writes: a JSON array indented by one space
// per level, one field per line, users in the given order (callers pass them
// sorted by username), a trailing newline, "[]" when there are none. Fields:
// username, password, groups, password_expired, then two_fa_send_to and
// totp_secret only when set. Strings use standard JSON escaping; non-ASCII
// text is written as UTF-8.
std::string renderApiUserText(const std::vector<ApiUser>& users);

}  // namespace rport::plugins::file_auth
