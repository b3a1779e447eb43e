#include "api/ApiResponse.h"

namespace rportd::api {

void sendJson(Poco::Net::HTTPServerResponse& response, int status, std::string_view body) {
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType("application/json; charset=UTF-8");
    response.sendBuffer(body.data(), body.size());
}

void sendError(Poco::Net::HTTPServerResponse& response, const ApiError& error) {
    sendJson(response, error.status(), error.body());
}

void sendEmpty(Poco::Net::HTTPServerResponse& response, int status) {
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentLength(0);
    response.send();
}

}  // namespace rportd::api
