#pragma once
// What the shared file machinery (WatchedJsonFile) needs to know about one
// kind of file: how to read it and how to name it in messages. The client-auth
// file and the API users file each provide one.
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace rport::plugins::file_auth {

// The entries of one version of a file, immutable once built. The store that
// owns the format knows the concrete type and casts back to it.
class EntrySet {
public:
    virtual ~EntrySet() = default;
    virtual size_t size() const noexcept = 0;
};

// The file cannot be used. The message names the entry or the line and column,
// but not the file: the caller knows which file it read.
class FileFormatError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct ParsedFile {
    std::shared_ptr<const EntrySet> entries;
    // Problems that do not stop the file from loading (ids given twice...).
    std::vector<std::string> warnings;
};

class FileFormat {
public:
    virtual ~FileFormat() = default;
    // How messages name the file: "client auth file".
    virtual std::string title() const = 0;
    // A count for messages: "1 client credential", "3 client credentials".
    virtual std::string countOf(size_t n) const = 0;
    // Throws FileFormatError when the text cannot be used as a whole.
    virtual ParsedFile parse(const std::string& text) const = 0;
    // True when an API write may create the file again after it was deleted
    // on disk; the entries in force then become its content. Otherwise such a
    // write is refused.
    virtual bool recreatesMissingFile() const = 0;
};

}  // namespace rport::plugins::file_auth
