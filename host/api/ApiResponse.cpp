#include "api/ApiResponse.h"

namespace rportd::api {

void sendJson(http::HttpResponse& response, int status, std::string_view body) {
    response.status = status;
    response.headers.emplace_back("Content-Type", "application/json; charset=UTF-8");
    response.body.assign(body.data(), body.size());
}

void sendError(http::HttpResponse& response, const ApiError& error) {
    // A body we refused to read must not be parsed as the next request.
    if (error.closesConnection()) response.closeConnection = true;
    for (const auto& header : error.headers()) response.headers.push_back(header);
    sendJson(response, error.status(), error.body());
}

void sendEmpty(http::HttpResponse& response, int status) {
    response.status = status;
    response.body.clear();
}

}  // namespace rportd::api
