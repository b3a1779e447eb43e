#include "api/RequestDispatcher.h"

#include "api/ApiError.h"
#include "api/ApiResponse.h"
#include "net/NonBlockingSection.h"
#include "util/QuotedText.h"

namespace rportd::api {

RequestDispatcher::RequestDispatcher(const Router& router, ApiAuthenticator& auth)
    : _router(router), _auth(auth), _log(Poco::Logger::get("api-listener")) {}

void RequestDispatcher::dispatch(http::HttpRequest& request,
                                 http::HttpResponse& response) noexcept {
    try {
        run(request, response, false);
    } catch (...) {
        // A failure while reporting a failure: the server answers 500 itself.
    }
}

bool RequestDispatcher::dispatchInline(http::HttpRequest& request,
                                       http::HttpResponse& response) noexcept {
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
            throw ApiError(404, kCodeRouteNotFound, "route not found",
                           request.method + " " + std::string(path));
        if (match.kind == Router::Match::Kind::MethodNotAllowed) {
            std::string allow;
            for (const auto& m : match.allowedMethods) allow += (allow.empty() ? "" : ", ") + m;
            response.headers.emplace_back("Allow", allow);
            throw ApiError(405, kCodeMethodNotAllowed, "method not allowed",
                           request.method + " " + std::string(path) + " (allowed: " + allow + ")");
        }

        const std::string address = _auth.sourceAddress(request);
        // Every route, /login included, is closed to a banned address.
        _auth.refuseBanned(address);
        ApiContext ctx{request,         response, std::move(match.params),
                       request.query(), nullptr,  address};
        ApiUser user;
        if (match.route->access != Access::Public) {
            user = _auth.authenticate(request, address);
            ctx.user = &user;
            if (match.route->access == Access::Administrators && !user.isAdministrator())
                throw ApiError(
                    403, kCodeForbidden,
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
