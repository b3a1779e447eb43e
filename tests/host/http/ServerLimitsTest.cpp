// Limits and protocol errors on the wire: a body over the limit is never
// read, Expect: 100-continue (raw and with curl), errors answered by the
// server itself, and the connection limit.
#include <cppunit/extensions/HelperMacros.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <thread>

#include "RawClient.h"
#include "TempDir.h"
#include "TestServer.h"

using namespace rportd::http;
using namespace rportd::http::test;

namespace {

struct SeenRequest {
    std::atomic<int> calls{0};
    std::atomic<bool> tooLarge{false};
    std::atomic<size_t> bodySize{0};
};

HttpHandler recordingEcho(const std::shared_ptr<SeenRequest>& seen) {
    return [seen](HttpRequest& request, HttpResponse& response) {
        ++seen->calls;
        seen->tooLarge = request.bodyTooLarge;
        seen->bodySize = request.body.size();
        echoHandler(request, response);
    };
}

std::string runCommand(const std::string& command) {
    std::string output;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return output;
    char chunk[4096];
    size_t n;
    while ((n = std::fread(chunk, 1, sizeof chunk, pipe)) > 0) output.append(chunk, n);
    ::pclose(pipe);
    return output;
}

}  // namespace

class ServerLimitsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ServerLimitsTest);
    CPPUNIT_TEST(answersATenMegabyteBodyWithoutReadingIt);
    CPPUNIT_TEST(flagsAnOversizedChunkedBodyAndCloses);
    CPPUNIT_TEST(sendsContinueBeforeReadingTheBody);
    CPPUNIT_TEST(answersAtOnceWhenTheExpectedBodyIsTooLarge);
    CPPUNIT_TEST(curlGetsContinueWithoutWaiting);
    CPPUNIT_TEST(answersProtocolErrorsItselfAndCloses);
    CPPUNIT_TEST(closesConnectionsBeyondTheLimit);
    CPPUNIT_TEST_SUITE_END();

