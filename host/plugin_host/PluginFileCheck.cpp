#include "plugin_host/PluginFileCheck.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace rportd::plugin_host {

namespace {

std::string octalMode(mode_t mode) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
    return buf;
}

// The parts both checks share, once the file type is known to be right.
std::string refuseOwnerOrMode(const struct stat& st) {
    if (st.st_mode & (S_IWGRP | S_IWOTH))
        return "writable by group or others (mode " + octalMode(st.st_mode) + ")";
    // The owner can always chmod and rewrite, so only root and ourselves qualify.
    const uid_t self = ::geteuid();
    if (st.st_uid != 0 && st.st_uid != self)
        return "owned by uid " + std::to_string(st.st_uid) + ", neither root nor rportd's uid " +
               std::to_string(self);
    return {};
}

}  // namespace

std::string refusePluginFile(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return std::string("cannot stat (") + std::strerror(errno) + ")";
    if (!S_ISREG(st.st_mode)) return "not a regular file";
    return refuseOwnerOrMode(st);
}

std::string refusePluginDirectory(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return std::string("cannot stat (") + std::strerror(errno) + ")";
    if (!S_ISDIR(st.st_mode)) return "not a directory";
    return refuseOwnerOrMode(st);
}

}  // namespace rportd::plugin_host
