#pragma once
// Files that are either entirely old or entirely new, whatever happens: each
// write goes to a temporary file in the same directory (created with its
// final mode, so a key is never readable by others even for a moment),
// is flushed to disk, renamed over the target, and the directory is flushed
// so the rename itself survives a power loss.
#include <sys/types.h>

#include <optional>
#include <rport/secret.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

namespace rport::plugins::acme {

class StorageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

std::string systemMessage(int error);

void writeFileAtomically(const std::string& path, std::string_view content, mode_t mode);

// The content, or nullopt when the file does not exist; StorageError for
// other failures.
std::optional<std::string> readFileIfPresent(const std::string& path);
// The same for a file that holds a private key: no copy of its bytes is left
// in memory once the result is released.
std::optional<rport::sdk::SecretString> readSecretFileIfPresent(const std::string& path);

// Makes path point at the same file as source (a hard link, replacing what
// path was), so a backup costs no copy and appears atomically. Nothing
// happens when source does not exist.
void linkAtomically(const std::string& source, const std::string& path);

// Creates the directory (one level) with mode 0700 when missing.
void makeDirectory(const std::string& path);

bool fileExists(const std::string& path);

}  // namespace rport::plugins::acme
