// ours_status_server: the same route as asio_status_server (StatusRoute.h:
// GET /api/v1/status, Basic credentials compared in constant time, rportd's
// body) on rportd's own network core, rportd::http::HttpServer (host/http).
// With both servers answering from the same handler logic, core_choice.sh
// compares the two cores alone; the real rportd adds routing, the auth
// plugin and rendering the status JSON on top.
//
// usage: ours_status_server [--threads N] [--listen 127.0.0.1:PORT]
//            [--user USER:PASSWORD] [--body-file FILE]
// Prints the bound port on stdout, runs until SIGINT or SIGTERM.
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

#include "StatusRoute.h"
#include "http/HttpServer.h"

using namespace status_route;

int main(int argc, char** argv) {
    rportd::http::HttpServerOptions options;
    options.loops = 2;
    std::string address = "127.0.0.1:0";
    std::string credentials = "admin:foobaz";
    std::string body{kDefaultBody};
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        bool hasValue = i + 1 < argc;
        if (arg == "--threads" && hasValue) {
            options.loops = static_cast<size_t>(std::atoi(argv[++i]));  // event loops
        } else if (arg == "--listen" && hasValue) {
            address = argv[++i];
        } else if (arg == "--user" && hasValue) {
            credentials = argv[++i];
        } else if (arg == "--body-file" && hasValue) {
            std::ifstream in(argv[++i], std::ios::binary);
            if (!in) {
                std::fprintf(stderr, "cannot read %s\n", argv[i]);
                return 2;
            }
            body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        } else {
            std::fprintf(stderr, "usage: %s [--threads N] [--listen HOST:PORT] [--user USER:PASSWORD] [--body-file FILE]\n",
                         argv[0]);
            return 2;
        }
    }

    // The workers inherit the blocked stop signals; this thread takes them.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

    options.errorLog = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
    auto answer = [&](rportd::http::HttpRequest& request, rportd::http::HttpResponse& response) {
            response.headers.emplace_back("Content-Type", "application/json; charset=UTF-8");
            if (request.target != kStatusPath || (request.method != "GET" && request.method != "HEAD")) {
                response.status = 404;
                response.body = kNotFoundBody;
                return;
            }
            const std::string* auth = request.header("authorization");
            if (auth == nullptr || !authorized(*auth, credentials)) {
                response.status = 401;
                response.body = kUnauthorizedBody;
                return;
            }
            response.body = body;
        };
    // Nothing here blocks: the answer runs on the event loops (inline handler).
    rportd::http::HttpServer server(options, answer,
                                    [&answer](rportd::http::HttpRequest& request, rportd::http::HttpResponse& response) {
                                        answer(request, response);
                                        return true;
                                    });
    try {
        unsigned port = server.listen(address);
        server.start();
        std::printf("%u\n", port);
        std::fflush(stdout);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "ours_status_server: %s\n", e.what());
        return 1;
    }
    int received = 0;
    sigwait(&stopSignals, &received);
    server.stop();
    return 0;
}
