// Concurrency and shutdown: many connections at once, blocking handlers,
// stop() with requests in flight and with idle connections, IPv6.
#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "RawClient.h"
#include "TestServer.h"

using namespace rportd::http;
using namespace rportd::http::test;
using namespace std::chrono;

namespace {

long elapsedMs(steady_clock::time_point since) {
    return static_cast<long>(duration_cast<milliseconds>(steady_clock::now() - since).count());
}

bool waitFor(const std::atomic<int>& counter, int value, milliseconds timeout) {
    auto deadline = steady_clock::now() + timeout;
    while (counter.load() < value) {
        if (steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(milliseconds(2));
    }
    return true;
}

bool canConnect(uint16_t port) {
    try {
        RawClient probe(port);
        return true;
    } catch (const std::runtime_error&) {
        return false;
    }
}

HttpHandler slowHandler(std::atomic<int>& entered, milliseconds delay) {
    return [&entered, delay](HttpRequest& request, HttpResponse& response) {
        ++entered;
        std::this_thread::sleep_for(delay);
        response.body = "done " + request.target;
    };
}

}  // namespace

class ServerLifecycleTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ServerLifecycleTest);
    CPPUNIT_TEST(servesTwoHundredConcurrentConnections);
    CPPUNIT_TEST(runsBlockingHandlersInParallel);
    CPPUNIT_TEST(stopLetsRequestsInFlightFinish);
    CPPUNIT_TEST(stopWithIdleConnectionsIsQuick);
    CPPUNIT_TEST(stopGivesUpOnConnectionsAfterTheDrain);
    CPPUNIT_TEST(refusesStopFromAHandler);
    CPPUNIT_TEST(servesIpv6AndSeveralAddresses);
    CPPUNIT_TEST_SUITE_END();

