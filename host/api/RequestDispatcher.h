#pragma once
// Runs one API request through the same steps the original does, in its
// order: route match (404/405 before any authentication), authentication
// (HTTP Basic), the Administrators check, then the handler. Every failure,
// including an unexpected exception, becomes a JSON error; nothing escapes.
#include <Poco/Logger.h>

#include "api/ApiUsers.h"
#include "api/Router.h"
#include "http/HttpRequest.h"
#include "http/HttpResponse.h"

namespace rportd::api {

class RequestDispatcher {
public:
    RequestDispatcher(const Router& router, ApiUserDirectory& users);

    void dispatch(http::HttpRequest& request, http::HttpResponse& response) noexcept;

private:
    // Returns the user, or throws ApiError 401/503.
    ApiUser authenticate(const http::HttpRequest& request);

    const Router& _router;
    ApiUserDirectory& _users;
    Poco::Logger& _log;
};

}  // namespace rportd::api
