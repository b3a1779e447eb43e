#pragma once
// Writing API answers: the content type and framing of every JSON response in
// one place.
#include <string_view>

#include "api/ApiError.h"
#include "http/HttpResponse.h"

namespace rportd::api {

// A JSON body ("application/json; charset=UTF-8", no trailing newline).
void sendJson(http::HttpResponse& response, int status, std::string_view body);
void sendError(http::HttpResponse& response, const ApiError& error);
// A status with an empty body (201 Created, 204 No Content).
void sendEmpty(http::HttpResponse& response, int status);

}  // namespace rportd::api
