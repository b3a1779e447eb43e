#include "plugin_host/StateDirectory.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <system_error>

namespace rportd::plugin_host {

namespace {

std::string errorText(int error) { return std::error_code(error, std::generic_category()).message(); }

std::string octal(mode_t mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

// Closes the descriptor however the checks end.
class Descriptor {
public:
    explicit Descriptor(int fd) noexcept : _fd(fd) {}
    ~Descriptor() {
        if (_fd >= 0) ::close(_fd);
    }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    int get() const noexcept { return _fd; }

private:
    int _fd;
};

}  // namespace

std::optional<std::string> prepareStateDirectory(std::string_view dataDir,
                                                 std::string_view backendName, std::string& why) {
    if (dataDir.empty()) {
        why = "no data_dir is configured";
        return std::nullopt;
    }
    // Backend names may contain dots; "." and ".." would not name a
    // directory of its own.
    if (backendName.empty() || backendName == "." || backendName == ".." ||
        backendName.find('/') != std::string_view::npos) {
        why = "the backend name \"" + std::string(backendName) + "\" cannot name a directory";
        return std::nullopt;
    }
    std::string path(dataDir);
    if (path.back() != '/') path += '/';
    path += backendName;

    if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
        why = "cannot create " + path + ": " + errorText(errno);
        return std::nullopt;
    }
    // Checked through a descriptor opened without following a final symbolic
    // link, so the checks see the directory itself and not what a link names.
    Descriptor dir(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (dir.get() < 0) {
        const int error = errno;
        // Linux answers a link to a directory with ENOTDIR (O_DIRECTORY sees
        // the link itself), a link to anything else with ELOOP: ask lstat.
        struct stat link {};
        if (::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode))
            why = path + " is a symbolic link";
        else if (error == ENOTDIR)
            why = path + " is not a directory";
        else
            why = "cannot open " + path + ": " + errorText(error);
        return std::nullopt;
    }
    struct stat st {};
    if (::fstat(dir.get(), &st) != 0) {
        why = "cannot inspect " + path + ": " + errorText(errno);
        return std::nullopt;
    }
    if (st.st_uid != ::geteuid()) {
        why = path + " is owned by uid " + std::to_string(st.st_uid) + ", not rportd's uid " +
              std::to_string(::geteuid());
        return std::nullopt;
    }
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        why = path + " is writable by group or others (mode " + octal(st.st_mode) + ")";
        return std::nullopt;
    }
    return path;
}

}  // namespace rportd::plugin_host
