#pragma once
// Turns a response into the bytes that go on the wire: status line, the
// handler's headers, the framing headers the server owns, and the body, all
// in one buffer so a single send() carries them.
#include <string>
#include <string_view>

#include "http/HttpResponse.h"

namespace rportd::http {

struct ResponseFraming {
    bool headRequest = false;     // send the head a GET would get, without the body
    bool close = false;           // the connection closes after this response
    bool http10KeepAlive = false; // an HTTP/1.0 client that asked to keep the connection
};

// Whether the handler asked for the connection to close by setting a
// "Connection: close" header instead of closeConnection.
bool handlerAsksToClose(const HttpResponse& response);

// Appends the response to `out`. Returns false and appends nothing when the
// response cannot be sent as it is (status outside 200-599, a header name
// that is not a token, a value with CR, LF or NUL: header injection), so the
// caller can answer 500 instead.
bool appendResponse(std::string& out, const HttpResponse& response, const ResponseFraming& framing);

// The server's own answers: a JSON error body with the given code and title.
void appendErrorResponse(std::string& out, int status, std::string_view code, std::string_view title,
                         const ResponseFraming& framing);

// A 101 Switching Protocols with the handler's headers as they are (they
// carry Upgrade and Connection), and no body. False (nothing appended) when
// a header cannot be sent.
bool appendSwitchingProtocols(std::string& out, const HttpResponse& response);

// "HTTP/1.1 100 Continue", the interim answer to "Expect: 100-continue".
void appendContinue(std::string& out);

}  // namespace rportd::http
