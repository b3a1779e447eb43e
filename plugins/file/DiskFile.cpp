#include "DiskFile.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

namespace rport::plugins::file_auth {
namespace {

int64_t nanoseconds(const struct timespec& t) noexcept {
    return static_cast<int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec;
}

// "a FIFO", "a directory"...: what stands where a regular file was expected.
std::string kindOfFile(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    return "a special file";
}

}  // namespace

bool FileStamp::sameVersionAs(const FileStamp& other) const noexcept {
    if (exists != other.exists) return false;
    if (!exists) return true;
    return device == other.device && inode == other.inode && size == other.size &&
           modifiedNs == other.modifiedNs && changedNs == other.changedNs;
}

FileStamp stampOf(const struct stat& st) noexcept {
    FileStamp s;
    s.exists = true;
    s.device = st.st_dev;
    s.inode = st.st_ino;
    s.size = st.st_size;
    s.modifiedNs = nanoseconds(st.st_mtim);
    s.changedNs = nanoseconds(st.st_ctim);
    s.mode = st.st_mode;
    s.owner = st.st_uid;
    s.group = st.st_gid;
    return s;
}

FileStamp statPath(const std::string& path) noexcept {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return FileStamp{};
    return stampOf(st);
}

bool isMissing(const std::string& path) noexcept {
    struct stat st {};
    return ::lstat(path.c_str(), &st) != 0 && errno == ENOENT;
}

std::string resolvedPath(const std::string& path) {
    char resolved[PATH_MAX];
    if (::realpath(path.c_str(), resolved)) return resolved;
    if (errno == ENOENT && ::realpath(directoryOf(path).c_str(), resolved)) {
        const std::string directory = resolved;
        return (directory == "/" ? "" : directory) + "/" + fileNameOf(path);
    }
    return path;
}

FileContent readWholeFile(const std::string& path, size_t maxBytes) {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
    // writer. It changes nothing for a regular file, the only kind read on.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) throw FileAccessError(systemMessage(errno));
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};

    struct stat st {};
    if (::fstat(fd, &st) != 0) throw FileAccessError(systemMessage(errno));
    if (!S_ISREG(st.st_mode))
        throw FileAccessError("not a regular file (" + kindOfFile(st.st_mode) + ")");
    const std::string tooLarge =
        "it is larger than the limit of " + std::to_string(maxBytes) + " bytes (max_file_bytes)";
    if (static_cast<uint64_t>(st.st_size) > maxBytes) throw FileAccessError(tooLarge);

    FileContent content;
    content.stamp = stampOf(st);
    // The size is a hint only: the file may grow or shrink while we read, and
    // some files (in /proc, say) claim to be empty. One byte beyond the limit
    // is enough to tell that the file is too large.
    const size_t readLimit = maxBytes + 1;
    content.text.resize(std::min(static_cast<size_t>(st.st_size) + 1, readLimit));
    size_t used = 0;
    for (;;) {
        if (used == content.text.size()) {
            if (used == readLimit) throw FileAccessError(tooLarge);
            content.text.resize(std::min(content.text.size() * 2 + 4096, readLimit));
        }
        const ssize_t n = ::read(fd, &content.text[used], content.text.size() - used);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw FileAccessError(systemMessage(errno));
        }
        if (n == 0) break;
        used += static_cast<size_t>(n);
    }
    content.text.resize(used);
    return content;
}

std::string directoryOf(const std::string& path) {
    const size_t slash = path.find_last_of('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

std::string fileNameOf(const std::string& path) {
    const size_t slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string systemMessage(int error) {
    char buffer[256];
    // The GNU strerror_r returns the message, which may or may not be buffer.
    return ::strerror_r(error, buffer, sizeof buffer);
}

}  // namespace rport::plugins::file_auth
