#pragma once
// Turns the text of a client-auth file into validated, sorted credentials.
#include <string>
#include <vector>

#include "Credential.h"
#include "FileFormat.h"

namespace rport::plugins::file_auth {

// What the file contains, ready for an index.
struct ParsedCredentials {
    std::vector<Credential> entries;        // sorted by id (byte order), one per id
    std::vector<std::string> duplicateIds;  // ids written more than once; the last value won
};

// Expects one JSON object mapping ids to non-empty string passwords, e.g.
// {"client1": "secret", "client2": "$2y$10$..."}. A leading UTF-8 byte order
// mark is tolerated because some editors add one. Throws FileFormatError.
ParsedCredentials parseCredentialText(const std::string& text);

}  // namespace rport::plugins::file_auth