public:
    void servesTwoHundredConcurrentConnections() {
        TestServer server(echoHandler);
        std::atomic<int> ok{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&ok, &server, t] {
                std::vector<std::unique_ptr<RawClient>> clients;
                for (int c = 0; c < 50; ++c) clients.push_back(std::make_unique<RawClient>(server.port));
                for (int round = 0; round < 5; ++round) {
                    for (size_t c = 0; c < clients.size(); ++c) {
                        clients[c]->send(getRequest("/" + std::to_string(t) + "/" + std::to_string(c)));
                    }
                    for (size_t c = 0; c < clients.size(); ++c) {
                        RawResponse r = clients[c]->readResponse();
                        if (r.status == 200 && r.body == "GET /" + std::to_string(t) + "/" + std::to_string(c) + "|") {
                            ++ok;
                        }
                    }
                }
            });
        }
        for (auto& thread : threads) thread.join();
        CPPUNIT_ASSERT_EQUAL(4 * 50 * 5, ok.load());
    }

    void runsBlockingHandlersInParallel() {
        std::atomic<int> entered{0};
        HttpServerOptions options;
        options.threads = 4;
        TestServer server(slowHandler(entered, milliseconds(300)), options);
        std::vector<std::unique_ptr<RawClient>> clients;
        auto start = steady_clock::now();
        for (int i = 0; i < 4; ++i) {
            clients.push_back(std::make_unique<RawClient>(server.port));
            clients.back()->send(getRequest("/" + std::to_string(i)));
        }
        for (auto& client : clients) CPPUNIT_ASSERT_EQUAL(200, client->readResponse().status);
        long took = elapsedMs(start);
        CPPUNIT_ASSERT_MESSAGE(std::to_string(took), took < 900);  // not 4 x 300 ms one after another
    }

    void stopLetsRequestsInFlightFinish() {
        std::atomic<int> entered{0};
        TestServer server(slowHandler(entered, milliseconds(400)));
        std::vector<std::unique_ptr<RawClient>> clients;
        for (int i = 0; i < 5; ++i) {
            clients.push_back(std::make_unique<RawClient>(server.port));
            clients.back()->send(getRequest("/" + std::to_string(i)));
        }
        CPPUNIT_ASSERT(waitFor(entered, 5, milliseconds(3000)));
        auto start = steady_clock::now();
        std::thread stopper([&server] { server.server.stop(milliseconds(2000)); });
        std::this_thread::sleep_for(milliseconds(50));
        CPPUNIT_ASSERT(!canConnect(server.port));  // refused at once, while the drain goes on
        stopper.join();
        long took = elapsedMs(start);
        CPPUNIT_ASSERT_MESSAGE(std::to_string(took), took >= 250 && took < 2100);
        for (size_t i = 0; i < clients.size(); ++i) {
            RawResponse r = clients[i]->readResponse();
            CPPUNIT_ASSERT_EQUAL(200, r.status);
            CPPUNIT_ASSERT_EQUAL("done /" + std::to_string(i), r.body);
            CPPUNIT_ASSERT_EQUAL(std::string("close"), r.header("connection"));
            CPPUNIT_ASSERT(clients[i]->waitForClose(1000));
        }
    }

    void stopWithIdleConnectionsIsQuick() {
        TestServer server(echoHandler);
        std::vector<std::unique_ptr<RawClient>> clients;
        for (int i = 0; i < 20; ++i) {
            clients.push_back(std::make_unique<RawClient>(server.port));
            clients.back()->send(getRequest("/"));
            CPPUNIT_ASSERT_EQUAL(200, clients.back()->readResponse().status);
        }
        RawClient halfRequest(server.port);
        halfRequest.send("GET / HTTP/1.1\r\n");
        std::this_thread::sleep_for(milliseconds(50));
        auto start = steady_clock::now();
        server.server.stop(milliseconds(5000));
        long took = elapsedMs(start);
        CPPUNIT_ASSERT_MESSAGE(std::to_string(took), took < 100);
        for (auto& client : clients) CPPUNIT_ASSERT(client->waitForClose(1000));
        CPPUNIT_ASSERT(halfRequest.waitForClose(1000));
    }

    void stopGivesUpOnConnectionsAfterTheDrain() {
        std::atomic<int> entered{0};
        TestServer server(slowHandler(entered, milliseconds(800)));
        RawClient client(server.port);
        client.send(getRequest("/slow"));
        CPPUNIT_ASSERT(waitFor(entered, 1, milliseconds(3000)));
        auto start = steady_clock::now();
        std::thread stopper([&server] { server.server.stop(milliseconds(200)); });
        // The client is cut off when the drain ends, not when the handler does.
        CPPUNIT_ASSERT(client.waitForClose(3000));
        long cutOff = elapsedMs(start);
        stopper.join();
        long stopped = elapsedMs(start);
        CPPUNIT_ASSERT_MESSAGE(std::to_string(cutOff), cutOff >= 150 && cutOff < 500);
        // stop() itself waits for the handler: a running handler cannot be abandoned.
        CPPUNIT_ASSERT_MESSAGE(std::to_string(stopped), stopped >= 600 && stopped < 1500);
    }

    void refusesStopFromAHandler() {
        HttpServer* self = nullptr;
        TestServer server([&self](HttpRequest&, HttpResponse&) { self->stop(); });
        self = &server.server;
        RawClient client(server.port);
        client.send(getRequest("/"));
        CPPUNIT_ASSERT_EQUAL(500, client.readResponse().status);
        std::vector<std::string> log = server.logLines();
        CPPUNIT_ASSERT_EQUAL(size_t(1), log.size());
        CPPUNIT_ASSERT(log[0].find("stop called from a handler") != std::string::npos);
    }

    void servesIpv6AndSeveralAddresses() {
        HttpServer server(HttpServerOptions(), echoHandler);
        uint16_t v4 = server.listen("127.0.0.1:0");
        uint16_t v6 = 0;
        try {
            v6 = server.listen("[::1]:0");
        } catch (const std::runtime_error& e) {
            std::printf("no IPv6 loopback here (%s): checking IPv4 only\n", e.what());
        }
        server.start();
        RawClient overV4(v4);
        overV4.send(getRequest("/4"));
        CPPUNIT_ASSERT_EQUAL(std::string("GET /4|"), overV4.readResponse().body);
        if (v6 != 0) {
            RawClient overV6(v6, "::1");
            overV6.send(getRequest("/6"));
            RawResponse r = overV6.readResponse();
            CPPUNIT_ASSERT_EQUAL(std::string("GET /6|"), r.body);
            CPPUNIT_ASSERT_EQUAL("::1 " + std::to_string(overV6.localPort()), r.header("x-peer"));
        }
        server.stop();
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ServerLifecycleTest);
