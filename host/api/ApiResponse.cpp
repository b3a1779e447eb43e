#include "api/ApiResponse.h"

namespace rportd::api {

void sendJson(Poco::Net::HTTPServerResponse& response, int status, std::string_view body) {
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType("application/json; charset=UTF-8");
    response.sendBuffer(body.data(), body.size());
}

void sendError(Poco::Net::HTTPServerResponse& response, const ApiError& error) {
    // Without keep-alive Poco closes the connection after this answer, so a
    // request body we refused to read is never parsed as the next request.
    if (error.closesConnection()) response.setKeepAlive(false);
    sendJson(response, error.status(), error.body());
}

void sendEmpty(Poco::Net::HTTPServerResponse& response, int status) {
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentLength(0);
    response.send();
}

}  // namespace rportd::api
