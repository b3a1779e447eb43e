// http_hello_bench: serves a fixed 600-byte JSON document on every path, to
// compare the HTTP layer alone with nginx serving the same bytes (see
// hello_bench.sh). Prints the port, runs until SIGINT or SIGTERM.
//
// usage: http_hello_bench [--threads N] [--listen 127.0.0.1:PORT] [--print-body]
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "http/HttpServer.h"

namespace {

// 600 bytes of JSON shaped like an API answer.
std::string helloBody() {
    std::string body = R"({"data":{"version":"0.1.0","fingerprint":"bench","connect_url":"http://127.0.0.1","clients_connected":0,"clients_disconnected":0,"padding":")";
    const std::string tail = R"("}})";
    body.append(600 - body.size() - tail.size(), 'x');
    body += tail;
    return body;
}

}  // namespace

int main(int argc, char** argv) {
    rportd::http::HttpServerOptions options;
    std::string address = "127.0.0.1:0";
    bool printBody = false;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            options.loops = static_cast<size_t>(std::atoi(argv[++i]));  // event loops
        } else if (std::strcmp(argv[i], "--listen") == 0 && i + 1 < argc) {
            address = argv[++i];
        } else if (std::strcmp(argv[i], "--print-body") == 0) {
            printBody = true;
        } else {
            std::fprintf(stderr, "usage: %s [--threads N] [--listen HOST:PORT] [--print-body]\n", argv[0]);
            return 2;
        }
    }
    const std::string body = helloBody();
    if (printBody) {
        std::fwrite(body.data(), 1, body.size(), stdout);
        return 0;
    }

    // Block the stop signals in every thread (the workers inherit the mask)
    // and take them synchronously here.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

    options.errorLog = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
    auto answer = [&body](rportd::http::HttpRequest&, rportd::http::HttpResponse& response) {
        response.headers.emplace_back("Content-Type", "application/json");
        response.body = body;
    };
    // The answer never blocks: it runs on the event loops (the inline handler).
    rportd::http::HttpServer server(options, answer,
                                    [answer](rportd::http::HttpRequest& request, rportd::http::HttpResponse& response) {
                                        answer(request, response);
                                        return true;
                                    });
    uint16_t port = server.listen(address);
    server.start();
    std::printf("%u\n", port);
    std::fflush(stdout);

    int received = 0;
    sigwait(&stopSignals, &received);
    server.stop();
    return 0;
}
