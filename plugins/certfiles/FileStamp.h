#pragma once
// What the periodic check compares: where a path leads (symlinks followed)
// and the identity of the file there. Any difference means "read again".
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

namespace rport::plugins::certfiles {

struct FileStamp {
    bool exists = false;
    std::string resolved;  // realpath of the file, "" when it cannot be resolved
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    int64_t mtimeNs = 0;
    int64_t ctimeNs = 0;

    bool operator==(const FileStamp& o) const {
        return exists == o.exists && resolved == o.resolved && device == o.device && inode == o.inode &&
               size == o.size && mtimeNs == o.mtimeNs && ctimeNs == o.ctimeNs;
    }
    bool operator!=(const FileStamp& o) const { return !(*this == o); }
};

FileStamp stampOf(const std::string& path);

// The directory part of a path ("." for a bare name, "/" for "/x").
std::string directoryOf(const std::string& path);

// A warning when the key file (symlinks followed) is readable by its group or
// by everybody, naming the file, its mode and what to do; nullopt otherwise.
std::optional<std::string> keyPermissionWarning(const std::string& keyPath);

}  // namespace rport::plugins::certfiles
