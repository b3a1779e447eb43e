// HttpSession on net::Server with a context of the test's own (a tiny pool):
// pipelining while a blocking handler runs, 101 upgrades whose next bytes
// came in the same packet, HEAD through the inline handler, and 503 when the
// pool's queue is full.
#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "../http/RawClient.h"
#include "LoopRig.h"
#include "http/HttpSession.h"
#include "net/Server.h"

using namespace rportd::net;
using namespace rportd::http;
using namespace rportd::http::test;
using rportd::net::test::eventually;

namespace {

// After an upgrade: answers each input with "E:<bytes>"; says hello first.
class EchoSession : public Session {
public:
    void onOpen(Connection& c) override { c.send(std::string_view("HELLO;")); }
    size_t onInput(Connection& c, const char* data, size_t size) override {
        c.send("E:" + std::string(data, size) + ";");
        return size;
    }
};

struct Latch {
    std::mutex mutex;
    std::condition_variable cv;
    bool open = false;
    void release() {
        {
            std::lock_guard<std::mutex> lock(mutex);
            open = true;
        }
        cv.notify_all();
    }
    void wait() {
        std::unique_lock<std::mutex> lock(mutex);
        cv.wait_for(lock, std::chrono::seconds(10), [this] { return open; });
    }
};

// An HTTP server on net::Server, one loop, a pool of `threads` with room for `queued` tasks.
class Rig {
public:
    Rig(HttpHandler handler, InlineHttpHandler inlineHandler, size_t threads = 1, size_t queued = 16)
        : server(netOptions(threads, queued)),
          context{options, ParserLimits{}, std::move(handler), std::move(inlineHandler), server.blockingPool()} {
        ListenerSpec spec;
        spec.name = "http";
        const HttpSessionContext* ctx = &context;
        spec.makeSession = [ctx](Connection&) { return std::make_unique<HttpSession>(*ctx); };
        port = server.listen("127.0.0.1:0", spec);
        server.start();
    }
    ~Rig() { server.stop(std::chrono::milliseconds(2000)); }

    HttpServerOptions options;
    Server server;
    HttpSessionContext context;
    uint16_t port = 0;

private:
    static ServerOptions netOptions(size_t threads, size_t queued) {
        ServerOptions o;
        o.loops = 1;
        o.blockingThreads = threads;
        o.maxQueuedBlockingTasks = queued;
        return o;
    }
};

// Reads until `needle` has arrived (or the timeout); returns all of it.
std::string readUntil(RawClient& client, const std::string& needle, int timeoutMs = 5000) {
    std::string got;
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (got.find(needle) == std::string::npos && std::chrono::steady_clock::now() < end) {
        try {
            got += client.readExactly(1, 200);
        } catch (const std::exception&) {
            if (client.waitForClose(0)) break;
        }
    }
    return got;
}

HttpResponse upgradeResponse() {
    HttpResponse r;
    r.status = 101;
    r.headers.emplace_back("Upgrade", "echo");
    r.headers.emplace_back("Connection", "Upgrade");
    r.upgrade = [] { return std::make_unique<EchoSession>(); };
    return r;
}

}  // namespace

class HttpSessionTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HttpSessionTest);
    CPPUNIT_TEST(pipelinedRequestsAreAnsweredInOrderWhileABlockingHandlerRuns);
    CPPUNIT_TEST(upgradeOnThePoolHandsOverTheBytesAfterTheRequest);
    CPPUNIT_TEST(inlineUpgradeHandsOverTheBytesAfterTheRequest);
    CPPUNIT_TEST(headThroughTheInlineHandler);
    CPPUNIT_TEST(busyPoolAnswers503);
    CPPUNIT_TEST_SUITE_END();

