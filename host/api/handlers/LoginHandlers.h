#pragma once
// The session routes (rport-behaviour §3.5, §3.8): GET and POST
// /api/v1/login hand out bearer tokens, DELETE /api/v1/logout ends the
// session a token names, GET /api/v1/me describes the caller.
#include <cstddef>

#include "api/ApiAuthenticator.h"
#include "api/Router.h"

namespace rportd::api {

// maxRequestBytes: [api] max_request_bytes, for POST bodies.
void addLoginRoutes(Router& router, ApiAuthenticator& auth, size_t maxRequestBytes);

}  // namespace rportd::api
