#pragma once
// An error answer of the API. Handlers throw it; the dispatcher renders it as
// {"errors":[{"code":...,"title":...,"detail":...}, ...]} with its HTTP status.
// Several problems (e.g. every invalid list parameter) travel in one error.
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace rportd::api {

// Codes of our own, for errors the original left without one. The original's
// codes (ERR_CODE_CLIENT_AUTH_RO, ...) are used verbatim where they apply.
inline constexpr const char* kCodeUnauthorized = "ERR_CODE_UNAUTHORIZED";
inline constexpr const char* kCodePasswordExpired = "ERR_CODE_PASSWORD_EXPIRED";
inline constexpr const char* kCodeForbidden = "ERR_CODE_FORBIDDEN";
inline constexpr const char* kCodeRouteNotFound = "ERR_CODE_ROUTE_NOT_FOUND";
inline constexpr const char* kCodeMethodNotAllowed = "ERR_CODE_METHOD_NOT_ALLOWED";
inline constexpr const char* kCodeInternal = "ERR_CODE_INTERNAL";
inline constexpr const char* kCodeAuthBackendUnavailable = "ERR_CODE_AUTH_BACKEND_UNAVAILABLE";
inline constexpr const char* kCodeInvalidRequest = "ERR_CODE_INVALID_REQUEST";
// A malformed request (e.g. a broken %-escape in the path): the code the HTTP
// layer uses for the protocol errors it answers itself.
inline constexpr const char* kCodeBadRequest = "ERR_CODE_BAD_REQUEST";
inline constexpr const char* kCodeRequestTooLarge = "ERR_CODE_REQUEST_TOO_LARGE";
// A route the original retired (410).
inline constexpr const char* kCodeGone = "ERR_CODE_GONE";
// A well-formed bearer token that is forged, expired or revoked (401).
inline constexpr const char* kCodeInvalidToken = "ERR_CODE_INVALID_TOKEN";
// A username that failed a moment ago, tried again during its login wait (429).
inline constexpr const char* kCodeTooManyRequests = "ERR_CODE_TOO_MANY_REQUESTS";
// An address banned after too many failed logins (423).
inline constexpr const char* kCodeAddressBanned = "ERR_CODE_ADDRESS_BANNED";

struct ErrorEntry {
    std::string code;
    std::string title;
    std::string detail;
};

class ApiError : public std::runtime_error {
public:
    ApiError(int status, std::string code, std::string title, std::string detail = "")
        : std::runtime_error(title),
          _status(status),
          _entries{ErrorEntry{std::move(code), std::move(title), std::move(detail)}} {}
    // Several problems under one status; entries must not be empty.
    ApiError(int status, std::vector<ErrorEntry> entries)
        : std::runtime_error(entries.at(0).title), _status(status), _entries(std::move(entries)) {}

    int status() const noexcept { return _status; }
    const std::string& code() const noexcept { return _entries.front().code; }
    const std::string& title() const noexcept { return _entries.front().title; }
    const std::string& detail() const noexcept { return _entries.front().detail; }
    const std::vector<ErrorEntry>& entries() const noexcept { return _entries; }

    // Close the connection after answering (the request body was not read).
    bool closesConnection() const noexcept { return _closeConnection; }
    ApiError& closeConnection() {
        _closeConnection = true;
        return *this;
    }

    // A header the answer carries (WWW-Authenticate, Retry-After).
    ApiError& header(std::string name, std::string value) {
        _headers.emplace_back(std::move(name), std::move(value));
        return *this;
    }
    const std::vector<std::pair<std::string, std::string>>& headers() const noexcept {
        return _headers;
    }

    // The JSON body for this error.
    std::string body() const;

private:
    int _status;
    std::vector<ErrorEntry> _entries;
    bool _closeConnection = false;
    std::vector<std::pair<std::string, std::string>> _headers;
};

}  // namespace rportd::api
