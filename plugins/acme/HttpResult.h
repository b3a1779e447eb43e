#pragma once
// One HTTP response from the ACME server, with the headers ACME gives
// meaning to.
#include <string>

namespace rport::plugins::acme {

struct HttpResult {
    std::string method;  // "GET", "HEAD", "POST"
    std::string url;
    int status = 0;
    std::string contentType;  // media type only, lower case, no parameters
    std::string body;
    std::string location;    // Location: the URL of a created account or order
    std::string retryAfter;  // Retry-After, raw
    std::string replayNonce;

    bool ok() const { return status >= 200 && status < 300; }
    bool isProblem() const { return contentType == "application/problem+json"; }
};

}  // namespace rport::plugins::acme