public:
    void answersATenMegabyteBodyWithoutReadingIt() {
        auto seen = std::make_shared<SeenRequest>();
        TestServer server(recordingEcho(seen));
        RawClient client(server.port);
        const size_t total = 10 * 1024 * 1024;
        client.send("POST /big HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: " +
                    std::to_string(total) + "\r\n\r\n");
        // A naive client keeps writing its body; the server answers anyway.
        std::atomic<size_t> sent{0};
        std::thread writer([&client, &sent, total] {
            const std::string block(64 * 1024, 'x');
            while (sent < total && client.trySend(block)) sent += block.size();
        });
        RawResponse r = client.readResponse();
        CPPUNIT_ASSERT_EQUAL(413, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("close"), r.header("connection"));
        CPPUNIT_ASSERT_EQUAL(std::string("POST /big|"), r.body);
        CPPUNIT_ASSERT(client.waitForClose(5000));
        writer.join();  // ends with EPIPE/ECONNRESET once the server has closed
        CPPUNIT_ASSERT(sent < total);
        CPPUNIT_ASSERT_EQUAL(1, seen->calls.load());
        CPPUNIT_ASSERT(seen->tooLarge.load());
        CPPUNIT_ASSERT_EQUAL(size_t(0), seen->bodySize.load());
    }

    void flagsAnOversizedChunkedBodyAndCloses() {
        auto seen = std::make_shared<SeenRequest>();
        HttpServerOptions options;
        options.maxBodyBytes = 100;
        TestServer server(recordingEcho(seen), options);
        RawClient client(server.port);
        client.send("POST /chunks HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "50\r\n" + std::string(80, 'a') + "\r\n50\r\n" + std::string(80, 'b') + "\r\n0\r\n\r\n");
        RawResponse r = client.readResponse();
        CPPUNIT_ASSERT_EQUAL(413, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("1"), r.header("x-body-too-large"));
        CPPUNIT_ASSERT(client.waitForClose(3000));
        CPPUNIT_ASSERT_EQUAL(size_t(0), seen->bodySize.load());
    }

    void sendsContinueBeforeReadingTheBody() {
        TestServer server(echoHandler);
        RawClient client(server.port);
        client.send("POST /e HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
        CPPUNIT_ASSERT_EQUAL(std::string("HTTP/1.1 100 Continue\r\n\r\n"), client.readExactly(25));
        client.send("hello");
        RawResponse r = client.readResponse();
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("POST /e|hello"), r.body);
        // A client that sends the body without waiting gets no interim response.
        client.send("POST /f HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi");
        RawResponse direct = client.readResponse();
        CPPUNIT_ASSERT_EQUAL(200, direct.status);
        CPPUNIT_ASSERT_EQUAL(std::string("POST /f|hi"), direct.body);
    }

    void answersAtOnceWhenTheExpectedBodyIsTooLarge() {
        auto seen = std::make_shared<SeenRequest>();
        TestServer server(recordingEcho(seen));
        RawClient client(server.port);
        client.send("POST /e HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 20000\r\n\r\n");
        RawResponse r = client.readResponse();  // the final answer, no 100 first
        CPPUNIT_ASSERT_EQUAL(413, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("close"), r.header("connection"));
        CPPUNIT_ASSERT(seen->tooLarge.load());
        CPPUNIT_ASSERT(client.waitForClose(3000));
    }

    void curlGetsContinueWithoutWaiting() {
        if (::access("/usr/bin/curl", X_OK) != 0) {
            std::puts("curl not installed: skipping the curl part");
            return;
        }
        TestServer server([](HttpRequest& request, HttpResponse& response) {
            response.body = std::to_string(request.body.size()) + " " +
                            (request.header("expect") ? *request.header("expect") : std::string("-"));
        });
        rport::test::TempDir dir;
        const std::string file = dir.write("body.json", std::string(5000, 'j'));
        const std::string url = "http://127.0.0.1:" + std::to_string(server.port) + "/upload";
        const std::string output = runCommand("curl -sS -H 'Expect: 100-continue' --data-binary @" + file +
                                              " -w ' %{http_code} %{time_total}' " + url + " 2>&1");
        // Body size, the Expect the server saw, status, and time: no 1 s wait for a 100 that never comes.
        double seconds = 99;
        char expect[64] = "";
        unsigned size = 0, status = 0;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(output, 4, std::sscanf(output.c_str(), "%u %63s %u %lf", &size, expect, &status, &seconds));
        CPPUNIT_ASSERT_EQUAL(5000u, size);
        CPPUNIT_ASSERT_EQUAL(std::string("100-continue"), std::string(expect));
        CPPUNIT_ASSERT_EQUAL(200u, status);
        CPPUNIT_ASSERT_MESSAGE(output, seconds < 0.5);
    }

    void answersProtocolErrorsItselfAndCloses() {
        auto seen = std::make_shared<SeenRequest>();
        TestServer server(recordingEcho(seen));
        struct Case {
            std::string request;
            int status;
            std::string title;
        };
        const Case cases[] = {
            {"GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505, "HTTP version not supported"},
            {"GARBAGE\r\n\r\n", 400, "malformed request line"},
            {"GET /" + std::string(9000, 'a') + " HTTP/1.1\r\n", 414, "request target too long"},
            {"GET / HTTP/1.1\r\nHost: a\r\nX: " + std::string(20000, 'h') + "\r\n\r\n", 431,
             "request header fields too large"},
            {"GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", 400, "missing or repeated Host header"},
            {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400,
             "both Content-Length and Transfer-Encoding"},
            {std::string("\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03", 11), 400, "invalid method"},  // TLS
        };
        for (const Case& c : cases) {
            RawClient client(server.port);
            client.trySend(c.request);
            RawResponse r = client.readResponse();
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.title, c.status, r.status);
            CPPUNIT_ASSERT_EQUAL(std::string("close"), r.header("connection"));
            CPPUNIT_ASSERT_EQUAL(std::string("application/json"), r.header("content-type"));
            CPPUNIT_ASSERT_EQUAL(
                R"({"errors":[{"code":"ERR_CODE_BAD_REQUEST","title":")" + c.title + R"(","detail":""}]})", r.body);
            // The server stops sending and drains what we may still send; once
            // we are done too, it closes without waiting out its linger time.
            client.shutdownWrite();
            CPPUNIT_ASSERT(client.waitForClose(3000));
        }
        CPPUNIT_ASSERT_EQUAL(0, seen->calls.load());
    }

    void closesConnectionsBeyondTheLimit() {
        HttpServerOptions options;
        options.maxConnections = 2;
        TestServer server(echoHandler, options);
        RawClient first(server.port);
        RawClient second(server.port);
        first.send(getRequest("/1"));
        CPPUNIT_ASSERT_EQUAL(200, first.readResponse().status);
        second.send(getRequest("/2"));
        CPPUNIT_ASSERT_EQUAL(200, second.readResponse().status);
        {
            RawClient third(server.port);  // the kernel accepts; the server closes it at once
            third.trySend(getRequest("/3"));
            CPPUNIT_ASSERT(third.waitForClose(2000));
        }
        first.send(getRequest("/1b"));
        CPPUNIT_ASSERT_EQUAL(200, first.readResponse().status);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ServerLimitsTest);
