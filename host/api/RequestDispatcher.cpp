#include "api/RequestDispatcher.h"

#include "api/ApiError.h"
#include "api/ApiResponse.h"
#include "api/BasicCredentials.h"
#include "net/NonBlockingSection.h"
#include "util/QuotedText.h"

namespace rportd::api {

RequestDispatcher::RequestDispatcher(const Router& router, ApiUserDirectory& users)
    : _router(router), _users(users), _log(Poco::Logger::get("api-listener")) {}

ApiUser RequestDispatcher::authenticate(const http::HttpRequest& request) {
    // The original answers 401 without WWW-Authenticate; curl -u and scripts
    // send credentials up front, and browsers would otherwise pop a dialog
    // over the web UI.
    static const ApiError unauthorized(401, kCodeUnauthorized, "unauthorized");
    const std::string* header = request.header("Authorization");
    if (!header) throw unauthorized;
    auto credentials = parseBasicAuthorization(*header);
    if (!credentials || credentials->username.empty()) throw unauthorized;

    ApiUser user;
    switch (_users.authenticate(credentials->username, credentials->password, user)) {
        case ApiUserDirectory::Result::Authenticated: return user;
        case ApiUserDirectory::Result::PasswordExpired:
            // The original answers 500 here; it is the caller's credentials
            // that need attention, so 401 with the original's words.
            throw ApiError(401, kCodePasswordExpired, "password has expired, please change your password");
        case ApiUserDirectory::Result::Unavailable:
            throw ApiError(503, kCodeAuthBackendUnavailable, "user authentication backend unavailable");
        case ApiUserDirectory::Result::Rejected: break;
    }
    _log.debug("API login failed for user %s from %s", util::quotedForLog(credentials->username),
               request.peerAddress);
    throw unauthorized;
}

void RequestDispatcher::dispatch(http::HttpRequest& request, http::HttpResponse& response) noexcept {
    try {
        run(request, response, false);
    } catch (...) {
        // A failure while reporting a failure: the server answers 500 itself.
    }
}

bool RequestDispatcher::dispatchInline(http::HttpRequest& request, http::HttpResponse& response) noexcept {
    try {
        net::NonBlockingSection section;
        run(request, response, true);
        return true;
    } catch (const net::WouldBlock&) {
        response = http::HttpResponse{};
        return false;
    } catch (...) {
        return true;  // the server answers 500 itself
    }
}

void RequestDispatcher::run(http::HttpRequest& request, http::HttpResponse& response, bool onLoop) {
    response.headers = _responseHeaders;
    try {
        // "OPTIONS *" asks about the server as a whole (RFC 9110 9.3.7).
        if (request.target == "*") {
            std::string allow;
            for (const auto& m : _router.methods()) allow += m + ", ";
            response.headers.emplace_back("Allow", allow + "OPTIONS");
            sendEmpty(response, 200);
            return;
        }
        // The router decodes the path segment by segment, so {id} variables
        // arrive decoded and "%2F" stays inside its segment.
        const std::string_view path = request.path();
        auto match = _router.match(request.method, path);
        if (match.kind == Router::Match::Kind::InvalidPath) {
            // Anyone can send these without credentials: not worth more than a debug line.
            _log.debug("API request %s %s from %s: invalid percent-encoding in the path",
                       request.method, util::quotedForLog(path), request.peerAddress);
            throw ApiError(400, kCodeBadRequest, "invalid percent-encoding in the request path",
                           request.method + " " + std::string(path));
        }
        if (match.kind == Router::Match::Kind::NotFound)
            throw ApiError(404, kCodeRouteNotFound, "route not found", request.method + " " + std::string(path));
        if (match.kind == Router::Match::Kind::MethodNotAllowed) {
            std::string allow;
            for (const auto& m : match.allowedMethods) allow += (allow.empty() ? "" : ", ") + m;
            response.headers.emplace_back("Allow", allow);
            throw ApiError(405, kCodeMethodNotAllowed, "method not allowed",
                           request.method + " " + std::string(path) + " (allowed: " + allow + ")");
        }

        ApiContext ctx{request, response, std::move(match.params), request.query(), nullptr};
        ApiUser user;
        if (match.route->access != Access::Public) {
            user = authenticate(request);
            ctx.user = &user;
            if (match.route->access == Access::Administrators && !user.isAdministrator())
                throw ApiError(403, kCodeForbidden,
                               "current user should belong to Administrators group to access this resource");
        }
        if (onLoop && !match.route->nonBlocking) throw net::WouldBlock();
        match.route->handler(ctx);
    } catch (const ApiError& e) {
        sendError(response, e);
    } catch (const net::WouldBlock&) {
        throw;
    } catch (const std::exception& e) {
        _log.error("API request %s %s failed: %s", request.method,
                   util::quotedForLog(request.target), util::quotedForLog(e.what(), 256));
        response = http::HttpResponse{};
        response.headers = _responseHeaders;
        sendError(response, ApiError(500, kCodeInternal, "internal server error"));
    }
}

}  // namespace rportd::api
