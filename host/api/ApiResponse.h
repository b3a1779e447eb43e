#pragma once
// Writing API answers: the content type and framing of every JSON response in
// one place.
#include <Poco/Net/HTTPServerResponse.h>

#include <string_view>

#include "api/ApiError.h"

namespace rportd::api {

// Sends a JSON body ("application/json; charset=UTF-8", no trailing newline).
void sendJson(Poco::Net::HTTPServerResponse& response, int status, std::string_view body);
void sendError(Poco::Net::HTTPServerResponse& response, const ApiError& error);
// Sends a status with an empty body (201 Created, 204 No Content).
void sendEmpty(Poco::Net::HTTPServerResponse& response, int status);

}  // namespace rportd::api
