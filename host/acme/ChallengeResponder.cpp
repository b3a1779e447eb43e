#include "acme/ChallengeResponder.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string_view>

namespace rportd::acme {

namespace {

// A key authorization is a few hundred bytes; anything larger in the webroot
// is not a challenge answer.
constexpr off_t kMaxChallengeFile = 4096;

void plainText(http::HttpResponse& response, int status, std::string body) {
    response.status = status;
    response.headers.emplace_back("Content-Type", "text/plain");
    response.body = std::move(body);
}

// The host the client asked for, without a port: the redirect goes to the
// HTTPS default port, as the original's did.
std::string hostWithoutPort(const http::HttpRequest& request) {
    std::string host = request.authority;
    if (host.empty()) {
        if (const std::string* h = request.header("Host")) host = *h;
    }
    if (!host.empty() && host.front() == '[') {
        size_t close = host.find(']');
        return close == std::string::npos ? std::string() : host.substr(0, close + 1);
    }
    size_t colon = host.rfind(':');
    return colon == std::string::npos ? host : host.substr(0, colon);
}

enum class Kind { Challenge, Redirect, BadMethod, NoHost };

Kind classify(const http::HttpRequest& request, std::string_view& token) {
    const bool readOnly = request.method == "GET" || request.method == "HEAD";
    std::string_view path = request.path();
    std::string_view prefix = ChallengeResponder::kChallengePrefix;
    if (path.substr(0, prefix.size()) == prefix) {
        token = path.substr(prefix.size());
        return readOnly ? Kind::Challenge : Kind::BadMethod;
    }
    if (!readOnly) return Kind::BadMethod;
    return hostWithoutPort(request).empty() ? Kind::NoHost : Kind::Redirect;
}

}  // namespace

bool ChallengeResponder::answerWithoutDisk(const http::HttpRequest& request,
                                           http::HttpResponse& response) const {
    std::string_view token;
    switch (classify(request, token)) {
        case Kind::BadMethod:
            plainText(response, 400, "Unsupported method\n");
            return true;
        case Kind::NoHost:
            plainText(response, 400, "Missing Host header\n");
            return true;
        case Kind::Redirect: {
            response.status = 302;
            response.headers.emplace_back("Location",
                                          "https://" + hostWithoutPort(request) + request.target);
            response.headers.emplace_back("Content-Type", "text/html; charset=utf-8");
            return true;
        }
        case Kind::Challenge:
            break;
    }
    if (!plugin_host::Http01Tokens::isValidToken(token)) {
        plainText(response, 404, "Not Found\n");
        return true;
    }
    if (auto keyAuthorization = _tokens.find(token)) {
        plainText(response, 200, *keyAuthorization);
        return true;
    }
    if (_webroot.empty()) {
        plainText(response, 404, "Not Found\n");
        return true;
    }
    return false;
}

void ChallengeResponder::answer(const http::HttpRequest& request,
                                http::HttpResponse& response) const {
    if (answerWithoutDisk(request, response)) return;
    std::string_view token;
    classify(request, token);
    std::string content;
    if (readFromWebroot(std::string(token), content)) {
        plainText(response, 200, std::move(content));
    } else {
        plainText(response, 404, "Not Found\n");
    }
}

bool ChallengeResponder::readFromWebroot(const std::string& token, std::string& content) const {
    // The token was checked to be base64url only, so it cannot climb out of
    // the directory; O_NOFOLLOW keeps a planted symlink from serving another file.
    const std::string path = _webroot + kChallengePrefix + token;
    int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return false;
    struct stat info {};
    bool ok = ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_size <= kMaxChallengeFile;
    if (ok) {
        content.resize(static_cast<size_t>(info.st_size));
        ssize_t n = info.st_size > 0 ? ::read(fd, content.data(), content.size()) : 0;
        ok = n == info.st_size;
    }
    ::close(fd);
    return ok;
}

}  // namespace rportd::acme
