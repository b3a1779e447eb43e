#include "config/AcmeStateDir.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rportd::config {
namespace {

// "user rport (uid 999)", or "uid 999" for a user without a name.
std::string thisUser() {
    const uid_t uid = ::geteuid();
    const std::string id = "uid " + std::to_string(uid);
    const struct passwd* entry = ::getpwuid(uid);
    if (entry == nullptr || entry->pw_name == nullptr) return id;
    return "user " + std::string(entry->pw_name) + " (" + id + ")";
}

std::string userName() {
    const struct passwd* entry = ::getpwuid(::geteuid());
    return entry != nullptr && entry->pw_name != nullptr ? entry->pw_name
                                                         : std::to_string(::geteuid());
}

// Writing a file into a directory needs write and search permission on it.
bool mayCreateIn(const std::string& dir) { return ::access(dir.c_str(), W_OK | X_OK) == 0; }

// "/a/b" -> "/a", "/a" -> "/", "b" -> ".", "./b" -> ".".
std::string parentOf(const std::string& path) {
    const auto slash = path.find_last_of('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

std::string withoutTrailingSlashes(std::string path) {
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    return path;
}

// The state directory does not exist: its nearest existing ancestor must
// let us create the rest.
std::string problemCreating(const std::string& stateDir) {
    std::string ancestor = parentOf(stateDir);
    struct stat st {};
    while (::stat(ancestor.c_str(), &st) != 0) {
        const bool missing = errno == ENOENT || errno == ENOTDIR;  // ENOTDIR: a file on the way
        if (!missing || ancestor == "/" || ancestor == ".")
            return stateDir + " cannot be created: " + ancestor + ": " + std::strerror(errno);
        ancestor = parentOf(ancestor);
    }
    if (!S_ISDIR(st.st_mode))
        return stateDir + " cannot be created: " + ancestor +
               " is not a directory; set data_dir to a directory";
    if (!mayCreateIn(ancestor))
        return stateDir + " does not exist and " + thisUser() + " may not create it in " +
               ancestor + ": create it (mkdir -p -m 700 " + stateDir + " && chown " + userName() +
               " " + stateDir + "), or set data_dir to a directory that user owns";
    return {};
}

}  // namespace

std::string acmeStateDir(const std::string& dataDir) {
    const std::string base = withoutTrailingSlashes(dataDir);
    return (base == "/" ? "" : base) + "/acme";
}

std::string acmeStateDirProblem(const std::string& dataDir) {
    const std::string stateDir = acmeStateDir(dataDir);
    struct stat st {};
    if (::lstat(stateDir.c_str(), &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR) return problemCreating(stateDir);
        return stateDir + " cannot be checked: " + std::strerror(errno);
    }
    if (S_ISLNK(st.st_mode))
        return stateDir +
               " is a symbolic link; the ACME account key and certificate keys are written "
               "only into a real directory: replace the link with a directory (mkdir -m 700 " +
               stateDir + ")";
    if (!S_ISDIR(st.st_mode))
        return stateDir +
               " is not a directory: move it out of the way (rportd creates the "
               "directory itself)";
    if (!mayCreateIn(stateDir))
        return stateDir + " is not writable by " + thisUser() +
               ": give that user the directory (chown -R " + userName() + " " + stateDir +
               " && chmod 700 " + stateDir + ")";
    // The same rules the host applies before it hands the directory to the
    // plugin (plugin_host/StateDirectory): private keys go nowhere another
    // user could reach or swap.
    if (st.st_uid != ::geteuid())
        return stateDir + " belongs to uid " + std::to_string(st.st_uid) + ", not to " +
               thisUser() + ", and will hold private keys: give it to that user (chown -R " +
               userName() + " " + stateDir + " && chmod 700 " + stateDir + ")";
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
        return stateDir + " is writable by group or others and will hold private keys: chmod 700 " +
               stateDir;
    return {};
}

}  // namespace rportd::config
