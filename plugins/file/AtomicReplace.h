#pragma once
// Replaces a file so that a crash at any moment leaves either the old or the
// new content in place, never a mixture or an empty file.
#include <stdexcept>
#include <string>
#include <string_view>

#include "DiskFile.h"

namespace rport::plugins::file_auth {

class ReplaceError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct ReplaceOutcome {
    FileStamp stamp;              // of the file now at the target path
    bool directorySynced = true;  // false when the rename may not survive a power loss
};

// Writes content to ".<name>.tmp-<random>" in the target's directory (created
// exclusively, with the old file's mode, owner and group), fsyncs it, renames
// it over the target and fsyncs the directory. On failure before the rename
// the temporary file is removed, the target is untouched, and ReplaceError
// says which step failed; not being permitted to keep the owner and group is
// such a failure. The target must be a regular file, not a symlink.
ReplaceOutcome replaceFileAtomically(const std::string& target, std::string_view content,
                                     const FileStamp& old);

// Deletes temporary files a killed writer left behind. Call only while
// holding the write lock, so no live writer's file is taken away.
void removeLeftoverTempFiles(const std::string& target);

}  // namespace rport::plugins::file_auth
