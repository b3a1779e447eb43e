#pragma once
// Turns credentials into the text of a client-auth file.
#include <string>
#include <vector>

#include "Credential.h"

namespace rport::plugins::file_auth {

// The layout of the original server's encoder, so diffs against files it wrote
// stay small: one entry per line in the given order (callers pass them sorted
// by id), a tab before each, a trailing newline, "{}" when there are none.
// Strings use standard JSON escaping; non-ASCII text is written as UTF-8.
std::string renderCredentialText(const std::vector<Credential>& entries);

}  // namespace rport::plugins::file_auth
