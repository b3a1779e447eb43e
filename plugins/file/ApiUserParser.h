#pragma once
// Turns the text of an API users file into validated users, following the
// original server's rules so that a file it accepts loads the same here.
#include <string>
#include <vector>

#include "ApiUser.h"
#include "FileFormat.h"

namespace rport::plugins::file_auth {

// Expects a JSON array of objects
//   {"username": "...", "password": "$2y$...", "groups": ["..."],
//    "password_expired": false, "two_fa_send_to": "...", "totp_secret": "..."}
// Empty text (or only white space, or JSON null) means no users. Usernames and
// passwords are trimmed and must not be empty, passwords must be bcrypt hashes
// ($2y$, $2b$ or $2a$), usernames must be unique; other fields are optional,
// null counts as absent, unknown fields are ignored. Returns the users sorted
// by username (byte order); throws FileFormatError naming the first problem.
std::vector<ApiUser> parseApiUserText(const std::string& text);

}  // namespace rport::plugins::file_auth
