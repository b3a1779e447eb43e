#pragma once
// flock(2) on a lock file beside the credentials file, shared with other
// rportd processes and with tools that run `flock <lockfile> <command>`.
#include <sys/types.h>

#include <chrono>
#include <stdexcept>
#include <string>

namespace rport::plugins::file_auth {

class LockError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A separate file is locked, not the credentials file itself: the credentials
// file is replaced by rename, and a lock on the old inode would not exclude
// anyone who opens the new one.
class AdvisoryLock {
public:
    // Ownership for a lock file this process has to create, so whoever may
    // read the credentials file may also take the lock.
    struct NewFileOwner {
        mode_t mode;
        uid_t owner;
        gid_t group;
    };

    // An exclusive lock, creating the lock file when needed. Throws LockError
    // when the file cannot be opened or another holder keeps the lock longer
    // than patience.
    static AdvisoryLock exclusive(const std::string& lockPath, const NewFileOwner& owner,
                                  std::chrono::milliseconds patience);
    // A shared lock when the lock file exists and is free within patience;
    // otherwise an object that holds nothing. Readers never create the file,
    // so a read-only directory stays untouched.
    static AdvisoryLock sharedIfPresent(const std::string& lockPath,
                                        std::chrono::milliseconds patience) noexcept;

    AdvisoryLock(AdvisoryLock&& other) noexcept;
    AdvisoryLock& operator=(AdvisoryLock&&) = delete;
    AdvisoryLock(const AdvisoryLock&) = delete;
    AdvisoryLock& operator=(const AdvisoryLock&) = delete;
    ~AdvisoryLock();  // closing the descriptor releases the lock

    bool held() const noexcept { return _fd >= 0; }

private:
    explicit AdvisoryLock(int fd) noexcept : _fd(fd) {}
    int _fd = -1;
};

}  // namespace rport::plugins::file_auth
