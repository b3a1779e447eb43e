#pragma once
// What a handler gets: the request, the response to fill, the path variables
// and the authenticated user (null on public routes).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/ApiUsers.h"
#include "http/HttpRequest.h"
#include "http/HttpResponse.h"

namespace rportd::api {

struct ApiContext {
    http::HttpRequest& request;
    http::HttpResponse& response;
    std::vector<std::pair<std::string, std::string>> pathParams;  // decoded
    std::string_view query;  // the raw query string, without '?'
    const ApiUser* user = nullptr;
    // Where the request comes from (X-Forwarded-For from trusted proxies).
    std::string sourceAddress;

    // A path variable by name ({client_auth_id} → "client_auth_id"), or "".
    const std::string& param(const std::string& name) const {
        static const std::string none;
        for (const auto& [k, v] : pathParams)
            if (k == name) return v;
        return none;
    }
};

}  // namespace rportd::api
