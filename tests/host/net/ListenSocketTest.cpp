// Address text and listening sockets, without a running server.
#include <cppunit/extensions/HelperMacros.h>

#include <netinet/in.h>
#include <unistd.h>

#include <cstring>

#include "http/HttpServer.h"
#include "net/ListenSocket.h"

using namespace rportd::net;
using namespace rportd::http;
using namespace rportd::net;

class ListenSocketTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ListenSocketTest);
    CPPUNIT_TEST(splitsHostAndPort);
    CPPUNIT_TEST(refusesBadAddressText);
    CPPUNIT_TEST(refusesABusyPortNamingTheAddress);
    CPPUNIT_TEST(describesPeers);
    CPPUNIT_TEST(serverWithoutStartClosesQuietly);
    CPPUNIT_TEST_SUITE_END();

    static std::string listenError(const std::string& address) {
        try {
            ListeningSocket socket = openListeningSocket(address);
            ::close(socket.fd);
        } catch (const std::runtime_error& e) {
            return e.what();
        }
        return "";
    }

public:
    void splitsHostAndPort() {
        std::string host, port;
        CPPUNIT_ASSERT(splitHostPort("127.0.0.1:3000", host, port));
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), host);
        CPPUNIT_ASSERT_EQUAL(std::string("3000"), port);
        CPPUNIT_ASSERT(splitHostPort("[::1]:0", host, port));
        CPPUNIT_ASSERT_EQUAL(std::string("::1"), host);
        CPPUNIT_ASSERT_EQUAL(std::string("0"), port);
        CPPUNIT_ASSERT(splitHostPort(":8080", host, port));
        CPPUNIT_ASSERT_EQUAL(std::string(""), host);
        CPPUNIT_ASSERT(!splitHostPort("127.0.0.1", host, port));
        CPPUNIT_ASSERT(!splitHostPort("::1:80", host, port));
        CPPUNIT_ASSERT(!splitHostPort("[::1]80", host, port));
        CPPUNIT_ASSERT(!splitHostPort("[::1]:", host, port));
    }

    void refusesBadAddressText() {
        CPPUNIT_ASSERT_EQUAL(std::string("cannot listen on 127.0.0.1: expected host:port"), listenError("127.0.0.1"));
        CPPUNIT_ASSERT_EQUAL(std::string("cannot listen on 127.0.0.1:70000: invalid port"),
                             listenError("127.0.0.1:70000"));
        CPPUNIT_ASSERT(listenError("127.0.0.1:http").find("invalid port") != std::string::npos);
        CPPUNIT_ASSERT(listenError("[zz]:0").find("cannot listen on [zz]:0: ") == 0);  // brackets: literals only, no DNS
    }

    void refusesABusyPortNamingTheAddress() {
        HttpServer first(HttpServerOptions(), [](HttpRequest&, HttpResponse&) {});
        uint16_t port = first.listen("127.0.0.1:0");
        CPPUNIT_ASSERT(port != 0);
        const std::string address = "127.0.0.1:" + std::to_string(port);
        HttpServer second(HttpServerOptions(), [](HttpRequest&, HttpResponse&) {});
        try {
            second.listen(address);
            CPPUNIT_FAIL("listen on a busy port must throw");
        } catch (const std::runtime_error& e) {
            CPPUNIT_ASSERT_EQUAL("cannot listen on " + address + ": Address already in use", std::string(e.what()));
        }
    }

    void describesPeers() {
        std::string host;
        uint16_t port = 0;
        sockaddr_storage storage{};
        auto& v6 = reinterpret_cast<sockaddr_in6&>(storage);
        v6.sin6_family = AF_INET6;
        v6.sin6_port = htons(5000);
        v6.sin6_addr = in6addr_loopback;
        describePeer(storage, host, port);
        CPPUNIT_ASSERT_EQUAL(std::string("::1"), host);
        CPPUNIT_ASSERT_EQUAL(uint16_t(5000), port);
        // ::ffff:10.1.2.3 from a dual-stack listener reads as the IPv4 address.
        unsigned char mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 1, 2, 3};
        std::memcpy(&v6.sin6_addr, mapped, sizeof mapped);
        describePeer(storage, host, port);
        CPPUNIT_ASSERT_EQUAL(std::string("10.1.2.3"), host);
    }

    void serverWithoutStartClosesQuietly() {
        uint16_t port;
        {
            HttpServer server(HttpServerOptions(), [](HttpRequest&, HttpResponse&) {});
            port = server.listen("127.0.0.1:0");
        }
        // The port is free again: the destructor closed the listener.
        HttpServer again(HttpServerOptions(), [](HttpRequest&, HttpResponse&) {});
        CPPUNIT_ASSERT_EQUAL(port, again.listen("127.0.0.1:" + std::to_string(port)));
        again.stop();
        again.stop();  // idempotent
        CPPUNIT_ASSERT_THROW(again.start(), std::logic_error);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ListenSocketTest);
