#pragma once
// Turns the text of a client-auth file into validated, sorted credentials.
#include <stdexcept>
#include <string>
#include <vector>

#include "Credential.h"

namespace rport::plugins::file_auth {

// What the file contains, ready for an index.
struct ParsedCredentials {
    std::vector<Credential> entries;        // sorted by id (byte order), one per id
    std::vector<std::string> duplicateIds;  // ids written more than once; the last value won
};

// The file cannot be used. The message names the entry or the line and column,
// but not the file: the caller knows which file it read.
class CredentialFormatError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Expects one JSON object mapping ids to non-empty string passwords, e.g.
// {"client1": "secret", "client2": "$2y$10$..."}. A leading UTF-8 byte order
// mark is tolerated because some editors add one.
ParsedCredentials parseCredentialText(const std::string& text);

}  // namespace rport::plugins::file_auth
