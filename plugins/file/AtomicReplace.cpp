#include "AtomicReplace.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <random>

namespace rport::plugins::file_auth {
namespace {

std::string tempPrefixFor(const std::string& target) { return "." + fileNameOf(target) + ".tmp-"; }

std::string randomSuffix() {
    static const char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    thread_local std::mt19937_64 generator{std::random_device{}()};
    std::uniform_int_distribution<size_t> pick(0, sizeof alphabet - 2);
    std::string out(12, '0');
    for (char& c : out) c = alphabet[pick(generator)];
    return out;
}

// The temporary file, removed again unless the rename handed it over.
class TempFile {
public:
    TempFile(const std::string& target, mode_t mode) {
        const std::string directory = directoryOf(target);
        for (int attempt = 0; attempt < 16; ++attempt) {
            _path = directory + "/" + tempPrefixFor(target) + randomSuffix();
            _fd = ::open(_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
            if (_fd >= 0 || errno != EEXIST) break;
        }
        if (_fd < 0)
            throw ReplaceError("cannot create temporary file \"" + _path +
                               "\": " + systemMessage(errno));
    }
    ~TempFile() {
        if (_fd >= 0) ::close(_fd);
        if (!_renamed) ::unlink(_path.c_str());
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    int fd() const noexcept { return _fd; }
    const std::string& path() const noexcept { return _path; }
    void markRenamed() noexcept { _renamed = true; }

private:
    std::string _path;
    int _fd = -1;
    bool _renamed = false;
};

void writeAll(int fd, std::string_view content, const std::string& path) {
    while (!content.empty()) {
        const ssize_t n = ::write(fd, content.data(), content.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            throw ReplaceError("cannot write \"" + path + "\": " + systemMessage(errno));
        }
        content.remove_prefix(static_cast<size_t>(n));
    }
}

bool syncDirectory(const std::string& directory) {
    const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return false;
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

}  // namespace

ReplaceOutcome replaceFileAtomically(const std::string& target, std::string_view content,
                                     const FileStamp& old) {
    const mode_t permissions = old.mode & 07777;
    TempFile temp(target, permissions & 0666);
    ReplaceOutcome outcome;

    struct stat st {};
    if (::fstat(temp.fd(), &st) != 0)
        throw ReplaceError("cannot stat \"" + temp.path() + "\": " + systemMessage(errno));
    // A file that changed hands behind the user's back could lock out whoever
    // owned it (or let the wrong group read it), so not keeping the owner is
    // a failure, not a warning.
    if ((st.st_uid != old.owner || st.st_gid != old.group) &&
        ::fchown(temp.fd(), old.owner, old.group) != 0)
        throw ReplaceError("cannot give the new version the owner (uid " +
                           std::to_string(old.owner) + ") and group (gid " +
                           std::to_string(old.group) +
                           ") of the file it replaces: " + systemMessage(errno) +
                           "; run rportd as the file's owner, or make that user its owner");
    // After chown, because chown may clear set-id bits; and open's mode was cut by the umask.
    if (::fchmod(temp.fd(), permissions) != 0)
        throw ReplaceError("cannot set the mode of \"" + temp.path() +
                           "\": " + systemMessage(errno));

    writeAll(temp.fd(), content, temp.path());
    if (::fsync(temp.fd()) != 0)
        throw ReplaceError("cannot flush \"" + temp.path() + "\": " + systemMessage(errno));
    if (::rename(temp.path().c_str(), target.c_str()) != 0)
        throw ReplaceError("cannot rename \"" + temp.path() + "\" to \"" + target +
                           "\": " + systemMessage(errno));
    temp.markRenamed();

    // Renaming changes the inode's change time on some file systems, so stamp it afterwards.
    if (::fstat(temp.fd(), &st) == 0)
        outcome.stamp = stampOf(st);
    else
        outcome.stamp = statPath(target);
    outcome.directorySynced = syncDirectory(directoryOf(target));
    return outcome;
}

void removeLeftoverTempFiles(const std::string& target) {
    const std::string directory = directoryOf(target);
    const std::string prefix = tempPrefixFor(target);
    DIR* dir = ::opendir(directory.c_str());
    if (!dir) return;
    while (const dirent* entry = ::readdir(dir)) {
        const std::string name = entry->d_name;
        if (name.compare(0, prefix.size(), prefix) == 0) ::unlink((directory + "/" + name).c_str());
    }
    ::closedir(dir);
}

}  // namespace rport::plugins::file_auth
