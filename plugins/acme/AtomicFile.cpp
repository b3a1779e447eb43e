#include "AtomicFile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

namespace rport::plugins::acme {
namespace {

std::string directoryOf(const std::string& path) {
    const size_t slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

std::string temporaryNameFor(const std::string& path) {
    static const char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    thread_local std::mt19937_64 random{std::random_device{}()};
    std::string suffix(12, '0');
    for (char& c : suffix) c = alphabet[random() % (sizeof alphabet - 1)];
    const size_t slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
    const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
    return dir + "." + base + ".tmp-" + suffix;
}

void syncDirectory(const std::string& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        throw StorageError("cannot open directory " + dir +
                           " to flush it: " + systemMessage(errno));
    const int rc = ::fsync(fd);
    const int error = errno;
    ::close(fd);
    if (rc != 0) throw StorageError("cannot flush directory " + dir + ": " + systemMessage(error));
}

}  // namespace

std::string systemMessage(int error) { return std::strerror(error); }

void writeFileAtomically(const std::string& path, std::string_view content, mode_t mode) {
    std::string temp;
    int fd = -1;
    for (int attempt = 0; attempt < 16 && fd < 0; ++attempt) {
        temp = temporaryNameFor(path);
        fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
        if (fd < 0 && errno != EEXIST) break;
    }
    if (fd < 0) throw StorageError("cannot create " + temp + ": " + systemMessage(errno));
    auto fail = [&](const std::string& what) {
        const int error = errno;
        ::close(fd);
        ::unlink(temp.c_str());
        throw StorageError(what + ": " + systemMessage(error));
    };
    while (!content.empty()) {
        const ssize_t n = ::write(fd, content.data(), content.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("cannot write " + temp);
        }
        content.remove_prefix(static_cast<size_t>(n));
    }
    if (::fsync(fd) != 0) fail("cannot flush " + temp);
    if (::close(fd) != 0) {
        const int error = errno;
        ::unlink(temp.c_str());
        throw StorageError("cannot close " + temp + ": " + systemMessage(error));
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        const int error = errno;
        ::unlink(temp.c_str());
        throw StorageError("cannot rename " + temp + " to " + path + ": " + systemMessage(error));
    }
    syncDirectory(directoryOf(path));
}

namespace {

// Reads the whole file into out (a std::string or a SecretString); false
// when it does not exist. The read buffer is wiped: it may hold a key.
template <class Text>
bool readWholeFile(const std::string& path, Text& out) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return false;
        throw StorageError("cannot read " + path + ": " + systemMessage(errno));
    }
    char buffer[8192];
    std::string problem;
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR) continue;
            problem = "cannot read " + path + ": " + systemMessage(errno);
            break;
        }
        if (n == 0) break;
        out.append(std::string_view(buffer, static_cast<size_t>(n)));
        if (out.size() > (16u << 20)) {
            problem = path + " is larger than 16 MB; it is not a file rportd wrote";
            break;
        }
    }
    ::close(fd);
    rport::sdk::wipe(buffer, sizeof buffer);
    if (!problem.empty()) throw StorageError(problem);
    return true;
}

}  // namespace

std::optional<std::string> readFileIfPresent(const std::string& path) {
    std::string out;
    if (!readWholeFile(path, out)) return std::nullopt;
    return out;
}

std::optional<rport::sdk::SecretString> readSecretFileIfPresent(const std::string& path) {
    rport::sdk::SecretString out;
    if (!readWholeFile(path, out)) return std::nullopt;
    return out;
}

void linkAtomically(const std::string& source, const std::string& path) {
    if (!fileExists(source)) return;
    const std::string temp = temporaryNameFor(path);
    if (::link(source.c_str(), temp.c_str()) != 0)
        throw StorageError("cannot link " + source + " to " + temp + ": " + systemMessage(errno));
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        const int error = errno;
        ::unlink(temp.c_str());
        throw StorageError("cannot rename " + temp + " to " + path + ": " + systemMessage(error));
    }
}

void makeDirectory(const std::string& path) {
    if (::mkdir(path.c_str(), 0700) == 0 || errno == EEXIST) {
        struct stat st {};
        if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return;
        throw StorageError(path + " exists but is not a directory");
    }
    throw StorageError("cannot create directory " + path + ": " + systemMessage(errno));
}

bool fileExists(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

}  // namespace rport::plugins::acme
