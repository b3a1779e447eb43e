// A real server on 127.0.0.1: keep-alive, pipelining, HTTP/1.0, HEAD, bodies
// on the wire, the peer address, and what a failing handler gets.
#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <stdexcept>

#include "RawClient.h"
#include "TestServer.h"

using namespace rportd::http;
using namespace rportd::http::test;

class ServerKeepAliveTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ServerKeepAliveTest);
    CPPUNIT_TEST(servesSeveralRequestsOnOneConnection);
    CPPUNIT_TEST(answersPipelinedRequestsInOrder);
    CPPUNIT_TEST(servesAThousandRequestsOnOneConnection);
    CPPUNIT_TEST(closesHttp10UnlessAskedToKeepAlive);
    CPPUNIT_TEST(closesWhenTheClientOrTheHandlerSaysSo);
    CPPUNIT_TEST(answersHeadWithoutABody);
    CPPUNIT_TEST(readsContentLengthAndChunkedBodies);
    CPPUNIT_TEST(answers500JsonWhenTheHandlerThrows);
    CPPUNIT_TEST(answers500ForAResponseThatCannotBeSent);
    CPPUNIT_TEST(answersAfterTheClientHalfCloses);
    CPPUNIT_TEST_SUITE_END();

public:
    void servesSeveralRequestsOnOneConnection() {
        TestServer server(echoHandler);
        RawClient client(server.port);
        for (int i = 0; i < 3; ++i) {
            client.send(getRequest("/r" + std::to_string(i) + "?q=1"));
            RawResponse r = client.readResponse();
            CPPUNIT_ASSERT_EQUAL(200, r.status);
            CPPUNIT_ASSERT_EQUAL("GET /r" + std::to_string(i) + "?q=1|", r.body);
            CPPUNIT_ASSERT_EQUAL(std::string(""), r.header("connection"));
            CPPUNIT_ASSERT_EQUAL(size_t(29), r.header("date").size());
            // The peer is the client's own address, read once at accept.
            CPPUNIT_ASSERT_EQUAL("127.0.0.1 " + std::to_string(client.localPort()), r.header("x-peer"));
        }
    }

    void answersPipelinedRequestsInOrder() {
        TestServer server(echoHandler);
        RawClient client(server.port);
        client.send(getRequest("/first") +
                    "POST /second HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nbody" +
                    "POST /third HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n" +
                    getRequest("/fourth"));
        CPPUNIT_ASSERT_EQUAL(std::string("GET /first|"), client.readResponse().body);
        CPPUNIT_ASSERT_EQUAL(std::string("POST /second|body"), client.readResponse().body);
        CPPUNIT_ASSERT_EQUAL(std::string("POST /third|ok"), client.readResponse().body);
        CPPUNIT_ASSERT_EQUAL(std::string("GET /fourth|"), client.readResponse().body);
        // And the connection is still good afterwards.
        client.send(getRequest("/fifth"));
        CPPUNIT_ASSERT_EQUAL(std::string("GET /fifth|"), client.readResponse().body);
    }

    void servesAThousandRequestsOnOneConnection() {
        std::atomic<int> handled{0};
        TestServer server([&handled](HttpRequest& request, HttpResponse& response) {
            ++handled;
            response.body = request.target;
        });
        RawClient client(server.port);
        for (int i = 0; i < 1000; ++i) {
            const std::string target = "/n/" + std::to_string(i);
            client.send(getRequest(target));
            RawResponse r = client.readResponse();
            CPPUNIT_ASSERT_EQUAL(200, r.status);
            CPPUNIT_ASSERT_EQUAL(target, r.body);
        }
        CPPUNIT_ASSERT_EQUAL(1000, handled.load());
    }

    void closesHttp10UnlessAskedToKeepAlive() {
        TestServer server(echoHandler);
        {
            RawClient client(server.port);
            client.send("GET /old HTTP/1.0\r\n\r\n");
            RawResponse r = client.readResponse();
            CPPUNIT_ASSERT_EQUAL(200, r.status);
            CPPUNIT_ASSERT_EQUAL(std::string("close"), r.header("connection"));
            CPPUNIT_ASSERT(client.waitForClose(2000));
        }
        RawClient client(server.port);
        for (int i = 0; i < 2; ++i) {
            client.send("GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            RawResponse r = client.readResponse();
            CPPUNIT_ASSERT_EQUAL(std::string("keep-alive"), r.header("connection"));
            CPPUNIT_ASSERT_EQUAL(std::string("GET /old|"), r.body);
        }
    }

    void closesWhenTheClientOrTheHandlerSaysSo() {
        TestServer server([](HttpRequest& request, HttpResponse& response) {
            if (request.target == "/bye") response.closeConnection = true;
            if (request.target == "/header-bye") response.headers.emplace_back("Connection", "close");
        });
        for (const char* target : {"/bye", "/header-bye"}) {
            RawClient client(server.port);
            client.send(getRequest(target));
            CPPUNIT_ASSERT_EQUAL(std::string("close"), client.readResponse().header("connection"));
            CPPUNIT_ASSERT(client.waitForClose(2000));
        }
        RawClient client(server.port);
        client.send(getRequest("/", "Connection: close\r\n"));
        CPPUNIT_ASSERT_EQUAL(std::string("close"), client.readResponse().header("connection"));
        CPPUNIT_ASSERT(client.waitForClose(2000));
    }

    void answersHeadWithoutABody() {
        TestServer server(echoHandler);
        RawClient client(server.port);
        client.send("HEAD /h HTTP/1.1\r\nHost: a\r\n\r\n");
        RawResponse head = client.readResponse(false);
        CPPUNIT_ASSERT_EQUAL(200, head.status);
        CPPUNIT_ASSERT_EQUAL(std::to_string(std::string("HEAD /h|").size()), head.header("content-length"));
        // The next response starts right away: no body bytes were sent.
        client.send(getRequest("/after"));
        CPPUNIT_ASSERT_EQUAL(std::string("GET /after|"), client.readResponse().body);
    }

    void readsContentLengthAndChunkedBodies() {
        TestServer server(echoHandler);
        RawClient client(server.port);
        client.send("PUT /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhel");
        client.send("lo");
        CPPUNIT_ASSERT_EQUAL(std::string("PUT /p|hello"), client.readResponse().body);
        client.send("POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r");
        client.send("\nabc\r\n1");
        client.send("0\r\n0123456789abcdef\r\n0\r\n\r\n");
        CPPUNIT_ASSERT_EQUAL(std::string("POST /c|abc0123456789abcdef"), client.readResponse().body);
    }

    void answers500JsonWhenTheHandlerThrows() {
        TestServer server([](HttpRequest& request, HttpResponse& response) {
            response.headers.emplace_back("X-Half-Done", "1");
            if (request.target == "/unknown") throw 42;
            throw std::runtime_error("database is down");
        });
        RawClient client(server.port);
        client.send(getRequest("/boom"));
        RawResponse r = client.readResponse();
        CPPUNIT_ASSERT_EQUAL(500, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"), r.header("content-type"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), r.header("x-half-done"));
        CPPUNIT_ASSERT_EQUAL(
            std::string(R"({"errors":[{"code":"ERR_CODE_INTERNAL","title":"internal server error","detail":""}]})"),
            r.body);
        // The connection survives a failed handler.
        client.send(getRequest("/unknown"));
        CPPUNIT_ASSERT_EQUAL(500, client.readResponse().status);
        std::vector<std::string> log = server.logLines();
        CPPUNIT_ASSERT_EQUAL(size_t(2), log.size());
        CPPUNIT_ASSERT(log[0].find("GET /boom") != std::string::npos);
        CPPUNIT_ASSERT(log[0].find("database is down") != std::string::npos);
        CPPUNIT_ASSERT(log[1].find("unknown exception") != std::string::npos);
    }

    void answers500ForAResponseThatCannotBeSent() {
        TestServer server([](HttpRequest&, HttpResponse& response) {
            response.headers.emplace_back("X-Bad", "a\r\nInjected: yes");
        });
        RawClient client(server.port);
        client.send(getRequest("/"));
        RawResponse r = client.readResponse();
        CPPUNIT_ASSERT_EQUAL(500, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string(""), r.header("injected"));
        CPPUNIT_ASSERT_EQUAL(size_t(1), server.logLines().size());
    }

    void answersAfterTheClientHalfCloses() {
        TestServer server(echoHandler);
        RawClient client(server.port);
        client.send(getRequest("/last"));
        client.shutdownWrite();
        CPPUNIT_ASSERT_EQUAL(std::string("GET /last|"), client.readResponse().body);
        CPPUNIT_ASSERT(client.waitForClose(2000));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ServerKeepAliveTest);
