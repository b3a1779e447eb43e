#include "api/RequestDispatcher.h"

#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/NetException.h>
#include <Poco/URI.h>

#include <memory>

#include "api/ApiError.h"
#include "api/ApiResponse.h"

namespace rportd::api {

using Poco::Net::HTTPResponse;

RequestDispatcher::RequestDispatcher(const Router& router, ApiUserDirectory& users)
    : _router(router), _users(users), _log(Poco::Logger::get("api-listener")) {}

ApiUser RequestDispatcher::authenticate(Poco::Net::HTTPServerRequest& request) {
    // The original answers 401 without WWW-Authenticate; curl -u and scripts
    // send credentials up front, and browsers would otherwise pop a dialog
    // over the web UI.
    static const ApiError unauthorized(HTTPResponse::HTTP_UNAUTHORIZED, kCodeUnauthorized, "unauthorized");
    if (!request.hasCredentials()) throw unauthorized;
    std::string scheme, info;
    request.getCredentials(scheme, info);
    if (Poco::icompare(scheme, "Basic") != 0) throw unauthorized;
    std::unique_ptr<Poco::Net::HTTPBasicCredentials> parsed;
    try {
        parsed = std::make_unique<Poco::Net::HTTPBasicCredentials>(info);
    } catch (const Poco::Exception&) {
        throw unauthorized;
    }
    const Poco::Net::HTTPBasicCredentials& credentials = *parsed;
    if (credentials.getUsername().empty()) throw unauthorized;

    ApiUser user;
    switch (_users.authenticate(credentials.getUsername(), credentials.getPassword(), user)) {
        case ApiUserDirectory::Result::Authenticated: return user;
        case ApiUserDirectory::Result::Unavailable:
            throw ApiError(HTTPResponse::HTTP_SERVICE_UNAVAILABLE, kCodeAuthBackendUnavailable,
                           "user authentication backend unavailable");
        case ApiUserDirectory::Result::Rejected: break;
    }
    _log.debug("API login failed for user \"%s\" from %s", credentials.getUsername(),
               request.clientAddress().host().toString());
    throw unauthorized;
}

void RequestDispatcher::dispatch(Poco::Net::HTTPServerRequest& request,
                                 Poco::Net::HTTPServerResponse& response) noexcept {
    try {
        try {
            const std::string& uri = request.getURI();
            size_t q = uri.find('?');
            // Poco::URI decodes percent escapes, so {id} variables arrive decoded
            // as they do from gorilla/mux.
            std::string path;
            Poco::URI::decode(uri.substr(0, q), path);
            auto match = _router.match(request.getMethod(), path);
            if (match.kind == Router::Match::Kind::NotFound)
                throw ApiError(HTTPResponse::HTTP_NOT_FOUND, kCodeRouteNotFound, "route not found",
                               request.getMethod() + " " + path);
            if (match.kind == Router::Match::Kind::MethodNotAllowed) {
                std::string allow;
                for (const auto& m : match.allowedMethods) allow += (allow.empty() ? "" : ", ") + m;
                response.set("Allow", allow);
                throw ApiError(HTTPResponse::HTTP_METHOD_NOT_ALLOWED, kCodeMethodNotAllowed,
                               "method not allowed", request.getMethod() + " " + path + " (allowed: " + allow + ")");
            }

            ApiContext ctx{request, response, std::move(match.params),
                           q == std::string::npos ? std::string() : uri.substr(q + 1), nullptr};
            ApiUser user;
            if (match.route->access != Access::Public) {
                user = authenticate(request);
                ctx.user = &user;
                if (match.route->access == Access::Administrators && !user.isAdministrator())
                    throw ApiError(HTTPResponse::HTTP_FORBIDDEN, kCodeForbidden,
                                   "current user should belong to Administrators group to access this resource");
            }
            match.route->handler(ctx);
        } catch (const ApiError& e) {
            sendError(response, e);
        } catch (const Poco::Net::NetException& e) {
            // The peer went away mid-answer; nothing useful can be sent.
            _log.debug("API connection error: %s", e.displayText());
        } catch (const std::exception& e) {
            _log.error("API request %s %s failed: %s", request.getMethod(), request.getURI(), std::string(e.what()));
            if (!response.sent())
                sendError(response, ApiError(HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, kCodeInternal,
                                             "internal server error"));
        }
    } catch (...) {
        // Last resort: a failure while reporting a failure. The connection
        // closes; the process lives on.
    }
}

}  // namespace rportd::api
