#include "AdvisoryLock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <thread>

#include "DiskFile.h"

namespace rport::plugins::file_auth {
namespace {

// O_NONBLOCK on every open: should the lock file be a FIFO, opening it must
// not wait for the other end. flock works on whatever was opened.
constexpr int kOpenFlags = O_NONBLOCK | O_CLOEXEC;

// Opens the lock file, creating it with the given owner if it is missing.
int openOrCreate(const std::string& path, const AdvisoryLock::NewFileOwner& owner) {
    for (;;) {
        int fd = ::open(path.c_str(), O_RDWR | kOpenFlags);
        if (fd >= 0 || errno != ENOENT) return fd;
        fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | kOpenFlags, owner.mode & 0666);
        if (fd >= 0) {
            // Best effort: without the privilege to give the file away the lock
            // still works for this process and for root.
            [[maybe_unused]] const int ownerResult = ::fchown(fd, owner.owner, owner.group);
            [[maybe_unused]] const int modeResult =
                ::fchmod(fd, owner.mode & 0666);  // umask may have cut bits
            return fd;
        }
        if (errno != EEXIST) return -1;  // EEXIST: someone created it meanwhile; open that one
    }
}

// Polls with LOCK_NB rather than blocking, so a holder that never lets go
// costs an error after patience instead of a hung thread.
bool lockWithin(int fd, int operation, std::chrono::milliseconds patience) {
    const auto deadline = std::chrono::steady_clock::now() + patience;
    for (;;) {
        if (::flock(fd, operation | LOCK_NB) == 0) return true;
        if (errno != EWOULDBLOCK && errno != EINTR) return false;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
}

}  // namespace

AdvisoryLock AdvisoryLock::exclusive(const std::string& lockPath, const NewFileOwner& owner,
                                     std::chrono::milliseconds patience) {
    const int fd = openOrCreate(lockPath, owner);
    if (fd < 0)
        throw LockError("cannot open lock file \"" + lockPath + "\": " + systemMessage(errno));
    if (!lockWithin(fd, LOCK_EX, patience)) {
        const int error = errno;
        ::close(fd);
        if (error == EWOULDBLOCK || error == EINTR)
            throw LockError("lock file \"" + lockPath + "\" is held by another process");
        throw LockError("cannot lock \"" + lockPath + "\": " + systemMessage(error));
    }
    return AdvisoryLock(fd);
}

AdvisoryLock AdvisoryLock::sharedIfPresent(const std::string& lockPath,
                                           std::chrono::milliseconds patience) noexcept {
    const int fd = ::open(lockPath.c_str(), O_RDONLY | kOpenFlags);
    if (fd < 0) return AdvisoryLock(-1);
    if (!lockWithin(fd, LOCK_SH, patience)) {
        ::close(fd);
        return AdvisoryLock(-1);
    }
    return AdvisoryLock(fd);
}

AdvisoryLock::AdvisoryLock(AdvisoryLock&& other) noexcept : _fd(other._fd) { other._fd = -1; }

AdvisoryLock::~AdvisoryLock() {
    if (_fd >= 0) ::close(_fd);
}

}  // namespace rport::plugins::file_auth
