#pragma once
// The application's entry points.
//
// HttpHandler may block (a database, bcrypt): it runs on the server's
// blocking pool, never on an event loop, so a slow handler holds one pool
// thread and no other connection. InlineHttpHandler runs on the event loop
// and must not block; it answers what it can answer at once (a status page,
// a credential already in the verification cache) and returns false for the
// rest, which then goes to HttpHandler. Either may throw: the server then
// answers 500 with a small JSON error body and reports the exception through
// HttpServerOptions::errorLog. A HEAD request reaches them like any other;
// the server sends the head of the answer (Content-Length included) without
// the body.
#include <functional>

#include "http/HttpRequest.h"
#include "http/HttpResponse.h"

namespace rportd::http {

using HttpHandler = std::function<void(HttpRequest&, HttpResponse&)>;
using InlineHttpHandler = std::function<bool(HttpRequest&, HttpResponse&)>;

}  // namespace rportd::http
