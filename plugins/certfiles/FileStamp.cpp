#include "FileStamp.h"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace rport::plugins::certfiles {
namespace {

int64_t nanoseconds(const timespec& t) { return static_cast<int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec; }

std::string realPath(const std::string& path) {
    char* resolved = ::realpath(path.c_str(), nullptr);
    if (!resolved) return {};
    std::string text(resolved);
    std::free(resolved);
    return text;
}

std::string groupName(gid_t gid) {
    std::vector<char> buffer(16384);
    group entry{};
    group* found = nullptr;
    if (::getgrgid_r(gid, &entry, buffer.data(), buffer.size(), &found) == 0 && found)
        return found->gr_name;
    return std::to_string(gid);
}

// Users other than rportd's own who can read a file through group `gid`:
// its listed members and the users whose primary group it is.
std::vector<std::string> otherGroupReaders(gid_t gid) {
    std::vector<std::string> others;
    std::vector<char> buffer(16384);
    passwd me{};
    passwd* mine = nullptr;
    std::string myName;
    if (::getpwuid_r(::geteuid(), &me, buffer.data(), buffer.size(), &mine) == 0 && mine) myName = mine->pw_name;
    group entry{};
    group* found = nullptr;
    std::vector<char> groupBuffer(65536);
    if (::getgrgid_r(gid, &entry, groupBuffer.data(), groupBuffer.size(), &found) == 0 && found) {
        for (char** member = found->gr_mem; member && *member; ++member)
            if (myName != *member) others.emplace_back(*member);
    }
    ::setpwent();
    while (passwd* user = ::getpwent()) {
        if (user->pw_gid == gid && myName != user->pw_name) others.emplace_back(user->pw_name);
    }
    ::endpwent();
    return others;
}

std::string octalMode(mode_t mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

}  // namespace

FileStamp stampOf(const std::string& path) {
    FileStamp s;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return s;
    s.exists = true;
    s.resolved = realPath(path);
    s.device = st.st_dev;
    s.inode = st.st_ino;
    s.size = st.st_size;
    s.mtimeNs = nanoseconds(st.st_mtim);
    s.ctimeNs = nanoseconds(st.st_ctim);
    return s;
}

std::string directoryOf(const std::string& path) {
    const size_t slash = path.find_last_of('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

std::optional<std::string> keyPermissionWarning(const std::string& keyPath) {
    struct stat st {};
    if (::stat(keyPath.c_str(), &st) != 0) return std::nullopt;
    const std::string resolved = realPath(keyPath);
    const std::string shown =
        resolved.empty() || resolved == keyPath ? keyPath : keyPath + " (" + resolved + ")";
    const std::string target = resolved.empty() ? keyPath : resolved;
    if (st.st_mode & S_IROTH)
        return "key file " + shown + " is readable by every user (mode " + octalMode(st.st_mode) +
               "): run 'chmod 600 " + target + "' if rportd runs as the file's owner, or give it to a group " +
               "only rportd's user belongs to and run 'chmod 640 " + target + "'";
    if (st.st_mode & S_IRGRP) {
        // A group only rportd's user is in is the recommended setup for
        // certbot's keys: nothing to warn about.
        const std::vector<std::string> others = otherGroupReaders(st.st_gid);
        if (others.empty()) return std::nullopt;
        std::string names;
        for (const auto& n : others) names += (names.empty() ? "" : ", ") + n;
        return "key file " + shown + " is readable by group " + groupName(st.st_gid) + " (mode " +
               octalMode(st.st_mode) + "), which also lets " + names +
               " read it: make sure only rportd's user belongs to that group, or run 'chmod 600 " + target +
               "' if rportd runs as the file's owner";
    }
    return std::nullopt;
}

}  // namespace rport::plugins::certfiles
