#pragma once
// Runs one API request through the same steps the original does, in its
// order: route match (404/405 before any authentication), the ban check,
// authentication (ApiAuthenticator: HTTP Basic or a bearer token), the
// Administrators check, then the handler. Every failure,
// including an unexpected exception, becomes a JSON error; nothing escapes.
#include <Poco/Logger.h>

#include "api/ApiAuthenticator.h"
#include "api/Router.h"
#include "http/HttpRequest.h"
#include "http/HttpResponse.h"

namespace rportd::api {

class RequestDispatcher {
public:
    RequestDispatcher(const Router& router, ApiAuthenticator& auth);

    // Headers every answer carries (security headers; HSTS over HTTPS).
    void setResponseHeaders(std::vector<std::pair<std::string, std::string>> headers) {
        _responseHeaders = std::move(headers);
    }

    // Runs the request to its end; may block (on the blocking pool).
    void dispatch(http::HttpRequest& request, http::HttpResponse& response) noexcept;
    // On the event loop: answers when that needs no blocking call (an unknown
    // route, a missing credential, a non-blocking route whose user is
    // checked from memory) and returns true; otherwise returns false with
    // the response untouched, and the request goes to dispatch() on the pool.
    bool dispatchInline(http::HttpRequest& request, http::HttpResponse& response) noexcept;

private:
    void run(http::HttpRequest& request, http::HttpResponse& response, bool onLoop);
    const Router& _router;
    ApiAuthenticator& _auth;
    Poco::Logger& _log;
    std::vector<std::pair<std::string, std::string>> _responseHeaders;
};

}  // namespace rportd::api
