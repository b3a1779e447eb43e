#pragma once
// What a handler gets: the request, the response, the path variables and the
// authenticated user (null on public routes).
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string>
#include <utility>
#include <vector>

#include "api/ApiUsers.h"

namespace rportd::api {

struct ApiContext {
    Poco::Net::HTTPServerRequest& request;
    Poco::Net::HTTPServerResponse& response;
    std::vector<std::pair<std::string, std::string>> pathParams;
    std::string query;  // the raw query string, without '?'
    const ApiUser* user = nullptr;

    // A path variable by name ({client_auth_id} → "client_auth_id"), or "".
    const std::string& param(const std::string& name) const {
        static const std::string none;
        for (const auto& [k, v] : pathParams)
            if (k == name) return v;
        return none;
    }
};

}  // namespace rportd::api
