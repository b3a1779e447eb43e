#pragma once
// The application's entry point. It runs on a worker thread, inline with the
// connection's I/O, and may block (other workers keep serving other
// connections). It may throw: the server then answers 500 with a small JSON
// error body and reports the exception through HttpServerOptions::errorLog.
// A HEAD request reaches the handler like any other; the server sends the
// head of its answer (Content-Length included) without the body.
#include <functional>

#include "http/HttpRequest.h"
#include "http/HttpResponse.h"

namespace rportd::http {

using HttpHandler = std::function<void(HttpRequest&, HttpResponse&)>;

}  // namespace rportd::http
