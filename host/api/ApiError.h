#pragma once
// An error answer of the API. Handlers throw it; the dispatcher renders it as
// {"errors":[{"code":...,"title":...,"detail":...}]} with its HTTP status.
#include <stdexcept>
#include <string>

namespace rportd::api {

// Codes of our own, for errors the original left without one. The original's
// codes (ERR_CODE_CLIENT_AUTH_RO, ...) are used verbatim where they apply.
inline constexpr const char* kCodeUnauthorized = "ERR_CODE_UNAUTHORIZED";
inline constexpr const char* kCodeForbidden = "ERR_CODE_FORBIDDEN";
inline constexpr const char* kCodeRouteNotFound = "ERR_CODE_ROUTE_NOT_FOUND";
inline constexpr const char* kCodeMethodNotAllowed = "ERR_CODE_METHOD_NOT_ALLOWED";
inline constexpr const char* kCodeInternal = "ERR_CODE_INTERNAL";
inline constexpr const char* kCodeAuthBackendUnavailable = "ERR_CODE_AUTH_BACKEND_UNAVAILABLE";
inline constexpr const char* kCodeInvalidRequest = "ERR_CODE_INVALID_REQUEST";
inline constexpr const char* kCodeRequestTooLarge = "ERR_CODE_REQUEST_TOO_LARGE";

class ApiError : public std::runtime_error {
public:
    ApiError(int status, std::string code, std::string title, std::string detail = "")
        : std::runtime_error(title), _status(status), _code(std::move(code)), _title(std::move(title)),
          _detail(std::move(detail)) {}

    int status() const noexcept { return _status; }
    const std::string& code() const noexcept { return _code; }
    const std::string& title() const noexcept { return _title; }
    const std::string& detail() const noexcept { return _detail; }

    // The JSON body for this error.
    std::string body() const;

private:
    int _status;
    std::string _code;
    std::string _title;
    std::string _detail;
};

}  // namespace rportd::api
