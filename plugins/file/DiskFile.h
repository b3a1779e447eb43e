#pragma once
// Reading a store's file and recognising which version of it is on disk.
#include <sys/stat.h>
#include <sys/types.h>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace rport::plugins::file_auth {

// Identifies one version of a file without reading it. Any write changes the
// change time, a replacement by rename changes the inode, so comparing stamps
// finds edits the directory watcher may have missed.
struct FileStamp {
    bool exists = false;
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    int64_t modifiedNs = 0;
    int64_t changedNs = 0;
    // Kept to give a rewritten file the same permissions and owner.
    mode_t mode = 0;
    uid_t owner = 0;
    gid_t group = 0;

    bool sameVersionAs(const FileStamp& other) const noexcept;
};

FileStamp stampOf(const struct stat& st) noexcept;
// The stamp of path (following symlinks); exists = false when it cannot be stat'ed.
FileStamp statPath(const std::string& path) noexcept;
// path with every symlink resolved, the one name under which all processes
// meet for this file. A missing file is resolved through its directory, so
// a file about to be created gets the same name; when even the directory
// does not resolve, path as given (reading or writing it then fails with the
// reason).
std::string resolvedPath(const std::string& path);
// True only when nothing at all is at path (not even a dangling symlink); a
// path that cannot be examined for another reason is not called missing.
bool isMissing(const std::string& path) noexcept;

// Reading failed; the message is the system's reason, e.g. "No such file or directory".
class FileAccessError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct FileContent {
    std::string text;
    FileStamp stamp;  // of the very file the text came from
};

// Reads a regular file (path may be a symlink to one) of at most maxBytes.
// Anything else is refused without waiting: a FIFO, a device or a socket
// could block the reader for ever. Throws FileAccessError saying why.
FileContent readWholeFile(const std::string& path, size_t maxBytes);

// "dir" and "name" of "dir/name"; "." when the path has no directory part.
std::string directoryOf(const std::string& path);
std::string fileNameOf(const std::string& path);

// strerror for errno values, thread-safe.
std::string systemMessage(int error);

}  // namespace rport::plugins::file_auth
