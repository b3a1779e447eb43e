#include "plugin_host/PluginFileCheck.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace rportd::plugin_host {

namespace {

std::string octalMode(mode_t mode) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
    return buf;
}

std::string errnoText(const char* what, int error) {
    return std::string(what) + " (" + std::strerror(error) + ")";
}

// The owner can always chmod and rewrite, so only root and ourselves qualify.
std::string refuseOwner(const struct stat& st) {
    const uid_t self = ::geteuid();
    if (st.st_uid != 0 && st.st_uid != self)
        return "owned by uid " + std::to_string(st.st_uid) + ", neither root nor rportd's uid " +
               std::to_string(self);
    return {};
}

std::string refuseOwnerOrMode(const struct stat& st) {
    if (st.st_mode & (S_IWGRP | S_IWOTH))
        return "writable by group or others (mode " + octalMode(st.st_mode) + ")";
    return refuseOwner(st);
}

// An ancestor of the plugin directory: the same rules, except that a sticky
// directory (/tmp) may be writable by all, since nobody else can rename or
// remove the entries we own inside it.
std::string refuseAncestor(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return errnoText("cannot stat", errno);
    if (!(st.st_mode & S_ISVTX) && (st.st_mode & (S_IWGRP | S_IWOTH)))
        return "writable by group or others (mode " + octalMode(st.st_mode) + ")";
    return refuseOwner(st);
}

}  // namespace

OpenPluginFile OpenPluginFile::open(const std::string& path) {
    OpenPluginFile file;
    // O_NONBLOCK: a FIFO put where a plugin was expected must not hang us.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        const int error = errno;
        file._refusal = error == ELOOP ? std::string(
                                             "is a symbolic link (plugins are loaded only "
                                             "from the file itself)")
                                       : errnoText("cannot open", error);
        return file;
    }
    struct stat st {};
    std::string refusal;
    if (::fstat(fd, &st) != 0)
        refusal = errnoText("cannot stat", errno);
    else if (!S_ISREG(st.st_mode))
        refusal = "not a regular file";
    else
        refusal = refuseOwnerOrMode(st);
    if (!refusal.empty()) {
        ::close(fd);
        file._refusal = std::move(refusal);
        return file;
    }
    file._fd = fd;
    return file;
}

OpenPluginFile::~OpenPluginFile() {
    if (_fd >= 0) ::close(_fd);
}

OpenPluginFile::OpenPluginFile(OpenPluginFile&& other) noexcept
    : _fd(std::exchange(other._fd, -1)), _refusal(std::move(other._refusal)) {}

OpenPluginFile& OpenPluginFile::operator=(OpenPluginFile&& other) noexcept {
    if (this != &other) {
        if (_fd >= 0) ::close(_fd);
        _fd = std::exchange(other._fd, -1);
        _refusal = std::move(other._refusal);
    }
    return *this;
}

std::string OpenPluginFile::mapPath() const { return "/proc/self/fd/" + std::to_string(_fd); }

std::string refusePluginDirectory(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return errnoText("cannot stat", errno);
    if (!S_ISDIR(st.st_mode)) return "not a directory";
    if (std::string reason = refuseOwnerOrMode(st); !reason.empty()) return reason;

    // The ancestors of where the path really leads: a symlinked component is
    // judged by the directories it points into.
    char resolved[PATH_MAX];
    if (!::realpath(path.c_str(), resolved)) return errnoText("cannot resolve", errno);
    std::string ancestor = resolved;
    while (ancestor != "/") {
        const std::string::size_type slash = ancestor.rfind('/');
        ancestor.erase(slash == 0 ? 1 : slash);
        if (std::string reason = refuseAncestor(ancestor); !reason.empty())
            return "parent directory " + ancestor + ": " + reason;
    }
    return {};
}

}  // namespace rportd::plugin_host