public:
    void pipelinedRequestsAreAnsweredInOrderWhileABlockingHandlerRuns() {
        Latch latch;
        std::atomic<int> entered{0};
        Rig rig(
            [&](HttpRequest& request, HttpResponse& response) {
                ++entered;
                if (request.target == "/slow") latch.wait();
                response.body = "blocking " + request.target;
            },
            [](HttpRequest& request, HttpResponse& response) {
                if (request.target != "/fast") return false;
                response.body = "inline " + request.target;
                return true;
            });
        RawClient client(rig.port);
        client.send(getRequest("/slow") + getRequest("/fast") + getRequest("/two") + getRequest("/fast"));
        CPPUNIT_ASSERT(eventually([&] { return entered.load() == 1; }));
        // The slow handler holds the connection: nothing else ran or was answered.
        CPPUNIT_ASSERT_THROW(client.readExactly(1, 100), std::exception);
        CPPUNIT_ASSERT_EQUAL(1, entered.load());
        latch.release();
        CPPUNIT_ASSERT_EQUAL(std::string("blocking /slow"), client.readResponse().body);
        CPPUNIT_ASSERT_EQUAL(std::string("inline /fast"), client.readResponse().body);
        CPPUNIT_ASSERT_EQUAL(std::string("blocking /two"), client.readResponse().body);
        CPPUNIT_ASSERT_EQUAL(std::string("inline /fast"), client.readResponse().body);
        // Still alive for another.
        client.send(getRequest("/two"));
        CPPUNIT_ASSERT_EQUAL(std::string("blocking /two"), client.readResponse().body);
    }

    void upgradeOnThePoolHandsOverTheBytesAfterTheRequest() {
        Rig rig([](HttpRequest&, HttpResponse& response) { response = upgradeResponse(); }, {});
        checkUpgrade(rig.port);
    }

    void inlineUpgradeHandsOverTheBytesAfterTheRequest() {
        Rig rig([](HttpRequest&, HttpResponse& response) { response.status = 500; },
                [](HttpRequest&, HttpResponse& response) {
                    response = upgradeResponse();
                    return true;
                });
        checkUpgrade(rig.port);
    }

    void checkUpgrade(uint16_t port) {
        RawClient client(port);
        // The request and the first bytes of the new protocol in one packet.
        client.send(getRequest("/ws", "Upgrade: echo\r\nConnection: Upgrade\r\n") + "PING");
        std::string got = readUntil(client, "E:PING;");
        CPPUNIT_ASSERT_MESSAGE(got, got.find("HTTP/1.1 101 ") == 0);
        const size_t headEnd = got.find("\r\n\r\n");
        CPPUNIT_ASSERT(headEnd != std::string::npos);
        // The new session opens, then gets exactly the bytes that followed the request.
        CPPUNIT_ASSERT_EQUAL(std::string("HELLO;E:PING;"), got.substr(headEnd + 4));
        client.send("MORE");
        CPPUNIT_ASSERT_EQUAL(std::string("E:MORE;"), client.readExactly(7));
    }

    void headThroughTheInlineHandler() {
        std::atomic<int> blocking{0};
        Rig rig([&](HttpRequest&, HttpResponse&) { ++blocking; },
                [](HttpRequest& request, HttpResponse& response) {
                    if (request.target != "/inline") return false;
                    response.headers.emplace_back("Content-Type", "text/plain");
                    response.body = "hello";
                    return true;
                });
        RawClient client(rig.port);
        client.send("HEAD /inline HTTP/1.1\r\nHost: x\r\n\r\n" + getRequest("/inline"));
        RawResponse head = client.readResponse(false);
        CPPUNIT_ASSERT_EQUAL(200, head.status);
        CPPUNIT_ASSERT_EQUAL(std::string("5"), head.header("content-length"));
        // No body after the head: the next bytes are the GET's answer.
        RawResponse get = client.readResponse();
        CPPUNIT_ASSERT_EQUAL(200, get.status);
        CPPUNIT_ASSERT_EQUAL(std::string("hello"), get.body);
        CPPUNIT_ASSERT_EQUAL(0, blocking.load());
    }

    void busyPoolAnswers503() {
        Latch latch;
        std::atomic<int> entered{0};
        std::atomic<int> seenInline{0};
        Rig rig(
            [&](HttpRequest& request, HttpResponse& response) {
                ++entered;
                latch.wait();
                response.body = "done " + request.target;
            },
            [&](HttpRequest&, HttpResponse&) {
                ++seenInline;
                return false;
            },
            1, 1);
        RawClient first(rig.port), second(rig.port), third(rig.port);
        first.send(getRequest("/1"));
        CPPUNIT_ASSERT(eventually([&] { return entered.load() == 1; }));  // the pool's one thread is taken
        second.send(getRequest("/2"));
        CPPUNIT_ASSERT(eventually([&] { return seenInline.load() == 2; }));  // queued: the queue is full
        third.send(getRequest("/3"));
        RawResponse busy = third.readResponse();
        CPPUNIT_ASSERT_EQUAL(503, busy.status);
        CPPUNIT_ASSERT_EQUAL(std::string("1"), busy.header("retry-after"));
        CPPUNIT_ASSERT(busy.body.find("ERR_CODE_SERVER_BUSY") != std::string::npos);
        // The refused connection stays usable, and takes pipelined requests after a 503.
        third.send(getRequest("/3") + getRequest("/3b"));
        CPPUNIT_ASSERT_EQUAL(503, third.readResponse().status);
        CPPUNIT_ASSERT_EQUAL(503, third.readResponse().status);
        latch.release();
        CPPUNIT_ASSERT_EQUAL(std::string("done /1"), first.readResponse().body);
        CPPUNIT_ASSERT_EQUAL(std::string("done /2"), second.readResponse().body);
        third.send(getRequest("/3"));
        CPPUNIT_ASSERT_EQUAL(std::string("done /3"), third.readResponse().body);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HttpSessionTest);
