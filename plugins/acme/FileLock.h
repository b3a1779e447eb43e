#pragma once
// An exclusive flock(2) on a lock file, tried without waiting: the way two
// rportd sharing a data_dir (or two instances in one rportd) agree that only
// one of them orders a certificate or creates an account. flock belongs to
// the open file, so two opens in one process exclude each other too; the
// kernel releases it when the holder dies.
#include <memory>
#include <string>

namespace rport::plugins::acme {

class FileLock {
public:
    // The lock, or nullptr when someone else holds it. Creates the file
    // (mode 0600) when needed; throws StorageError when it cannot.
    static std::unique_ptr<FileLock> tryExclusive(const std::string& path);
    ~FileLock();
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;
    const std::string& path() const { return _path; }

private:
    FileLock(std::string path, int fd) : _path(std::move(path)), _fd(fd) {}
    std::string _path;
    int _fd;
};

}  // namespace rport::plugins::acme
