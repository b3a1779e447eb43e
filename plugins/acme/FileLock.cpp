#include "FileLock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>

#include "AtomicFile.h"

namespace rport::plugins::acme {

std::unique_ptr<FileLock> FileLock::tryExclusive(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) throw StorageError("cannot open lock file " + path + ": " + systemMessage(errno));
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EINTR) continue;
        const int error = errno;
        ::close(fd);
        if (error == EWOULDBLOCK) return nullptr;
        throw StorageError("cannot lock " + path + ": " + systemMessage(error));
    }
    return std::unique_ptr<FileLock>(new FileLock(path, fd));
}

FileLock::~FileLock() { ::close(_fd); }

}  // namespace rport::plugins::acme
